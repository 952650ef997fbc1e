import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConflictError } from '../../../app/errors';
import { PROVISION_JOB_KIND } from '../../../app/services/approval-ports';
import { boundedMentions } from '../../../app/services/approval-transitions';
import { threadNote } from '../../../blocks/approval-message';
import { anApproval } from '../../helpers/approvals/records';
import {
  type ApprovalsFixture,
  approvalsFixture,
  MANY_LEADERS,
  newCampaignInput,
  U,
} from '../../helpers/approvals/service-fixture';

let f: ApprovalsFixture;
beforeEach(async () => {
  f = await approvalsFixture();
});
afterEach(async () => {
  await f.close();
});

async function pendingCampaign(budgetCents = 2_500_000) {
  const result = await f.commands.createCampaign(newCampaignInput({ budgetCents }), {
    slackUserId: U.requester,
  });
  const { approval } = result;
  if (!approval) throw new Error('expected an approval');
  return { ...result, approval };
}

/** An approver's click on Approve, optionally naming the stage the message showed (stale-click guard). */
function approveAs(approvalId: string, actorId: string, expectedStage?: number) {
  return f.approvals.decide({
    approvalId,
    actorId,
    decision: 'approve',
    ...(expectedStage === undefined ? {} : { expectedStage }),
  });
}

/** Runs the jobs the service enqueued (publish/finalize), as the job runner would. */
async function runApprovalJobs() {
  for (const job of f.jobs.jobs.splice(0)) {
    const approvalId = String(job.payload.approvalId ?? '');
    if (job.kind === 'approval.publish') await f.approvals.publish(approvalId);
    else if (job.kind === 'approval.finalize') await f.approvals.finalize(approvalId);
    else f.jobs.jobs.push(job);
  }
}

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

describe('reminders and expiry', () => {
  it('the reminder mentions the approvers of the waiting stage who have not acted (requester excluded), in the thread, and is recorded', async () => {
    const { approval } = await pendingCampaign(10_000_001);
    await runApprovalJobs();
    await approveAs(approval.approvalId, U.both);
    await runApprovalJobs();
    f.setNow('2026-11-23T10:00:00.000Z');
    // Act
    const result = await f.approvals.remind(approval.approvalId);
    // Assess — stage 2 (VP): the VP group minus U.both, who approved stage 1
    expect(result).toEqual({ reminded: [U.vp] });
    expect(f.publisher.of('postThreadNote').at(-1)).toMatchObject({
      kind: 'reminder',
      mentions: [`<@${U.vp}>`],
    });
    const stored = await f.approvals.get(approval.approvalId);
    expect(stored?.history.at(-1)).toMatchObject({ action: 'REMINDED', by: 'system', level: 'vp' });
    expect(stored?.remindedAt).toBe('2026-11-23T10:00:00.000Z');
  });

  it('the reminder at stage 1 names every leadership member except the requester', async () => {
    const { approval } = await pendingCampaign();
    await runApprovalJobs();
    const result = await f.approvals.remind(approval.approvalId);
    if (!('reminded' in result)) throw new Error('expected a reminder');
    expect(result.reminded).toContain(U.leader);
    expect(result.reminded).toContain(U.listed);
    expect(result.reminded).not.toContain(U.requester);
  });

  it('a reminder schedule delivered twice pings once', async () => {
    const { approval } = await pendingCampaign();
    await runApprovalJobs();
    const first = await f.approvals.remind(approval.approvalId);
    const second = await f.approvals.remind(approval.approvalId);
    expect(first).toHaveProperty('reminded');
    expect(second).toEqual({ skipped: 'already_reminded' });
    expect(f.publisher.of('postThreadNote')).toHaveLength(1);
    const stored = await f.approvals.get(approval.approvalId);
    expect(stored?.history.filter((h) => h.action === 'REMINDED')).toHaveLength(1);
  });

  it('a reminder to hundreds of approvers pings at most 100 and counts the rest, within one section', () => {
    const waiting = Array.from({ length: 250 }, (_, i) => `W0${String(i).padStart(9, '0')}`);
    const mentions = boundedMentions(waiting);
    expect(mentions).toHaveLength(101);
    expect(mentions.at(-1)).toBe('and 150 more approvers');
    const note = threadNote(anApproval(), { kind: 'reminder', mentions });
    const section = note.blocks[0];
    const text = section?.type === 'section' ? (section.text?.text ?? '') : '';
    expect(text.length).toBeLessThanOrEqual(3000);
    expect(text).toContain(`<@${waiting[99]}>`);
    expect(text).not.toContain(`<@${waiting[100]}>`);
    expect(text).toContain('expires');
  });

  it('expiry: PENDING → EXPIRED, campaign cancelled, message updated, requester told, schedules deleted', async () => {
    const { approval, campaign } = await pendingCampaign();
    await runApprovalJobs();
    f.setNow('2026-11-27T10:00:00.000Z');
    // Act
    const outcome = await f.approvals.expire(approval.approvalId);
    await runApprovalJobs();
    // Assess
    expect(outcome).toBe('expired');
    const stored = await f.approvals.get(approval.approvalId);
    expect(stored).toMatchObject({ status: 'EXPIRED', decidedBy: 'system' });
    expect(stored?.history.at(-1)).toMatchObject({ action: 'EXPIRED', toStatus: 'EXPIRED' });
    expect((await f.campaigns.get(campaign.campaignId))?.status).toBe('CANCELLED');
    expect(f.publisher.of('updateRequest').at(-1)?.approval.status).toBe('EXPIRED');
    expect(f.publisher.calls.at(-1)).toMatchObject({ method: 'notifyRequester', notice: 'expired' });
    expect(f.scheduler.cancelled).toContain(approval.schedules.reminder);
    const late = await approveAs(approval.approvalId, U.leader);
    expect(late.outcome).toBe('already_decided');
  });

  it('reminder and expiry on a decided request do nothing', async () => {
    const { approval } = await pendingCampaign();
    await runApprovalJobs();
    await approveAs(approval.approvalId, U.leader);
    await runApprovalJobs();
    f.jobs.jobs.length = 0;
    const before = await f.approvals.get(approval.approvalId);
    const callsBefore = f.publisher.calls.length;
    f.setNow('2026-11-28T10:00:00.000Z');
    // Act
    const reminded = await f.approvals.remind(approval.approvalId);
    const expired = await f.approvals.expire(approval.approvalId);
    // Assess
    expect(reminded).toEqual({ skipped: 'decided' });
    expect(expired).toBe('skipped');
    expect(await f.approvals.get(approval.approvalId)).toEqual(before);
    expect(f.publisher.calls.length).toBe(callsBefore);
    expect(f.jobs.jobs).toHaveLength(0);
  });

  it('an early expiry call (before expiresAt) changes nothing', async () => {
    const { approval } = await pendingCampaign();
    expect(await f.approvals.expire(approval.approvalId)).toBe('skipped');
    expect((await f.approvals.get(approval.approvalId))?.status).toBe('PENDING');
  });

  it('expiry finalizes a decided request whose finalize job was lost', async () => {
    const { approval, campaign } = await pendingCampaign();
    await runApprovalJobs();
    await approveAs(approval.approvalId, U.leader);
    f.jobs.jobs.length = 0; // the finalize job never made it
    f.setNow('2026-11-27T10:00:00.000Z');
    expect(await f.approvals.expire(approval.approvalId)).toBe('skipped');
    await runApprovalJobs();
    expect((await f.campaigns.get(campaign.campaignId))?.status).toBe('PLANNED');
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

describe('failures are never silent', () => {
  it('a request that could not be posted is withdrawn, the campaign cancelled and the requester told', async () => {
    const { approval, campaign } = await pendingCampaign();
    await f.approvals.publishFailed(approval.approvalId, 'not_in_channel');
    const stored = await f.approvals.get(approval.approvalId);
    expect(stored).toMatchObject({ status: 'CANCELLED', decidedBy: 'system' });
    expect(stored?.reason).toContain('not_in_channel');
    expect(stored?.history.at(-1)).toMatchObject({ action: 'CANCELLED', toStatus: 'CANCELLED' });
    expect((await f.campaigns.get(campaign.campaignId))?.status).toBe('CANCELLED');
    expect(f.publisher.calls.at(-1)).toMatchObject({ method: 'notifyRequester', notice: 'cancelled' });
  });

  it('a decision the finalize job could not apply still reaches the requester, in their DM', async () => {
    // Prepare: the request was asked from a thread; Slack refuses every update of the request message.
    const result = await f.commands.createCampaign(newCampaignInput({ name: 'Stuck Finalize' }), {
      slackUserId: U.requester,
      channelId: 'C0GENERAL',
      threadTs: '1700000000.000900',
    });
    const approvalId = result.approval?.approvalId ?? '';
    await runApprovalJobs();
    f.publisher.updateRequest = async () => {
      throw new Error('Slack is down');
    };
    await f.approvals.decide({ approvalId, actorId: U.leader, decision: 'reject', reason: 'No' });
    await expect(f.approvals.finalize(approvalId)).rejects.toThrow('Slack is down');
    // Act: the job runner gives up
    await f.approvals.finalizeFailed(approvalId);
    // Assess
    const told = f.publisher.calls.at(-1);
    expect(told).toMatchObject({ method: 'notifyRequester', notice: 'rejected' });
    expect(told?.approval.notify).toEqual({ channelId: U.requester });
    expect((await f.approvals.get(approvalId))?.status).toBe('REJECTED');
  });

  it('a finalize that got to the end tells nobody twice', async () => {
    const { approval } = await pendingCampaign();
    await runApprovalJobs();
    await approveAs(approval.approvalId, U.leader);
    await runApprovalJobs();
    const before = f.publisher.calls.length;
    await f.approvals.finalizeFailed(approval.approvalId);
    expect(f.publisher.calls).toHaveLength(before);
  });

  it('a request whose publication cannot be queued is withdrawn in its history, and the error reaches the caller', async () => {
    const enqueue = f.jobs.enqueue.bind(f.jobs);
    f.jobs.enqueue = async (input) => {
      if (input.kind === 'approval.publish') throw new Error('jobs table unavailable');
      return enqueue(input);
    };
    await expect(
      f.commands.createCampaign(newCampaignInput({ name: 'Never Queued' }), { slackUserId: U.requester }),
    ).rejects.toThrow('jobs table unavailable');
    const [campaign] = (await f.campaigns.listAll()).filter((c) => c.name === 'Never Queued');
    expect(campaign?.status).toBe('CANCELLED');
    const [approval] = await f.approvals.history(campaign?.campaignId ?? '');
    expect(approval).toMatchObject({ status: 'CANCELLED', decidedBy: 'system' });
    expect(approval?.history.map((h) => h.action)).toEqual(['REQUESTED', 'CANCELLED']);
  });

  it('without approvers configured, nothing is stored and the user is told which variable to set', async () => {
    await f.close();
    f = await approvalsFixture({ APPROVERS_LEADERSHIP: '', APPROVERS_VP: '' });
    await expect(f.commands.createCampaign(newCampaignInput(), { slackUserId: U.requester })).rejects.toThrow(
      'APPROVERS_LEADERSHIP',
    );
    expect(await f.campaigns.listAll()).toEqual([]);
  });
});

describe('publication after a decision', () => {
  it('a request decided before its message was posted is posted as decided, with no schedules', async () => {
    const { approval } = await pendingCampaign();
    await approveAs(approval.approvalId, U.leader);
    await f.approvals.publish(approval.approvalId);
    expect(f.publisher.of('postRequest')[0]?.approval.status).toBe('APPROVED');
    expect(f.publisher.of('notifyRequester')).toHaveLength(0);
    expect(f.scheduler.scheduled.size).toBe(0);
    expect((await f.approvals.get(approval.approvalId))?.history.at(-1)).toMatchObject({
      action: 'APPROVED',
    });
  });
});
