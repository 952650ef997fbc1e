import type { Job } from '../domain/model';
import type { AppLogger } from '../logger';

/** What a job handler gets besides its payload. */
export interface JobContext {
  /** The job as claimed (status RUNNING, `attempts` already counts this attempt). */
  job: Job;
  /** 1 for the first try. */
  attempt: number;
  /** True on the last try: a handler that can tell the user something should say it now. */
  isFinalAttempt: boolean;
  /** The handler must have finished by then (the worker's time budget; the lease lasts a little longer). */
  deadline: Date;
  /** Carries jobId, kind and attempt on every line. */
  logger: AppLogger;
}

/**
 * One kind of durable work. `run` may be called more than once for the same job (a lost lease, a
 * retry after a timeout), so it must be idempotent. Throw `DownstreamError{retryable:true}` (or any
 * unexpected error) to be retried with backoff; `UserFacingError` or `DownstreamError{retryable:false}`
 * ends the job at once. `onFinalFailure` runs exactly once when the job has failed for good: the place
 * to post a visible error to the user. Its own failures are logged, never thrown.
 */
export interface JobHandler {
  run(payload: Record<string, unknown>, ctx: JobContext): Promise<void>;
  onFinalFailure?(payload: Record<string, unknown>, error: unknown, ctx: JobContext): Promise<void>;
}
