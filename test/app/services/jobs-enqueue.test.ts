import { beforeAll, describe, expect, it } from 'vitest';
import type { JobRepository } from '../../../app/adapters/dynamo/job-repo';
import { JobPayloadError } from '../../../app/domain/payload-guard';
import { backoffDelayMs, JobService, jobIdFor } from '../../../app/services/jobs';
import { captureLogger, useJobService } from '../../helpers/job-fixtures';

const world = useJobService();
const { setup, at, uniqueKind } = world;
let repo: JobRepository;
beforeAll(() => {
  repo = world.repo;
});

describe('backoffDelayMs', () => {
  it('doubles from 2 s with equal jitter and caps at 5 minutes', () => {
    // Prepare / Act / Assess in one line each: the pure function.
    expect(backoffDelayMs(1, () => 0)).toBe(1_000);
    expect(backoffDelayMs(1, () => 0.999_999)).toBe(2_000);
    expect(backoffDelayMs(2, () => 0.5)).toBe(3_000);
    expect(backoffDelayMs(3, () => 0)).toBe(4_000);
    expect(backoffDelayMs(20, () => 0.999_999)).toBe(300_000);
    expect(backoffDelayMs(20, () => 0)).toBe(150_000);
  });
});

describe('JobService.enqueue', () => {
  it('stores the job before dispatching it', async () => {
    // Prepare: a dispatcher that looks the job up in the store at dispatch time.
    const s = at(setup({}));
    const seen: (string | undefined)[] = [];
    const jobs = new JobService({
      repo,
      dispatcher: {
        dispatch: async (jobId) => {
          seen.push((await repo.get(jobId))?.status);
        },
      },
      logger: captureLogger().logger,
      clock: s.clock.now,
    });
    // Act
    const { job, created } = await jobs.enqueue({ kind: uniqueKind(), payload: { campaignId: 'cmp_1' } });
    // Assess
    expect(created).toBe(true);
    expect(seen).toEqual(['QUEUED']);
    expect(job).toMatchObject({ status: 'QUEUED', attempts: 0, maxAttempts: 5, version: 1 });
  });

  it('keeps the job when the dispatch fails, and the sweep dispatches it again', async () => {
    // Prepare
    const s = at(setup({}));
    s.dispatcher.failWith = new Error('Lambda is down');
    // Act
    const { job, created } = await s.jobs.enqueue({ kind: uniqueKind(), payload: { n: 1 } });
    s.dispatcher.failWith = undefined;
    const swept = await s.jobs.sweep();
    // Assess
    expect(created).toBe(true);
    expect((await repo.get(job.jobId))?.status).toBe('QUEUED');
    expect(s.lines.some((l) => l.event === 'job_dispatch_failed' && l.jobId === job.jobId)).toBe(true);
    expect(swept.redispatched).toBeGreaterThanOrEqual(1);
    expect(s.dispatcher.calls.map((c) => c.jobId)).toEqual([job.jobId, job.jobId]);
  });

  it('creates exactly one job for concurrent enqueues with the same idempotency key', async () => {
    // Prepare
    const s = at(setup({}));
    const kind = uniqueKind();
    // Act
    const results = await Promise.all(
      Array.from({ length: 10 }, () =>
        s.jobs.enqueue({ kind, payload: { campaignId: 'cmp_2' }, idempotencyKey: 'campaign:cmp_2' }),
      ),
    );
    // Assess
    expect(results.filter((r) => r.created)).toHaveLength(1);
    expect(new Set(results.map((r) => r.job.jobId))).toEqual(new Set([jobIdFor(kind, 'campaign:cmp_2')]));
    expect(s.dispatcher.calls).toHaveLength(1);
  });

  it('derives the id from kind and key, so the same key under another kind is another job', () => {
    expect(jobIdFor('a.b', 'k')).toMatch(/^job_[0-9a-f]{32}$/);
    expect(jobIdFor('a.b', 'k')).toBe(jobIdFor('a.b', 'k'));
    expect(jobIdFor('a.b', 'k')).not.toBe(jobIdFor('a.c', 'k'));
  });

  it.each([
    [{ botToken: 'abc' }],
    [{ nested: { password: 'hunter2' } }],
    [{ client_secret: 's' }],
    [{ text: 'here is xoxb-1234-5678-abcdef' }],
    [{ list: ['fine', 'xapp-1-A0-123'] }],
  ])('rejects a payload carrying a secret: %j', async (payload) => {
    // Prepare
    const s = at(setup({}));
    const kind = uniqueKind();
    // Act
    const attempt = s.jobs.enqueue({ kind, payload, idempotencyKey: 'secret-test' });
    // Assess
    await expect(attempt).rejects.toBeInstanceOf(JobPayloadError);
    expect(await repo.get(jobIdFor(kind, 'secret-test'))).toBeUndefined();
    expect(s.dispatcher.calls).toHaveLength(0);
  });

  it('accepts keys that merely mention tokens (usage counts)', async () => {
    const s = at(setup({}));
    const { created } = await s.jobs.enqueue({
      kind: uniqueKind(),
      payload: { inputTokens: 12, tokenCount: 3 },
    });
    expect(created).toBe(true);
  });

  it('holds a job with runAt until it is due, and the sweep finds it then', async () => {
    // Prepare
    const s = at(setup({}));
    const runAt = new Date(s.clock.now().getTime() + 10 * 60_000);
    // Act
    const { job } = await s.jobs.enqueue({ kind: uniqueKind(), payload: {}, runAt });
    const early = await s.jobs.sweep();
    s.clock.advance(10 * 60_000);
    const due = await s.jobs.sweep();
    // Assess
    expect(job.nextAttemptAt).toBe(runAt.toISOString());
    expect(s.dispatcher.calls[0]).toEqual({ jobId: job.jobId, delayMs: 600_000 });
    expect(early.redispatched).toBe(0);
    expect(due.redispatched).toBe(1);
  });
});
