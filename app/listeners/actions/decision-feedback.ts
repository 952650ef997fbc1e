import { LEVEL_NAMES, userRef } from '../../../blocks/approval-message';
import { escapeMrkdwn } from '../../domain/text';
import type { DecideResult } from '../../services/approval-ports';

/** What the clicker is told (ephemerally) after Approve or Reject. */
export function decisionFeedback(result: DecideResult): string {
  const name = `*${escapeMrkdwn(result.approval.campaignName)}*`;
  switch (result.outcome) {
    case 'approved':
      return `:white_check_mark: You approved ${name}. The request message is being updated and the requester told.`;
    case 'stage_approved':
      return `:white_check_mark: You approved ${name} for ${LEVEL_NAMES[result.approval.stageApprovals.at(-1)?.level ?? 'leadership'].toLowerCase()}. It now goes to ${LEVEL_NAMES[result.approval.levels[result.approval.stageIndex] ?? 'vp']} approval.`;
    case 'rejected':
      return `:x: You rejected ${name}. The requester will see your reason.`;
    case 'refused':
      return `:no_entry: ${result.message}`;
    default: {
      const { approval } = result;
      if (approval.status === 'PENDING') {
        const last = approval.stageApprovals.at(-1);
        return `That stage of ${name} was already approved${last ? ` by ${userRef(last.by)}` : ''}; it now waits for ${LEVEL_NAMES[approval.levels[approval.stageIndex] ?? 'vp']} approval. Nothing was changed.`;
      }
      const by =
        approval.decidedBy && approval.decidedBy !== 'system' ? ` by ${userRef(approval.decidedBy)}` : '';
      return `${name} was already ${approval.status.toLowerCase()}${by}. Nothing was changed.`;
    }
  }
}
