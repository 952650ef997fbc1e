import { parseDecisionValue } from '../../../blocks/approval-message';
import { rejectModal } from '../../../blocks/reject-modal';
import type { AppDeps } from '../../deps';
import { NotFoundError } from '../../errors';
import { DecisionPayload } from './approve';
import { decisionFeedback } from './decision-feedback';
import { ackedAction } from './respond-failure';
import { messageAnswer, respondLater } from './respond-later';

/**
 * Reject: checks the clicker may decide (so nobody types a reason for nothing), then opens the reason
 * modal; the decision itself is taken on its submission (`reject-reason-submit.ts`).
 *
 * `views.open` stays in the listener, before the HTTP response: it must use the click's `trigger_id`
 * within 3 seconds of the click, which a job (dispatched to a worker that may be cold) cannot
 * promise. A refusal is a note from a `slack.respond` job.
 */
export function rejectAction(deps: AppDeps) {
  return ackedAction('approval_reject', deps, async ({ body, client }) => {
    const payload = DecisionPayload.parse(body);
    const target = parseDecisionValue(payload.actions[0]?.value);
    if (!target) throw new Error('reject button without a valid value');
    const { approvals } = deps.services;
    const approval = await approvals.get(target.approvalId);
    if (!approval) throw new NotFoundError('That approval request no longer exists.');
    if (approval.status !== 'PENDING' || approval.stageIndex !== target.stage) {
      const text = decisionFeedback({ outcome: 'already_decided', approval });
      await respondLater(deps, body, messageAnswer({ text }));
      return;
    }
    const refused = await approvals.refusal(approval, payload.user.id);
    if (refused) {
      const text = decisionFeedback({ outcome: 'refused', ...refused, approval });
      await respondLater(deps, body, messageAnswer({ text }));
      return;
    }
    await client.views.open({ trigger_id: payload.trigger_id, view: rejectModal(approval, target.stage) });
  });
}
