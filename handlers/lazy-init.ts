/**
 * A container's one-time init (secret read, runtime built), run on first use and shared by every
 * invocation after it. A failed init is forgotten, so the next invocation tries again instead of
 * replaying the same rejection for the life of the container.
 */
export function lazyInit<T>(init: () => Promise<T>): { get(): Promise<T>; reset(): void } {
  let ready: Promise<T> | undefined;
  return {
    get() {
      ready ??= init().catch((error: unknown) => {
        ready = undefined;
        throw error;
      });
      return ready;
    },
    /** For tests: forget the memoised value so the next `get` builds it again from the environment. */
    reset() {
      ready = undefined;
    },
  };
}
