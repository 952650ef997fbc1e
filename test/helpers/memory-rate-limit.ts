import type { Reservation } from '../../app/adapters/dynamo/rate-limit-repo';
import { SharedRateLimiter } from '../../app/adapters/rate-limiter';

/**
 * The shared limiter's store in memory, with the same conditional semantics as
 * `RateLimitRepository` (one GCRA arrival time per key), for client tests that drive a fake clock.
 */
class MemoryRateLimitStore {
  private readonly tats = new Map<string, number>();

  async reserve(key: string, now: number, intervalMs: number, maxTat: number): Promise<Reservation> {
    const tat = this.tats.get(key) ?? 0;
    if (tat <= now) {
      this.tats.set(key, now + intervalMs);
      return { ok: true, tat: now + intervalMs };
    }
    if (tat + intervalMs <= maxTat) {
      this.tats.set(key, tat + intervalMs);
      return { ok: true, tat: tat + intervalMs };
    }
    return { ok: false, tat };
  }

  async holdUntil(key: string, tat: number): Promise<void> {
    if ((this.tats.get(key) ?? 0) < tat) this.tats.set(key, tat);
  }

  async peek(key: string): Promise<number> {
    return this.tats.get(key) ?? 0;
  }
}

/** A shared limiter on a memory store and a fake clock (`sleep` records and advances). */
export function memoryLimiter(options: {
  service: string;
  perMinute: number;
  now: () => number;
  sleep: (ms: number) => Promise<void>;
}): SharedRateLimiter {
  return new SharedRateLimiter({ ...options, store: new MemoryRateLimitStore() });
}
