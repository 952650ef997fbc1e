import { DownstreamError } from '../errors';
import type { RateLimitRepository } from './dynamo/rate-limit-repo';

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

type RateLimitedService = keyof typeof OUTBOUND_LIMITS_PER_MINUTE;

export interface AcquireOptions {
  /** The caller's deadline (e.g. the job's). A wait that would end past it is not started. */
  deadline?: Date;
}

/** What the HTTP client asks of a limiter. */
export interface OutboundLimiter {
  readonly service: string;
  /** Takes one slot, waiting for it when the wait fits the deadline; else a retryable `DownstreamError`. */
  acquire(options?: AcquireOptions): Promise<void>;
  /** Honours a downstream `Retry-After`: no call leaves (from any container) before `ms` from now. */
  pauseFor(ms: number): Promise<void>;
  /** How long the next caller would wait, in ms (0 = now). Does not take a slot. */
  waitTimeMs(): Promise<number>;
}

export interface SharedRateLimiterOptions {
  service: string;
  perMinute: number;
  /**
   * Calls that may go out back to back after a quiet spell. Kept small (a tenth of the per-minute
   * rate) so that in any window of t seconds at most `burst + perMinute × t / 60` calls leave, from
   * all containers together.
   */
  burst?: number;
  store: Pick<RateLimitRepository, 'reserve' | 'holdUntil' | 'peek'>;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
  /** How long a caller without a deadline may wait for a slot. */
  defaultMaxWaitMs?: number;
}

const realSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * A rate limit shared by every container through one DynamoDB item per service (GCRA, the
 * "generic cell rate algorithm": the item holds the theoretical arrival time of the next call).
 * A call reserves its slot with one conditional update and then waits until the slot starts, so
 * concurrent callers in different containers queue up in order instead of all retrying at once.
 * A 429's `Retry-After` moves the item forward, holding back every container.
 *
 * This replaces the earlier per-container token bucket: with N warm workers that one let N times
 * the rate through, and it added nothing once the shared item exists (one round trip per call is
 * the cost, small next to the call it guards).
 */
export class SharedRateLimiter implements OutboundLimiter {
  readonly service: string;
  readonly perMinute: number;
  readonly burst: number;
  private readonly interval: number;
  private readonly tolerance: number;
  private readonly key: string;
  private readonly now: () => number;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly defaultMaxWaitMs: number;

  constructor(private readonly options: SharedRateLimiterOptions) {
    if (!(options.perMinute > 0)) throw new RangeError('perMinute must be positive');
    this.service = options.service;
    this.perMinute = options.perMinute;
    this.burst = Math.max(1, Math.floor(options.burst ?? options.perMinute / 10));
    this.interval = 60_000 / options.perMinute;
    this.tolerance = (this.burst - 1) * this.interval;
    this.key = `ratelimit#${options.service}`;
    this.now = options.now ?? Date.now;
    this.sleep = options.sleep ?? realSleep;
    this.defaultMaxWaitMs = options.defaultMaxWaitMs ?? 15_000;
  }

  async acquire(options: AcquireOptions = {}): Promise<void> {
    for (let attempt = 0; attempt < 3; attempt++) {
      const now = this.now();
      const latest = options.deadline ? options.deadline.getTime() : now + this.defaultMaxWaitMs;
      // A slot reserved at `tat` may start at `tat - interval - tolerance`; it must start by `latest`.
      const reservation = await this.options.store.reserve(
        this.key,
        now,
        this.interval,
        latest + this.interval + this.tolerance,
      );
      if (reservation.ok) {
        const wait = Math.ceil(reservation.tat - this.interval - this.tolerance - now);
        if (wait > 0) await this.sleep(wait);
        return;
      }
      if (reservation.tat > now) {
        const next = Math.ceil(reservation.tat - this.tolerance - now);
        throw new DownstreamError(
          `${this.service}: outbound rate limit reached (${this.perMinute}/min across all containers); next slot in ${Math.ceil(next / 1000)}s, after this attempt's deadline`,
          this.service,
          true,
        );
      }
    }
    throw new DownstreamError(
      `${this.service}: outbound rate limit contended; try again`,
      this.service,
      true,
    );
  }

  async pauseFor(ms: number): Promise<void> {
    await this.options.store.holdUntil(this.key, this.now() + Math.max(0, ms) + this.tolerance);
  }

  async waitTimeMs(): Promise<number> {
    const tat = await this.options.store.peek(this.key);
    return Math.max(0, Math.ceil(tat - this.tolerance - this.now()));
  }
}

export interface RateLimiters {
  workfront: OutboundLimiter;
  asana: OutboundLimiter;
  salesforce: OutboundLimiter;
}

/** One shared limiter per service with the DESIGN.md rates. Tests pass `now`/`sleep` fakes. */
export function createSharedRateLimiters(
  store: SharedRateLimiterOptions['store'],
  options: Pick<SharedRateLimiterOptions, 'now' | 'sleep' | 'defaultMaxWaitMs'> = {},
): RateLimiters {
  const make = (service: RateLimitedService) =>
    new SharedRateLimiter({ ...options, store, service, perMinute: OUTBOUND_LIMITS_PER_MINUTE[service] });
  return { workfront: make('workfront'), asana: make('asana'), salesforce: make('salesforce') };
}
