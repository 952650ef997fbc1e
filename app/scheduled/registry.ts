import { z } from 'zod';
import type { SvgRasterizer } from '../adapters/png-rasterizer';
import type { AppDeps } from '../deps';
import { CommandCenterError, ErrorCode } from '../errors';
import type { AppLogger } from '../logger';
import { approvalScheduledHandlers } from './approvals';
import { digestOutput, digestScheduledHandlers } from './digests';
import type { ScheduledHandler } from './types';

/** The payload kind of the recurring sweep; the cloud's `rate(5 minutes)` schedule sends `{ "kind": "jobs.sweep" }`. */
export const JOBS_SWEEP_KIND = 'jobs.sweep';

/** The PendingApprovals gauge counts at most this many (a backlog this large is an alarm anyway). */
const PENDING_APPROVALS_GAUGE_LIMIT = 1_000;

/** A scheduled event with no `kind`, or a kind nobody handles. */
export class ScheduledKindError extends CommandCenterError {
  override code = ErrorCode.ValidationError;
}

const ScheduledEvent = z.looseObject({ kind: z.string().min(1) });

/**
 * Scheduled work by payload `kind`: what `handlers/scheduled.ts` (EventBridge Scheduler) and the
 * in-process scheduler (`npm start`) both run. Capabilities add their kinds here
 * (e.g. 'approval.remind', 'approval.expire'); a handler should be idempotent, since a schedule's
 * delivery may be retried.
 */
export function createScheduledHandlers(
  deps: AppDeps,
  options: { rasterizer?: SvgRasterizer | undefined } = {},
): Record<string, ScheduledHandler> {
  const digests = digestOutput(options.rasterizer);
  return {
    // approval.remind, approval.expire
    ...approvalScheduledHandlers(deps),
    // digest.run
    ...digestScheduledHandlers(deps, digests),
    [JOBS_SWEEP_KIND]: async () => {
      await deps.services.jobs.sweep();
      // The 5-minute sweep is also the clock of the PendingApprovals gauge (one status-index Query,
      // made only where metrics are written).
      if (deps.logger.metricsEnabled) {
        const pending = await deps.services.approvals.listPending(PENDING_APPROVALS_GAUGE_LIMIT);
        deps.logger.metric('pendingApprovals', pending.length);
      }
      // The same five-minute sweep finds digests whose run was missed (the function was down, or a
      // schedule is missing) and posts each once, marked late. Its failures are per channel, logged.
      const recovered = await deps.services.digests.recoverMissed(digests);
      if (recovered.checked > 0) deps.logger.info({ ...recovered }, 'missed digests checked');
    },
  };
}

/**
 * Validates `event`, finds its handler by `kind` and runs it. An event without a kind, or with an
 * unknown one, is logged with a code and thrown (so a schedule's retry policy / DLQ sees it).
 */
export async function runScheduled(
  handlers: Record<string, ScheduledHandler>,
  event: unknown,
  logger: AppLogger,
): Promise<string> {
  const parsed = ScheduledEvent.safeParse(event);
  if (!parsed.success) {
    const error = new ScheduledKindError('scheduled event has no "kind"');
    logger.error({ code: 'scheduled_event_invalid' }, error);
    throw error;
  }
  const { kind } = parsed.data;
  const handler = Object.hasOwn(handlers, kind) ? handlers[kind] : undefined;
  if (!handler) {
    const error = new ScheduledKindError(`no scheduled handler for kind "${kind}"`);
    logger.error({ code: 'scheduled_unknown_kind', kind }, error);
    throw error;
  }
  await handler(parsed.data);
  return kind;
}
