import { DownstreamError } from '../errors';

/**
 * Outbound rate limits (DESIGN.md "Policies"): requests per minute per downstream service.
 * Salesforce is read-only and has no client yet; its budget is reserved here so the number lives
 * in one place.
 */
export const OUTBOUND_LIMITS_PER_MINUTE = {
  workfront: 100,
  asana: 150,
  salesforce: 50,
} as const;

export type RateLimitedService = keyof typeof OUTBOUND_LIMITS_PER_MINUTE;

export interface RateLimiterOptions {
  /** Name used in errors (`workfront`, `asana`, …). */
  service: string;
  /** Sustained rate. */
  perMinute: number;
  /**
   * Bucket size: how many calls may go out back to back after a quiet spell. Kept small (a tenth
   * of the per-minute rate) so a burst plus the refill stays close to the published per-minute limit:
   * in any window of t seconds at most `burst + perMinute × t / 60` calls leave this container.
   */
  burst?: number;
  /** Milliseconds since the epoch; injectable so tests drive time by hand. */
  now?: () => number;
  /** Waits `ms`; tests pass a fake that advances their clock instead of sleeping. */
  sleep?: (ms: number) => Promise<void>;
  /** How long a caller without a deadline may wait for a slot. */
  defaultMaxWaitMs?: number;
}

export interface AcquireOptions {
  /** The caller's deadline (e.g. the job's). A wait that would end past it is not started. */
  deadline?: Date;
}

const realSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * A token bucket for one downstream service.
 *
 * The limit is **per container** (per Lambda instance or local process): N warm workers can send N×
 * the rate. A global limit needs a shared counter (e.g. a DynamoDB item per service and minute,
 * incremented conditionally) — left to the Sync issue, which is where sustained outbound volume
 * comes from. Downstream 429s are honoured through `pauseFor` either way, so overshooting a
 * service's own limit degrades into waiting, not into failures.
 *
 * When no slot is free, `acquire` waits if the wait fits the caller's deadline; otherwise it throws a
 * retryable `DownstreamError`, and the job runner tries again later with backoff.
 */
export class RateLimiter {
  readonly service: string;
  readonly perMinute: number;
  readonly burst: number;
  private tokens: number;
  private updatedAt: number;
  /** Set by a 429's Retry-After: nothing goes out before this instant. */
  private pausedUntil = 0;
  private readonly now: () => number;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly defaultMaxWaitMs: number;

  constructor(options: RateLimiterOptions) {
    if (!(options.perMinute > 0)) throw new RangeError('perMinute must be positive');
    this.service = options.service;
    this.perMinute = options.perMinute;
    this.burst = Math.max(1, Math.floor(options.burst ?? options.perMinute / 10));
    this.now = options.now ?? Date.now;
    this.sleep = options.sleep ?? realSleep;
    this.defaultMaxWaitMs = options.defaultMaxWaitMs ?? 15_000;
    this.tokens = this.burst;
    this.updatedAt = this.now();
  }

  private refill(at: number): void {
    const elapsed = Math.max(0, at - this.updatedAt);
    this.tokens = Math.min(this.burst, this.tokens + (elapsed * this.perMinute) / 60_000);
    this.updatedAt = at;
  }

  /**
   * How long the next caller would wait for a slot, in ms (0 = now). Does not take the slot.
   */
  waitTimeMs(): number {
    const at = this.now();
    this.refill(at);
    const forToken = this.tokens >= 1 ? 0 : Math.ceil(((1 - this.tokens) * 60_000) / this.perMinute);
    return Math.max(forToken, this.pausedUntil - at);
  }

  /**
   * Takes one slot, waiting for it when the wait fits the deadline. The slot is reserved before the
   * wait (tokens may go negative), so concurrent callers queue up in order instead of all waking
   * at once.
   */
  async acquire(options: AcquireOptions = {}): Promise<void> {
    const at = this.now();
    this.refill(at);
    const forToken = this.tokens >= 1 ? 0 : ((1 - this.tokens) * 60_000) / this.perMinute;
    const wait = Math.ceil(Math.max(forToken, this.pausedUntil - at, 0));
    const latest = options.deadline ? options.deadline.getTime() : at + this.defaultMaxWaitMs;
    if (at + wait > latest) {
      throw new DownstreamError(
        `${this.service}: outbound rate limit reached; next slot in ${Math.ceil(wait / 1000)}s, after this attempt's deadline`,
        this.service,
        true,
      );
    }
    this.tokens -= 1;
    if (wait > 0) await this.sleep(wait);
  }

  /** Honours a downstream `Retry-After`: no call leaves before `ms` from now. */
  pauseFor(ms: number): void {
    this.pausedUntil = Math.max(this.pausedUntil, this.now() + Math.max(0, ms));
  }
}

export interface RateLimiters {
  workfront: RateLimiter;
  asana: RateLimiter;
  salesforce: RateLimiter;
}

/** One limiter per service with the DESIGN.md rates. Tests pass `now`/`sleep` fakes. */
export function createRateLimiters(
  options: Pick<RateLimiterOptions, 'now' | 'sleep' | 'defaultMaxWaitMs'> = {},
): RateLimiters {
  const make = (service: RateLimitedService) =>
    new RateLimiter({ ...options, service, perMinute: OUTBOUND_LIMITS_PER_MINUTE[service] });
  return { workfront: make('workfront'), asana: make('asana'), salesforce: make('salesforce') };
}

let containerLimiters: RateLimiters | undefined;

/**
 * The container's limiters: one set per process, shared by every client the process builds, so
 * two clients for the same service cannot each spend the full budget.
 */
export function containerRateLimiters(): RateLimiters {
  containerLimiters ??= createRateLimiters();
  return containerLimiters;
}
