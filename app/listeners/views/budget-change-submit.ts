import type { AllMiddlewareArgs, SlackViewAction, SlackViewMiddlewareArgs } from '@slack/bolt';
import { z } from 'zod';
import { noticeModal } from '../../../blocks/reject-modal';
import type { AppDeps } from '../../deps';
import { escapeMrkdwn, formatUsd } from '../../domain/text';
import { ValidationError } from '../../errors';
import { BlockIds } from '../../ids';
import { parseUsdToCents } from '../../services/campaign-inputs';
import { inputState, ViewStateValues } from './campaign-form';
import { viewFailure } from './view-failure';

const Context = z.object({
  campaignId: z.string().min(1),
  channelId: z.string().optional(),
  threadTs: z.string().optional(),
});

/**
 * The budget modal's submission: same policy and approval flow as creation. Applied at once (a cut,
 * or within the approved amount) or sent for approval; either way answered within the 3 s ack.
 */
export function budgetChangeSubmit(deps: AppDeps) {
  return async ({
    ack,
    body,
    view,
    logger,
    context,
  }: SlackViewMiddlewareArgs<SlackViewAction> & AllMiddlewareArgs) => {
    try {
      const values = ViewStateValues.parse(view.state.values);
      const amount = parseUsdToCents(inputState(values, BlockIds.budgetAmount)?.value ?? '');
      if (!amount.ok) {
        await ack({ response_action: 'errors', errors: { [BlockIds.budgetAmount]: amount.message } });
        return;
      }
      const reason = inputState(values, BlockIds.budgetReason)?.value?.trim() || undefined;
      const target = Context.parse(JSON.parse(view.private_metadata || '{}'));
      const result = await deps.services.campaignCommands.changeBudget(
        target.campaignId,
        amount.cents,
        {
          slackUserId: body.user.id,
          ...(target.channelId ? { channelId: target.channelId } : {}),
          ...(target.threadTs ? { threadTs: target.threadTs } : {}),
        },
        reason ? { reason } : {},
      );
      const name = `*${escapeMrkdwn(result.campaign.name)}*`;
      const text =
        result.outcome === 'updated'
          ? `:white_check_mark: The budget of ${name} is now ${formatUsd(result.campaign.budgetCents)}.`
          : `:hourglass_flowing_sand: Raising ${name} to ${formatUsd(amount.cents)} needs approval: ${result.approval?.policyMessage ?? ''} I’ve sent the request and will message you with a link to it and again when it is decided. The budget stays ${formatUsd(result.campaign.budgetCents)} until then.`;
      await ack({ response_action: 'update', view: noticeModal('Budget', text) });
    } catch (error) {
      if (error instanceof ValidationError) {
        await ack({
          response_action: 'errors',
          errors: { [BlockIds.budgetAmount]: Object.values(error.fields)[0] ?? error.message },
        });
        return;
      }
      await ack(
        viewFailure(logger, error, {
          view: 'budget_change',
          blockId: BlockIds.budgetAmount,
          fallback: 'Something went wrong; the budget was not changed. Try again',
          requestId: context.requestId,
        }),
      );
    }
  };
}
