import type { KnownBlock, ModalView } from '@slack/types';
import type { Approval } from '../app/domain/approval';
import type { ApprovalHistoryEntry } from '../app/domain/model';
import type { RenderedMessage } from '../app/domain/rendered-message';
import { escapeMrkdwn, formatUsd, plainText } from '../app/domain/text';
import { CallbackIds } from '../app/ids';
import {
  type ApprovalMessageInput,
  LEVEL_NAMES,
  outcomeText,
  slackDate,
  summaryFields,
  userRef,
} from './approval-message';
import { LIMITS, link, truncate } from './text';

const ACTION_WORDS: Record<ApprovalHistoryEntry['action'], string> = {
  REQUESTED: ':inbox_tray: Requested',
  REMINDED: ':bell: Reminder sent',
  APPROVED: ':white_check_mark: Approved',
  REJECTED: ':x: Rejected',
  EXPIRED: ':alarm_clock: Expired',
  CANCELLED: ':no_entry_sign: Cancelled',
  ESCALATED: ':arrow_up: Escalated',
};

/** One history entry: when, what (stage), who, budget snapshot, status change, reason, message link. */
function historyLine(entry: ApprovalHistoryEntry): string {
  const level = entry.level ? ` (${LEVEL_NAMES[entry.level]})` : '';
  const transition = entry.fromStatus ? `${entry.fromStatus} → ${entry.toStatus}` : entry.toStatus;
  const reason = entry.reason ? ` · “${escapeMrkdwn(truncate(entry.reason, 300))}”` : '';
  const message = entry.messageLink ? ` · ${link(entry.messageLink, 'message')}` : '';
  return `• ${slackDate(entry.at)} — ${ACTION_WORDS[entry.action]}${level} by ${userRef(entry.by)} · ${formatUsd(entry.budgetCents)} · ${transition}${reason}${message}`;
}

/** Lines packed into as few sections as fit 3000 characters each. */
function packLines(lines: string[], maxBlocks: number): KnownBlock[] {
  const blocks: KnownBlock[] = [];
  let current = '';
  for (const line of lines) {
    const next = current ? `${current}\n${line}` : line;
    if (next.length > LIMITS.sectionText && current) {
      blocks.push({ type: 'section', text: { type: 'mrkdwn', text: current } });
      current = truncate(line, LIMITS.sectionText);
    } else {
      current = truncate(next, LIMITS.sectionText);
    }
  }
  if (current) blocks.push({ type: 'section', text: { type: 'mrkdwn', text: current } });
  return blocks.slice(0, maxBlocks);
}

function approvalTitle(approval: Approval): string {
  const kind = approval.kind === 'budget_change' ? 'Budget change' : 'Campaign creation';
  const link_ = approval.permalink ? ` · ${link(approval.permalink, 'request message')}` : '';
  return `*${kind}* — ${formatUsd(approval.budgetCents)} · ${outcomeText(approval)}${link_}`;
}

/**
 * `/mcc approvals history <campaign>`: every request of the campaign, oldest first, each with every
 * transition. Bounded to one message (50 blocks): the newest requests are kept when it must cut.
 */
export function approvalHistoryMessage(
  campaignName: string,
  approvals: readonly Approval[],
): RenderedMessage {
  const header: KnownBlock = {
    type: 'header',
    text: {
      type: 'plain_text',
      text: truncate(plainText(`Approval history: ${campaignName}`), LIMITS.headerText),
    },
  };
  if (approvals.length === 0) {
    const text = `No approval was ever needed for *${escapeMrkdwn(campaignName)}*.`;
    return {
      text: truncate(`No approvals for ${escapeMrkdwn(campaignName)}`, LIMITS.fallbackText),
      blocks: [header, { type: 'section', text: { type: 'mrkdwn', text } }],
    };
  }
  const sections: KnownBlock[][] = approvals.map((approval) => [
    {
      type: 'section',
      text: { type: 'mrkdwn', text: truncate(approvalTitle(approval), LIMITS.sectionText) },
    },
    ...packLines(approval.history.map(historyLine), 10),
    { type: 'divider' },
  ]);
  const blocks: KnownBlock[] = [header];
  let omitted = 0;
  // Newest first when cutting: walk from the end, then restore order.
  const kept: KnownBlock[][] = [];
  for (const group of [...sections].reverse()) {
    if (blocks.length + kept.flat().length + group.length > LIMITS.messageBlocks - 1) {
      omitted += 1;
      continue;
    }
    kept.unshift(group);
  }
  if (omitted > 0) {
    blocks.push({
      type: 'context',
      elements: [{ type: 'mrkdwn', text: `${omitted} older request${omitted === 1 ? '' : 's'} not shown.` }],
    });
  }
  blocks.push(...kept.flat());
  return {
    text: truncate(
      `Approval history of ${escapeMrkdwn(campaignName)}: ${approvals.length} request${approvals.length === 1 ? '' : 's'}`,
      LIMITS.fallbackText,
    ),
    blocks: blocks.slice(0, LIMITS.messageBlocks),
  };
}

/** "View details": the request's summary, policy and full history in a modal (≤ 100 blocks). */
export function approvalDetailsModal(input: ApprovalMessageInput): ModalView {
  const { approval, campaign } = input;
  const blocks: KnownBlock[] = [
    {
      type: 'section',
      text: { type: 'mrkdwn', text: truncate(approvalTitle(approval), LIMITS.sectionText) },
    },
    { type: 'section', fields: summaryFields(input) },
  ];
  if (campaign?.description) {
    blocks.push({
      type: 'section',
      text: { type: 'mrkdwn', text: truncate(escapeMrkdwn(campaign.description), LIMITS.sectionText) },
    });
  }
  blocks.push({
    type: 'context',
    elements: [
      {
        type: 'mrkdwn',
        text: truncate(
          `Policy \`${approval.policyId}\`: ${escapeMrkdwn(approval.policyMessage)}`,
          LIMITS.sectionText,
        ),
      },
    ],
  });
  blocks.push({ type: 'header', text: { type: 'plain_text', text: 'History' } });
  blocks.push(...packLines(approval.history.map(historyLine), LIMITS.surfaceBlocks - blocks.length));
  return {
    type: 'modal',
    callback_id: CallbackIds.approvalDetailsModal,
    title: { type: 'plain_text', text: 'Approval details' },
    close: { type: 'plain_text', text: 'Close' },
    blocks: blocks.slice(0, LIMITS.surfaceBlocks),
  };
}
