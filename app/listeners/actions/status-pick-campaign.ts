import { z } from 'zod';
import type { AppDeps } from '../../deps';
import { COMMAND } from '../../ids';
import { campaignCardMessage } from '../commands/status';
import { ackedAction } from './respond-failure';

// Only what this listener reads from the block_actions payload.
const PickPayload = z.object({
  user: z.object({ id: z.string() }),
  actions: z.array(z.object({ selected_option: z.object({ value: z.string().min(1).max(150) }) })).min(1),
});

/**
 * A campaign chosen in the `/mcc status` picker: the picker message is replaced by that
 * campaign's card (response_url, `replace_original`: a block action cannot answer in its ack).
 */
export function statusPickCampaign(deps: AppDeps) {
  return ackedAction('status_pick_campaign', async ({ body, respond }) => {
    const payload = PickPayload.parse(body);
    const campaignId = payload.actions[0]?.selected_option.value ?? '';
    // Campaign, tasks and team in parallel with users.info (the team id from the name directory).
    const [profile, card] = await Promise.all([
      deps.services.userProfiles.get(payload.user.id),
      deps.services.campaignQuery.getCard(campaignId),
    ]);
    if (!card) {
      await respond({
        response_type: 'ephemeral',
        replace_original: false,
        text: `That campaign (\`${campaignId.slice(0, 60)}\`) no longer exists. \`${COMMAND} campaigns\` lists the current ones.`,
      });
      return;
    }
    const message = campaignCardMessage(card, profile, deps.clock());
    await respond({ response_type: 'ephemeral', replace_original: true, ...message });
  });
}
