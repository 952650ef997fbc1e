import type { ApprovalRepository } from '../adapters/dynamo/approval-repo';
import type { Config } from '../config';
import type { Approval, NotifyTarget, OnDecided } from '../domain/approval';
import type { Campaign } from '../domain/model';
import type { AppLogger } from '../logger';
import type { ApproverDirectory } from './approver-directory';
import type { PolicyDecision } from './policy';
import type { SyncHook } from './sync/hook';

/*
 * The approvals capability's contract: the job and schedule kinds it owns, the ports it is built
 * on (jobs, schedules, campaigns, the Slack publisher) and the shapes of its inputs and results.
 */

/** Job kinds this capability enqueues and handles. */
export const APPROVAL_JOB_KINDS = {
  publish: 'approval.publish',
  finalize: 'approval.finalize',
} as const;
/** Scheduled payload kinds (one-time schedules). */
export const APPROVAL_SCHEDULE_KINDS = {
  remind: 'approval.remind',
  expire: 'approval.expire',
} as const;
export const PROVISION_JOB_KIND = 'campaign.provision';

/** The part of the job service this capability uses (structural, so tests can pass a recorder). */
export interface JobEnqueuer {
  enqueue(input: {
    kind: string;
    payload: Record<string, unknown>;
    idempotencyKey?: string;
    maxAttempts?: number;
  }): Promise<unknown>;
}

/** The one-time scheduler (EventBridge Scheduler in the cloud, in-process locally). */
export interface OneTimeSchedulerPort {
  scheduleOnce(input: {
    name: string;
    at: Date;
    payload: { kind: string; [key: string]: unknown };
    clientToken: string;
  }): Promise<void>;
  cancel(name: string): Promise<void>;
}

/** The campaign store operations approvals need. */
interface CampaignReader {
  get(campaignId: string): Promise<Campaign | undefined>;
  update(next: Campaign, expectedVersion: number): Promise<Campaign>;
}

/** What a request message shows: the approval, its campaign and who is asked to act now. */
export interface ApprovalView {
  approval: Approval;
  campaign: Campaign | undefined;
  /** Mentions of the approvers of the waiting stage (`<!subteam^S…>` / `<@U…>`). */
  mentions: string[];
}

export type RequesterNotice =
  | 'requested'
  | 'stage_approved'
  | 'approved'
  | 'rejected'
  | 'expired'
  | 'cancelled';

/**
 * Slack side of approvals (app/outbound/slack-approval-publisher.ts renders with blocks/ and calls the
 * Web API). Kept behind an interface so the service holds no Block Kit and tests can record calls.
 */
export interface ApprovalPublisher {
  postRequest(view: ApprovalView): Promise<{ ts: string; permalink: string | undefined }>;
  updateRequest(view: ApprovalView): Promise<void>;
  /** A reply in the request's thread: a reminder naming people, or the escalation to the next stage. */
  postThreadNote(
    approval: Approval,
    note: { kind: 'reminder'; mentions: string[] } | { kind: 'escalated'; mentions: string[] },
  ): Promise<void>;
  notifyRequester(approval: Approval, notice: RequesterNotice): Promise<string | undefined>;
}

export interface ApprovalServiceDeps {
  repo: ApprovalRepository;
  campaigns: CampaignReader;
  directory: ApproverDirectory;
  publisher: ApprovalPublisher;
  jobs: JobEnqueuer;
  scheduler: OneTimeSchedulerPort;
  config: Config;
  clock: () => Date;
  newId: () => string;
  logger: AppLogger;
  /** Resolves the approvers' channel (configuration, or the stand-in's channel locally). */
  channel: () => string;
  /** Two-way sync: told when a decision changed the campaign (an approved budget reaches the work system). */
  sync?: Pick<SyncHook, 'campaignChanged'>;
}

export interface RequestApprovalInput {
  campaign: Campaign;
  kind: Approval['kind'];
  decision: Extract<PolicyDecision, { outcome: 'needs_approval' }>;
  requesterId: string;
  budgetCents: number;
  previousBudgetCents?: number;
  previousApprovedBudgetCents?: number;
  notify: NotifyTarget;
  onDecided?: OnDecided;
  reasonForChange?: string;
}

export type DecideInput = {
  approvalId: string;
  actorId: string;
  /** The stage the clicker saw (from the button); a click on a stage already decided changes nothing. */
  expectedStage?: number;
} & ({ decision: 'approve' } | { decision: 'reject'; reason: string });

export type RefusalReason = 'self' | 'not_approver' | 'same_approver';

export type DecideResult =
  | { outcome: 'approved' | 'stage_approved' | 'rejected'; approval: Approval }
  | { outcome: 'already_decided'; approval: Approval }
  | { outcome: 'refused'; reason: RefusalReason; message: string; approval: Approval };
