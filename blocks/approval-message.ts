import type { ActionsBlock, Button, KnownBlock, SectionBlock } from '@slack/types';
import type { Approval } from '../app/domain/approval';
import type { ApprovalLevel, ApprovalStatus, Campaign } from '../app/domain/model';
import type { RenderedMessage } from '../app/domain/rendered-message';
import { escapeMrkdwn, formatUsd, plainText, userMention } from '../app/domain/text';
import { ActionIds, BlockIds } from '../app/ids';
import { absoluteDay, slackDateToken } from './dates';
import { LIMITS, link, truncate } from './text';

/** What a request message shows (mirrors `ApprovalView` in services/approvals.ts). */
export interface ApprovalMessageInput {
  approval: Approval;
  campaign: Campaign | undefined;
  mentions: string[];
}

export const LEVEL_NAMES: Record<ApprovalLevel, string> = { leadership: 'Marketing leadership', vp: 'VP' };

const OUTCOME: Record<ApprovalStatus, { emoji: string; word: string }> = {
  PENDING: { emoji: ':hourglass_flowing_sand:', word: 'Waiting for approval' },
  APPROVED: { emoji: ':white_check_mark:', word: 'Approved' },
  REJECTED: { emoji: ':x:', word: 'Rejected' },
  EXPIRED: { emoji: ':alarm_clock:', word: 'Expired' },
  CANCELLED: { emoji: ':no_entry_sign:', word: 'Cancelled' },
};

/** `<!date^…>`: every reader sees the time in their own zone (the shared style, `blocks/dates.ts`). */
export function slackDate(iso: string): string {
  return slackDateToken(iso);
}

/** Who acted: a mention of a user id (validated by `userMention`), or the bot itself. */
export function userRef(id: string): string {
  return id === 'system' ? 'Command Center' : userMention(id);
}

/** The button value: which approval and which stage the clicker saw (≤ 2000 chars). */
function decisionValue(approval: Pick<Approval, 'approvalId' | 'stageIndex'>): string {
  return `${approval.approvalId}|${approval.stageIndex}`;
}

/** Parses a decision button value; undefined when it is not one of ours. */
export function parseDecisionValue(
  value: string | undefined,
): { approvalId: string; stage: number } | undefined {
  const match = /^(apr_[A-Za-z0-9]+)\|(\d{1,2})$/.exec(value ?? '');
  if (!match?.[1] || match[2] === undefined) return undefined;
  return { approvalId: match[1], stage: Number(match[2]) };
}

function kindTitle(approval: Approval): string {
  return approval.kind === 'budget_change' ? 'Budget change' : 'New campaign';
}

function budgetText(approval: Approval): string {
  if (approval.kind === 'budget_change' && approval.previousBudgetCents !== undefined) {
    return `${formatUsd(approval.previousBudgetCents)} → *${formatUsd(approval.budgetCents)}*`;
  }
  return `*${formatUsd(approval.budgetCents)}*`;
}

/** "Marketing leadership ✅ <@U> → VP ⏳" */
function stagesText(approval: Approval): string {
  return approval.levels
    .map((level, index) => {
      const done = approval.stageApprovals.find((stage) => stage.level === level);
      if (done) return `${LEVEL_NAMES[level]} :white_check_mark: ${userRef(done.by)}`;
      if (approval.status === 'PENDING' && index === approval.stageIndex)
        return `${LEVEL_NAMES[level]} :hourglass_flowing_sand:`;
      if (approval.status === 'REJECTED' && index === approval.stageIndex) return `${LEVEL_NAMES[level]} :x:`;
      return LEVEL_NAMES[level];
    })
    .join(' → ');
}

function field(label: string, value: string) {
  return { type: 'mrkdwn' as const, text: truncate(`*${label}*\n${value}`, LIMITS.fieldText) };
}

/** The summary fields shared by the request message and the details view. */
export function summaryFields(input: ApprovalMessageInput): SectionBlock['fields'] {
  const { approval, campaign } = input;
  const fields = [
    field('Budget', budgetText(approval)),
    field('Requested by', userRef(approval.requesterId)),
    field('Approval', stagesText(approval)),
  ];
  if (campaign) {
    fields.push(field('Type · tier', `${campaign.type} · tier ${campaign.tier}`));
    fields.push(
      field(
        'Dates',
        `${absoluteDay(campaign.launchDate)}${campaign.endDate ? ` → ${absoluteDay(campaign.endDate)}` : ''}`,
      ),
    );
    if (campaign.channels.length > 0)
      fields.push(field('Channels', escapeMrkdwn(campaign.channels.join(', '))));
    if (campaign.audience) fields.push(field('Audience', escapeMrkdwn(campaign.audience)));
  }
  return fields.slice(0, LIMITS.fields);
}

/** Buttons for a pending request (Approve, Reject, View details); the same ids as in `/mcc approvals`. */
export function decisionButtons(approval: Approval, blockId: string): ActionsBlock {
  const value = decisionValue(approval);
  const elements: Button[] = [
    {
      type: 'button',
      action_id: ActionIds.approvalApprove,
      style: 'primary',
      text: {
        type: 'plain_text',
        text:
          approval.levels.length > 1
            ? `Approve (${LEVEL_NAMES[approval.levels[approval.stageIndex] ?? 'leadership']})`
            : 'Approve',
      },
      value,
      // Money moves on this click: one confirmation step, shown by Slack itself (no round trip).
      confirm: {
        title: { type: 'plain_text', text: 'Approve this request?' },
        text: {
          type: 'mrkdwn',
          text: truncate(
            `Approve ${formatUsd(approval.budgetCents)} for *${escapeMrkdwn(approval.campaignName)}*?`,
            300,
          ),
        },
        confirm: { type: 'plain_text', text: 'Approve' },
        deny: { type: 'plain_text', text: 'Cancel' },
        style: 'primary',
      },
    },
    {
      type: 'button',
      action_id: ActionIds.approvalReject,
      style: 'danger',
      text: { type: 'plain_text', text: 'Reject' },
      value,
    },
    {
      type: 'button',
      action_id: ActionIds.approvalViewDetails,
      text: { type: 'plain_text', text: 'View details' },
      value: approval.approvalId,
    },
  ];
  return { type: 'actions', block_id: blockId, elements };
}

/** The outcome line of a decided request: who, when, and the reason. */
export function outcomeText(approval: Approval): string {
  const { emoji, word } = OUTCOME[approval.status];
  if (approval.status === 'PENDING') return `${emoji} *${word}*`;
  const who =
    approval.decidedBy && approval.decidedBy !== 'system' ? ` by ${userRef(approval.decidedBy)}` : '';
  const when = approval.decidedAt ? ` on ${slackDate(approval.decidedAt)}` : '';
  const reason = approval.reason
    ? `\n>${escapeMrkdwn(truncate(approval.reason, 2500)).replace(/\n/g, '\n>')}`
    : '';
  return truncate(`${emoji} *${word}*${who}${when}${reason}`, LIMITS.sectionText);
}

/**
 * The request message in the approvers' channel. Pending: who must act (mentions), the summary,
 * the policy and the three buttons. Decided: the same summary with the outcome, and no buttons.
 */
export function approvalRequestMessage(input: ApprovalMessageInput): RenderedMessage {
  const { approval, campaign, mentions } = input;
  const pending = approval.status === 'PENDING';
  const name = escapeMrkdwn(approval.campaignName);
  const level = approval.levels[approval.stageIndex] ?? 'leadership';
  const blocks: KnownBlock[] = [
    {
      type: 'header',
      text: {
        type: 'plain_text',
        text: truncate(plainText(`${kindTitle(approval)}: ${approval.campaignName}`), LIMITS.headerText),
        emoji: true,
      },
    },
  ];
  const ask = pending
    ? `${mentions.join(' ') || LEVEL_NAMES[level]} — ${userRef(approval.requesterId)} asks for ${LEVEL_NAMES[level].toLowerCase()} approval of ${approval.kind === 'budget_change' ? `a budget change on *${name}*` : `the new campaign *${name}*`}.`
    : outcomeText(approval);
  blocks.push({
    type: 'section',
    block_id: BlockIds.approvalOutcome,
    text: { type: 'mrkdwn', text: truncate(ask, LIMITS.sectionText) },
  });
  blocks.push({ type: 'section', fields: summaryFields(input) });
  const about = approval.reasonForChange ?? campaign?.description;
  if (about) {
    blocks.push({
      type: 'section',
      text: { type: 'mrkdwn', text: truncate(escapeMrkdwn(about), LIMITS.sectionText) },
    });
  }
  blocks.push({
    type: 'context',
    elements: [
      {
        type: 'mrkdwn',
        text: truncate(
          `Policy \`${approval.policyId}\`: ${escapeMrkdwn(approval.policyMessage)}${pending ? ` · Expires ${slackDate(approval.expiresAt)}` : ''}`,
          LIMITS.sectionText,
        ),
      },
    ],
  });
  if (pending) blocks.push(decisionButtons(approval, BlockIds.approvalDecision));
  const verb = pending ? 'needs approval' : OUTCOME[approval.status].word.toLowerCase();
  const text = truncate(
    `${kindTitle(approval)} ${verb}: ${name} (${formatUsd(approval.budgetCents)}) requested by ${userRef(approval.requesterId)}`,
    LIMITS.fallbackText,
  );
  return { text, blocks };
}

/** What the requester is told, in their thread or DM. */
export function requesterNotice(
  approval: Approval,
  notice: 'requested' | 'stage_approved' | 'approved' | 'rejected' | 'expired' | 'cancelled',
): RenderedMessage {
  const name = `*${escapeMrkdwn(approval.campaignName)}*`;
  const what =
    approval.kind === 'budget_change'
      ? `The budget change on ${name} (${formatUsd(approval.budgetCents)})`
      : `Your campaign ${name} (${formatUsd(approval.budgetCents)})`;
  const request = approval.permalink
    ? link(approval.permalink, 'View the request')
    : 'the approvers’ channel';
  let text: string;
  switch (notice) {
    case 'requested': {
      const levels = approval.levels.map((l) => LEVEL_NAMES[l].toLowerCase()).join(', then ');
      text = `:hourglass_flowing_sand: ${what} needs approval by ${levels}: ${escapeMrkdwn(approval.policyMessage)} I've asked the approvers. ${request}`;
      break;
    }
    case 'stage_approved': {
      const last = approval.stageApprovals[approval.stageApprovals.length - 1];
      text = `:white_check_mark: ${what} was approved by ${LEVEL_NAMES[last?.level ?? 'leadership'].toLowerCase()}${last ? ` (${userRef(last.by)})` : ''}; it now needs ${LEVEL_NAMES[approval.levels[approval.stageIndex] ?? 'vp']} approval. ${request}`;
      break;
    }
    case 'approved':
      text = `:white_check_mark: ${what} was approved by ${userRef(approval.decidedBy ?? 'system')}. ${approval.kind === 'budget_change' ? 'The new budget applies now.' : 'I’m setting up the project and tasks now.'} ${request}`;
      break;
    case 'rejected':
      text = `:x: ${what} was rejected by ${userRef(approval.decidedBy ?? 'system')}.${approval.reason ? `\n>${escapeMrkdwn(truncate(approval.reason, 2000)).replace(/\n/g, '\n>')}` : ''}\n${request}`;
      break;
    case 'expired':
      text = `:alarm_clock: ${what} expired without a decision${approval.kind === 'budget_change' ? '; the budget stays as it was' : ' and was cancelled'}. You can ask again. ${request}`;
      break;
    default:
      text = `:no_entry_sign: ${what} was withdrawn.${approval.reason ? ` ${escapeMrkdwn(approval.reason)}` : ''} ${request}`;
  }
  text = truncate(text, LIMITS.sectionText);
  return { text, blocks: [{ type: 'section', text: { type: 'mrkdwn', text } }] };
}

/** A reply in the request's thread: the reminder (naming who has not acted) or the escalation. */
export function threadNote(
  approval: Approval,
  note: { kind: 'reminder' | 'escalated'; mentions: string[] },
): RenderedMessage {
  const who = note.mentions.join(' ');
  const text =
    note.kind === 'reminder'
      ? `:bell: Reminder ${who}: this request from ${userRef(approval.requesterId)} is still waiting for your decision. It expires ${slackDate(approval.expiresAt)}.`
      : `:arrow_up: ${who} ${LEVEL_NAMES[approval.stageApprovals[approval.stageApprovals.length - 1]?.level ?? 'leadership']} approved (${userRef(approval.stageApprovals[approval.stageApprovals.length - 1]?.by ?? 'system')}). ${LEVEL_NAMES[approval.levels[approval.stageIndex] ?? 'vp']} approval is needed now.`;
  const bounded = truncate(text, LIMITS.sectionText);
  return { text: bounded, blocks: [{ type: 'section', text: { type: 'mrkdwn', text: bounded } }] };
}
