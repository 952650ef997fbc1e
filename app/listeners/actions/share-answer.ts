import { z } from 'zod';
import { agentAnswerMessages } from '../../../blocks/agent-answer';
import { slackErrorCode } from '../../adapters/slack';
import type { AppDeps } from '../../deps';
import { ackedAction } from './respond-failure';

const SharePayload = z.object({
  user: z.object({ id: z.string() }),
  actions: z.array(z.object({ value: z.string().min(1).max(200) })).min(1),
});

/**
 * "Share in channel" under an ephemeral `/mcc ask` answer: posts the stored answer in the channel
 * for everyone (credited to the asker), once, and tells the asker it is done. Only the asker sees
 * the ephemeral message, but the check is kept anyway.
 */
export function shareAnswer(deps: AppDeps) {
  return ackedAction('agent_share', async ({ body, respond, client }) => {
    const payload = SharePayload.parse(body);
    const askId = payload.actions[0]?.value ?? '';
    const store = deps.services.conversations;
    const ask = await store.getAsk(askId);
    if (!ask?.data.answerMrkdwn || ask.data.userId !== payload.user.id) {
      await respond({
        response_type: 'ephemeral',
        replace_original: false,
        text: 'That answer can no longer be shared.',
      });
      return;
    }
    if (ask.data.shared) {
      await respond({
        response_type: 'ephemeral',
        replace_original: false,
        text: 'You already shared this answer.',
      });
      return;
    }
    // Mark first (conditional on the version): a double click shares once.
    await store.putAsk(askId, { ...ask.data, shared: true }, ask.version);
    const [first, ...rest] = agentAnswerMessages({
      bodyMrkdwn: ask.data.answerMrkdwn,
      collaborators: ask.data.collaborators ?? [],
      citations: (ask.data.citations ?? []).map((c) => ({ title: c.title, url: c.url })),
      notes: [`Shared by <@${payload.user.id}> from \`/mcc ask\``],
    });
    try {
      // A long answer: the first message in the channel, the rest in its thread.
      const posted = first
        ? await client.chat.postMessage({
            channel: ask.data.channelId,
            text: first.text,
            blocks: first.blocks,
            unfurl_links: false,
          })
        : undefined;
      for (const message of rest) {
        await client.chat.postMessage({
          channel: ask.data.channelId,
          ...(posted?.ts ? { thread_ts: posted.ts } : {}),
          text: message.text,
          blocks: message.blocks,
          unfurl_links: false,
        });
      }
    } catch (error) {
      await store.putAsk(askId, { ...ask.data, shared: false }, ask.version + 1).catch(() => undefined);
      const code = slackErrorCode(error);
      await respond({
        response_type: 'ephemeral',
        replace_original: false,
        text:
          code === 'not_in_channel' || code === 'channel_not_found'
            ? 'I can’t post in this channel. Invite me (`/invite @Command Center`) and try again.'
            : 'I couldn’t share the answer. Try again in a moment.',
      });
      return;
    }
    await respond({
      response_type: 'ephemeral',
      replace_original: false,
      text: ':white_check_mark: Shared in the channel.',
    });
  });
}
