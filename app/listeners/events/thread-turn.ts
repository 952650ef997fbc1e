import type { WebClient } from '@slack/web-api';
import type { RenderedMessage } from '../../domain/rendered-message';
import type { AppLogger } from '../../logger';
import { AGENT_TURN_JOB, type TurnRequest } from '../../services/agent/job-payloads';

export interface IntakeDeps {
  slack: WebClient;
  jobs: {
    enqueue(input: {
      kind: string;
      payload: Record<string, unknown>;
      idempotencyKey?: string;
    }): Promise<{ created: boolean }>;
  };
  logger: AppLogger;
}

/**
 * The listener half of a threaded turn (mention or DM): post the visible "working…" placeholder,
 * then persist the `agent.turn` job (idempotency key = the event id) before the listener returns.
 *
 * The placeholder is posted here, not by the job, so the user sees something within the ack even
 * when the job's dispatch is slow or lost (the sweep re-dispatches it later). If the post fails,
 * the job still runs and posts its answer as a new message. A duplicate delivery that slipped past
 * the dedupe middleware finds the job already stored (`created: false`) and deletes its own
 * placeholder, so Slack's retries give exactly one answer. If the job cannot be stored, the
 * placeholder becomes an error — never silence.
 */
export async function startThreadTurn(
  deps: IntakeDeps,
  request: Omit<TurnRequest, 'target'> & { replyThreadTs: string | undefined },
  idempotencyKey: string,
  messages: { working: RenderedMessage; failed: RenderedMessage },
): Promise<{ created: boolean; placeholderTs: string | undefined }> {
  const channelId = request.conversation.channelId;
  let placeholderTs: string | undefined;
  try {
    const posted = await deps.slack.chat.postMessage({
      channel: channelId,
      ...(request.replyThreadTs ? { thread_ts: request.replyThreadTs } : {}),
      text: messages.working.text,
      blocks: messages.working.blocks,
    });
    placeholderTs = posted.ts;
  } catch (error) {
    deps.logger.warn(error, 'could not post the agent placeholder; the job will post the answer');
  }
  const { replyThreadTs, ...rest } = request;
  const payload: TurnRequest = {
    ...rest,
    target: {
      kind: 'thread',
      channelId,
      ...(replyThreadTs ? { threadTs: replyThreadTs } : {}),
      ...(placeholderTs ? { placeholderTs } : {}),
    },
  };
  try {
    const { created } = await deps.jobs.enqueue({ kind: AGENT_TURN_JOB, payload, idempotencyKey });
    if (!created && placeholderTs) {
      await deps.slack.chat
        .delete({ channel: channelId, ts: placeholderTs })
        .catch((error: unknown) => deps.logger.warn(error, 'could not delete a duplicate placeholder'));
    }
    return { created, placeholderTs };
  } catch (error) {
    deps.logger.error(error, 'could not enqueue the agent turn');
    if (placeholderTs) {
      await deps.slack.chat
        .update({
          channel: channelId,
          ts: placeholderTs,
          text: messages.failed.text,
          blocks: messages.failed.blocks,
        })
        .catch((updateError: unknown) => deps.logger.warn(updateError, 'could not show the enqueue failure'));
    }
    throw error;
  }
}

/** The mention's text without the leading `<@BOT>` (and any other mention of the bot). */
export function stripBotMention(text: string, botUserId: string | undefined): string {
  const withoutBot = botUserId
    ? text.split(`<@${botUserId}>`).join(' ')
    : text.replace(/^\s*<@[UW][A-Z0-9]+>/, ' ');
  return withoutBot.replace(/\s+/g, ' ').trim();
}
