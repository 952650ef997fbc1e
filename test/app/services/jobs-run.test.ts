import { beforeAll, describe, expect, it } from 'vitest';
import type { JobRepository } from '../../../app/adapters/dynamo/job-repo';
import { DownstreamError, UserFacingError } from '../../../app/errors';
import type { JobContext } from '../../../app/services/job-types';
import { JobLeaseExpiredError } from '../../../app/services/jobs';
import { type Setup, useJobService } from '../../helpers/job-fixtures';

const world = useJobService();
const { setup, at, withHandler, uniqueKind } = world;
let repo: JobRepository;
beforeAll(() => {
  repo = world.repo;
});

describe('JobService.run', () => {
  it('lets exactly one of 20 concurrent runs claim the job', async () => {
    // Prepare
    let runs = 0;
    const { kind, s } = withHandler({
      run: async () => {
        runs += 1;
      },
    });
    const { job } = await s.jobs.enqueue({ kind, payload: {} });
    // Act
    const outcomes = await Promise.all(Array.from({ length: 20 }, () => s.jobs.run(job.jobId)));
    // Assess
    expect(outcomes.filter((o) => o === 'succeeded')).toHaveLength(1);
    expect(outcomes.filter((o) => o === 'skipped')).toHaveLength(19);
    expect(runs).toBe(1);
    expect(await repo.get(job.jobId)).toMatchObject({ status: 'SUCCEEDED', attempts: 1 });
  });

  it('retries a retryable failure with backoff, then succeeds', async () => {
    // Prepare: fails twice (a retryable downstream error, then an unexpected error), then works.
    const contexts: JobContext[] = [];
    const { kind, s } = withHandler({
      run: async (_payload, ctx) => {
        contexts.push(ctx);
        if (ctx.attempt === 1) throw new DownstreamError('Workfront 503', 'workfront', true);
        if (ctx.attempt === 2) throw new Error('socket hang up');
      },
    });
    const { job } = await s.jobs.enqueue({ kind, payload: { campaignId: 'cmp_3' } });
    // Act
    const first = await s.jobs.run(job.jobId);
    const afterFirst = await repo.get(job.jobId);
    const tooEarly = await s.jobs.run(job.jobId);
    s.clock.advance(1_500);
    const second = await s.jobs.run(job.jobId);
    s.clock.advance(3_000);
    const third = await s.jobs.run(job.jobId);
    // Assess
    expect([first, tooEarly, second, third]).toEqual([
      'retry_scheduled',
      'skipped',
      'retry_scheduled',
      'succeeded',
    ]);
    expect(afterFirst).toMatchObject({ status: 'QUEUED', attempts: 1 });
    expect(afterFirst?.lastError).toContain('Workfront 503');
    expect(afterFirst?.leaseUntil).toBeUndefined();
    // Backoff with random 0.5: 1.5 s, then 3 s; each retry is re-dispatched with its delay.
    expect(s.dispatcher.calls.slice(1)).toEqual([
      { jobId: job.jobId, delayMs: 1_500 },
      { jobId: job.jobId, delayMs: 3_000 },
    ]);
    expect(contexts.map((c) => [c.attempt, c.isFinalAttempt])).toEqual([
      [1, false],
      [2, false],
      [3, false],
    ]);
    expect(await repo.get(job.jobId)).toMatchObject({ status: 'SUCCEEDED', attempts: 3 });
  });

  it('fails for good after maxAttempts and calls onFinalFailure exactly once', async () => {
    // Prepare
    const finals: { payload: Record<string, unknown>; error: unknown; ctx: JobContext }[] = [];
    const finalFlags: boolean[] = [];
    const { kind, s } = withHandler({
      run: async (_payload, ctx) => {
        finalFlags.push(ctx.isFinalAttempt);
        throw new DownstreamError('Asana 500', 'asana', true);
      },
      onFinalFailure: async (payload, error, ctx) => {
        finals.push({ payload, error, ctx });
      },
    });
    const { job } = await s.jobs.enqueue({ kind, payload: { channel: 'C0TEAM' }, maxAttempts: 3 });
    // Act
    const outcomes = [];
    for (let i = 0; i < 3; i += 1) {
      outcomes.push(await s.jobs.run(job.jobId));
      s.clock.advance(300_000);
    }
    const afterwards = await s.jobs.run(job.jobId);
    // Assess
    expect(outcomes).toEqual(['retry_scheduled', 'retry_scheduled', 'failed']);
    expect(afterwards).toBe('skipped');
    expect(finalFlags).toEqual([false, false, true]);
    expect(finals).toHaveLength(1);
    expect(finals[0]?.payload).toEqual({ channel: 'C0TEAM' });
    expect(finals[0]?.error).toBeInstanceOf(DownstreamError);
    expect(finals[0]?.ctx.attempt).toBe(3);
    expect(await repo.get(job.jobId)).toMatchObject({ status: 'FAILED', attempts: 3 });
  });

  it.each([
    ['a UserFacingError', new UserFacingError('That campaign no longer exists.')],
    ['a non-retryable DownstreamError', new DownstreamError('Workfront 400', 'workfront', false)],
  ])('ends the job at once on %s', async (_name, thrown) => {
    // Prepare
    let finals = 0;
    const { kind, s } = withHandler({
      run: async () => {
        throw thrown;
      },
      onFinalFailure: async () => {
        finals += 1;
      },
    });
    const { job } = await s.jobs.enqueue({ kind, payload: {} });
    // Act
    const outcome = await s.jobs.run(job.jobId);
    // Assess
    expect(outcome).toBe('failed');
    expect(finals).toBe(1);
    expect(await repo.get(job.jobId)).toMatchObject({ status: 'FAILED', attempts: 1 });
    expect(s.dispatcher.calls).toHaveLength(1);
  });

  it('logs, and does not throw, when onFinalFailure itself fails', async () => {
    const { kind, s } = withHandler({
      run: async () => {
        throw new UserFacingError('nope');
      },
      onFinalFailure: async () => {
        throw new Error('Slack down too');
      },
    });
    const { job } = await s.jobs.enqueue({ kind, payload: {} });
    const outcome = await s.jobs.run(job.jobId);
    expect(outcome).toBe('failed');
    expect(s.lines.some((l) => l.event === 'job_final_failure_report_failed')).toBe(true);
  });

  it('fails a job of an unknown kind with a coded log line', async () => {
    const s = at(setup({}));
    const { job } = await s.jobs.enqueue({ kind: 'nobody.handles.this', payload: {} });
    const outcome = await s.jobs.run(job.jobId);
    expect(outcome).toBe('failed');
    expect(await repo.get(job.jobId)).toMatchObject({
      status: 'FAILED',
      lastError: 'job_unknown_kind: nobody.handles.this',
    });
    expect(s.lines.some((l) => l.code === 'job_unknown_kind' && l.level === 'error')).toBe(true);
  });

  it('skips, leaving the job queued, while no handlers are attached', async () => {
    const s = at(setup(undefined));
    const { job } = await s.jobs.enqueue({ kind: uniqueKind(), payload: {} });
    expect(await s.jobs.run(job.jobId)).toBe('skipped');
    expect(await repo.get(job.jobId)).toMatchObject({ status: 'QUEUED', attempts: 0 });
  });

  it('gives the handler a deadline of the time budget, shortened by the caller', async () => {
    // Prepare
    const deadlines: Date[] = [];
    const { kind, s } = withHandler({
      run: async (_p, ctx) => {
        deadlines.push(ctx.deadline);
      },
    });
    const start = s.clock.now().getTime();
    const one = await s.jobs.enqueue({ kind, payload: {} });
    const two = await s.jobs.enqueue({ kind, payload: {} });
    // Act
    await s.jobs.run(one.job.jobId);
    await s.jobs.run(two.job.jobId, { deadline: new Date(start + 20_000) });
    // Assess
    expect(deadlines.map((d) => d.getTime() - start)).toEqual([60_000, 20_000]);
  });

  it('stores lastError with secrets scrubbed', async () => {
    const { kind, s } = withHandler({
      run: async () => {
        throw new Error('call failed with xoxb-1111-2222-secretvalue');
      },
    });
    const { job } = await s.jobs.enqueue({ kind, payload: {} });
    await s.jobs.run(job.jobId);
    const stored = await repo.get(job.jobId);
    expect(stored?.lastError).toContain('[REDACTED]');
    expect(stored?.lastError).not.toContain('secretvalue');
  });
});

describe('leases and the sweep', () => {
  it('re-dispatches a job whose run was lost once its lease lapses, and the next run completes it', async () => {
    // Prepare: a worker claimed the job and died (claim without finishing).
    let runs = 0;
    const { kind, s } = withHandler({
      run: async () => {
        runs += 1;
      },
    });
    const { job } = await s.jobs.enqueue({ kind, payload: {} });
    const now = s.clock.now();
    await repo.claim(job.jobId, now, new Date(now.getTime() + 90_000), 'other-worker/1');
    // Act
    s.clock.advance(60_000);
    const whileLeased = await s.jobs.sweep();
    const runWhileLeased = await s.jobs.run(job.jobId);
    s.clock.advance(31_000);
    const afterLease = await s.jobs.sweep();
    const outcome = await s.jobs.run(job.jobId);
    // Assess
    expect(whileLeased.redispatched).toBe(0);
    expect(runWhileLeased).toBe('skipped');
    expect(afterLease.redispatched).toBe(1);
    expect(s.dispatcher.calls.at(-1)).toEqual({ jobId: job.jobId, delayMs: undefined });
    expect(outcome).toBe('succeeded');
    expect(runs).toBe(1);
    expect(await repo.get(job.jobId)).toMatchObject({ status: 'SUCCEEDED', attempts: 2 });
  });

  it('fails a job whose final attempt was lost, telling the handler once, without running it again', async () => {
    // Prepare
    let runs = 0;
    const errors: unknown[] = [];
    const { kind, s } = withHandler({
      run: async () => {
        runs += 1;
      },
      onFinalFailure: async (_p, error) => {
        errors.push(error);
      },
    });
    const { job } = await s.jobs.enqueue({ kind, payload: {}, maxAttempts: 1 });
    const now = s.clock.now();
    await repo.claim(job.jobId, now, new Date(now.getTime() + 90_000), 'other-worker/1');
    s.clock.advance(91_000);
    // Act
    const outcome = await s.jobs.run(job.jobId);
    // Assess
    expect(outcome).toBe('failed');
    expect(runs).toBe(0);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toBeInstanceOf(JobLeaseExpiredError);
  });

  it('does not let a run whose lease was taken over overwrite the new run', async () => {
    // Prepare: the first run overruns its lease; meanwhile a second run claims and completes.
    const kind = uniqueKind();
    let s: Setup | undefined;
    let nested: string | undefined;
    s = at(
      setup({
        [kind]: {
          run: async (_p, ctx) => {
            if (ctx.attempt === 1 && s) {
              s.clock.advance(95_000);
              nested = await s.jobs.run(ctx.job.jobId);
            }
          },
        },
      }),
    );
    const { job } = await s.jobs.enqueue({ kind, payload: {} });
    // Act
    const outer = await s.jobs.run(job.jobId);
    // Assess
    expect(nested).toBe('succeeded');
    expect(outer).toBe('succeeded');
    expect(s.lines.some((l) => l.event === 'job_claim_lost')).toBe(true);
    expect(await repo.get(job.jobId)).toMatchObject({ status: 'SUCCEEDED', attempts: 2 });
  });

  it('re-dispatches at most sweepLimit jobs per call', async () => {
    // Prepare: five due jobs (earlier tests' jobs lie in this test's future, so are not due).
    const s = at(setup({}, { sweepLimit: 3 }));
    for (let i = 0; i < 5; i += 1) await s.jobs.enqueue({ kind: uniqueKind(), payload: { i } });
    s.dispatcher.calls.length = 0;
    // Act
    const { redispatched } = await s.jobs.sweep();
    // Assess
    expect(redispatched).toBe(3);
    expect(s.dispatcher.calls).toHaveLength(3);
  });
});
