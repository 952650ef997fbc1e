/**
 * Approvals: requests, exactly-once decisions, reminders, expiry and the audit trail.
 *
 * THE RULES AS BUILT
 * - Policy (services/policy.ts) decides whether a campaign creation or budget change needs approval:
 *   over APPROVAL_THRESHOLD_USD (default $10,000) → marketing leadership; over VP_THRESHOLD_USD
 *   (default $100,000) → VP. Boundaries are strict and in integer cents ($10,000.00 → none,
 *   $10,000.01 → leadership, $100,000.00 → leadership, $100,000.01 → VP).
 * - OVER THE VP THRESHOLD, VP APPROVAL FOLLOWS LEADERSHIP APPROVAL (it does not replace it): the
 *   request has two stages, `levels = ['leadership', 'vp']`. Stage 1 is decided by a leadership
 *   approver; it then escalates to stage 2 (the VP group is mentioned in the request's thread), which
 *   only a VP approver can decide. A leadership member who is not a VP cannot approve stage 2, and the
 *   person who approved stage 1 cannot also approve stage 2 (four eyes, even if they are in both
 *   groups). A rejection at either stage ends the request. Both stage approvals are kept in
 *   `stageApprovals` and in the history. Reminders and the single expiry cover the whole request; a
 *   reminder mentions the approvers of the stage that is waiting.
 * - Approvers of a level are the Slack user groups and/or user ids in APPROVERS_LEADERSHIP /
 *   APPROVERS_VP; membership is checked at click time. The requester can never decide their own
 *   request (at any stage). Refusals change nothing.
 * - Exactly once: every transition is ONE conditional PutItem on the approval item
 *   (`status = PENDING AND version = expected`) carrying the new history entry. Of fifty concurrent
 *   clicks one write wins; the others re-read, see the request decided (or its stage moved on) and are
 *   told who decided. Writes that only lost to a bookkeeping update (message posted, reminder sent)
 *   re-read and try again.
 * - Slow or outbound work never runs on the click: a decision enqueues the `approval.finalize` job
 *   (campaign status, `campaign.provision`, `onDecided`, schedules deleted, message updated in place,
 *   requester told), and a new request enqueues `approval.publish` (post the request, tell the
 *   requester with a permalink, create the reminder and expiry schedules). Both are idempotent, so the
 *   job runner's retries are safe. The expiry schedule also finalizes a decided request whose
 *   finalize job was somehow never enqueued.
 */

import type { ApprovalRepository } from '../adapters/dynamo/approval-repo';
import type { Config } from '../config';
import { type Approval, currentLevel, type NotifyTarget, type OnDecided } from '../domain/approval';
import type { ApprovalHistoryEntry, ApprovalLevel, ApprovalStatus, Campaign } from '../domain/model';
import { ConflictError, NotFoundError, UserFacingError } from '../errors';
import type { AppLogger } from '../logger';
import type { ApproverDirectory } from './approver-directory';
import type { PolicyDecision } from './policy';

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
export interface CampaignReader {
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
 * Slack side of approvals (adapters/slack-approval-publisher.ts renders with blocks/ and calls the
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

const LEVEL_LABEL: Record<ApprovalLevel, string> = { leadership: 'marketing leadership', vp: 'a VP' };
const MAX_WRITE_ATTEMPTS = 8;
/** Mentions in one reminder: 100 × `<@U…>` stays well inside a 3000-character section. */
const MAX_REMINDER_MENTIONS = 100;
/** Schedules may fire a little early (60 s precision); expiry tolerates that much. */
const EXPIRY_EARLY_TOLERANCE_MS = 2 * 60_000;

/** Name (≤ 64, `[0-9a-zA-Z-_.]`) and client token (≤ 64, `[a-zA-Z0-9-_]`) of an approval's schedule. */
export function scheduleName(approvalId: string, kind: 'remind' | 'expire'): string {
  return `approval-${kind}-${approvalId}`.replace(/[^0-9a-zA-Z_-]/g, '-').slice(0, 64);
}

export class ApprovalService {
  constructor(private readonly deps: ApprovalServiceDeps) {}

  get(approvalId: string): Promise<Approval | undefined> {
    return this.deps.repo.get(approvalId);
  }

  /** Every request (and stage) for one campaign, oldest first: the audit trail. */
  history(campaignId: string): Promise<Approval[]> {
    return this.deps.repo.listByCampaign(campaignId);
  }

  /** The pending request of a campaign, if any (a campaign has at most one at a time). */
  async pendingFor(campaignId: string): Promise<Approval | undefined> {
    const all = await this.deps.repo.listByCampaign(campaignId);
    return all.find((approval) => approval.status === 'PENDING');
  }

  /**
   * Fails loudly (before anything is stored) when a request for `level` could not reach anyone: no
   * approvers' channel, or no approvers configured for a level the request needs.
   */
  assertConfigured(level: ApprovalLevel): void {
    this.deps.channel();
    const needed: ApprovalLevel[] = level === 'vp' ? ['leadership', 'vp'] : ['leadership'];
    for (const each of needed) {
      if (this.deps.directory.entries(each).length === 0) {
        throw new UserFacingError(
          `Approvals are not configured yet: an admin must set ${each === 'vp' ? 'APPROVERS_VP' : 'APPROVERS_LEADERSHIP'} (Slack user-group or user ids).`,
        );
      }
    }
  }

  /**
   * Stores a PENDING request (one conditional write) and enqueues its publication. The Slack posts
   * and schedules happen in the `approval.publish` job, so this fits inside a 3-second ack.
   */
  async request(input: RequestApprovalInput): Promise<Approval> {
    const { clock, config, newId } = this.deps;
    const now = clock();
    const approvalId = `apr_${newId()}`;
    const levels: ApprovalLevel[] = input.decision.level === 'vp' ? ['leadership', 'vp'] : ['leadership'];
    const reminderAt = new Date(now.getTime() + config.approvals.reminderHours * 3_600_000);
    const expiresAt = new Date(now.getTime() + config.approvals.expiryDays * 86_400_000);
    const approval: Approval = {
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
      channelId: this.deps.channel(),
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
    const stored = await this.deps.repo.create(approval);
    try {
      await this.deps.jobs.enqueue({
        kind: APPROVAL_JOB_KINDS.publish,
        payload: { approvalId },
        idempotencyKey: `${APPROVAL_JOB_KINDS.publish}:${approvalId}`,
      });
    } catch (error) {
      // Never posted, so nobody could decide it: withdraw it (in its history) rather than leave it
      // pending forever. The caller reports the error to the requester.
      await this.withdrawBySystem(
        approvalId,
        'The request could not be queued for posting; nothing was sent to the approvers.',
      ).catch(() => undefined);
      throw error;
    }
    return stored;
  }

  /**
   * Why `userId` may not decide `approval` at its current stage, or undefined when they may.
   * Checked at click time (group membership is live, cached for a minute).
   */
  async refusal(
    approval: Approval,
    userId: string,
  ): Promise<{ reason: RefusalReason; message: string } | undefined> {
    const level = currentLevel(approval);
    if (userId === approval.requesterId) {
      return { reason: 'self', message: 'You asked for this approval, so someone else has to decide it.' };
    }
    if (approval.stageApprovals.some((stage) => stage.by === userId)) {
      return {
        reason: 'same_approver',
        message: `You already approved the ${approval.stageApprovals.find((s) => s.by === userId)?.level} stage; the ${level === 'vp' ? 'VP' : level} stage needs a different approver.`,
      };
    }
    if (!(await this.deps.directory.isApprover(userId, level))) {
      return {
        reason: 'not_approver',
        message: `Only ${LEVEL_LABEL[level]} can decide this stage (${this.deps.directory.mentions(level).join(', ') || 'no approvers are configured'}). Nothing was changed.`,
      };
    }
    return undefined;
  }

  /**
   * Approve or reject: authorization at click time, then ONE conditional write. Exactly one of any
   * number of concurrent calls for the same stage wins; the rest get `already_decided`.
   */
  async decide(input: DecideInput): Promise<DecideResult> {
    for (let attempt = 0; attempt < MAX_WRITE_ATTEMPTS; attempt++) {
      const approval = await this.deps.repo.get(input.approvalId);
      if (!approval) throw new NotFoundError('That approval request no longer exists.');
      if (approval.status !== 'PENDING') return { outcome: 'already_decided', approval };
      if (input.expectedStage !== undefined && approval.stageIndex !== input.expectedStage) {
        return { outcome: 'already_decided', approval };
      }
      const refused = await this.refusal(approval, input.actorId);
      if (refused) return { outcome: 'refused', ...refused, approval };

      const next = this.applyDecision(approval, input);
      try {
        const stored = await this.deps.repo.update(next.approval, approval.version, {
          requireStatus: 'PENDING',
        });
        await this.enqueueFinalize(stored);
        return { outcome: next.outcome, approval: stored };
      } catch (error) {
        if (!(error instanceof ConflictError)) throw error;
        // Lost the write: re-read. Another decision ends the loop above; a bookkeeping write retries.
      }
    }
    throw new ConflictError(`approval ${input.approvalId} is too busy to decide right now`);
  }

  private applyDecision(
    approval: Approval,
    input: DecideInput,
  ): { approval: Approval; outcome: 'approved' | 'stage_approved' | 'rejected' } {
    const now = this.deps.clock().toISOString();
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

  private async enqueueFinalize(approval: Approval): Promise<void> {
    try {
      await this.deps.jobs.enqueue({
        kind: APPROVAL_JOB_KINDS.finalize,
        payload: { approvalId: approval.approvalId, version: approval.version },
        idempotencyKey: `${APPROVAL_JOB_KINDS.finalize}:${approval.approvalId}:${approval.version}`,
      });
    } catch (error) {
      // The decision itself is stored; the expiry schedule finalizes it if this job never exists.
      this.deps.logger.error(
        { approvalId: approval.approvalId, err: error },
        'could not enqueue approval.finalize',
      );
    }
  }

  /**
   * Job `approval.publish`: posts the request (once), tells the requester with a permalink (once) and
   * creates the reminder and expiry schedules (idempotent names and client tokens).
   */
  async publish(approvalId: string): Promise<void> {
    let approval = await this.deps.repo.get(approvalId);
    if (!approval) {
      this.deps.logger.warn({ approvalId }, 'approval.publish: no such approval');
      return;
    }
    if (!approval.messageTs) {
      const postedState = `${approval.status}:${approval.stageIndex}`;
      const posted = await this.deps.publisher.postRequest(await this.view(approval));
      approval = await this.patch(approvalId, (current) => ({
        ...current,
        messageTs: current.messageTs ?? posted.ts,
        ...(posted.permalink && !current.permalink ? { permalink: posted.permalink } : {}),
        history: current.history.map((entry, index) =>
          index === 0 && posted.permalink && !entry.messageLink
            ? { ...entry, messageLink: posted.permalink }
            : entry,
        ),
      }));
      // Decided (or moved a stage) while the message was being posted: show the state as it is now.
      if (`${approval.status}:${approval.stageIndex}` !== postedState) {
        await this.deps.publisher.updateRequest(await this.view(approval));
      }
    }
    if (!approval.requesterMessageTs && approval.status === 'PENDING') {
      const ts = await this.deps.publisher.notifyRequester(approval, 'requested');
      if (ts) approval = await this.patch(approvalId, (current) => ({ ...current, requesterMessageTs: ts }));
    }
    if (approval.status === 'PENDING') {
      const { scheduler } = this.deps;
      if (new Date(approval.reminderAt) < new Date(approval.expiresAt)) {
        await scheduler.scheduleOnce({
          name: approval.schedules.reminder,
          at: new Date(approval.reminderAt),
          payload: { kind: APPROVAL_SCHEDULE_KINDS.remind, approvalId },
          clientToken: approval.schedules.reminder,
        });
      }
      await scheduler.scheduleOnce({
        name: approval.schedules.expiry,
        at: new Date(approval.expiresAt),
        payload: { kind: APPROVAL_SCHEDULE_KINDS.expire, approvalId },
        clientToken: approval.schedules.expiry,
      });
    }
  }

  /** Withdraws a PENDING request nobody could decide (CANCELLED by `system`, in its history). */
  private withdrawBySystem(approvalId: string, reason: string) {
    const at = this.deps.clock().toISOString();
    return this.patch(
      approvalId,
      (current) => ({
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
      }),
      'PENDING',
    );
  }

  /**
   * The publish job failed for good (e.g. the bot is not in the approvers' channel): the request is
   * withdrawn (CANCELLED, in its history), the campaign cancelled, and the requester told if Slack
   * lets us. Nobody could have decided a request nobody saw.
   */
  async publishFailed(approvalId: string, detail: string): Promise<void> {
    const reason = `The request could not be posted to the approvers’ channel (${detail.slice(0, 200)}). Ask an admin to check APPROVALS_CHANNEL and that the bot is in it.`;
    const cancelled = await this.withdrawBySystem(approvalId, reason).catch((error: unknown) => {
      if (error instanceof ConflictError) return undefined;
      throw error;
    });
    if (cancelled) await this.finalize(approvalId);
  }

  /**
   * Job `approval.finalize`: brings everything in line with the stored state. Idempotent: each step
   * checks before it writes, so a retry after a partial run is safe.
   */
  async finalize(approvalId: string): Promise<void> {
    const approval = await this.deps.repo.get(approvalId);
    if (!approval) return;
    if (approval.status === 'PENDING') {
      // A stage was approved: the message shows it and the next stage's approvers are called.
      if (approval.stageIndex === 0) return;
      if (approval.messageTs) {
        const view = await this.view(approval);
        await this.deps.publisher.updateRequest(view);
        // A retried job (the requester's notice failed) must not call the next approvers twice.
        if (approval.escalationNotedStage !== approval.stageIndex) {
          await this.deps.publisher.postThreadNote(approval, { kind: 'escalated', mentions: view.mentions });
          const stage = approval.stageIndex;
          await this.patch(approvalId, (current) => ({ ...current, escalationNotedStage: stage }));
        }
      }
      await this.deps.publisher.notifyRequester(approval, 'stage_approved');
      return;
    }
    if (approval.finalizedAt) return;
    await this.applyToCampaign(approval);
    if (approval.onDecided) {
      await this.deps.jobs.enqueue({
        kind: approval.onDecided.jobKind,
        payload: { ...approval.onDecided.payload, approvalId, decision: approval.status },
        idempotencyKey: `on-decided:${approvalId}`,
      });
    }
    await Promise.all([
      this.deps.scheduler.cancel(approval.schedules.reminder),
      this.deps.scheduler.cancel(approval.schedules.expiry),
    ]);
    if (approval.messageTs) await this.deps.publisher.updateRequest(await this.view(approval));
    await this.deps.publisher.notifyRequester(approval, noticeFor(approval.status));
    await this.patch(approvalId, (current) => ({ ...current, finalizedAt: this.deps.clock().toISOString() }));
  }

  /**
   * The finalize job failed for good (retries spent). The decision itself is stored; what may be
   * missing is the requester hearing about it. Unless the run got that far (`finalizedAt`), they
   * are told in their DM, where a thread that no longer takes messages cannot stop it.
   */
  async finalizeFailed(approvalId: string): Promise<void> {
    const approval = await this.deps.repo.get(approvalId);
    if (!approval || approval.status === 'PENDING' || approval.finalizedAt) return;
    await this.deps.publisher.notifyRequester(
      { ...approval, notify: { channelId: approval.requesterId } },
      noticeFor(approval.status),
    );
  }

  /** The campaign side of a decision; a conditional write per change, retried on a stale version. */
  private async applyToCampaign(approval: Approval): Promise<void> {
    for (let attempt = 0; attempt < MAX_WRITE_ATTEMPTS; attempt++) {
      const campaign = await this.deps.campaigns.get(approval.campaignId);
      if (!campaign) {
        this.deps.logger.warn({ approvalId: approval.approvalId }, 'approved campaign no longer exists');
        return;
      }
      const next = campaignAfter(campaign, approval, this.deps.clock().toISOString());
      if (next) {
        try {
          await this.deps.campaigns.update(next, campaign.version);
        } catch (error) {
          if (error instanceof ConflictError) continue;
          throw error;
        }
      }
      const live = !['REJECTED', 'CANCELLED'].includes((next ?? campaign).status);
      if (approval.kind === 'campaign_creation' && approval.status === 'APPROVED' && live) {
        await this.deps.jobs.enqueue({
          kind: PROVISION_JOB_KIND,
          payload: { campaignId: approval.campaignId },
          idempotencyKey: `${PROVISION_JOB_KIND}:${approval.campaignId}`,
        });
      }
      return;
    }
    throw new ConflictError(`campaign ${approval.campaignId} kept changing; will retry`);
  }

  /**
   * Scheduled `approval.remind`: mentions the approvers of the waiting stage who have not acted (the
   * requester and earlier-stage approvers excluded) in the request's thread. Does nothing once decided.
   */
  async remind(approvalId: string): Promise<{ reminded: string[] } | { skipped: string }> {
    const approval = await this.deps.repo.get(approvalId);
    if (!approval) return { skipped: 'not_found' };
    if (approval.status !== 'PENDING') return { skipped: 'decided' };
    // Schedules are delivered at least once: a second delivery must not ping everyone again.
    if (approval.remindedAt) return { skipped: 'already_reminded' };
    const level = currentLevel(approval);
    const acted = new Set([approval.requesterId, ...approval.stageApprovals.map((stage) => stage.by)]);
    const waiting = (await this.deps.directory.members(level)).filter((userId) => !acted.has(userId));
    const mentions = waiting.length > 0 ? boundedMentions(waiting) : this.deps.directory.mentions(level);
    if (approval.messageTs)
      await this.deps.publisher.postThreadNote(approval, { kind: 'reminder', mentions });
    const now = this.deps.clock().toISOString();
    await this.patch(
      approvalId,
      (current) => ({
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
      }),
      'PENDING',
    ).catch((error: unknown) => {
      // Decided between the read and this write: the reminder was harmless, nothing to record.
      if (!(error instanceof ConflictError)) throw error;
    });
    return { reminded: waiting };
  }

  /**
   * Scheduled `approval.expire`: PENDING → EXPIRED (conditional), then finalize (message updated,
   * requester told, campaign cancelled or budget left as it was). A decided request is left alone,
   * except that one never finalized is finalized now.
   */
  async expire(approvalId: string): Promise<'expired' | 'skipped'> {
    for (let attempt = 0; attempt < MAX_WRITE_ATTEMPTS; attempt++) {
      const approval = await this.deps.repo.get(approvalId);
      if (!approval) return 'skipped';
      if (approval.status !== 'PENDING') {
        if (!approval.finalizedAt) await this.enqueueFinalize(approval);
        return 'skipped';
      }
      const now = this.deps.clock();
      if (now.getTime() < new Date(approval.expiresAt).getTime() - EXPIRY_EARLY_TOLERANCE_MS)
        return 'skipped';
      const at = now.toISOString();
      const next: Approval = {
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
            reason: `No decision within ${this.deps.config.approvals.expiryDays} day(s)`,
            ...(approval.permalink ? { messageLink: approval.permalink } : {}),
          },
        ],
      };
      try {
        const stored = await this.deps.repo.update(next, approval.version, { requireStatus: 'PENDING' });
        await this.enqueueFinalize(stored);
        return 'expired';
      } catch (error) {
        if (!(error instanceof ConflictError)) throw error;
      }
    }
    throw new ConflictError(`approval ${approvalId} is too busy to expire right now`);
  }

  /** Every pending request, oldest first (`status-index`; for digests and App Home). */
  listPending(limit = 200): Promise<Approval[]> {
    return this.deps.repo.listByStatus('PENDING', limit);
  }

  /** Pending requests `userId` may decide now (their stage, not their own), oldest first. */
  async listDecidableBy(userId: string, limit = 200): Promise<Approval[]> {
    const pending = await this.listPending(limit);
    const decidable: Approval[] = [];
    for (const approval of pending) {
      if (!(await this.refusal(approval, userId))) decidable.push(approval);
    }
    return decidable;
  }

  /** What a request message shows now. */
  async view(approval: Approval): Promise<ApprovalView> {
    const campaign = await this.deps.campaigns.get(approval.campaignId);
    return { approval, campaign, mentions: this.deps.directory.mentions(currentLevel(approval)) };
  }

  /** Read-modify-write with the version condition, retried on a stale read (bookkeeping fields only). */
  private async patch(
    approvalId: string,
    change: (current: Approval) => Approval,
    requireStatus?: ApprovalStatus,
  ): Promise<Approval> {
    for (let attempt = 0; attempt < MAX_WRITE_ATTEMPTS; attempt++) {
      const current = await this.deps.repo.get(approvalId);
      if (!current) throw new NotFoundError(`approval ${approvalId} no longer exists`);
      if (requireStatus && current.status !== requireStatus) {
        throw new ConflictError(`approval ${approvalId} is ${current.status}`);
      }
      try {
        return await this.deps.repo.update(
          { ...change(current), updatedAt: this.deps.clock().toISOString() },
          current.version,
          requireStatus ? { requireStatus } : {},
        );
      } catch (error) {
        if (!(error instanceof ConflictError)) throw error;
      }
    }
    throw new ConflictError(`approval ${approvalId} kept changing`);
  }
}

/**
 * Individual mentions of the approvers who have not acted, at most `MAX_REMINDER_MENTIONS` of them
 * (a group of hundreds would overflow a 3000-character section and cut a mention in half); the rest
 * are counted, not pinged.
 */
export function boundedMentions(userIds: string[]): string[] {
  const shown = userIds.slice(0, MAX_REMINDER_MENTIONS).map((userId) => `<@${userId}>`);
  const more = userIds.length - shown.length;
  return more > 0 ? [...shown, `and ${more} more approver${more === 1 ? '' : 's'}`] : shown;
}

function noticeFor(status: ApprovalStatus): RequesterNotice {
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
