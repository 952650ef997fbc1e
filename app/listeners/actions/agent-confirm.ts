import { z } from 'zod';
import { agentNoticeMessage } from '../../../blocks/agent-answer';
import type { AppDeps } from '../../deps';
import { escapeMrkdwn, userMention } from '../../domain/text';
import { ActionIds } from '../../ids';
import { answerConfirmation } from '../../services/agent/confirmation';
import { AGENT_RESUME_JOB } from '../../services/agent/job-payloads';
import { ackedAction } from './respond-failure';
import { messageAnswer, respondLater } from './respond-later';

const ConfirmPayload = z.object({
  user: z.object({ id: z.string() }),
  actions: z.array(z.object({ action_id: z.string(), value: z.string().min(3).max(2000) })).min(1),
});

/**
 * Confirm / Cancel on an action the agent wants to run (`USER_CONFIRMATION`). Only the person who
 * asked may answer (others get an ephemeral refusal); the pending action changes state once (a
 * conditional write), so a double click resumes once; the answer resumes the turn as an
 * `agent.resume` job with `confirmationState` CONFIRM or DENY.
 */
export function agentConfirm(deps: AppDeps) {
  return ackedAction('agent_confirm', deps, async ({ body }) => {
    const payload = ConfirmPayload.parse(body);
    const action = payload.actions[0];
    if (!action) return;
    const confirm = action.action_id === ActionIds.agentConfirm;
    // Only the conversation store: the turn runner (Bedrock, `marked`) stays in the worker bundle.
    const conversations = deps.services.conversations;
    const result = await answerConfirmation(conversations, {
      pendingRef: action.value,
      userId: payload.user.id,
      confirm,
    });
    if (result.kind === 'not_yours') {
      await respondLater(
        deps,
        body,
        messageAnswer({
          text: `Only ${userMention(result.ownerId)} can confirm or cancel this — they asked for it.`,
        }),
      );
      return;
    }
    if (result.kind !== 'accepted') {
      await respondLater(
        deps,
        body,
        messageAnswer({
          text:
            result.kind === 'not_found'
              ? 'This request is no longer waiting for an answer.'
              : 'This was already answered.',
        }),
      );
      return;
    }
    // The same key for Confirm and Cancel and for every click: one resume per pending action.
    const { created } = await deps.services.jobs.enqueue({
      kind: AGENT_RESUME_JOB,
      payload: result.resume,
      idempotencyKey: `confirm:${action.value}`,
    });
    if (result.repeated && !created) {
      await respondLater(deps, body, messageAnswer({ text: 'This was already answered.' }));
      return;
    }
    const confirmed = result.resume.confirmation === 'CONFIRM';
    // The summary names the functions the model asked for (its words): text, not markup.
    const who = userMention(payload.user.id);
    const summary = escapeMrkdwn(result.summary);
    const notice = confirmed
      ? agentNoticeMessage(`:white_check_mark: ${who} confirmed: ${summary}. Working on it…`)
      : agentNoticeMessage(`:x: ${who} cancelled: ${summary}.`);
    // The buttons give way to the answer, in place (a `slack.respond` job: no Slack call before the response).
    await respondLater(deps, body, messageAnswer(notice, true));
  });
}
