import { JobRepository } from '../adapters/dynamo/job-repo';
import { WorkflowStateRepository } from '../adapters/dynamo/workflow-state-repo';
import { InProcessRecurringScheduler } from '../adapters/in-process-recurring-scheduler';
import { InProcessJobDispatcher, type JobDispatcher, LambdaJobDispatcher } from '../adapters/job-dispatch';
import { EventBridgeRecurringScheduler, type RecurringScheduler } from '../adapters/recurring-scheduler';
import {
  EventBridgeOneTimeScheduler,
  eventBridgeTarget,
  InProcessOneTimeScheduler,
  type OneTimeScheduler,
} from '../adapters/scheduler';
import { asCodedError } from '../errors';
import type { AppLogger } from '../logger';
import { JobService } from './jobs';
import type { ServiceDeps } from './service-deps';

/* The job machinery of a container, chosen by configuration, and the in-process helpers of `npm start` and tests. */

/**
 * Builds the job service and the one-time scheduler for this container, chosen by configuration:
 * WORKER_FUNCTION_NAME set → jobs dispatched to the worker Lambda, else run in this process;
 * SCHEDULED_FUNCTION_ARN + SCHEDULER_ROLE_ARN set → EventBridge Scheduler, else in-process
 * schedules stored as jobs.
 */
export function createJobServices(deps: ServiceDeps): {
  jobs: JobService;
  scheduler: OneTimeScheduler;
  recurring: RecurringScheduler;
} {
  const { config, logger, clock, db, tables } = deps;
  const region = config.dynamo.region;
  const repo = new JobRepository(db, tables.jobs);
  // The in-process dispatcher calls back into the service once it exists (no constructor cycle).
  let jobs: JobService | undefined;
  const dispatcher: JobDispatcher = config.cloud.workerFunctionName
    ? new LambdaJobDispatcher({ functionName: config.cloud.workerFunctionName, logger, region })
    : new InProcessJobDispatcher({
        logger,
        run: async (jobId) => {
          if (!jobs) throw new Error('job service not built yet');
          return jobs.run(jobId);
        },
      });
  jobs = new JobService({
    repo,
    dispatcher,
    logger,
    clock,
    ...(deps.jobInstance ? { instance: deps.jobInstance } : {}),
  });
  const target = eventBridgeTarget(config.cloud);
  const scheduler: OneTimeScheduler = target
    ? new EventBridgeOneTimeScheduler({
        ...target,
        groupName: config.cloud.schedulerGroup,
        logger,
        clock,
        region,
      })
    : new InProcessOneTimeScheduler({ queue: jobs, logger });
  // Recurring schedules (digests) use the same target, role and group as the one-time ones.
  const recurring: RecurringScheduler = target
    ? new EventBridgeRecurringScheduler({ ...target, groupName: config.cloud.schedulerGroup, logger, region })
    : new InProcessRecurringScheduler({
        queue: jobs,
        store: new WorkflowStateRepository(db, tables.workflowState, clock),
        logger,
        clock,
      });
  return { jobs, scheduler, recurring };
}

/**
 * `npm start`: starts the in-process scheduler's periodic sweep (due schedules and retries, and
 * whatever was left over before a restart fires at once). Does nothing when schedules live in
 * EventBridge. Returns a function that stops it.
 */
export function startInProcessSweep(
  scheduler: OneTimeScheduler,
  recurring?: RecurringScheduler,
  logger?: AppLogger,
): () => Promise<void> {
  if (!(scheduler instanceof InProcessOneTimeScheduler)) return async () => {};
  scheduler.start();
  // Re-arm recurring schedules whose next run is not queued (e.g. a store restored from DATA_DIR).
  if (recurring instanceof InProcessRecurringScheduler) {
    recurring.start().catch((error: unknown) => {
      const coded = asCodedError(error);
      logger?.error({ code: coded.code, event: 'recurring_rearm_failed' }, coded);
    });
  }
  return () => scheduler.stop();
}

/**
 * Tests: resolves when the in-process dispatcher has nothing running or queued to run now
 * (delayed retries excepted). Resolves at once with the Lambda dispatcher.
 */
export async function waitForInProcessJobs(jobs: JobService): Promise<void> {
  if (jobs.dispatcher instanceof InProcessJobDispatcher) await jobs.dispatcher.idle();
}
