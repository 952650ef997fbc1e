import { describe, expect, it } from 'vitest';
import {
  createRateLimiters,
  OUTBOUND_LIMITS_PER_MINUTE,
  RateLimiter,
} from '../../../app/adapters/rate-limiter';
import { DownstreamError } from '../../../app/errors';

/** A hand-driven clock: `sleep` advances time instead of waiting, and records each wait. */
function fakeClock(start = 1_700_000_000_000) {
  let now = start;
  const sleeps: number[] = [];
  return {
    now: () => now,
    advance: (ms: number) => {
      now += ms;
    },
    sleep: async (ms: number) => {
      sleeps.push(ms);
      now += ms;
    },
    sleeps,
  };
}

describe('RateLimiter', () => {
  it('uses the DESIGN.md rates per service', () => {
    // Prepare / Act
    const limiters = createRateLimiters();
    // Assess
    expect(OUTBOUND_LIMITS_PER_MINUTE).toEqual({ workfront: 100, asana: 150, salesforce: 50 });
    expect(limiters.workfront.perMinute).toBe(100);
    expect(limiters.asana.perMinute).toBe(150);
    expect(limiters.salesforce.perMinute).toBe(50);
  });

  it('lets a burst through, then paces calls at the sustained rate', async () => {
    // Prepare
    const clock = fakeClock();
    const limiter = new RateLimiter({
      service: 'workfront',
      perMinute: 100,
      now: clock.now,
      sleep: clock.sleep,
    });
    const start = clock.now();
    // Act: a burst of 10 then 100 more
    for (let i = 0; i < 10; i++) await limiter.acquire({ deadline: new Date(start + 10 * 60_000) });
    const sleptDuringBurst = clock.sleeps.length;
    for (let i = 0; i < 100; i++) await limiter.acquire({ deadline: new Date(start + 10 * 60_000) });
    // Assess: the first 10 did not wait; 100 more took ~60 s at 100/min
    expect(limiter.burst).toBe(10);
    expect(sleptDuringBurst).toBe(0);
    const elapsed = clock.now() - start;
    expect(elapsed).toBeGreaterThanOrEqual(59_900);
    expect(elapsed).toBeLessThanOrEqual(60_100);
  });

  it('never lets more than burst + rate through in any minute', async () => {
    // Prepare
    const clock = fakeClock();
    const limiter = new RateLimiter({ service: 'asana', perMinute: 150, now: clock.now, sleep: clock.sleep });
    const sent: number[] = [];
    // Act
    for (let i = 0; i < 400; i++) {
      await limiter.acquire({ deadline: new Date(clock.now() + 60_000) });
      sent.push(clock.now());
    }
    // Assess: sliding 60 s windows
    let worst = 0;
    for (let i = 0; i < sent.length; i++) {
      const from = sent[i] ?? 0;
      const count = sent.filter((t) => t >= from && t < from + 60_000).length;
      worst = Math.max(worst, count);
    }
    expect(worst).toBeLessThanOrEqual(150 + limiter.burst);
  });

  it('throws a retryable DownstreamError when the wait would pass the deadline, without taking a slot', async () => {
    // Prepare: drain the bucket
    const clock = fakeClock();
    const limiter = new RateLimiter({
      service: 'workfront',
      perMinute: 60,
      burst: 1,
      now: clock.now,
      sleep: clock.sleep,
    });
    await limiter.acquire();
    // Act: the next slot is 1 s away, the deadline 500 ms
    const error = await limiter.acquire({ deadline: new Date(clock.now() + 500) }).catch((e: unknown) => e);
    // Assess
    expect(error).toBeInstanceOf(DownstreamError);
    expect(error).toMatchObject({ service: 'workfront', retryable: true });
    expect(limiter.waitTimeMs()).toBe(1_000);
    // …and a caller with time to spare waits exactly that long
    await limiter.acquire({ deadline: new Date(clock.now() + 5_000) });
    expect(clock.sleeps).toEqual([1_000]);
  });

  it('holds every call back until a Retry-After pause has passed', async () => {
    // Prepare
    const clock = fakeClock();
    const limiter = new RateLimiter({ service: 'asana', perMinute: 150, now: clock.now, sleep: clock.sleep });
    // Act
    limiter.pauseFor(30_000);
    const tooSoon = await limiter
      .acquire({ deadline: new Date(clock.now() + 10_000) })
      .catch((e: unknown) => e);
    await limiter.acquire({ deadline: new Date(clock.now() + 60_000) });
    // Assess
    expect(tooSoon).toMatchObject({ retryable: true });
    expect(clock.sleeps).toEqual([30_000]);
  });

  it('uses a default maximum wait when the caller gives no deadline', async () => {
    // Prepare
    const clock = fakeClock();
    const limiter = new RateLimiter({
      service: 'workfront',
      perMinute: 1,
      burst: 1,
      now: clock.now,
      sleep: clock.sleep,
      defaultMaxWaitMs: 5_000,
    });
    await limiter.acquire();
    // Act
    const error = await limiter.acquire().catch((e: unknown) => e);
    // Assess
    expect(error).toMatchObject({ retryable: true, service: 'workfront' });
  });
});
