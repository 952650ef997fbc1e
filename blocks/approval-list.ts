import type { KnownBlock } from '@slack/types';
import type { Approval } from '../app/domain/approval';
import type { RenderedMessage } from '../app/domain/rendered-message';
import { escapeMrkdwn, formatUsd } from '../app/domain/text';
import { BlockIds, COMMAND } from '../app/ids';
import { decisionButtons, LEVEL_NAMES, slackDate, userRef } from './approval-message';
import { LIMITS, link, truncate } from './text';

/** At most this many requests in one message (two blocks each, within Slack's 50). */
export const APPROVAL_LIST_MAX = 20;

/** One line describing a request, shared by the list and the history. */
export function approvalSummaryLine(approval: Approval): string {
  const name = approval.permalink
    ? link(approval.permalink, approval.campaignName)
    : `*${escapeMrkdwn(approval.campaignName)}*`;
  const what =
    approval.kind === 'budget_change'
      ? `budget ${approval.previousBudgetCents !== undefined ? `${formatUsd(approval.previousBudgetCents)} → ` : ''}${formatUsd(approval.budgetCents)}`
      : `new campaign, ${formatUsd(approval.budgetCents)}`;
  const level = LEVEL_NAMES[approval.levels[approval.stageIndex] ?? 'leadership'];
  return `${name} — ${what} · requested by ${userRef(approval.requesterId)} ${slackDate(approval.createdAt)} · waiting for ${level.toLowerCase()} · expires ${slackDate(approval.expiresAt)}`;
}

/** True when a button's block is one of the `/mcc approvals` list items (not the channel message). */
export function isApprovalListBlock(blockId: string | undefined): boolean {
  return (blockId ?? '').startsWith(BlockIds.approvalListItemPrefix);
}

/**
 * `/mcc approvals`: the pending requests the caller may decide, each with its buttons. `notice`
 * (what the caller just did from this list) leads the message when the list is redrawn after a click.
 */
export function approvalListMessage(approvals: readonly Approval[], notice?: string): RenderedMessage {
  const lead: KnownBlock[] = notice
    ? [{ type: 'context', elements: [{ type: 'mrkdwn', text: truncate(notice, LIMITS.sectionText) }] }]
    : [];
  if (approvals.length === 0) {
    const text = ':white_check_mark: Nothing is waiting for your decision.';
    return {
      text: notice ? truncate(`${notice}\n${text}`, LIMITS.fallbackText) : text,
      blocks: [...lead, { type: 'section', text: { type: 'mrkdwn', text } }],
    };
  }
  const shown = approvals.slice(0, APPROVAL_LIST_MAX);
  const blocks: KnownBlock[] = [
    ...lead,
    {
      type: 'header',
      text: { type: 'plain_text', text: `Waiting for your decision (${approvals.length})` },
    },
  ];
  for (const approval of shown) {
    blocks.push({
      type: 'section',
      text: { type: 'mrkdwn', text: truncate(approvalSummaryLine(approval), LIMITS.sectionText) },
    });
    blocks.push(
      decisionButtons(approval, `${BlockIds.approvalListItemPrefix}${approval.approvalId}`.slice(0, 255)),
    );
  }
  if (approvals.length > shown.length) {
    blocks.push({
      type: 'context',
      elements: [
        {
          type: 'mrkdwn',
          text: `…and ${approvals.length - shown.length} more, oldest first above. Decide these and run \`${COMMAND} approvals\` again.`,
        },
      ],
    });
  }
  const summary = `${approvals.length} request${approvals.length === 1 ? '' : 's'} waiting for your decision`;
  return {
    text: notice ? truncate(`${notice}\n${summary}`, LIMITS.fallbackText) : summary,
    blocks: blocks.slice(0, LIMITS.messageBlocks),
  };
}
