import { beforeEach, describe, expect, it } from 'vitest';
import { ConflictError } from '../../../app/errors';
import { PROVISION_JOB_KIND } from '../../../app/services/approval-ports';
import {
  type ApprovalsFixture,
  MANY_LEADERS,
  newCampaignInput,
  U,
  useApprovalsService,
} from '../../helpers/approvals/service-fixture';

/* ApprovalService: requests, exactly-once decisions, the two VP stages, listing (fixture: test/helpers/approvals). */
const world = useApprovalsService();
const { pendingCampaign, approveAs, runApprovalJobs } = world;
let f: ApprovalsFixture;
beforeEach(() => {
  f = world.f;
});

describe('request and publish', () => {
  it('stores a PENDING request and enqueues its publication; publishing posts once, tells the requester and schedules reminder and expiry', async () => {
    // Act
    const { approval, campaign } = await pendingCampaign();
    // Assess — stored first, nothing posted on the request path
    expect(campaign.status).toBe('PENDING_APPROVAL');
    expect(approval).toMatchObject({
      status: 'PENDING',
      levels: ['leadership'],
      channelId: 'C0APPROVAL',
      version: 1,
    });
    expect(approval?.history).toEqual([
      expect.objectContaining({
        action: 'REQUESTED',
        by: U.requester,
        toStatus: 'PENDING',
        budgetCents: 2_500_000,
      }),
    ]);
    expect(f.publisher.calls).toEqual([]);
    expect(f.jobs.ofKind('approval.publish')).toHaveLength(1);

    // Act — the job runs (twice: a retry must not post twice)
    await f.approvals.publish(approval.approvalId);
    await f.approvals.publish(approval.approvalId);

    // Assess
    expect(f.publisher.of('postRequest')).toHaveLength(1);
    expect(f.publisher.of('postRequest')[0]).toHaveProperty('mentions', [
      '<!subteam^S0LEADERS>',
      `<@${U.listed}>`,
    ]);
    expect(f.publisher.of('notifyRequester')).toHaveLength(1);
    const stored = await f.approvals.get(approval.approvalId);
    expect(stored?.messageTs).toBe('1700000000.000001');
    expect(stored?.permalink).toContain('C0APPROVAL');
    expect(stored?.history[0]?.messageLink).toBe(stored?.permalink);
    const reminder = f.scheduler.scheduled.get(approval.schedules.reminder);
    const expiry = f.scheduler.scheduled.get(approval.schedules.expiry);
    expect(reminder).toMatchObject({
      at: new Date('2026-11-23T10:00:00.000Z'),
      payload: { kind: 'approval.remind', approvalId: approval.approvalId },
      clientToken: approval.schedules.reminder,
    });
    expect(expiry).toMatchObject({
      at: new Date('2026-11-27T10:00:00.000Z'),
      payload: { kind: 'approval.expire', approvalId: approval.approvalId },
    });
    expect(approval.schedules.reminder).toMatch(/^[0-9a-zA-Z_-]{1,64}$/);
  });
});

describe('decide', () => {
  it('refuses the requester, outsiders and changes nothing', async () => {
    // Prepare
    const { approval } = await pendingCampaign();
    // Act
    const self = await approveAs(approval.approvalId, U.requester);
    const outsider = await f.approvals.decide({
      approvalId: approval.approvalId,
      actorId: U.outsider,
      decision: 'reject',
      reason: 'no',
    });
    // Assess
    expect(self).toMatchObject({ outcome: 'refused', reason: 'self' });
    expect(outsider).toMatchObject({ outcome: 'refused', reason: 'not_approver' });
    const stored = await f.approvals.get(approval.approvalId);
    expect(stored).toMatchObject({ status: 'PENDING', version: 1 });
    expect(f.jobs.ofKind('approval.finalize')).toHaveLength(0);
  });

  it('accepts an approver listed by user id (not in any group)', async () => {
    const { approval } = await pendingCampaign();
    const result = await approveAs(approval.approvalId, U.listed);
    expect(result.outcome).toBe('approved');
  });

  it('approval: one write with the history entry; finalize plans the campaign, enqueues provisioning, deletes schedules, updates the message and tells the requester — once', async () => {
    // Prepare
    const { approval, campaign } = await pendingCampaign();
    await runApprovalJobs();
    // Act
    const result = await approveAs(approval.approvalId, U.leader, 0);
    await runApprovalJobs();
    await f.approvals.finalize(approval.approvalId); // a retried job changes nothing
    // Assess
    expect(result.outcome).toBe('approved');
    const stored = await f.approvals.get(approval.approvalId);
    expect(stored).toMatchObject({
      status: 'APPROVED',
      decidedBy: U.leader,
      decidedAt: '2026-11-22T10:00:00.000Z',
    });
    expect(stored?.history.map((h) => h.action)).toEqual(['REQUESTED', 'APPROVED']);
    // Every transition carries who, when, the budget then and the request message's link.
    expect(stored?.history).toEqual([
      expect.objectContaining({ by: U.requester, budgetCents: 2_500_000, messageLink: stored?.permalink }),
      expect.objectContaining({
        by: U.leader,
        at: '2026-11-22T10:00:00.000Z',
        budgetCents: 2_500_000,
        fromStatus: 'PENDING',
        toStatus: 'APPROVED',
        messageLink: stored?.permalink,
      }),
    ]);
    expect(stored?.finalizedAt).toBe('2026-11-22T10:00:00.000Z');
    const planned = await f.campaigns.get(campaign.campaignId);
    expect(planned).toMatchObject({ status: 'PLANNED', approvedBudgetCents: 2_500_000 });
    expect(f.jobs.ofKind(PROVISION_JOB_KIND)).toEqual([
      expect.objectContaining({ payload: { campaignId: campaign.campaignId } }),
    ]);
    expect(f.scheduler.cancelled.sort()).toEqual(
      [approval.schedules.expiry, approval.schedules.reminder].sort(),
    );
    expect(f.publisher.of('updateRequest')).toHaveLength(1);
    expect(f.publisher.of('updateRequest')[0]?.approval.status).toBe('APPROVED');
    expect(
      f.publisher.calls.filter((c) => c.method === 'notifyRequester').map((c) => 'notice' in c && c.notice),
    ).toEqual(['requested', 'approved']);
  });

  it('rejection takes the reason, ends the request and marks the campaign REJECTED (no provisioning)', async () => {
    const { approval, campaign } = await pendingCampaign();
    const result = await f.approvals.decide({
      approvalId: approval.approvalId,
      actorId: U.leader2,
      decision: 'reject',
      reason: '  Not this quarter  ',
    });
    await runApprovalJobs();
    expect(result.outcome).toBe('rejected');
    const stored = await f.approvals.get(approval.approvalId);
    expect(stored).toMatchObject({ status: 'REJECTED', reason: 'Not this quarter', decidedBy: U.leader2 });
    expect(stored?.history.at(-1)).toMatchObject({
      action: 'REJECTED',
      reason: 'Not this quarter',
      fromStatus: 'PENDING',
    });
    expect((await f.campaigns.get(campaign.campaignId))?.status).toBe('REJECTED');
    expect(f.jobs.ofKind(PROVISION_JOB_KIND)).toHaveLength(0);
    const late = await approveAs(approval.approvalId, U.leader);
    expect(late.outcome).toBe('already_decided');
  });

  it('fifty concurrent Approve/Reject clicks from fifty authorised approvers produce exactly one decision', async () => {
    // Prepare
    const { approval } = await pendingCampaign();
    await runApprovalJobs();
    f.groupCalls.length = 0;
    // Count the conditional writes DynamoDB refused: the test is only worth something if the clicks
    // really raced to the store (no lock in front of it), and the condition is what stopped them.
    let refusedWrites = 0;
    const update = f.repo.update.bind(f.repo);
    f.repo.update = async (...args) => {
      try {
        return await update(...args);
      } catch (error) {
        if (error instanceof ConflictError) refusedWrites += 1;
        throw error;
      }
    };
    // Act
    const results = await Promise.all(
      MANY_LEADERS.map((actorId, i) =>
        i % 2 === 0
          ? f.approvals.decide({
              approvalId: approval.approvalId,
              actorId,
              decision: 'approve',
              expectedStage: 0,
            })
          : f.approvals.decide({
              approvalId: approval.approvalId,
              actorId,
              decision: 'reject',
              reason: `no ${i}`,
              expectedStage: 0,
            }),
      ),
    );
    // Assess
    const winners = results.filter((r) => r.outcome === 'approved' || r.outcome === 'rejected');
    expect(winners).toHaveLength(1);
    expect(results.filter((r) => r.outcome === 'already_decided')).toHaveLength(49);
    const stored = await f.approvals.get(approval.approvalId);
    const decisions = stored?.history.filter((h) => h.action === 'APPROVED' || h.action === 'REJECTED') ?? [];
    expect(decisions).toHaveLength(1);
    expect(stored?.decidedBy).toBe(decisions[0]?.by);
    expect(stored?.version).toBe(4); // created, message + requester notice recorded by publish, one decision
    expect(f.jobs.ofKind('approval.finalize')).toHaveLength(1);
    expect(refusedWrites).toBeGreaterThan(0);
    // The membership cache makes one usergroups.users.list call, not fifty.
    expect(f.groupCalls.filter((g) => g === 'S0LEADERS').length).toBeLessThanOrEqual(1);
  });

  it('a bookkeeping write (reminder) racing a click does not lose the click', async () => {
    const { approval } = await pendingCampaign();
    await runApprovalJobs();
    const [reminded, decided] = await Promise.all([
      f.approvals.remind(approval.approvalId),
      approveAs(approval.approvalId, U.leader),
    ]);
    expect(decided.outcome).toBe('approved');
    // Either order is a valid interleaving: the reminder went out first, or it saw the decision.
    expect('reminded' in reminded ? reminded.reminded.length > 0 : reminded.skipped === 'decided').toBe(true);
    expect((await f.approvals.get(approval.approvalId))?.status).toBe('APPROVED');
  });
});

describe('over the VP threshold: leadership first, then VP', () => {
  it('$100,000.01 needs two stages; a leader who is not a VP cannot approve stage 2; the stage-1 approver cannot approve again', async () => {
    // Prepare
    const { approval, campaign } = await pendingCampaign(10_000_001);
    expect(approval.levels).toEqual(['leadership', 'vp']);
    expect(approval.policyId).toBe('vp-budget-approval');
    await runApprovalJobs();
    // Act — a VP who is not leadership cannot take stage 1
    const vpTooEarly = await approveAs(approval.approvalId, U.vp);
    // someone in both groups approves stage 1
    const stage1 = await approveAs(approval.approvalId, U.both, 0);
    await runApprovalJobs();
    await f.approvals.finalize(approval.approvalId); // a retried job must not call the VPs again
    const staleClick = await approveAs(approval.approvalId, U.leader, 0);
    const leaderAtVp = await approveAs(approval.approvalId, U.leader);
    const sameApprover = await approveAs(approval.approvalId, U.both);
    // Assess stage 1
    expect(vpTooEarly).toMatchObject({ outcome: 'refused', reason: 'not_approver' });
    expect(stage1.outcome).toBe('stage_approved');
    expect(staleClick.outcome).toBe('already_decided');
    expect(leaderAtVp).toMatchObject({ outcome: 'refused', reason: 'not_approver' });
    expect(sameApprover).toMatchObject({ outcome: 'refused', reason: 'same_approver' });
    expect((await f.campaigns.get(campaign.campaignId))?.status).toBe('PENDING_APPROVAL');
    expect(f.publisher.of('postThreadNote')).toEqual([
      expect.objectContaining({ kind: 'escalated', mentions: ['<!subteam^S0VPS>'] }),
    ]);
    expect(
      f.publisher.calls.some((c) => c.method === 'notifyRequester' && c.notice === 'stage_approved'),
    ).toBe(true);
    // Act — the VP approves stage 2
    const stage2 = await approveAs(approval.approvalId, U.vp, 1);
    await runApprovalJobs();
    // Assess
    expect(stage2.outcome).toBe('approved');
    const stored = await f.approvals.get(approval.approvalId);
    expect(stored?.stageApprovals.map((s) => [s.level, s.by])).toEqual([
      ['leadership', U.both],
      ['vp', U.vp],
    ]);
    expect(stored?.history.map((h) => `${h.action}:${h.level}`)).toEqual([
      'REQUESTED:leadership',
      'APPROVED:leadership',
      'ESCALATED:vp',
      'APPROVED:vp',
    ]);
    expect((await f.campaigns.get(campaign.campaignId))?.status).toBe('PLANNED');
    expect(f.jobs.ofKind(PROVISION_JOB_KIND)).toHaveLength(1);
  });

  it('$100,000.00 needs leadership only; a rejection at the VP stage ends the request', async () => {
    const leadershipOnly = await pendingCampaign(10_000_000);
    expect(leadershipOnly.approval.levels).toEqual(['leadership']);

    const { approval, campaign } = await f.commands.createCampaign(
      newCampaignInput({ name: 'Big Bet', budgetCents: 25_000_000 }),
      { slackUserId: U.requester },
    );
    if (!approval) throw new Error('expected approval');
    await approveAs(approval.approvalId, U.leader);
    const rejected = await f.approvals.decide({
      approvalId: approval.approvalId,
      actorId: U.vp,
      decision: 'reject',
      reason: 'Too big',
    });
    await runApprovalJobs();
    expect(rejected.outcome).toBe('rejected');
    expect((await f.campaigns.get(campaign.campaignId))?.status).toBe('REJECTED');
  });
});

describe('listing and history', () => {
  it('listDecidableBy shows only what the caller may decide now', async () => {
    const a = await pendingCampaign(2_000_000);
    const b = await f.commands.createCampaign(newCampaignInput({ name: 'VP one', budgetCents: 20_000_000 }), {
      slackUserId: U.leader,
    });
    expect((await f.approvals.listDecidableBy(U.leader)).map((x) => x.approvalId)).toEqual([
      a.approval.approvalId,
    ]);
    expect((await f.approvals.listDecidableBy(U.requester)).map((x) => x.approvalId)).toEqual([
      b.approval?.approvalId,
    ]);
    expect(await f.approvals.listDecidableBy(U.vp)).toEqual([]);
    expect(await f.approvals.listDecidableBy(U.outsider)).toEqual([]);
  });
});
