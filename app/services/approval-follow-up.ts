import { type Approval, currentLevel } from '../domain/approval';
import { ConflictError } from '../errors';
import { APPROVAL_SCHEDULE_KINDS, type ApprovalServiceDeps, PROVISION_JOB_KIND } from './approval-ports';
import { type ApprovalRecords, MAX_WRITE_ATTEMPTS } from './approval-records';
import { boundedMentions, campaignAfter, noticeFor, reminded } from './approval-transitions';

/**
 * What happens after a request is stored or decided, in jobs and schedules (never on a click): the
 * request is posted and its schedules created (`approval.publish`), a decision is applied to the
 * campaign, the message and the requester (`approval.finalize`), and reminders go out. Every step is
 * idempotent, so the job runner's retries are safe.
 */
export class ApprovalFollowUp {
  constructor(
    private readonly deps: ApprovalServiceDeps,
    private readonly records: ApprovalRecords,
  ) {}

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
      const posted = await this.deps.publisher.postRequest(await this.records.view(approval));
      approval = await this.records.patch(approvalId, (current) => ({
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
        await this.deps.publisher.updateRequest(await this.records.view(approval));
      }
    }
    if (!approval.requesterMessageTs && approval.status === 'PENDING') {
      const ts = await this.deps.publisher.notifyRequester(approval, 'requested');
      if (ts)
        approval = await this.records.patch(approvalId, (current) => ({
          ...current,
          requesterMessageTs: ts,
        }));
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

  /**
   * The publish job failed for good (e.g. the bot is not in the approvers' channel): the request is
   * withdrawn (CANCELLED, in its history), the campaign cancelled, and the requester told if Slack
   * lets us. Nobody could have decided a request nobody saw.
   */
  async publishFailed(approvalId: string, detail: string): Promise<void> {
    const reason = `The request could not be posted to the approvers’ channel (${detail.slice(0, 200)}). Ask an admin to check APPROVALS_CHANNEL and that the bot is in it.`;
    const cancelled = await this.records.withdrawBySystem(approvalId, reason).catch((error: unknown) => {
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
        const view = await this.records.view(approval);
        await this.deps.publisher.updateRequest(view);
        // A retried job (the requester's notice failed) must not call the next approvers twice.
        if (approval.escalationNotedStage !== approval.stageIndex) {
          await this.deps.publisher.postThreadNote(approval, { kind: 'escalated', mentions: view.mentions });
          const stage = approval.stageIndex;
          await this.records.patch(approvalId, (current) => ({ ...current, escalationNotedStage: stage }));
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
    if (approval.messageTs) await this.deps.publisher.updateRequest(await this.records.view(approval));
    await this.deps.publisher.notifyRequester(approval, noticeFor(approval.status));
    await this.records.patch(approvalId, (current) => ({
      ...current,
      finalizedAt: this.deps.clock().toISOString(),
    }));
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
      let applied = campaign;
      if (next) {
        try {
          applied = await this.deps.campaigns.update(next, campaign.version);
        } catch (error) {
          if (error instanceof ConflictError) continue;
          throw error;
        }
      }
      // Sync: an approved budget goes to the work system; a rejected raise made there is taken back.
      await this.deps.sync?.campaignChanged(applied, {
        by: approval.decidedBy ?? 'system',
        before: campaign,
      });
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
    await this.records
      .patch(approvalId, (current) => reminded(current, now, level, mentions), 'PENDING')
      .catch((error: unknown) => {
        // Decided between the read and this write: the reminder was harmless, nothing to record.
        if (!(error instanceof ConflictError)) throw error;
      });
    return { reminded: waiting };
  }
}
