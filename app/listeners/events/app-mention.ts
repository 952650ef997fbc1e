import type { AllMiddlewareArgs, SlackEventMiddlewareArgs } from '@slack/bolt';
import { z } from 'zod';
import { agentFailedToStartMessage } from '../../../blocks/agent-answer';
import type { AppDeps } from '../../deps';
import { startThreadTurn, stripBotMention } from './thread-turn';

/** What the agent's event listeners read of a message-like event (`app_mention`, `message.im`). */
export const MessageEventFields = z.object({
  user: z.string().optional(),
  bot_id: z.string().optional(),
  subtype: z.string().optional(),
  text: z.string().default(''),
  ts: z.string(),
  thread_ts: z.string().optional(),
  channel: z.string(),
});

/** The event_callback envelope around `event`: the delivery's id (the dedupe key) and the workspace. */
export function eventEnvelope<E extends z.ZodType>(event: E) {
  return z.object({ event_id: z.string().min(1), team_id: z.string().min(1), event });
}

const MentionEnvelope = eventEnvelope(MessageEventFields);

/**
 * `@Command Center …` in a channel: answered in that message's thread (a new thread when the
 * mention was top-level). Bots (including this one), edits and other subtypes are ignored. The
 * event is already acked by Bolt; this listener only stores the job, keyed by `event_id` (no Slack
 * call before the HTTP response): the job posts the "working…" placeholder and the answer.
 */
export function appMention(deps: AppDeps) {
  return async ({
    body,
    client,
    context,
    logger,
  }: SlackEventMiddlewareArgs<'app_mention'> & AllMiddlewareArgs) => {
    const parsed = MentionEnvelope.safeParse(body);
    if (!parsed.success) {
      logger.warn({ issues: parsed.error.issues.length }, 'ignoring a malformed app_mention');
      return;
    }
    const { event, event_id: eventId, team_id: teamId } = parsed.data;
    if (!event.user || event.bot_id || event.subtype || event.user === context.botUserId) return;
    const threadTs = event.thread_ts ?? event.ts;
    const text = stripBotMention(event.text, context.botUserId);
    await startThreadTurn(
      { slack: client, jobs: deps.services.jobs, logger: deps.logger },
      {
        source: 'mention',
        teamId,
        userId: event.user,
        text,
        conversation: { teamId, channelId: event.channel, threadTs },
        replyThreadTs: threadTs,
      },
      `event:${eventId}`,
      { failed: agentFailedToStartMessage() },
    );
  };
}
