import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { asCodedError, DownstreamError } from '../errors';
import type { AppLogger } from '../logger';

/**
 * Hands a stored job to whatever runs it. The job is already persisted when this is called, so a
 * failed dispatch loses nothing: the sweep re-dispatches it. The dispatch carries the job id only;
 * the worker reads the job (and its own secrets) itself.
 */
export interface JobDispatcher {
  dispatch(jobId: string, opts?: { delayMs?: number }): Promise<void>;
}

/**
 * Cloud dispatch: an asynchronous (`InvocationType: 'Event'`) invocation of the worker function
 * with `{ jobId }`. One client per container (the dispatcher is built once by the runtime).
 *
 * Lambda has no delayed invocation, so a dispatch with `delayMs > 0` (a retry's backoff, a job with
 * `runAt` in the future) invokes nothing: the job is stored QUEUED with `nextAttemptAt` in the
 * future and the `jobs.sweep` schedule (every 5 minutes) dispatches it once due. A short backoff
 * therefore stretches to up to ~5 minutes in the cloud.
 */
export class LambdaJobDispatcher implements JobDispatcher {
  private clientInstance: LambdaClient | undefined;
  private readonly region: string | undefined;
  private readonly functionName: string;
  private readonly logger: AppLogger;

  constructor(options: { functionName: string; logger: AppLogger; region?: string; client?: LambdaClient }) {
    this.functionName = options.functionName;
    this.logger = options.logger;
    this.region = options.region;
    this.clientInstance = options.client;
  }

  /**
   * Built at the first dispatch, not with the runtime: constructing an SDK client resolves its
   * whole configuration (region, credential chain, endpoint rules), which a container's cold start
   * need not pay when its first request enqueues nothing.
   */
  private get client(): LambdaClient {
    this.clientInstance ??= new LambdaClient(this.region ? { region: this.region } : {});
    return this.clientInstance;
  }

  async dispatch(jobId: string, opts: { delayMs?: number } = {}): Promise<void> {
    if ((opts.delayMs ?? 0) > 0) {
      this.logger.debug({ jobId, delayMs: opts.delayMs }, 'job left for the sweep (delayed dispatch)');
      return;
    }
    let status: number | undefined;
    try {
      const result = await this.client.send(
        new InvokeCommand({
          FunctionName: this.functionName,
          InvocationType: 'Event',
          Payload: new TextEncoder().encode(JSON.stringify({ jobId })),
        }),
      );
      status = result.StatusCode;
    } catch (error) {
      throw new DownstreamError(`worker invoke failed for ${jobId}`, 'lambda', true, { cause: error });
    }
    // An accepted asynchronous invocation answers 202.
    if (status !== undefined && status !== 202) {
      throw new DownstreamError(`worker invoke for ${jobId} answered ${status}`, 'lambda', true, { status });
    }
  }
}

/**
 * Local dispatch (`npm start`, tests): runs the job in this process on a later tick, or after
 * `delayMs`, through the same `run` as the worker. Timers are unref'd so they never keep a process
 * alive; a delay longer than `maxTimerMs` sets no timer and is left to the periodic sweep.
 *
 * `run` is a callback rather than the JobService itself, so the service can be built with this
 * dispatcher without a constructor cycle.
 */
export class InProcessJobDispatcher implements JobDispatcher {
  private readonly inFlight = new Set<Promise<void>>();
  private readonly immediate = new Set<NodeJS.Timeout>();
  private readonly delayed = new Map<NodeJS.Timeout, string>();
  private readonly run: (jobId: string) => Promise<unknown>;
  private readonly logger: AppLogger;
  private readonly maxTimerMs: number;
  private closed = false;

  constructor(options: { run: (jobId: string) => Promise<unknown>; logger: AppLogger; maxTimerMs?: number }) {
    this.run = options.run;
    this.logger = options.logger;
    // setTimeout fires at once for delays above 2^31-1 ms (~24.8 days); longer waits need the sweep.
    this.maxTimerMs = Math.min(options.maxTimerMs ?? 2 ** 31 - 1, 2 ** 31 - 1);
  }

  async dispatch(jobId: string, opts: { delayMs?: number } = {}): Promise<void> {
    if (this.closed) {
      this.logger.debug({ jobId }, 'in-process dispatcher closed; job left for the sweep');
      return;
    }
    const delayMs = Math.max(0, opts.delayMs ?? 0);
    if (delayMs > this.maxTimerMs) {
      this.logger.debug({ jobId, delayMs }, 'job left for the sweep (delay beyond the timer horizon)');
      return;
    }
    if (delayMs > 0) {
      const timer = setTimeout(() => {
        this.delayed.delete(timer);
        this.start(jobId);
      }, delayMs);
      timer.unref();
      this.delayed.set(timer, jobId);
      return;
    }
    const timer = setTimeout(() => {
      this.immediate.delete(timer);
      this.start(jobId);
    }, 0);
    timer.unref();
    this.immediate.add(timer);
  }

  /**
   * Resolves once nothing is running and nothing is queued to run now (including jobs those runs
   * enqueue). Delayed runs (retries) are not waited for; see `pendingDelayed()`.
   */
  async idle(): Promise<void> {
    while (this.inFlight.size > 0 || this.immediate.size > 0) {
      if (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight]);
      else await new Promise((resolve) => setImmediate(resolve));
    }
  }

  /** Job ids waiting on a delay timer (a retry's backoff or a future `runAt`). */
  pendingDelayed(): string[] {
    return [...this.delayed.values()];
  }

  /** Stops every pending timer; later dispatches are left to the sweep. Running jobs finish. */
  close(): void {
    this.closed = true;
    for (const timer of [...this.immediate, ...this.delayed.keys()]) clearTimeout(timer);
    this.immediate.clear();
    this.delayed.clear();
  }

  private start(jobId: string): void {
    const running = this.run(jobId).then(
      () => undefined,
      (error: unknown) => {
        const coded = asCodedError(error);
        this.logger.error({ code: coded.code, event: 'job_dispatch_run_failed', jobId }, coded);
      },
    );
    this.inFlight.add(running);
    void running.finally(() => this.inFlight.delete(running));
  }
}
