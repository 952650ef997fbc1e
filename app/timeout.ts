/**
 * The one way this codebase bounds a wait: `work`, or — when it has not settled within `ms` —
 * what `onTimeout` returns (or throws). Whichever comes first, the timer is cleared at once, so no
 * timer outlives the wait (a process that should exit, a Lambda container about to freeze, a test's
 * fake clock). The timer is not `unref`'d: a limit must fire even when nothing else keeps the
 * process alive. `work` is not cancelled (a promise cannot be): give it an `AbortSignal` of its own
 * when it can stop, and a rejection it makes after the timeout is handled here, never unhandled.
 */
export function withTimeout<T, U = never>(work: Promise<T>, ms: number, onTimeout: () => U): Promise<T | U> {
  return new Promise<T | U>((resolve, reject) => {
    const timer = setTimeout(() => {
      try {
        resolve(onTimeout());
      } catch (error) {
        reject(error);
      }
    }, ms);
    work.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(error);
      },
    );
  });
}
