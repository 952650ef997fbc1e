import type { ModalView } from '@slack/types';
import type { Campaign } from '../app/domain/model';
import { escapeMrkdwn, formatUsd } from '../app/domain/text';
import { ActionIds, BlockIds, CallbackIds } from '../app/ids';
import { LIMITS, truncate } from './text';

/** What the budget modal carries to its submission (`private_metadata`). */
export interface BudgetModalContext {
  campaignId: string;
  channelId?: string;
  threadTs?: string;
}

/** The "Change budget" modal for one campaign. */
export function budgetModal(
  campaign: Campaign,
  context: Omit<BudgetModalContext, 'campaignId'> = {},
  thresholdText?: string,
): ModalView {
  const approved = campaign.approvedBudgetCents;
  const metadata: BudgetModalContext = { campaignId: campaign.campaignId, ...context };
  const encoded = JSON.stringify(metadata);
  return {
    type: 'modal',
    callback_id: CallbackIds.budgetChangeModal,
    title: { type: 'plain_text', text: 'Change budget' },
    submit: { type: 'plain_text', text: 'Save' },
    close: { type: 'plain_text', text: 'Cancel' },
    private_metadata:
      encoded.length <= LIMITS.privateMetadata
        ? encoded
        : JSON.stringify({ campaignId: campaign.campaignId }),
    blocks: [
      {
        type: 'section',
        text: {
          type: 'mrkdwn',
          text: truncate(
            `*${escapeMrkdwn(campaign.name)}* — budget now ${formatUsd(campaign.budgetCents)}${approved !== undefined ? `, approved up to ${formatUsd(approved)}` : ''}.${thresholdText ? `\n${escapeMrkdwn(thresholdText)}` : ''}`,
            LIMITS.sectionText,
          ),
        },
      },
      {
        type: 'input',
        block_id: BlockIds.budgetAmount,
        label: { type: 'plain_text', text: 'New budget (USD)' },
        element: {
          type: 'plain_text_input',
          action_id: ActionIds.modalInput,
          max_length: 20,
          initial_value: formatUsd(campaign.budgetCents),
        },
      },
      {
        type: 'input',
        block_id: BlockIds.budgetReason,
        optional: true,
        label: { type: 'plain_text', text: 'Why' },
        element: {
          type: 'plain_text_input',
          action_id: ActionIds.modalInput,
          multiline: true,
          max_length: 500,
        },
      },
    ],
  };
}
