import type { AllMiddlewareArgs, SlackEventMiddlewareArgs } from '@slack/bolt';
import { z } from 'zod';
import { agentFailedToStartMessage } from '../../../blocks/agent-answer';
import type { AppDeps } from '../../deps';
import { eventEnvelope, MessageEventFields } from './app-mention';
import { startThreadTurn } from './thread-turn';

// A plain message a person typed in a DM with the bot. Edits (`message_changed`), deletions, bot
// messages and every other subtype carry `subtype` and are not questions.
const DirectMessageEnvelope = eventEnvelope(
  MessageEventFields.extend({ channel_type: z.string().optional() }),
);

/**
 * A DM to the bot (`message.im`): answered in the DM — in the thread when the message was in one,
 * otherwise as a top-level reply (and the DM itself is then the conversation, so follow-ups keep
 * their session).
 */
export function directMessage(deps: AppDeps) {
  return async ({
    body,
    client,
    context,
    logger,
  }: SlackEventMiddlewareArgs<'message'> & AllMiddlewareArgs) => {
    const parsed = DirectMessageEnvelope.safeParse(body);
    if (!parsed.success) {
      logger.debug('ignoring a message event this listener does not handle');
      return;
    }
    const { event, event_id: eventId, team_id: teamId } = parsed.data;
    if (event.channel_type !== 'im') return;
    if (event.subtype || event.bot_id || !event.user || event.user === context.botUserId) return;
    if (event.text.trim() === '') return;
    await startThreadTurn(
      { slack: client, jobs: deps.services.jobs, logger: deps.logger },
      {
        source: 'dm',
        teamId,
        userId: event.user,
        text: event.text.trim(),
        conversation: { teamId, channelId: event.channel, threadTs: event.thread_ts },
        replyThreadTs: event.thread_ts,
      },
      `event:${eventId}`,
      { failed: agentFailedToStartMessage() },
    );
  };
}
