import { agentFailedToStartMessage, agentWorkingMessage } from '../../../blocks/agent-answer';
import { COMMAND } from '../../ids';
import { AGENT_TURN_JOB, type TurnRequest } from '../../services/agent/job-payloads';
import type { Subcommand } from './subcommand';

/**
 * `/mcc ask <question>`: an ephemeral answer only the asker sees, with "Share in channel".
 *
 * An ephemeral message can only be changed through the command's `response_url`, which takes 5
 * posts in 30 minutes. The plan: the ack itself carries the "working…" placeholder (free), the job
 * then uses at most 2 progress updates, 1 final answer, and keeps the rest for an overflow message
 * or an error. The `response_url` is stored with the ask (workflow-state), not in the job payload.
 */
export const askSubcommand: Subcommand = {
  name: 'ask',
  usage: `${COMMAND} ask <question>`,
  description: 'Ask the Command Center agent a question; only you see the answer until you share it.',
  ownsAck: true,
  async run({ ack, command, rest, deps }) {
    const question = rest.trim();
    if (question === '') {
      await ack({
        response_type: 'ephemeral',
        text: `Ask me something, e.g. \`${COMMAND} ask what launches this week?\``,
      });
      return;
    }
    // trigger_id is unique per invocation; keep the characters a key and a session id allow.
    const askId = command.trigger_id.replace(/[^0-9a-zA-Z.:-]/g, '-').slice(0, 80);
    const teamId = command.team_id;
    const store = deps.services.conversations;
    await store.createAsk(askId, {
      userId: command.user_id,
      channelId: command.channel_id,
      responseUrl: command.response_url,
      posts: 0,
      createdAt: deps.clock().toISOString(),
    });
    const payload: TurnRequest = {
      source: 'ask',
      teamId,
      userId: command.user_id,
      text: question,
      // Each ask is its own conversation: an ephemeral answer has no thread to continue in.
      conversation: { teamId, channelId: command.channel_id, threadTs: `ask.${askId}` },
      target: { kind: 'ephemeral', channelId: command.channel_id, userId: command.user_id, askId },
    };
    try {
      await deps.services.jobs.enqueue({ kind: AGENT_TURN_JOB, payload, idempotencyKey: `ask:${askId}` });
    } catch (error) {
      deps.logger.error(error, 'could not enqueue the ask turn');
      await ack({ response_type: 'ephemeral', ...agentFailedToStartMessage() });
      return;
    }
    await ack({ response_type: 'ephemeral', ...agentWorkingMessage() });
  },
};
