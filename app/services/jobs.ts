import { createHash } from 'node:crypto';
import { ulid } from 'ulid';
import type { JobRepository } from '../adapters/dynamo/job-repo';
import type { JobDispatcher } from '../adapters/job-dispatch';
import type { Job } from '../domain/model';
import { assertSafePayload } from '../domain/payload-guard';
import { asCodedError, CommandCenterError, DownstreamError, ErrorCode, isUserFacing } from '../errors';
import { type AppLogger, withLogContext } from '../logger';
import { JOB_LEASE_MARGIN_MS, JOB_TIME_BUDGET_MS } from './job-timing';
import type { JobContext, JobHandler } from './job-types';

export interface EnqueueInput {
  /** A key of the job handler registry (`app/jobs/registry.ts`). */
  kind: string;
  /** Plain JSON, never a secret (checked; throws `JobPayloadError`). */
  payload: Record<string, unknown>;
  /** Same kind + key → same job: a duplicate enqueue returns the stored job with `created: false`. */
  idempotencyKey?: string;
  /** Default 5. */
  maxAttempts?: number;
  /** Not before this instant (default now). */
  runAt?: Date;
  /** Replace a SUCCEEDED/FAILED job with the same key instead of returning it (one-time schedules). */
  replaceFinished?: boolean;
  /** The Slack `response_url` the job answers through: kept beside the payload, never in it (`Job.responseUrl`). */
  responseUrl?: string;
}

export type RunOutcome = 'succeeded' | 'retry_scheduled' | 'failed' | 'skipped';

/**
 * Who holds a claim, written into each lease as `<slot>/<incarnation>`. `slot` names something only
 * one live process can hold at a time (`npm start`: the host and the port it bound); `incarnation`
 * is this process. A process that holds its slot knows any other incarnation of it is dead, so it
 * may take back that one's jobs at once (`recoverAbandoned`). Processes with no exclusive slot
 * (Lambda containers) get a unique slot and never take over anyone's lease early.
 */
export interface JobInstance {
  slot: string;
  incarnation: string;
}

export interface JobServiceOptions {
  repo: JobRepository;
  dispatcher: JobDispatcher;
  logger: AppLogger;
  clock?: () => Date;
  /** In [0, 1); injectable so backoff is deterministic in tests. */
  random?: () => number;
  /** Generates ids for jobs without an idempotency key. */
  newId?: () => string;
  /** How long a handler may run (ctx.deadline). Default 60 s. */
  timeBudgetMs?: number;
  /** How long a claim lasts; must exceed the time budget. Default budget + 30 s. */
  leaseMs?: number;
  /** Backoff: first retry ≈ base, doubling, capped. Defaults 2 s and 5 min. */
  backoffBaseMs?: number;
  backoffCapMs?: number;
  /** Jobs re-dispatched per sweep call. Default 100. */
  sweepLimit?: number;
  defaultMaxAttempts?: number;
  /** This process, as written into its leases (default: a slot and incarnation of its own). */
  instance?: JobInstance;
}

/** A job's final failure when its last attempt never reported back (timeout, crash): its lease ran out. */
export class JobLeaseExpiredError extends CommandCenterError {
  override code = ErrorCode.DownstreamError;
}

/** The job id for a kind + idempotency key: deterministic, so concurrent duplicates race on one item. */
export function jobIdFor(kind: string, idempotencyKey: string): string {
  return `job_${createHash('sha256').update(`${kind}\n${idempotencyKey}`).digest('hex').slice(0, 32)}`;
}

/**
 * Delay before retry number `attempt` (1 = after the first failure): exponential, capped, with
 * "equal jitter" (half fixed, half random) so retries spread out but never collapse to zero.
 */
export function backoffDelayMs(
  attempt: number,
  random: () => number,
  baseMs = 2_000,
  capMs = 300_000,
): number {
  const exponential = Math.min(capMs, baseMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(exponential / 2 + (random() * exponential) / 2);
}

/**
 * Durable jobs (DESIGN.md "Ack fast, finish durably"): persisted first, then dispatched; claimed
 * with a conditional write; retried with backoff; swept when a dispatch or a run was lost.
 *
 * Delivery is at-least-once: a run whose lease lapses (it overran, or its worker died) is run again,
 * so handlers must be idempotent. Handlers are attached after construction (`setHandlers`) because
 * they are built from the services this one belongs to.
 */
export class JobService {
  readonly dispatcher: JobDispatcher;
  private readonly repo: JobRepository;
  private readonly logger: AppLogger;
  private readonly clock: () => Date;
  private readonly random: () => number;
  private readonly newId: () => string;
  private readonly timeBudgetMs: number;
  private readonly leaseMs: number;
  private readonly backoffBaseMs: number;
  private readonly backoffCapMs: number;
  private readonly sweepLimit: number;
  private readonly defaultMaxAttempts: number;
  private readonly instance: JobInstance;
  private handlers: Record<string, JobHandler> | undefined;

  constructor(options: JobServiceOptions) {
    this.repo = options.repo;
    this.dispatcher = options.dispatcher;
    this.logger = options.logger;
    this.clock = options.clock ?? (() => new Date());
    this.random = options.random ?? Math.random;
    this.newId = options.newId ?? (() => `job_${ulid()}`);
    this.timeBudgetMs = options.timeBudgetMs ?? JOB_TIME_BUDGET_MS;
    this.leaseMs = options.leaseMs ?? this.timeBudgetMs + JOB_LEASE_MARGIN_MS;
    if (this.leaseMs <= this.timeBudgetMs) throw new Error('leaseMs must exceed timeBudgetMs');
    this.backoffBaseMs = options.backoffBaseMs ?? 2_000;
    this.backoffCapMs = options.backoffCapMs ?? 300_000;
    this.sweepLimit = options.sweepLimit ?? 100;
    this.defaultMaxAttempts = options.defaultMaxAttempts ?? 5;
    const own = ulid();
    this.instance = options.instance ?? { slot: `process-${own}`, incarnation: own };
  }

  /** What this process writes as `leaseHolder`. */
  get holder(): string {
    return `${this.instance.slot}/${this.instance.incarnation}`;
  }

  /** Attaches the job handlers by kind (the runtime does this once the app's dependencies exist). */
  setHandlers(handlers: Record<string, JobHandler>): void {
    this.handlers = handlers;
  }

  /**
   * Persists a job (conditional put), then dispatches it. A failed dispatch is logged and left to
   * the sweep: the job is stored, so nothing is lost. A duplicate (same kind + idempotencyKey)
   * returns the stored job with `created: false` and dispatches nothing.
   */
  async enqueue(input: EnqueueInput): Promise<{ job: Job; created: boolean }> {
    if (input.kind.trim() === '') throw new CommandCenterError('job kind is required');
    assertSafePayload(input.payload);
    const now = this.clock();
    const runAt = input.runAt && input.runAt.getTime() > now.getTime() ? input.runAt : now;
    const nowIso = now.toISOString();
    const job: Job = {
      jobId: input.idempotencyKey ? jobIdFor(input.kind, input.idempotencyKey) : this.newId(),
      kind: input.kind,
      status: 'QUEUED',
      payload: input.payload,
      attempts: 0,
      maxAttempts: input.maxAttempts ?? this.defaultMaxAttempts,
      nextAttemptAt: runAt.toISOString(),
      ...(input.responseUrl ? { responseUrl: input.responseUrl } : {}),
      createdAt: nowIso,
      updatedAt: nowIso,
      version: 1,
    };
    const result = await this.repo.create(job, { replaceFinished: input.replaceFinished ?? false });
    if (!result.created) {
      this.logger.info(
        { jobId: job.jobId, kind: job.kind, status: result.job.status },
        'job already enqueued',
      );
      return result;
    }
    this.logger.info({ jobId: job.jobId, kind: job.kind, runAt: job.nextAttemptAt }, 'job enqueued');
    await this.safeDispatch(job.jobId, runAt.getTime() - now.getTime());
    return result;
  }

  /** The stored job (strongly consistent). */
  get(jobId: string): Promise<Job | undefined> {
    return this.repo.get(jobId);
  }

  /** Deletes the job for kind + key while it is in one of `statuses`; false when it was not. */
  discardByKey(kind: string, idempotencyKey: string, statuses: readonly Job['status'][]): Promise<boolean> {
    return this.repo.deleteIf(jobIdFor(kind, idempotencyKey), statuses);
  }

  /**
   * Claims and runs one job. `skipped` when this call did not get the claim (another run has it, it
   * is finished or not yet due) or no handlers are attached yet. `opts.deadline` (the worker's own
   * remaining time) can only shorten the time budget.
   */
  async run(jobId: string, opts: { deadline?: Date } = {}): Promise<RunOutcome> {
    return withLogContext({ jobId }, () => this.runClaimed(jobId, opts));
  }

  /**
   * Re-dispatches QUEUED jobs that are due and RUNNING jobs whose lease has lapsed, at most
   * `sweepLimit` per call (oldest first). The cloud calls it every 5 minutes (`jobs.sweep`); locally
   * the in-process scheduler calls it every minute.
   */
  async sweep(): Promise<{ redispatched: number }> {
    const now = this.clock();
    const queued = await this.repo.listDue('QUEUED', now, this.sweepLimit);
    const lapsed =
      queued.length < this.sweepLimit
        ? await this.repo.listDue('RUNNING', now, this.sweepLimit - queued.length)
        : [];
    const due = [
      ...queued,
      ...lapsed.filter((job) => job.leaseUntil === undefined || job.leaseUntil < now.toISOString()),
    ];
    // The oldest due job's wait is the backlog's age (JobLag): 0 when nothing waits.
    const oldestDue = due.reduce((min, job) => Math.min(min, Date.parse(job.nextAttemptAt)), now.getTime());
    this.logger.metric('jobLag', now.getTime() - oldestDue);
    let redispatched = 0;
    // Ten at a time: enough to drain a backlog, gentle on Lambda's async-invoke rate.
    for (let i = 0; i < due.length; i += 10) {
      const batch = due.slice(i, i + 10);
      const results = await Promise.allSettled(batch.map((job) => this.dispatcher.dispatch(job.jobId)));
      results.forEach((result, index) => {
        if (result.status === 'fulfilled') redispatched += 1;
        else this.logDispatchFailure(batch[index]?.jobId ?? '', result.reason);
      });
    }
    if (due.length > 0) {
      this.logger.info({ queued: queued.length, lapsed: lapsed.length, redispatched }, 'jobs swept');
    }
    return { redispatched };
  }

  /**
   * At start, once this process holds its slot: jobs RUNNING under another incarnation of the same
   * slot were held by a process that is gone (it died, or was killed, mid-job). Their leases are
   * ended now and they are dispatched, instead of waiting out the lease (90 s) and the next sweep.
   * Handlers are idempotent (a crash-safe post finds what the dead run posted), so this is safe.
   */
  async recoverAbandoned(): Promise<{ recovered: number }> {
    const prefix = `${this.instance.slot}/`;
    let recovered = 0;
    for (const job of await this.repo.listRunning(this.sweepLimit)) {
      const holder = job.leaseHolder;
      if (!holder?.startsWith(prefix) || holder === this.holder) continue;
      if (!(await this.repo.expireLease(job.jobId, holder, this.clock()))) continue;
      recovered += 1;
      this.logger.info(
        { event: 'job_recovered', jobId: job.jobId, kind: job.kind, deadHolder: holder },
        'job of a stopped process taken back',
      );
      await this.safeDispatch(job.jobId, 0);
    }
    return { recovered };
  }

  private async runClaimed(jobId: string, opts: { deadline?: Date }): Promise<RunOutcome> {
    const handlers = this.handlers;
    if (!handlers) {
      this.logger.warn({ event: 'job_handlers_not_attached' }, 'job not run: no handlers attached yet');
      return 'skipped';
    }
    const now = this.clock();
    const job = await this.repo.claim(jobId, now, new Date(now.getTime() + this.leaseMs), this.holder);
    if (!job) {
      this.logger.debug('job not claimed (running elsewhere, finished, not due or missing)');
      return 'skipped';
    }
    const budgetEnd = now.getTime() + this.timeBudgetMs;
    const deadline = new Date(Math.min(budgetEnd, opts.deadline?.getTime() ?? budgetEnd));
    const ctx: JobContext = {
      job,
      attempt: job.attempts,
      isFinalAttempt: job.attempts >= job.maxAttempts,
      deadline,
      logger: this.logger.child({ jobId, kind: job.kind, attempt: job.attempts }),
    };
    const handler = handlers[job.kind];

    if (!handler) {
      ctx.logger.error({ code: 'job_unknown_kind' }, `no handler for job kind "${job.kind}"`);
      if (await this.finishOrWarn(job, { status: 'FAILED', lastError: `job_unknown_kind: ${job.kind}` }, ctx))
        ctx.logger.metric('jobsFailed', 1);
      return 'failed';
    }
    if (job.attempts > job.maxAttempts) {
      // The final attempt was claimed but never reported back (it timed out or its worker died).
      const error = new JobLeaseExpiredError(`the last attempt of ${job.kind} did not finish in time`);
      ctx.logger.error({ code: error.code, event: 'job_final_attempt_lost' }, error);
      return this.fail(job, error, ctx, handler);
    }

    try {
      await handler.run(job.payload, ctx);
    } catch (error) {
      return this.handleFailure(job, handler, error, ctx);
    }
    if (this.clock().getTime() > deadline.getTime()) {
      ctx.logger.warn({ event: 'job_overran_deadline' }, 'job finished after its deadline');
    }
    await this.finishOrWarn(job, { status: 'SUCCEEDED' }, ctx);
    ctx.logger.info('job succeeded');
    return 'succeeded';
  }

  private async handleFailure(
    job: Job,
    handler: JobHandler,
    error: unknown,
    ctx: JobContext,
  ): Promise<RunOutcome> {
    const coded = asCodedError(error);
    const final =
      isUserFacing(error) || (error instanceof DownstreamError && !error.retryable) || ctx.isFinalAttempt;
    if (final) {
      ctx.logger.error({ code: coded.code, event: 'job_failed' }, coded);
      return this.fail(job, error, ctx, handler);
    }
    const delayMs = backoffDelayMs(job.attempts, this.random, this.backoffBaseMs, this.backoffCapMs);
    const now = this.clock();
    const nextAttemptAt = new Date(now.getTime() + delayMs);
    ctx.logger.warn({ code: coded.code, event: 'job_retry', delayMs }, coded);
    ctx.logger.metric('jobRetries', 1);
    const moved = await this.finishOrWarn(
      job,
      { status: 'QUEUED', nextAttemptAt, lastError: this.describe(error) },
      ctx,
    );
    if (moved) await this.safeDispatch(job.jobId, delayMs);
    return 'retry_scheduled';
  }

  /** Marks the job FAILED, then (only if this run made that change) tells the handler, once. */
  private async fail(job: Job, error: unknown, ctx: JobContext, handler?: JobHandler): Promise<RunOutcome> {
    const moved = await this.finishOrWarn(job, { status: 'FAILED', lastError: this.describe(error) }, ctx);
    if (moved) ctx.logger.metric('jobsFailed', 1);
    if (moved && handler?.onFinalFailure) {
      try {
        await handler.onFinalFailure(job.payload, error, ctx);
      } catch (reportError) {
        const coded = asCodedError(reportError);
        ctx.logger.error({ code: coded.code, event: 'job_final_failure_report_failed' }, coded);
      }
    }
    return 'failed';
  }

  private async finishOrWarn(
    job: Job,
    next: { status: 'QUEUED' | 'SUCCEEDED' | 'FAILED'; nextAttemptAt?: Date; lastError?: string },
    ctx: JobContext,
  ): Promise<boolean> {
    const moved = await this.repo.finish(job.jobId, job.version, { ...next, now: this.clock() });
    if (!moved) {
      ctx.logger.warn(
        { event: 'job_claim_lost', wanted: next.status },
        'job claim lost before it finished (lease lapsed and another run took it)',
      );
    }
    return moved;
  }

  private async safeDispatch(jobId: string, delayMs: number): Promise<void> {
    try {
      await this.dispatcher.dispatch(jobId, delayMs > 0 ? { delayMs } : {});
    } catch (error) {
      this.logDispatchFailure(jobId, error);
    }
  }

  private logDispatchFailure(jobId: string, error: unknown): void {
    const coded = asCodedError(error);
    this.logger.error(
      { code: coded.code, event: 'job_dispatch_failed', jobId },
      coded,
      'job dispatch failed; the sweep will pick it up',
    );
  }

  /** What is stored as `lastError`: code and message, secrets scrubbed, bounded. */
  private describe(error: unknown): string {
    const coded = asCodedError(error);
    return this.logger.scrub(`${coded.code}: ${coded.message}`).slice(0, 1_000);
  }
}
