import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { JobRepository } from '../../../app/adapters/dynamo/job-repo';
import { JobPayloadError } from '../../../app/domain/payload-guard';
import { DownstreamError, UserFacingError } from '../../../app/errors';
import type { JobContext, JobHandler } from '../../../app/services/job-types';
import { backoffDelayMs, JobLeaseExpiredError, JobService, jobIdFor } from '../../../app/services/jobs';
import { captureLogger, FakeClock, RecordingDispatcher, startJobStore } from '../../helpers/job-fixtures';

let store: Awaited<ReturnType<typeof startJobStore>>;
let repo: JobRepository;

beforeAll(async () => {
  store = await startJobStore('svc-jobs-');
  repo = store.repo;
});
afterAll(async () => {
  await store.close();
});

interface Setup {
  clock: FakeClock;
  dispatcher: RecordingDispatcher;
  jobs: JobService;
  lines: Record<string, unknown>[];
}

function setup(
  handlers: Record<string, JobHandler> | undefined,
  options: { sweepLimit?: number } = {},
): Setup {
  const clock = new FakeClock();
  const dispatcher = new RecordingDispatcher();
  const { logger, lines } = captureLogger('debug');
  const jobs = new JobService({
    repo,
    dispatcher,
    logger,
    clock: clock.now,
    random: () => 0.5,
    ...(options.sweepLimit ? { sweepLimit: options.sweepLimit } : {}),
  });
  if (handlers) jobs.setHandlers(handlers);
  return { clock, dispatcher, jobs, lines };
}

/** A unique kind per test, so sweeps in one test never see another test's jobs as theirs. */
let kindCounter = 0;
function uniqueKind(): string {
  kindCounter += 1;
  return `test.kind${kindCounter}`;
}

// Every test starts at the same fake instant; move the clock of each test far apart so a sweep in
// one test does not find jobs another left due. (Same table; jobs are told apart by id.)
let epoch = Date.parse('2026-03-02T09:00:00.000Z');
beforeEach(() => {
  epoch -= 86_400_000;
});
function at(s: Setup): Setup {
  s.clock.set(new Date(epoch));
  return s;
}

/** A service at this test's instant whose one handler serves a kind of its own. */
function withHandler(handler: JobHandler): { kind: string; s: Setup } {
  const kind = uniqueKind();
  return { kind, s: at(setup({ [kind]: handler })) };
}

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
    await repo.claim(job.jobId, now, new Date(now.getTime() + 90_000));
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
    await repo.claim(job.jobId, now, new Date(now.getTime() + 90_000));
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
