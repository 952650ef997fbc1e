import type { WebClient } from '@slack/web-api';
import type { RenderedMessage } from '../../domain/rendered-message';
import type { AppLogger } from '../../logger';
import { AGENT_TURN_JOB, type TurnRequest } from '../../services/agent/job-payloads';

export interface IntakeDeps {
  /** Used only when the job could not be stored: then no job is there to tell the user. */
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
 * The listener half of a threaded turn (mention or DM): one write, the `agent.turn` job (idempotency
 * key = the event id), and no Slack call before the HTTP response. The job posts the "working…"
 * placeholder as its first step (a crash-safe post keyed on the job, so a job retried after a crash
 * never posts it twice), then streams the answer into it; if the job fails for good, the
 * placeholder (or a new message) says so.
 *
 * A duplicate delivery that slipped past the dedupe middleware finds the job stored (`created:
 * false`) and does nothing. If the job cannot be stored, there is no job to answer: the listener
 * posts the failure itself (the one Slack call left on this path, and only on failure), then
 * rethrows so that Slack's retry can try again.
 */
export async function startThreadTurn(
  deps: IntakeDeps,
  request: Omit<TurnRequest, 'target'> & { replyThreadTs: string | undefined },
  idempotencyKey: string,
  messages: { failed: RenderedMessage },
): Promise<{ created: boolean }> {
  const channelId = request.conversation.channelId;
  const { replyThreadTs, ...rest } = request;
  const payload: TurnRequest = {
    ...rest,
    target: { kind: 'thread', channelId, ...(replyThreadTs ? { threadTs: replyThreadTs } : {}) },
  };
  try {
    const { created } = await deps.jobs.enqueue({ kind: AGENT_TURN_JOB, payload, idempotencyKey });
    return { created };
  } catch (error) {
    deps.logger.error(error, 'could not enqueue the agent turn');
    await deps.slack.chat
      .postMessage({
        channel: channelId,
        ...(replyThreadTs ? { thread_ts: replyThreadTs } : {}),
        text: messages.failed.text,
        blocks: messages.failed.blocks,
      })
      .catch((postError: unknown) => deps.logger.warn(postError, 'could not show the enqueue failure'));
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
