import { z } from 'zod';
import type { AppDeps } from '../../deps';
import { ackedAction } from './respond-failure';
import { respondLater } from './respond-later';

// Only what this listener reads from the block_actions payload.
const PickPayload = z.object({
  user: z.object({ id: z.string() }),
  actions: z.array(z.object({ selected_option: z.object({ value: z.string().min(1).max(150) }) })).min(1),
});

/**
 * A campaign chosen in the `/mcc status` picker: the picker message is replaced by that
 * campaign's card (response_url, `replace_original`: a block action cannot answer in its ack). The
 * card is read and drawn by a `slack.respond` job; the listener makes no Slack call before its response.
 */
export function statusPickCampaign(deps: AppDeps) {
  return ackedAction('status_pick_campaign', deps, async ({ body }) => {
    const payload = PickPayload.parse(body);
    await respondLater(deps, body, {
      view: 'campaign_card',
      userId: payload.user.id,
      campaignId: payload.actions[0]?.selected_option.value ?? '',
    });
  });
}
