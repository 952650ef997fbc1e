import type { InProcessRecurringScheduler } from '../adapters/in-process-recurring-scheduler';
import { DownstreamError } from '../errors';
import { runScheduled } from '../scheduled/registry';
import type { ScheduledHandler } from '../scheduled/types';
import type { JobHandler } from '../services/job-types';

/**
 * Runs an in-process one-time schedule (see `InProcessOneTimeScheduler`, job kind `scheduled.fire`,
 * payload `{ schedule, payload }`) through the same scheduled-handler path as `handlers/scheduled.ts`.
 * A scheduled kind nobody handles is final (retrying cannot help); a handler's own error is retried.
 */
export function scheduledFireHandler(handlers: Record<string, ScheduledHandler>): JobHandler {
  return {
    async run(payload, ctx) {
      const scheduled = payload.payload;
      const kind =
        scheduled !== null && typeof scheduled === 'object' && 'kind' in scheduled
          ? scheduled.kind
          : undefined;
      if (typeof kind !== 'string' || !Object.hasOwn(handlers, kind)) {
        throw new DownstreamError(`no scheduled handler for kind "${String(kind)}"`, 'scheduler', false);
      }
      await runScheduled(handlers, scheduled, ctx.logger);
    },
  };
}

/**
 * Runs one run of an in-process recurring schedule (`InProcessRecurringScheduler`, job kind
 * `scheduled.recurring`): the scheduler arms the next run and hands this one's payload, with its
 * `scheduledTime`, to the same scheduled-handler path as `handlers/scheduled.ts`. Without an
 * in-process recurring scheduler (schedules live in EventBridge) such a job cannot be served: final.
 */
export function recurringFireHandler(
  scheduler: Pick<InProcessRecurringScheduler, 'fire'> | undefined,
  handlers: Record<string, ScheduledHandler>,
): JobHandler {
  return {
    async run(payload, ctx) {
      if (!scheduler) {
        throw new DownstreamError('recurring schedules are not in-process here', 'scheduler', false);
      }
      await scheduler.fire(payload, async (scheduled) => {
        if (!Object.hasOwn(handlers, scheduled.kind)) {
          throw new DownstreamError(`no scheduled handler for kind "${scheduled.kind}"`, 'scheduler', false);
        }
        await runScheduled(handlers, scheduled, ctx.logger);
      });
    },
  };
}
