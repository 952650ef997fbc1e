import { beforeEach, describe, expect, it } from 'vitest';
import { boundedMentions } from '../../../app/services/approval-transitions';
import { threadNote } from '../../../blocks/approval-message';
import { anApproval } from '../../helpers/approvals/records';
import {
  type ApprovalsFixture,
  approvalsFixture,
  newCampaignInput,
  U,
  useApprovalsService,
} from '../../helpers/approvals/service-fixture';

/* ApprovalFollowUp through the service: reminders, expiry, failures never silent, publication after a decision. */
const world = useApprovalsService();
const { pendingCampaign, approveAs, runApprovalJobs } = world;
let f: ApprovalsFixture;
beforeEach(() => {
  f = world.f;
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
