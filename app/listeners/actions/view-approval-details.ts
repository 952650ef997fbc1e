import { z } from 'zod';
import { approvalDetailsModal } from '../../../blocks/approval-history';
import type { AppDeps } from '../../deps';
import { NotFoundError } from '../../errors';
import { ackedAction } from './respond-failure';

const Payload = z.object({
  trigger_id: z.string().min(1),
  actions: z.array(z.object({ value: z.string().min(1).max(100) })).min(1),
});

/**
 * "View details": the request's summary and full history in a modal; anyone who can see the message
 * may look. `views.open` stays before the HTTP response: the click's `trigger_id` must be used within
 * 3 seconds, which a job cannot promise.
 */
export function viewApprovalDetails(deps: AppDeps) {
  return ackedAction('approval_view_details', deps, async ({ body, client }) => {
    const payload = Payload.parse(body);
    const approvalId = payload.actions[0]?.value ?? '';
    const approval = await deps.services.approvals.get(approvalId);
    if (!approval) throw new NotFoundError('That approval request no longer exists.');
    const view = await deps.services.approvals.view(approval);
    await client.views.open({ trigger_id: payload.trigger_id, view: approvalDetailsModal(view) });
  });
}
