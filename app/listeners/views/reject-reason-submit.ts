import type { AllMiddlewareArgs, SlackViewAction, SlackViewMiddlewareArgs } from '@slack/bolt';
import { z } from 'zod';
import { noticeModal } from '../../../blocks/reject-modal';
import type { AppDeps } from '../../deps';
import { BlockIds } from '../../ids';
import { decisionFeedback } from '../actions/decision-feedback';
import { inputState, ViewStateValues } from './campaign-form';
import { viewFailure } from './view-failure';

const Context = z.object({ approvalId: z.string().min(1), stage: z.number().int().nonnegative() });

/**
 * The reject reason modal's submission: the reason is required (blank → inline error), then the same
 * exactly-once decision as Approve. A click that lost (already decided, not allowed) is told so in the
 * modal and nothing changes.
 */
export function rejectReasonSubmit(deps: AppDeps) {
  return async ({
    ack,
    body,
    view,
    logger,
    context,
  }: SlackViewMiddlewareArgs<SlackViewAction> & AllMiddlewareArgs) => {
    try {
      const reason =
        inputState(ViewStateValues.parse(view.state.values), BlockIds.rejectReason)?.value?.trim() ?? '';
      if (!reason) {
        await ack({
          response_action: 'errors',
          errors: { [BlockIds.rejectReason]: 'A reason is required to reject.' },
        });
        return;
      }
      const target = Context.parse(JSON.parse(view.private_metadata || '{}'));
      const result = await deps.services.approvals.decide({
        approvalId: target.approvalId,
        expectedStage: target.stage,
        actorId: body.user.id,
        decision: 'reject',
        reason: reason.slice(0, 3000),
      });
      if (result.outcome === 'rejected') {
        await ack();
        return;
      }
      await ack({ response_action: 'update', view: noticeModal('Not rejected', decisionFeedback(result)) });
    } catch (error) {
      await ack(
        viewFailure(logger, error, {
          view: 'approval_reject_reason',
          blockId: BlockIds.rejectReason,
          fallback: 'Something went wrong; nothing was decided. Try again',
          requestId: context.requestId,
        }),
      );
    }
  };
}
