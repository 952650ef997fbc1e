import { z } from 'zod';
import type { AppDeps } from '../deps';
import { APPROVAL_SCHEDULE_KINDS } from '../services/approval-ports';
import type { ScheduledHandler } from './types';

const Payload = z.object({ approvalId: z.string().min(1) });

/**
 * The one-time schedules created when a request is posted: `approval.remind` and `approval.expire`.
 * Both do nothing once the request is decided (a schedule that fires late, or twice, is harmless).
 */
export function approvalScheduledHandlers(deps: AppDeps): Record<string, ScheduledHandler> {
  return {
    [APPROVAL_SCHEDULE_KINDS.remind]: async (payload) => {
      const result = await deps.services.approvals.remind(Payload.parse(payload).approvalId);
      deps.logger.info({ kind: APPROVAL_SCHEDULE_KINDS.remind, result }, 'approval reminder');
    },
    [APPROVAL_SCHEDULE_KINDS.expire]: async (payload) => {
      const result = await deps.services.approvals.expire(Payload.parse(payload).approvalId);
      deps.logger.info({ kind: APPROVAL_SCHEDULE_KINDS.expire, result }, 'approval expiry');
    },
  };
}
