import { RateLimitedError } from './surfaces';

export interface ProgressUpdaterOptions {
  /** Minimum time between two updates (Slack tolerates about one update per second per message). */
  intervalMs: number;
  /** Updates left on this surface (a response_url has 5 posts in all). */
  budget: () => number;
  clock: () => Date;
  send: (text: string) => Promise<void>;
  onSkipped?: (reason: 'rate_limited' | 'failed', error: unknown) => void;
}

/**
 * Decides when a streamed answer is shown: on a chunk, if at least `intervalMs` passed since the
 * last update (and since a 429's Retry-After), and the surface has budget left. No timers: updates
 * ride on arriving chunks and the final update shows everything, so a stalled stream costs nothing
 * and tests need no fake timers. A 429 skips that update and pushes the next one past Retry-After;
 * any other failure is reported and skipped too — progress is best effort, the final answer is not.
 */
export class ProgressUpdater {
  private nextAllowedAt = Number.NEGATIVE_INFINITY;
  private lastSent = '';
  sent = 0;
  skipped = 0;

  constructor(private readonly options: ProgressUpdaterOptions) {}

  async offer(text: string): Promise<void> {
    const now = this.options.clock().getTime();
    if (now < this.nextAllowedAt || text === this.lastSent || this.options.budget() <= 0) return;
    this.nextAllowedAt = now + this.options.intervalMs;
    try {
      await this.options.send(text);
      this.lastSent = text;
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
  }
}
