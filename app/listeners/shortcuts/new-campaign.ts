import type { AllMiddlewareArgs, GlobalShortcut, SlackShortcutMiddlewareArgs } from '@slack/bolt';
import type { WebClient } from '@slack/web-api';
import {
  type CampaignModalContext,
  type CampaignModalPrefill,
  campaignModal,
} from '../../../blocks/campaign-modal';
import type { AppDeps } from '../../deps';
import { formatUsd } from '../../domain/text';
import { asCodedError } from '../../errors';
import { SLACK_POST_JOB_KIND, type SlackPostPayload } from '../../jobs/slack-post-payload';

/** Opens the new-campaign modal (teams from the store, thresholds from configuration). */
export async function openCampaignModal(
  deps: AppDeps,
  client: WebClient,
  triggerId: string,
  options: { prefill?: CampaignModalPrefill; context?: CampaignModalContext } = {},
): Promise<void> {
  const teams = await deps.services.campaignQuery.listTeams();
  const { thresholdCents, vpThresholdCents } = deps.config.approvals;
  await client.views.open({
    trigger_id: triggerId,
    view: campaignModal({
      teams,
      ...(options.prefill ? { prefill: options.prefill } : {}),
      ...(options.context ? { context: options.context } : {}),
      thresholdText: `Over ${formatUsd(thresholdCents)} needs leadership approval; over ${formatUsd(vpThresholdCents)} also a VP.`,
    }),
  });
}

/**
 * The global shortcut "New campaign": opens the modal; the requester hears back in their DM.
 * `views.open` is its one Slack call and happens before the HTTP response (as in `/mcc new`, the
 * buttons and `/mcc budget`): the `trigger_id` expires 3 seconds after the click, so it cannot wait for
 * a job. If the modal cannot be opened, the DM saying so is a `slack.post` job.
 */
export function newCampaignShortcut(deps: AppDeps) {
  return async ({
    ack,
    shortcut,
    client,
    logger,
  }: SlackShortcutMiddlewareArgs<GlobalShortcut> & AllMiddlewareArgs) => {
    await ack();
    try {
      await openCampaignModal(deps, client, shortcut.trigger_id);
    } catch (error) {
      const coded = asCodedError(error);
      logger.error({ code: coded.code, shortcut: 'new_campaign' }, coded);
      // A global shortcut has no channel to answer in; the DM is the one place the user will see it.
      const notice: SlackPostPayload = {
        channel: shortcut.user.id,
        text: 'I could not open the new-campaign form. Try again in a moment, or use `/mcc new`.',
      };
      await deps.services.jobs
        .enqueue({
          kind: SLACK_POST_JOB_KIND,
          payload: notice,
          idempotencyKey: `shortcut:${shortcut.trigger_id}`,
        })
        .catch((postError: unknown) => logger.warn(postError, 'could not tell the user'));
    }
  };
}
