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
 *
 * The parts: the contract (approval-ports.ts), the state transitions as pure functions
 * (approval-transitions.ts), record reads and conditional writes (approval-records.ts) and the
 * follow-up run in jobs and schedules (approval-follow-up.ts). This class is the capability's face.
 */

import { type Approval, currentLevel } from '../domain/approval';

import type { ApprovalLevel } from '../domain/model';
import { ConflictError, NotFoundError, UserFacingError } from '../errors';
import { ApprovalFollowUp } from './approval-follow-up';
import {
  APPROVAL_JOB_KINDS,
  type ApprovalServiceDeps,
  type ApprovalView,
  type DecideInput,
  type DecideResult,
  type RefusalReason,
  type RequestApprovalInput,
} from './approval-ports';
import { ApprovalRecords, MAX_WRITE_ATTEMPTS } from './approval-records';
import { decisionTransition, expired, newApproval } from './approval-transitions';

const LEVEL_LABEL: Record<ApprovalLevel, string> = { leadership: 'marketing leadership', vp: 'a VP' };
/** Schedules may fire a little early (60 s precision); expiry tolerates that much. */
const EXPIRY_EARLY_TOLERANCE_MS = 2 * 60_000;

export class ApprovalService {
  private readonly records: ApprovalRecords;
  private readonly followUp: ApprovalFollowUp;

  constructor(private readonly deps: ApprovalServiceDeps) {
    this.records = new ApprovalRecords(deps);
    this.followUp = new ApprovalFollowUp(deps, this.records);
  }

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
    const approvalId = `apr_${newId()}`;
    const approval = newApproval(input, {
      approvalId,
      now: clock(),
      channelId: this.deps.channel(),
      reminderHours: config.approvals.reminderHours,
      expiryDays: config.approvals.expiryDays,
    });
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
      await this.records
        .withdrawBySystem(
          approvalId,
          'The request could not be queued for posting; nothing was sent to the approvers.',
        )
        .catch(() => undefined);
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

      const next = decisionTransition(approval, input, this.deps.clock().toISOString());
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

  /** Job `approval.publish`: posts the request, tells the requester, creates the schedules. */
  publish(approvalId: string): Promise<void> {
    return this.followUp.publish(approvalId);
  }

  /** The publish job failed for good: the request is withdrawn and the requester told. */
  publishFailed(approvalId: string, detail: string): Promise<void> {
    return this.followUp.publishFailed(approvalId, detail);
  }

  /** Job `approval.finalize`: brings campaign, message, schedules and requester in line with the decision. */
  finalize(approvalId: string): Promise<void> {
    return this.followUp.finalize(approvalId);
  }

  /** The finalize job failed for good: the requester is told in their DM. */
  finalizeFailed(approvalId: string): Promise<void> {
    return this.followUp.finalizeFailed(approvalId);
  }

  /** Scheduled `approval.remind`: mentions the approvers of the waiting stage who have not acted. */
  remind(approvalId: string): Promise<{ reminded: string[] } | { skipped: string }> {
    return this.followUp.remind(approvalId);
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
      const next = expired(approval, now.toISOString(), this.deps.config.approvals.expiryDays);
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
  view(approval: Approval): Promise<ApprovalView> {
    return this.records.view(approval);
  }
}
