import { z } from 'zod';
import { approvalListMessage, isApprovalListBlock } from '../../../blocks/approval-list';
import { parseDecisionValue } from '../../../blocks/approval-message';
import type { AppDeps } from '../../deps';
import { decisionFeedback } from './decision-feedback';
import { ackedAction } from './respond-failure';

export const DecisionPayload = z.object({
  trigger_id: z.string().min(1),
  user: z.object({ id: z.string().min(1) }),
  actions: z.array(z.object({ value: z.string().optional(), block_id: z.string().optional() })).min(1),
});

/**
 * Approve (in the approvers' channel or in `/mcc approvals`): authorization at click time, then one
 * conditional write; of fifty simultaneous clicks one decides and the others are told who did. The
 * message is updated in place by the `approval.finalize` job the decision enqueues; the clicker gets
 * an ephemeral answer here (from `/mcc approvals`, the list itself is redrawn with the answer on top).
 */
export function approveAction(deps: AppDeps) {
  return ackedAction('approval_approve', async ({ body, respond }) => {
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
    if (isApprovalListBlock(payload.actions[0]?.block_id)) {
      // Clicked in the caller's own `/mcc approvals` list: redraw it, so the decided request leaves
      // it (one indexed query; the group membership is already cached by the decision).
      const remaining = await deps.services.approvals.listDecidableBy(payload.user.id);
      await respond({
        response_type: 'ephemeral',
        replace_original: true,
        ...approvalListMessage(remaining, feedback),
      });
      return;
    }
    await respond({ response_type: 'ephemeral', replace_original: false, text: feedback });
  });
}
