import { RateLimitedError } from './reply-surface';

export interface ProgressUpdaterOptions {
  /** Minimum time between two updates (Slack tolerates about one update per second per message). */
  intervalMs: number;
  /** Updates left on this surface (a response_url has 5 posts in all). */
  budget: () => number;
  clock: () => Date;
  /** Shows `text` (the answer so far) with an optional status line instead of "still writing". */
  send: (text: string, status?: string) => Promise<void>;
  onSkipped?: (reason: 'rate_limited' | 'failed', error: unknown) => void;
  /** Text already on screen when this updater starts (an earlier round's answer), for heartbeats. */
  initialText?: string;
}

/**
 * Decides when a streamed answer is shown: on a chunk, if at least `intervalMs` passed since the
 * last update (and since a 429's Retry-After), and the surface has budget left. Chunk updates are
 * awaited (back-pressure on the stream). A 429 skips that update and pushes the next one past
 * Retry-After; any other failure is reported and skipped too — progress is best effort, the final
 * answer is not.
 *
 * `beat(status)` is the heartbeat for a stream that goes quiet (a supervisor routing to a
 * collaborator can take many seconds before the first chunk): it re-shows the latest text with a
 * status line ("still working… (12 s)") when nothing was shown for `quietMs`, within the same
 * interval and budget. Only one write is in flight at a time (a chunk arriving during a beat is
 * skipped, the next one or the final answer shows it), and `settle()` waits for it, so a late
 * heartbeat can never land on top of the final answer.
 */
export class ProgressUpdater {
  private nextAllowedAt = Number.NEGATIVE_INFINITY;
  private lastSent = '';
  private latest: string;
  private lastShownAt: number;
  private inFlight: Promise<void> | undefined;
  private stopped = false;
  sent = 0;
  skipped = 0;
  beats = 0;

  constructor(private readonly options: ProgressUpdaterOptions) {
    this.latest = options.initialText ?? '';
    this.lastShownAt = options.clock().getTime();
  }

  async offer(text: string): Promise<void> {
    this.latest = text;
    if (this.inFlight || this.stopped) return;
    const now = this.options.clock().getTime();
    if (now < this.nextAllowedAt || text === this.lastSent || this.options.budget() <= 0) return;
    await this.write(now, text, undefined, text);
  }

  /** A heartbeat: re-shows the latest text with `status` if nothing was shown for `quietMs`. */
  async beat(status: string, quietMs: number): Promise<void> {
    if (this.inFlight || this.stopped) return;
    const now = this.options.clock().getTime();
    if (now < this.nextAllowedAt || now - this.lastShownAt < quietMs || this.options.budget() <= 0) return;
    this.beats += 1;
    // `lastSent` stays a key no chunk text can equal, so the next chunk is shown even if unchanged.
    await this.write(now, this.latest, status, `\u0000${status}`);
  }

  /** No more updates; resolves once a write in flight has finished (before the final answer). */
  async settle(): Promise<void> {
    this.stopped = true;
    await this.inFlight;
  }

  private async write(now: number, text: string, status: string | undefined, key: string): Promise<void> {
    this.nextAllowedAt = now + this.options.intervalMs;
    const attempt = (async () => {
      try {
        await this.options.send(text, status);
        this.lastSent = key;
        this.lastShownAt = now;
        this.sent += 1;
      } catch (error) {
        this.skipped += 1;
        if (error instanceof RateLimitedError) {
          this.nextAllowedAt = Math.max(this.nextAllowedAt, now + error.retryAfterMs);
          this.options.onSkipped?.('rate_limited', error);
        } else {
          this.options.onSkipped?.('failed', error);
        }
      }
    })();
    this.inFlight = attempt;
    try {
      await attempt;
    } finally {
      this.inFlight = undefined;
    }
  }
}
