import { parseDecisionValue } from '../../../blocks/approval-message';
import { rejectModal } from '../../../blocks/reject-modal';
import type { AppDeps } from '../../deps';
import { NotFoundError } from '../../errors';
import { DecisionPayload } from './approve';
import { decisionFeedback } from './decision-feedback';
import { ackedAction } from './respond-failure';

/**
 * Reject: checks the clicker may decide (so nobody types a reason for nothing), then opens the reason
 * modal; the decision itself is taken on its submission (`reject-reason-submit.ts`).
 */
export function rejectAction(deps: AppDeps) {
  return ackedAction('approval_reject', async ({ body, client, respond }) => {
    const payload = DecisionPayload.parse(body);
    const target = parseDecisionValue(payload.actions[0]?.value);
    if (!target) throw new Error('reject button without a valid value');
    const { approvals } = deps.services;
    const approval = await approvals.get(target.approvalId);
    if (!approval) throw new NotFoundError('That approval request no longer exists.');
    if (approval.status !== 'PENDING' || approval.stageIndex !== target.stage) {
      await respond({
        response_type: 'ephemeral',
        replace_original: false,
        text: decisionFeedback({ outcome: 'already_decided', approval }),
      });
      return;
    }
    const refused = await approvals.refusal(approval, payload.user.id);
    if (refused) {
      await respond({
        response_type: 'ephemeral',
        replace_original: false,
        text: decisionFeedback({ outcome: 'refused', ...refused, approval }),
      });
      return;
    }
    await client.views.open({ trigger_id: payload.trigger_id, view: rejectModal(approval, target.stage) });
  });
}
