import { z } from 'zod';
import type { AppDeps } from '../../deps';
import { ackedAction } from './respond-failure';
import { respondLater } from './respond-later';

const ShowMorePayload = z.object({
  user: z.object({ id: z.string() }),
  actions: z.array(z.object({ value: z.string().max(2000) })).min(1),
});

/**
 * "Show more" under a `/mcc campaigns` page: the message is *replaced* by the next page
 * (response_url, `replace_original`). Replacing rather than appending keeps one list message
 * with one live button: an appended page would leave the old button clickable, and a second
 * click would post the same page twice. The heading says which range is shown ("16–30 of 42").
 * The page is read and drawn by a `slack.respond` job (it needs the user's time zone from
 * `users.info`): the listener stores the job and makes no Slack call before its HTTP response.
 */
export function campaignsShowMore(deps: AppDeps) {
  return ackedAction('campaigns_show_more', deps, async ({ body }) => {
    const payload = ShowMorePayload.parse(body);
    await respondLater(deps, body, {
      view: 'campaign_page',
      userId: payload.user.id,
      cursor: payload.actions[0]?.value || '-',
    });
  });
}
