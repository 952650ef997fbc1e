import { z } from 'zod';
import { isApprovalListBlock } from '../../../blocks/approval-list';
import { parseDecisionValue } from '../../../blocks/approval-message';
import type { AppDeps } from '../../deps';
import { decisionFeedback } from './decision-feedback';
import { ackedAction } from './respond-failure';
import { messageAnswer, respondLater } from './respond-later';

export const DecisionPayload = z.object({
  trigger_id: z.string().min(1),
  user: z.object({ id: z.string().min(1) }),
  actions: z.array(z.object({ value: z.string().optional(), block_id: z.string().optional() })).min(1),
});

/**
 * Approve (in the approvers' channel or in `/mcc approvals`): authorization at click time, then one
 * conditional write; of fifty simultaneous clicks one decides and the others are told who did. The
 * message is updated in place by the `approval.finalize` job the decision enqueues; the clicker's
 * answer comes from a `slack.respond` job (no Slack call before the HTTP response): an ephemeral note,
 * or, in their own `/mcc approvals` list, the list redrawn without the decided request, the answer on top.
 */
export function approveAction(deps: AppDeps) {
  return ackedAction('approval_approve', deps, async ({ body }) => {
    const payload = DecisionPayload.parse(body);
    const target = parseDecisionValue(payload.actions[0]?.value);
    if (!target) throw new Error('approve button without a valid value');
    const result = await deps.services.approvals.decide({
      approvalId: target.approvalId,
      expectedStage: target.stage,
      actorId: payload.user.id,
      decision: 'approve',
    });
    const feedback = decisionFeedback(result);
    const inList = isApprovalListBlock(payload.actions[0]?.block_id);
    await respondLater(
      deps,
      body,
      inList
        ? { view: 'approval_list', userId: payload.user.id, feedback }
        : messageAnswer({ text: feedback }),
    );
  });
}
