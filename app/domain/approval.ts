import { z } from 'zod';
import { ApprovalHistoryEntry, ApprovalLevel, ApprovalStatus, cents, isoInstant, slackUserId } from './model';

/**
 * An approval request and everything that ever happened to it, in ONE DynamoDB item: the decision,
 * the stage reached, the Slack message it lives in and its full history. Keeping it in one item is
 * what makes a decision exactly-once without transactions: every transition is one conditional
 * write on `status = PENDING AND version = expected`, with the history entry in the same write.
 */
const APPROVAL_KINDS = ['campaign_creation', 'budget_change'] as const;
const ApprovalKind = z.enum(APPROVAL_KINDS);

/** Where the requester is told about their request: a thread (agent, channel) or their DM (channel = user id). */
export const NotifyTarget = z.object({
  channelId: z.string().min(1),
  threadTs: z.string().optional(),
});
export type NotifyTarget = z.infer<typeof NotifyTarget>;

/** A job to enqueue once the approval is decided (the agent waits on approvals this way). */
export const OnDecided = z.object({
  jobKind: z.string().min(1),
  payload: z.record(z.string(), z.unknown()),
});
export type OnDecided = z.infer<typeof OnDecided>;

/** One stage that has been approved (two-stage requests over the VP threshold keep both). */
const StageApproval = z.object({
  level: ApprovalLevel,
  by: slackUserId,
  at: isoInstant,
});

export const Approval = z.object({
  approvalId: z.string().min(1),
  campaignId: z.string().min(1),
  /** Snapshots for display, so a message can be rendered without reading the campaign. */
  campaignName: z.string().min(1),
  teamId: z.string().min(1),
  kind: ApprovalKind,
  status: ApprovalStatus,
  /** Levels that must approve, in order: `['leadership']` or `['leadership', 'vp']`. */
  levels: z.array(ApprovalLevel).min(1),
  /** Index into `levels` of the stage waiting for a decision. */
  stageIndex: z.number().int().nonnegative(),
  stageApprovals: z.array(StageApproval).default([]),
  requesterId: slackUserId,
  budgetCents: cents,
  /** For a budget change: the campaign's budget when the change was asked for. */
  previousBudgetCents: cents.optional(),
  /** For a budget change: the budget approved before (what the raise is measured against). */
  previousApprovedBudgetCents: cents.optional(),
  policyId: z.string().min(1),
  policyMessage: z.string().min(1),
  reasonForChange: z.string().max(500).optional(),
  /** The approvers' channel and the request message, once posted. */
  channelId: z.string().min(1),
  messageTs: z.string().optional(),
  permalink: z.string().optional(),
  notify: NotifyTarget,
  requesterMessageTs: z.string().optional(),
  reminderAt: isoInstant,
  expiresAt: isoInstant,
  schedules: z.object({ reminder: z.string().min(1), expiry: z.string().min(1) }),
  remindedAt: isoInstant.optional(),
  /** The stage whose approvers were last called in the thread (so a retried job calls them once). */
  escalationNotedStage: z.number().int().nonnegative().optional(),
  decidedBy: z.string().optional(),
  decidedAt: isoInstant.optional(),
  reason: z.string().max(3000).optional(),
  /** Set by the finalize job once the campaign, message, requester and schedules reflect the decision. */
  finalizedAt: isoInstant.optional(),
  onDecided: OnDecided.optional(),
  history: z.array(ApprovalHistoryEntry),
  createdAt: isoInstant,
  updatedAt: isoInstant,
  version: z.number().int().positive(),
});
export type Approval = z.infer<typeof Approval>;

/** The level whose decision the request waits for (the last one once decided). */
export function currentLevel(approval: Approval): ApprovalLevel {
  const level = approval.levels[Math.min(approval.stageIndex, approval.levels.length - 1)];
  if (!level) throw new Error(`approval ${approval.approvalId} has no levels`);
  return level;
}
