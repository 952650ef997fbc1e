import { type Approval, currentLevel } from '../domain/approval';
import type { ApprovalHistoryEntry, ApprovalLevel, ApprovalStatus, Campaign } from '../domain/model';
import { userMention } from '../domain/text';
import type { DecideInput, RequestApprovalInput, RequesterNotice } from './approval-ports';

/*
 * The approval's state transitions as pure functions: each takes the stored approval (and the
 * time) and returns the next one with its history entry. The service writes them with one
 * conditional update each; nothing here does I/O.
 */

/** Mentions in one reminder: 100 × `<@U…>` stays well inside a 3000-character section. */
const MAX_REMINDER_MENTIONS = 100;

/** Name (≤ 64, `[0-9a-zA-Z-_.]`) and client token (≤ 64, `[a-zA-Z0-9-_]`) of an approval's schedule. */
function scheduleName(approvalId: string, kind: 'remind' | 'expire'): string {
  return `approval-${kind}-${approvalId}`.replace(/[^0-9a-zA-Z_-]/g, '-').slice(0, 64);
}

/** A new PENDING request: one stage for leadership, two (leadership, then VP) over the VP threshold. */
export function newApproval(
  input: RequestApprovalInput,
  at: { approvalId: string; now: Date; channelId: string; reminderHours: number; expiryDays: number },
): Approval {
  const { approvalId, now } = at;
  const levels: ApprovalLevel[] = input.decision.level === 'vp' ? ['leadership', 'vp'] : ['leadership'];
  const reminderAt = new Date(now.getTime() + at.reminderHours * 3_600_000);
  const expiresAt = new Date(now.getTime() + at.expiryDays * 86_400_000);
  return {
    approvalId,
    campaignId: input.campaign.campaignId,
    campaignName: input.campaign.name,
    teamId: input.campaign.teamId,
    kind: input.kind,
    status: 'PENDING',
    levels,
    stageIndex: 0,
    stageApprovals: [],
    requesterId: input.requesterId,
    budgetCents: input.budgetCents,
    ...(input.previousBudgetCents !== undefined ? { previousBudgetCents: input.previousBudgetCents } : {}),
    ...(input.previousApprovedBudgetCents !== undefined
      ? { previousApprovedBudgetCents: input.previousApprovedBudgetCents }
      : {}),
    policyId: input.decision.policyId,
    policyMessage: input.decision.message,
    ...(input.reasonForChange ? { reasonForChange: input.reasonForChange } : {}),
    channelId: at.channelId,
    notify: input.notify,
    reminderAt: reminderAt.toISOString(),
    expiresAt: expiresAt.toISOString(),
    schedules: { reminder: scheduleName(approvalId, 'remind'), expiry: scheduleName(approvalId, 'expire') },
    ...(input.onDecided ? { onDecided: input.onDecided } : {}),
    history: [
      {
        at: now.toISOString(),
        by: input.requesterId,
        action: 'REQUESTED',
        toStatus: 'PENDING',
        level: levels[0],
        budgetCents: input.budgetCents,
        ...(input.reasonForChange ? { reason: input.reasonForChange } : {}),
      },
    ],
    createdAt: now.toISOString(),
    updatedAt: now.toISOString(),
    version: 1,
  };
}

/** Approve (this stage, or the whole request at its last stage) or reject, as of `now`. */
export function decisionTransition(
  approval: Approval,
  input: DecideInput,
  now: string,
): { approval: Approval; outcome: 'approved' | 'stage_approved' | 'rejected' } {
  const level = currentLevel(approval);
  const base = {
    at: now,
    by: input.actorId,
    fromStatus: 'PENDING' as const,
    level,
    budgetCents: approval.budgetCents,
    ...(approval.permalink ? { messageLink: approval.permalink } : {}),
  };
  if (input.decision === 'reject') {
    const reason = input.reason.trim();
    return {
      outcome: 'rejected',
      approval: {
        ...approval,
        status: 'REJECTED',
        decidedBy: input.actorId,
        decidedAt: now,
        reason,
        updatedAt: now,
        history: [...approval.history, { ...base, action: 'REJECTED', toStatus: 'REJECTED', reason }],
      },
    };
  }
  const stageApprovals = [...approval.stageApprovals, { level, by: input.actorId, at: now }];
  const nextLevel = approval.levels[approval.stageIndex + 1];
  if (nextLevel) {
    const escalated: ApprovalHistoryEntry = {
      at: now,
      by: 'system',
      action: 'ESCALATED',
      fromStatus: 'PENDING',
      toStatus: 'PENDING',
      level: nextLevel,
      budgetCents: approval.budgetCents,
      ...(approval.permalink ? { messageLink: approval.permalink } : {}),
    };
    return {
      outcome: 'stage_approved',
      approval: {
        ...approval,
        stageIndex: approval.stageIndex + 1,
        stageApprovals,
        updatedAt: now,
        history: [...approval.history, { ...base, action: 'APPROVED', toStatus: 'PENDING' }, escalated],
      },
    };
  }
  return {
    outcome: 'approved',
    approval: {
      ...approval,
      status: 'APPROVED',
      stageApprovals,
      decidedBy: input.actorId,
      decidedAt: now,
      updatedAt: now,
      history: [...approval.history, { ...base, action: 'APPROVED', toStatus: 'APPROVED' }],
    },
  };
}

/** Withdrawn by `system` (CANCELLED, in its history): a request nobody could decide. */
export function withdrawn(current: Approval, reason: string, at: string): Approval {
  return {
    ...current,
    status: 'CANCELLED',
    decidedBy: 'system',
    decidedAt: at,
    reason,
    history: [
      ...current.history,
      {
        at,
        by: 'system',
        action: 'CANCELLED',
        fromStatus: 'PENDING',
        toStatus: 'CANCELLED',
        level: currentLevel(current),
        budgetCents: current.budgetCents,
        reason,
      },
    ],
  };
}

/** Reminded at `now` (the mentions are kept in the history entry). */
export function reminded(current: Approval, now: string, level: ApprovalLevel, mentions: string[]): Approval {
  return {
    ...current,
    remindedAt: now,
    history: [
      ...current.history,
      {
        at: now,
        by: 'system',
        action: 'REMINDED',
        fromStatus: 'PENDING',
        toStatus: 'PENDING',
        level,
        budgetCents: current.budgetCents,
        reason: `Reminded ${mentions.join(' ')}`,
        ...(current.permalink ? { messageLink: current.permalink } : {}),
      },
    ],
  };
}

/** Expired at `at` without a decision (decided by `system`). */
export function expired(approval: Approval, at: string, expiryDays: number): Approval {
  return {
    ...approval,
    status: 'EXPIRED',
    decidedBy: 'system',
    decidedAt: at,
    updatedAt: at,
    history: [
      ...approval.history,
      {
        at,
        by: 'system',
        action: 'EXPIRED',
        fromStatus: 'PENDING',
        toStatus: 'EXPIRED',
        level: currentLevel(approval),
        budgetCents: approval.budgetCents,
        reason: `No decision within ${expiryDays} day(s)`,
        ...(approval.permalink ? { messageLink: approval.permalink } : {}),
      },
    ],
  };
}

/**
 * Individual mentions of the approvers who have not acted, at most `MAX_REMINDER_MENTIONS` of them
 * (a group of hundreds would overflow a 3000-character section and cut a mention in half); the rest
 * are counted, not pinged.
 */
export function boundedMentions(userIds: string[]): string[] {
  const shown = userIds.slice(0, MAX_REMINDER_MENTIONS).map(userMention);
  const more = userIds.length - shown.length;
  return more > 0 ? [...shown, `and ${more} more approver${more === 1 ? '' : 's'}`] : shown;
}

/** The requester's notice for a final status. */
export function noticeFor(status: ApprovalStatus): RequesterNotice {
  switch (status) {
    case 'APPROVED':
      return 'approved';
    case 'REJECTED':
      return 'rejected';
    case 'EXPIRED':
      return 'expired';
    default:
      return 'cancelled';
  }
}

/** Campaigns whose budget no decision changes any more. */
const CLOSED_CAMPAIGN_STATUSES = new Set<Campaign['status']>(['REJECTED', 'CANCELLED', 'COMPLETED']);

/** The campaign after a decision, or undefined when it already reflects it (idempotent). */
export function campaignAfter(campaign: Campaign, approval: Approval, now: string): Campaign | undefined {
  if (approval.kind === 'campaign_creation') {
    if (campaign.status !== 'PENDING_APPROVAL') return undefined;
    if (approval.status === 'APPROVED') {
      return {
        ...campaign,
        status: 'PLANNED',
        budgetCents: approval.budgetCents,
        approvedBudgetCents: approval.budgetCents,
        updatedAt: now,
      };
    }
    return { ...campaign, status: approval.status === 'REJECTED' ? 'REJECTED' : 'CANCELLED', updatedAt: now };
  }
  // A budget change: only an approval changes the campaign; a rejection or expiry leaves it as it was,
  // and so does an approval that arrives after the campaign was closed (nothing left to spend on).
  if (approval.status !== 'APPROVED') return undefined;
  if (CLOSED_CAMPAIGN_STATUSES.has(campaign.status)) return undefined;
  if (
    campaign.budgetCents === approval.budgetCents &&
    campaign.approvedBudgetCents === approval.budgetCents
  ) {
    return undefined;
  }
  return {
    ...campaign,
    budgetCents: approval.budgetCents,
    approvedBudgetCents: approval.budgetCents,
    updatedAt: now,
  };
}
