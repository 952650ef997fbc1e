import { z } from 'zod';

/**
 * The domain's records, validated with zod on the way into and out of the store.
 * Money is integer cents (policy boundaries such as $10,000.00 vs $10,000.01 are exact).
 * Dates without time are `YYYY-MM-DD` (a calendar day, interpreted in the viewer's time zone);
 * instants are ISO-8601 UTC strings.
 */
export const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'must be YYYY-MM-DD');
export const isoInstant = z.iso.datetime({ offset: true });
export const slackUserId = z.string().regex(/^[UW][A-Z0-9]{2,}$/);
export const slackChannelId = z.string().regex(/^[CDG][A-Z0-9]{2,}$/);
export const cents = z.number().int().nonnegative();

export const CAMPAIGN_TYPES = ['standard', 'event', 'partner'] as const;
export const CampaignType = z.enum(CAMPAIGN_TYPES);
export type CampaignType = z.infer<typeof CampaignType>;

export const CAMPAIGN_TIERS = [1, 2, 3] as const;
export const CampaignTier = z.union([z.literal(1), z.literal(2), z.literal(3)]);
export type CampaignTier = z.infer<typeof CampaignTier>;

/** Every campaign status; `status-index` is queried per status, so this list is also the index's key space. */
export const CAMPAIGN_STATUSES = [
  'DRAFT',
  'PENDING_APPROVAL',
  'PLANNED',
  'IN_PROGRESS',
  'ON_HOLD',
  'LAUNCHED',
  'COMPLETED',
  'REJECTED',
  'CANCELLED',
] as const;
export const CampaignStatus = z.enum(CAMPAIGN_STATUSES);
export type CampaignStatus = z.infer<typeof CampaignStatus>;

const WORK_SYSTEMS = ['workfront', 'asana'] as const;
export const WorkSystem = z.enum(WORK_SYSTEMS);
export type WorkSystem = z.infer<typeof WorkSystem>;

export const Team = z.object({
  teamId: z.string().min(1),
  name: z.string().min(1),
  slackChannelId: slackChannelId,
  /** IANA time zone the team's digest runs in. */
  timezone: z.string().min(1),
  /** Slack user-group id (S…) of the team, when there is one. */
  slackUserGroupId: z.string().optional(),
  /**
   * Who does which kind of work in this team, by template role (`legal`, `creative`, `web`, …;
   * see app/domain/templates.ts). Provisioning assigns a campaign's tasks from it.
   */
  roleOwners: z.record(z.string(), slackUserId).optional(),
  version: z.number().int().positive(),
});
export type Team = z.infer<typeof Team>;

/**
 * What a campaign id looks like: `cmp_` and a ULID for campaigns created here, `cmp-001` in the demo
 * data. A query of this shape is an id typed by a person, so one that matches no campaign is
 * answered as an unknown id, not with names that merely look alike.
 */
export const CAMPAIGN_ID_SHAPE = /^cmp[-_][0-9a-z]+$/i;

export const Campaign = z.object({
  campaignId: z.string().min(1),
  name: z.string().min(1).max(150),
  type: CampaignType,
  tier: CampaignTier,
  status: CampaignStatus,
  ownerSlackId: slackUserId,
  teamId: z.string().min(1),
  budgetCents: cents,
  /** The budget last approved; a later raise past it asks for approval again. */
  approvedBudgetCents: cents.optional(),
  launchDate: isoDate,
  endDate: isoDate.optional(),
  audience: z.string().max(500).optional(),
  channels: z.array(z.string().min(1)).default([]),
  description: z.string().max(3000).optional(),
  workSystem: WorkSystem.optional(),
  externalProjectId: z.string().optional(),
  externalProjectUrl: z.url().optional(),
  createdBy: slackUserId,
  createdAt: isoInstant,
  updatedAt: isoInstant,
  version: z.number().int().positive(),
});
export type Campaign = z.infer<typeof Campaign>;

const TASK_STATUSES = ['NOT_STARTED', 'IN_PROGRESS', 'BLOCKED', 'DONE', 'CANCELLED'] as const;
export const TaskStatus = z.enum(TASK_STATUSES);
export type TaskStatus = z.infer<typeof TaskStatus>;

/** Statuses in which a task is still work to do. */
export const OPEN_TASK_STATUSES: ReadonlySet<TaskStatus> = new Set(['NOT_STARTED', 'IN_PROGRESS', 'BLOCKED']);

export const Task = z.object({
  campaignId: z.string().min(1),
  taskId: z.string().min(1),
  /** The campaign's team (copied from it): keys the team's open-task index the digest reads. */
  teamId: z.string().min(1),
  name: z.string().min(1),
  ownerSlackId: slackUserId.optional(),
  dueDate: isoDate.optional(),
  status: TaskStatus,
  /** A milestone is what "next milestone" on the campaign card means. */
  milestone: z.boolean().default(false),
  /** Task ids (same campaign) that must be DONE before this one can start. */
  dependsOn: z.array(z.string()).default([]),
  workSystem: WorkSystem,
  externalId: z.string().optional(),
  completedAt: isoInstant.optional(),
  updatedAt: isoInstant,
  version: z.number().int().positive(),
});
export type Task = z.infer<typeof Task>;

const APPROVAL_STATUSES = ['PENDING', 'APPROVED', 'REJECTED', 'EXPIRED', 'CANCELLED'] as const;
export const ApprovalStatus = z.enum(APPROVAL_STATUSES);
export type ApprovalStatus = z.infer<typeof ApprovalStatus>;

export const ApprovalLevel = z.enum(['leadership', 'vp']);
export type ApprovalLevel = z.infer<typeof ApprovalLevel>;

export const ApprovalHistoryEntry = z.object({
  at: isoInstant,
  /** Slack user id, or `system` for reminders and expiry. */
  by: z.string(),
  action: z.enum(['REQUESTED', 'REMINDED', 'APPROVED', 'REJECTED', 'EXPIRED', 'CANCELLED', 'ESCALATED']),
  fromStatus: ApprovalStatus.optional(),
  toStatus: ApprovalStatus,
  level: ApprovalLevel.optional(),
  reason: z.string().optional(),
  budgetCents: cents,
  messageLink: z.string().optional(),
});
export type ApprovalHistoryEntry = z.infer<typeof ApprovalHistoryEntry>;

export const Job = z.object({
  jobId: z.string().min(1),
  kind: z.string().min(1),
  status: z.enum(['QUEUED', 'RUNNING', 'SUCCEEDED', 'FAILED']),
  /** Never a token or secret: the worker loads those from its own configuration. */
  payload: z.record(z.string(), z.unknown()),
  attempts: z.number().int().nonnegative(),
  maxAttempts: z.number().int().positive(),
  /** When the job may next be claimed (ISO instant); also the sweep's sort key. */
  nextAttemptAt: isoInstant,
  /** While RUNNING: when the claim lapses and the sweep may re-dispatch it. */
  leaseUntil: isoInstant.optional(),
  /**
   * While RUNNING: which process holds the claim (`<slot>/<incarnation>`, see `JobInstance`), so a
   * restarted process can take back at once what its dead predecessor held instead of waiting out the lease.
   */
  leaseHolder: z.string().min(1).max(300).optional(),
  lastError: z.string().optional(),
  /**
   * The Slack `response_url` a job answers a click or command through. A short-lived capability
   * (anyone holding it may post to that user for 30 minutes), so it never travels in `payload` (which
   * the payload guard checks for it) and is removed when the job finishes.
   */
  responseUrl: z.string().url().max(2000).optional(),
  createdAt: isoInstant,
  updatedAt: isoInstant,
  version: z.number().int().positive(),
});
export type Job = z.infer<typeof Job>;
