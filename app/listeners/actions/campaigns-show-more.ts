import { z } from 'zod';
import type { AppDeps } from '../../deps';
import { COMMAND } from '../../ids';
import { decodeListCursor } from '../../services/campaign-list-filter';
import { renderCampaignPage } from '../commands/campaigns';
import { ackedAction } from './respond-failure';

const ShowMorePayload = z.object({
  user: z.object({ id: z.string() }),
  actions: z.array(z.object({ value: z.string().max(2000) })).min(1),
});

/**
 * "Show more" under a `/mcc campaigns` page: the message is *replaced* by the next page
 * (response_url, `replace_original`). Replacing rather than appending keeps one list message
 * with one live button: an appended page would leave the old button clickable, and a second
 * click would post the same page twice. The heading says which range is shown ("16–30 of 42").
 */
export function campaignsShowMore(deps: AppDeps) {
  return ackedAction('campaigns_show_more', async ({ body, respond }) => {
    const payload = ShowMorePayload.parse(body);
    const cursor = decodeListCursor(payload.actions[0]?.value ?? '');
    if (!cursor) {
      await respond({
        response_type: 'ephemeral',
        replace_original: false,
        text: `That list is out of date. Run \`${COMMAND} campaigns\` again.`,
      });
      return;
    }
    const profile = await deps.services.userProfiles.get(payload.user.id);
    const page = await renderCampaignPage(deps, cursor.f, profile, cursor.a);
    await respond({ response_type: 'ephemeral', replace_original: true, ...page });
  });
}
