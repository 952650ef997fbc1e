import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RateLimitRepository } from '../../../app/adapters/dynamo/rate-limit-repo';
import {
  createSharedRateLimiters,
  OUTBOUND_LIMITS_PER_MINUTE,
  SharedRateLimiter,
} from '../../../app/adapters/rate-limiter';
import { DownstreamError } from '../../../app/errors';
import { startTestDb, type TestDb } from '../../helpers/test-db';

/**
 * The outbound limit shared by every container through one DynamoDB item per service (dynalite
 * here). "Containers" are separate limiter instances on the same table; time is a hand-driven
 * clock whose `sleep` advances it (and records the wait) instead of waiting.
 */
let testDb: TestDb;
let repo: RateLimitRepository;
let n = 0;

beforeAll(async () => {
  testDb = await startTestDb(`rl${process.pid}-`);
  repo = new RateLimitRepository(testDb.db, testDb.tables.dedupe);
});
afterAll(async () => {
  await testDb.close();
});

function fakeClock(start = Date.parse('2027-03-01T10:00:00.000Z')) {
  let now = start;
  const sleeps: number[] = [];
  return {
    now: () => now,
    sleep: async (ms: number) => {
      sleeps.push(ms);
      now += ms;
    },
    sleeps,
  };
}

/** A limiter for a service name of its own (tests do not share items). */
function limiter(
  clock: ReturnType<typeof fakeClock>,
  options: { perMinute: number; burst?: number; service?: string },
) {
  n += 1;
  return new SharedRateLimiter({
    service: options.service ?? `svc${n}`,
    perMinute: options.perMinute,
    ...(options.burst ? { burst: options.burst } : {}),
    store: repo,
    now: clock.now,
    sleep: clock.sleep,
  });
}

describe('SharedRateLimiter (DynamoDB)', () => {
  it('uses the DESIGN.md rates per service', () => {
    const limiters = createSharedRateLimiters(repo);
    expect(OUTBOUND_LIMITS_PER_MINUTE).toEqual({ workfront: 100, asana: 150, salesforce: 50 });
    expect([limiters.workfront, limiters.asana, limiters.salesforce].map((l) => l.service)).toEqual([
      'workfront',
      'asana',
      'salesforce',
    ]);
  });

  it('holds across containers: three workers sending as fast as they can stay within burst + rate in any minute', async () => {
    // Prepare: three "containers" on one clock and one table
    const clock = fakeClock();
    const service = `shared${Date.now()}`;
    const workers = [1, 2, 3].map(() => limiter(clock, { perMinute: 100, service }));
    const sent: number[] = [];
    // Act: 300 calls, round robin over the workers (each waits for its reserved slot)
    for (let i = 0; i < 300; i++) {
      await workers[i % 3]?.acquire({ deadline: new Date(clock.now() + 10 * 60_000) });
      sent.push(clock.now());
    }
    // Assess: sliding 60 s windows over all calls together
    let worst = 0;
    for (const from of sent)
      worst = Math.max(worst, sent.filter((t) => t >= from && t < from + 60_000).length);
    expect(worst).toBeLessThanOrEqual(100 + 10);
    expect(clock.now() - (sent[0] ?? 0)).toBeGreaterThanOrEqual(170_000);
  });

  it('concurrent callers in different containers queue up in order instead of all going at once', async () => {
    // Prepare
    const clock = fakeClock();
    const service = `queue${Date.now()}`;
    const a = limiter(clock, { perMinute: 60, burst: 1, service });
    const b = limiter(clock, { perMinute: 60, burst: 1, service });
    // Act: both reserve at the same instant
    const waits: number[] = [];
    const capture = new SharedRateLimiter({
      service,
      perMinute: 60,
      burst: 1,
      store: repo,
      now: clock.now,
      sleep: async (ms) => {
        waits.push(ms);
      },
    });
    await Promise.all([
      a.acquire(),
      b.acquire(),
      capture.acquire({ deadline: new Date(clock.now() + 10_000) }),
    ]);
    // Assess: one went now; the others got the next two seconds' slots
    expect(clock.sleeps.length + waits.length).toBe(2);
    expect([...clock.sleeps, ...waits].sort()).toEqual([1_000, 2_000]);
  });

  it('throws a retryable DownstreamError when the slot is past the deadline, without taking it', async () => {
    // Prepare
    const clock = fakeClock();
    const l = limiter(clock, { perMinute: 60, burst: 1 });
    await l.acquire();
    // Act: the next slot is 1 s away, the deadline 500 ms
    const error = await l.acquire({ deadline: new Date(clock.now() + 500) }).catch((e: unknown) => e);
    // Assess
    expect(error).toBeInstanceOf(DownstreamError);
    expect(error).toMatchObject({ retryable: true });
    expect(await l.waitTimeMs()).toBe(1_000);
    await l.acquire({ deadline: new Date(clock.now() + 5_000) });
    expect(clock.sleeps).toEqual([1_000]);
  });

  it('a Retry-After seen by one container holds back the others', async () => {
    // Prepare
    const clock = fakeClock();
    const service = `pause${Date.now()}`;
    const hit = limiter(clock, { perMinute: 150, service });
    const other = limiter(clock, { perMinute: 150, service });
    // Act
    await hit.pauseFor(30_000);
    const tooSoon = await other
      .acquire({ deadline: new Date(clock.now() + 10_000) })
      .catch((e: unknown) => e);
    await other.acquire({ deadline: new Date(clock.now() + 60_000) });
    // Assess
    expect(tooSoon).toMatchObject({ retryable: true });
    expect(clock.sleeps).toEqual([30_000]);
  });

  it('uses a default maximum wait when the caller gives no deadline', async () => {
    const clock = fakeClock();
    const l = new SharedRateLimiter({
      service: `default${Date.now()}`,
      perMinute: 1,
      burst: 1,
      store: repo,
      now: clock.now,
      sleep: clock.sleep,
      defaultMaxWaitMs: 5_000,
    });
    await l.acquire();
    const error = await l.acquire().catch((e: unknown) => e);
    expect(error).toMatchObject({ retryable: true });
  });
});
