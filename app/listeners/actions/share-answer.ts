import { z } from 'zod';
import type { AppDeps } from '../../deps';
import { ackedAction } from './respond-failure';
import { respondLater } from './respond-later';

const SharePayload = z.object({
  user: z.object({ id: z.string() }),
  actions: z.array(z.object({ value: z.string().min(1).max(200) })).min(1),
});

/**
 * "Share in channel" under an ephemeral `/mcc ask` answer: stores a `slack.respond` job that posts the
 * stored answer in the channel for everyone (credited to the asker), once, and tells the asker it is
 * done (`app/jobs/share-answer.ts`). One write here and no Slack call before the HTTP response; who
 * may share (only the asker sees the message, but it is checked anyway) is checked by the job.
 */
export function shareAnswer(deps: AppDeps) {
  return ackedAction('agent_share', deps, async ({ body }) => {
    const payload = SharePayload.parse(body);
    await respondLater(deps, body, {
      view: 'share_answer',
      userId: payload.user.id,
      askId: payload.actions[0]?.value ?? '',
    });
  });
}
