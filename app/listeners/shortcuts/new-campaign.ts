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

/** The global shortcut "New campaign": opens the modal; the requester hears back in their DM. */
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
      await client.chat
        .postMessage({
          channel: shortcut.user.id,
          text: 'I could not open the new-campaign form. Try again in a moment, or use `/mcc new`.',
        })
        .catch((postError: unknown) => logger.warn(postError, 'could not tell the user'));
    }
  };
}
