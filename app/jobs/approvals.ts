import { z } from 'zod';
import type { AppDeps } from '../deps';
import { APPROVAL_JOB_KINDS } from '../services/approval-ports';
import type { JobHandler } from '../services/job-types';
import { slackFailure } from './slack-post';

const ApprovalJobPayload = z.object({ approvalId: z.string().min(1) });

/** Web API errors become `DownstreamError`s, so a permanent one (`not_in_channel`) ends the job at once. */
async function asJob(work: () => Promise<void>, step: string): Promise<void> {
  try {
    await work();
  } catch (error) {
    const fromSlack =
      error instanceof Error &&
      'code' in error &&
      typeof error.code === 'string' &&
      error.code.startsWith('slack_webapi');
    if (fromSlack) throw slackFailure(error, step);
    throw error;
  }
}

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
        const { approvalId } = ApprovalJobPayload.parse(payload);
        await asJob(() => approvals.publish(approvalId), 'approval.publish');
      },
      async onFinalFailure(payload, error, ctx) {
        // The request could not be posted: withdraw it and tell the requester, never leave silence.
        const { approvalId } = ApprovalJobPayload.parse(payload);
        ctx.logger.error({ approvalId, err: error }, 'approval request could not be posted');
        await approvals.publishFailed(approvalId, error instanceof Error ? error.message : String(error));
      },
    },
    [APPROVAL_JOB_KINDS.finalize]: {
      async run(payload) {
        const { approvalId } = ApprovalJobPayload.parse(payload);
        await asJob(() => approvals.finalize(approvalId), 'approval.finalize');
      },
      async onFinalFailure(payload, error, ctx) {
        // The decision is stored, but the requester may not have heard: tell them in their DM.
        const { approvalId } = ApprovalJobPayload.parse(payload);
        ctx.logger.error({ approvalId, err: error }, 'approval decision could not be fully applied');
        await approvals.finalizeFailed(approvalId);
      },
    },
  };
}
