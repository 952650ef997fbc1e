import { DownstreamError } from '../errors';
import { runScheduled, type ScheduledHandler } from '../scheduled/registry';
import type { JobHandler } from './types';

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
