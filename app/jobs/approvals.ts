import { z } from 'zod';
import type { AppDeps } from '../deps';
import { APPROVAL_JOB_KINDS } from '../services/approvals';
import type { JobHandler } from './types';

const ApprovalJobPayload = z.object({ approvalId: z.string().min(1) });

/**
 * `approval.publish` (post the request, tell the requester, create the schedules) and
 * `approval.finalize` (apply a decision everywhere). Both are idempotent service methods, so the
 * runner's retries (Slack down, throttled) are safe.
 */
export function approvalJobHandlers(deps: AppDeps): Record<string, JobHandler> {
  const { approvals } = deps.services;
  return {
    [APPROVAL_JOB_KINDS.publish]: {
      async run(payload) {
        await approvals.publish(ApprovalJobPayload.parse(payload).approvalId);
      },
      async onFinalFailure(payload, error, ctx) {
        // The request could not be posted: withdraw it and tell the requester, never leave silence.
        const { approvalId } = ApprovalJobPayload.parse(payload);
        await approvals.publishFailed(approvalId, error instanceof Error ? error.message : String(error));
        ctx.logger.error({ approvalId, err: error }, 'approval request could not be posted');
      },
    },
    [APPROVAL_JOB_KINDS.finalize]: {
      async run(payload) {
        await approvals.finalize(ApprovalJobPayload.parse(payload).approvalId);
      },
    },
  };
}
