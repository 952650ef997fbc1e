import type { WebClient } from '@slack/web-api';
import { z } from 'zod';
import { systemName } from '../../blocks/campaign-announcement';
import type { AppDeps } from '../deps';
import { workSystemFor } from '../domain/templates';
import { escapeMrkdwn } from '../domain/text';
import { DownstreamError, isUserFacing } from '../errors';
import type { CampaignProvisioningService } from '../services/campaign-provisioning';
import type { JobHandler } from '../services/job-types';

/** The job kind the approvals and campaign commands enqueue once a campaign may go ahead. */
export const CAMPAIGN_PROVISION_JOB_KIND = 'campaign.provision';

const Payload = z.object({ campaignId: z.string().min(1) });

/**
 * `campaign.provision` `{ campaignId }`: runs (or resumes) provisioning. The service is idempotent,
 * so the runner's retries after a timeout, a 429 or a lost lease are safe. When it fails for good
 * (not configured, a 4xx from the work system, retries exhausted) the campaign owner gets a DM
 * saying what happened, so nobody waits for a project that will not appear.
 */
export function campaignProvisionHandler(
  deps: AppDeps,
  slack: Pick<WebClient, 'chat'>,
  provisioning: Pick<CampaignProvisioningService, 'provision'>,
): JobHandler {
  return {
    async run(payload, ctx) {
      const parsed = Payload.safeParse(payload);
      if (!parsed.success) {
        throw new DownstreamError('campaign.provision needs { campaignId }', 'jobs', false);
      }
      const result = await provisioning.provision(parsed.data.campaignId, {
        deadline: ctx.deadline,
        logger: ctx.logger,
      });
      ctx.logger.info(
        { campaignId: parsed.data.campaignId, outcome: result.outcome },
        'campaign.provision done',
      );
      // Two-way sync starts from what was just written (and watches an Asana project).
      if (result.outcome !== 'skipped') await deps.services.sync.afterProvisioning(parsed.data.campaignId);
    },

    async onFinalFailure(payload, error, ctx) {
      const parsed = Payload.safeParse(payload);
      if (!parsed.success) return;
      const campaign = await deps.services.campaignQuery.getCampaign(parsed.data.campaignId);
      if (!campaign) return;
      const system = systemName(workSystemFor(campaign));
      // Our own messages (not configured, the work system's 4xx text) are safe and useful to show;
      // anything else is summarised, with the job id to find the logs. A user-facing message is
      // mrkdwn already (it escaped what it quotes); the work system's text is not.
      const reason = isUserFacing(error)
        ? error.message
        : error instanceof DownstreamError && !error.retryable
          ? escapeMrkdwn(error.message)
          : `${system} kept failing after ${ctx.attempt} attempts`;
      await slack.chat.postMessage({
        channel: campaign.ownerSlackId,
        text: `:warning: I couldn't set up *${escapeMrkdwn(campaign.name)}* in ${system}: ${reason}\nThe campaign itself is saved in Command Center; its project and tasks are not. Reference: \`${ctx.job.jobId}\`.`,
        unfurl_links: false,
      });
    },
  };
}
