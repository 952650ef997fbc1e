import { agentAnswerMessages } from '../../blocks/agent-answer';
import { slackErrorCode } from '../adapters/slack';
import type { SlackPoster } from '../adapters/slack-post-once';
import type { AppDeps } from '../deps';
import { userMention } from '../domain/text';

/** Slack errors after which the channel will not take the answer until someone invites the bot. */
const NOT_POSTABLE = new Set(['not_in_channel', 'channel_not_found', 'is_archived']);

/**
 * "Share in channel" under an `/mcc ask` answer, run by the `slack.respond` job: posts the stored
 * answer in the channel for everyone (credited to the asker), once, and says what happened (the
 * text the job answers the click with). The ask is marked shared by this job before posting, so a
 * second click is told it is shared while a retry of this job carries on; each message is a
 * crash-safe post (`share:<ask>:<n>`), so a retry after a crash posts nothing twice. A channel that
 * does not take the bot's messages unmarks it, so the user can invite the bot and click again.
 */
export async function shareAnswer(
  deps: AppDeps,
  poster: SlackPoster,
  input: { askId: string; userId: string; jobId: string },
): Promise<string> {
  const store = deps.services.conversations;
  let ask = await store.getAsk(input.askId);
  if (!ask?.data.answerMrkdwn || ask.data.userId !== input.userId)
    return 'That answer can no longer be shared.';
  if (ask.data.shared && ask.data.sharedBy !== input.jobId) return 'You already shared this answer.';
  if (!ask.data.shared) {
    ask = await store.putAsk(input.askId, { ...ask.data, shared: true, sharedBy: input.jobId }, ask.version);
  }
  const { channelId } = ask.data;
  const [first, ...rest] = agentAnswerMessages({
    bodyMrkdwn: ask.data.answerMrkdwn ?? '',
    collaborators: ask.data.collaborators ?? [],
    citations: (ask.data.citations ?? []).map((c) => ({ title: c.title, url: c.url })),
    notes: [`Shared by ${userMention(input.userId)} from \`/mcc ask\``],
  });
  const post = (index: number, message: NonNullable<typeof first>, threadTs?: string) => {
    const key = `share:${input.askId}:${index}`;
    return poster.postOnce(deps.services.posts(key), { key, channel: channelId, threadTs, message });
  };
  try {
    // A long answer: the first message in the channel, the rest in its thread.
    const posted = first ? await post(0, first) : undefined;
    for (const [index, message] of rest.entries()) await post(index + 1, message, posted?.ts);
  } catch (error) {
    if (!NOT_POSTABLE.has(slackErrorCode(error) ?? '')) throw error;
    await unshare(deps, input.askId);
    return 'I can’t post in this channel. Invite me (`/invite @Command Center`) and try again.';
  }
  return ':white_check_mark: Shared in the channel.';
}

/** Gives the answer back to be shared again (the share failed); best effort. */
export async function unshare(deps: AppDeps, askId: string): Promise<void> {
  const store = deps.services.conversations;
  const ask = await store.getAsk(askId).catch(() => undefined);
  if (!ask?.data.shared) return;
  const { sharedBy: _sharedBy, ...data } = ask.data;
  await store.putAsk(askId, { ...data, shared: false }, ask.version).catch(() => undefined);
}
