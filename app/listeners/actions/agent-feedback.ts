import { z } from 'zod';
import type { AppDeps } from '../../deps';
import { ActionIds } from '../../ids';
import { ackedAction } from './respond-failure';
import { messageAnswer, respondLater } from './respond-later';

const FeedbackPayload = z.object({
  user: z.object({ id: z.string() }),
  channel: z.object({ id: z.string() }).optional(),
  container: z.object({ message_ts: z.string().optional() }).optional(),
  actions: z.array(z.object({ action_id: z.string(), value: z.string().min(1).max(2000) })).min(1),
});

/**
 * 👍 / 👎 under an agent answer: stored in the events log (stream `feedback`, with the conversation
 * and turn it rates) and acknowledged to the voter alone (by a `slack.respond` job), so the thread
 * stays clean.
 */
export function agentFeedback(deps: AppDeps) {
  return ackedAction('agent_feedback', deps, async ({ body }) => {
    const payload = FeedbackPayload.parse(body);
    const action = payload.actions[0];
    if (!action) return;
    const vote = action.action_id === ActionIds.agentFeedbackUp ? 'up' : 'down';
    const [conversation, turn] = action.value.split('|');
    await deps.services.agentFeedback.record({
      userId: payload.user.id,
      conversation: conversation ?? action.value,
      turn: turn ?? null,
      vote,
      channelId: payload.channel?.id,
      messageTs: payload.container?.message_ts,
    });
    await respondLater(
      deps,
      body,
      messageAnswer({
        text:
          vote === 'up'
            ? ':thumbsup: Thanks — glad that helped. Your feedback is recorded.'
            : ':thumbsdown: Thanks — noted. Your feedback helps improve the answers.',
      }),
    );
  });
}
