import type { ModalView } from '@slack/types';
import type { Approval } from '../app/domain/approval';
import { escapeMrkdwn, formatUsd, userMention } from '../app/domain/text';
import { ActionIds, BlockIds, CallbackIds } from '../app/ids';
import { LIMITS, truncate } from './text';

/** What the reject modal carries to its submission (JSON in `private_metadata`, ≤ 3000 characters). */
interface RejectModalContext {
  approvalId: string;
  stage: number;
}

/** The "Reject" reason modal. The reason is required (Slack enforces non-empty; the listener rejects blanks). */
export function rejectModal(approval: Approval, stage: number): ModalView {
  const context: RejectModalContext = { approvalId: approval.approvalId, stage };
  return {
    type: 'modal',
    callback_id: CallbackIds.rejectReasonModal,
    title: { type: 'plain_text', text: 'Reject request' },
    submit: { type: 'plain_text', text: 'Reject' },
    close: { type: 'plain_text', text: 'Cancel' },
    private_metadata: JSON.stringify(context),
    blocks: [
      {
        type: 'section',
        text: {
          type: 'mrkdwn',
          text: truncate(
            `Reject *${escapeMrkdwn(approval.campaignName)}* (${formatUsd(approval.budgetCents)}) requested by ${userMention(approval.requesterId)}? The requester sees your reason.`,
            LIMITS.sectionText,
          ),
        },
      },
      {
        type: 'input',
        block_id: BlockIds.rejectReason,
        label: { type: 'plain_text', text: 'Reason' },
        element: {
          type: 'plain_text_input',
          action_id: ActionIds.modalInput,
          multiline: true,
          min_length: 1,
          max_length: 3000,
          placeholder: { type: 'plain_text', text: 'Why, and what would change your mind' },
        },
      },
    ],
  };
}

/** A one-message modal, used to answer a submission that can no longer act (already decided, refused). */
export function noticeModal(title: string, text: string): ModalView {
  return {
    type: 'modal',
    title: { type: 'plain_text', text: truncate(title, LIMITS.modalTitle) },
    close: { type: 'plain_text', text: 'Close' },
    blocks: [{ type: 'section', text: { type: 'mrkdwn', text: truncate(text, LIMITS.sectionText) } }],
  };
}
