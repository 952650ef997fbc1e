import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SCHEDULED_FIRE_JOB_KIND } from '../../../app/adapters/scheduler';
import { STAND_IN_BOT_USER_ID } from '../../../app/adapters/slack';
import type { Approval } from '../../../app/domain/approval';
import { ActionIds, BlockIds, CallbackIds, CampaignModalBlocks } from '../../../app/ids';
import { createScheduledHandlers } from '../../../app/scheduled/registry';
import { jobIdFor } from '../../../app/services/jobs';
import {
  approvalsFor as approvalsOf,
  clickDecision,
  createThroughModal as createWithModal,
  dayFrom,
  hasActions,
  type ModalFields,
  requestMessage as messageOf,
  PEOPLE,
  startApprovalsHarness,
  text,
} from '../../helpers/approvals/flow';
import { APPROVALS_CHANNEL_ID } from '../../helpers/approvals/records';
import type { Harness } from '../../helpers/harness';

/**
 * The approval flow end to end: signed Slack requests into the HTTP app, the Web API stand-in, the
 * in-process job runner and dynalite. Demo workspace: leadership = Maya, Aisha, Lena (S0LEADERS);
 * VPs = Priya, Carlos (S0VPS); Sam and Diego approve nothing.
 */
const { maya: MAYA, aisha: AISHA, lena: LENA, priya: PRIYA, sam: SAM, diego: DIEGO } = PEOPLE;
const CHANNEL = APPROVALS_CHANNEL_ID;

let now = new Date(Date.now() + 60_000);
let harness: Harness;

beforeAll(async () => {
  harness = await startApprovalsHarness(() => now);
});
afterAll(async () => {
  await harness?.close();
});

const day = (offsetDays: number) => dayFrom(now, offsetDays);
const createThroughModal = (userId: string, fields: ModalFields) =>
  createWithModal(harness, now, userId, fields);
const approvalsFor = (campaignName: string) => approvalsOf(harness, campaignName);
const requestMessage = (approval: Approval) => messageOf(harness, CHANNEL, approval);
const click = (userId: string, actionId: string, approval: Approval, stage = approval.stageIndex) =>
  clickDecision(harness, CHANNEL, userId, actionId, approval, stage);

describe('new campaign modal', () => {
  it('opens from /mcc new with every field, a title within 24 characters and small private_metadata', async () => {
    await harness.command('new Spring Thing', { user_id: DIEGO });
    const modal = harness.standin
      .views()
      .filter((v) => v.callback_id === CallbackIds.newCampaignModal)
      .at(-1);
    expect(modal).toBeDefined();
    const blockIds = (modal?.blocks ?? []).map((b) => (b as { block_id?: string }).block_id);
    expect(blockIds).toEqual(Object.values(CampaignModalBlocks));
    expect(JSON.stringify(modal?.title)).toContain('New campaign');
    expect((modal?.private_metadata ?? '').length).toBeLessThanOrEqual(3000);
    expect(JSON.stringify(modal?.blocks)).toContain('Spring Thing');
    // The team select lists the seeded teams.
    expect(JSON.stringify(modal?.blocks)).toContain('team-growth');
  });

  it('answers inline errors on the exact fields', async () => {
    const ack = await createThroughModal(DIEGO, {
      name: 'Bad Dates',
      budgetCents: '12.345',
      launchDate: day(-2),
      endDate: day(-3),
    });
    expect(ack?.response_action).toBe('errors');
    expect(Object.keys(ack?.errors ?? {}).sort()).toEqual(
      [CampaignModalBlocks.budgetCents, CampaignModalBlocks.launchDate, CampaignModalBlocks.endDate].sort(),
    );
    expect(ack?.errors?.[CampaignModalBlocks.budgetCents]).toContain('2 decimals');
    const negative = await createThroughModal(DIEGO, { name: 'Negative', budgetCents: '-5' });
    expect(negative?.errors?.[CampaignModalBlocks.budgetCents]).toContain('positive');
  });

  it('judges "launch not in the past" in the submitter’s own time zone (from users.info)', async () => {
    // At 05:00 UTC it is still the previous day in Los Angeles (Diego) and already today in Tokyo (Kenji).
    const saved = now;
    const tomorrow = new Date(Date.now() + 86_400_000).toISOString().slice(0, 10);
    now = new Date(`${tomorrow}T05:00:00.000Z`);
    try {
      const yesterdayUtc = dayFrom(now, -1);
      const diego = await createThroughModal(DIEGO, {
        name: 'Zone West',
        budgetCents: '500',
        launchDate: yesterdayUtc,
        endDate: '',
      });
      const kenji = await createThroughModal('U0KENJI', {
        name: 'Zone East',
        budgetCents: '500',
        launchDate: yesterdayUtc,
        endDate: '',
      });
      expect(diego?.response_action).toBe('update');
      expect(kenji?.response_action).toBe('errors');
      expect(Object.keys(kenji?.errors ?? {})).toEqual([CampaignModalBlocks.launchDate]);
      expect(kenji?.errors?.[CampaignModalBlocks.launchDate]).toContain(`today is ${tomorrow}`);
    } finally {
      now = saved;
    }
  });

  it('rejects a name already used in the team, ignoring case and accents', async () => {
    const first = await createThroughModal(DIEGO, { name: 'Café Week', budgetCents: '500' });
    expect(first?.response_action).toBe('update');
    const second = await createThroughModal(DIEGO, { name: 'cafe  WEEK', budgetCents: '500' });
    expect(second?.errors?.[CampaignModalBlocks.name]).toContain('Café Week');
  });

  it('$10,000.00 is created at once (PLANNED) and campaign.provision is enqueued; no approval', async () => {
    const ack = await createThroughModal(DIEGO, { name: 'Small Bet', budgetCents: '10,000.00' });
    expect(ack?.response_action).toBe('update');
    const campaign = (await harness.runtime.repositories.campaigns.listAll()).find(
      (c) => c.name === 'Small Bet',
    );
    expect(campaign?.status).not.toBe('PENDING_APPROVAL');
    expect(await harness.runtime.services.approvals.history(campaign?.campaignId ?? '')).toEqual([]);
    const job = await harness.runtime.services.jobs.get(
      jobIdFor('campaign.provision', `campaign.provision:${campaign?.campaignId}`),
    );
    expect(job?.payload).toEqual({ campaignId: campaign?.campaignId });
  });
});

describe('approval flow on the stand-in', () => {
  it('over the threshold: posted → outsider refused → self-approval refused → approved once → message updated → requester told → provisioning enqueued', async () => {
    // Act: Maya (a leader herself) asks for $25,000.50.
    const ack = await createThroughModal(MAYA, { name: 'Flow Approve', budgetCents: '25,000.50' });
    expect(ack?.response_action).toBe('update');
    await harness.idle();
    const [approval] = await approvalsFor('Flow Approve');
    if (!approval) throw new Error('no approval stored');

    // Assess: stored PENDING_APPROVAL; request posted in the approvers' channel with mention, policy and buttons.
    const campaign = await harness.runtime.repositories.campaigns.get(approval.campaignId);
    expect(campaign).toMatchObject({ status: 'PENDING_APPROVAL', budgetCents: 2_500_050 });
    const posted = requestMessage(approval);
    const body = JSON.stringify(posted.blocks);
    expect(body).toContain('<!subteam^S0LEADERS>');
    expect(body).toContain('$25,000.50');
    expect(body).toContain('<@U0MAYA>');
    expect(body).toContain('leadership-budget-approval');
    for (const id of [ActionIds.approvalApprove, ActionIds.approvalReject, ActionIds.approvalViewDetails]) {
      expect(body).toContain(id);
    }
    expect(posted.text).toContain('Flow Approve');
    // The requester got a DM with the permalink.
    const dm = harness.standin.messages(harness.standin.dmChannelId(MAYA));
    expect(dm.at(-1)?.text).toContain(approval.permalink ?? 'missing-permalink');
    expect(approval.permalink).toContain(CHANNEL);
    // The reminder and expiry schedules exist (in-process scheduler: one `scheduled.fire` job each).
    const scheduleOf = (name: string) =>
      harness.runtime.services.jobs.get(jobIdFor(SCHEDULED_FIRE_JOB_KIND, name));
    expect((await scheduleOf(approval.schedules.reminder))?.status).toBe('QUEUED');
    expect((await scheduleOf(approval.schedules.expiry))?.status).toBe('QUEUED');

    // An outsider is refused, ephemerally; nothing changes.
    const outsider = await click(SAM, ActionIds.approvalApprove, approval);
    expect(outsider).toContain('Only marketing leadership');
    // The requester cannot approve her own request.
    const self = await click(MAYA, ActionIds.approvalApprove, approval);
    expect(self).toContain('someone else');
    expect((await harness.runtime.services.approvals.get(approval.approvalId))?.status).toBe('PENDING');
    expect(hasActions(requestMessage(approval))).toBe(true);

    // Aisha approves.
    const approved = await click(AISHA, ActionIds.approvalApprove, approval);
    expect(approved).toContain('You approved');
    const stored = await harness.runtime.services.approvals.get(approval.approvalId);
    expect(stored).toMatchObject({ status: 'APPROVED', decidedBy: AISHA });
    // The message is updated in place: outcome, who, no buttons.
    const updated = requestMessage(approval);
    expect(hasActions(updated)).toBe(false);
    expect(JSON.stringify(updated.blocks)).toContain(`Approved* by <@${AISHA}>`);
    expect(updated.edited?.user).toBe(STAND_IN_BOT_USER_ID); // edited by the app, not re-posted
    // The requester is told; the campaign is PLANNED with the approved budget; provisioning is enqueued.
    const told = harness.standin.messages(harness.standin.dmChannelId(MAYA)).map((m) => m.text);
    expect(told.filter((t) => t.includes(`was approved by <@${AISHA}>`))).toHaveLength(1);
    expect(await harness.runtime.repositories.campaigns.get(approval.campaignId)).toMatchObject({
      approvedBudgetCents: 2_500_050,
    });
    const job = await harness.runtime.services.jobs.get(
      jobIdFor('campaign.provision', `campaign.provision:${approval.campaignId}`),
    );
    expect(job?.payload).toEqual({ campaignId: approval.campaignId });
    // Decided: both schedules are deleted.
    expect(await scheduleOf(approval.schedules.reminder)).toBeUndefined();
    expect(await scheduleOf(approval.schedules.expiry)).toBeUndefined();
    // A late click is told it was already decided.
    expect(await click(LENA, ActionIds.approvalApprove, approval)).toContain('already approved');
  });

  it('concurrent clicks through the HTTP app: one decision, one message update', async () => {
    await createThroughModal(DIEGO, { name: 'Flow Race', budgetCents: '40000' });
    await harness.idle();
    const [approval] = await approvalsFor('Flow Race');
    if (!approval) throw new Error('no approval');
    const updatesBefore = harness.standin.calls('chat.update').length;
    const answers = await Promise.all([
      click(MAYA, ActionIds.approvalApprove, approval),
      click(AISHA, ActionIds.approvalApprove, approval),
      click(LENA, ActionIds.approvalApprove, approval),
      click(MAYA, ActionIds.approvalApprove, approval),
      click(AISHA, ActionIds.approvalApprove, approval),
      click(LENA, ActionIds.approvalApprove, approval),
    ]);
    await harness.idle();
    expect(answers.filter((a) => a.includes('You approved'))).toHaveLength(1);
    expect(answers.filter((a) => a.includes('already approved'))).toHaveLength(5);
    const stored = await harness.runtime.services.approvals.get(approval.approvalId);
    expect(stored?.history.filter((h) => h.action === 'APPROVED')).toHaveLength(1);
    expect(harness.standin.calls('chat.update').length - updatesBefore).toBe(1);
  });

  it('rejection: Reject opens the reason modal; a blank reason is an inline error; the reason is recorded and shown', async () => {
    await createThroughModal(DIEGO, { name: 'Flow Reject', budgetCents: '15000' });
    await harness.idle();
    const [approval] = await approvalsFor('Flow Reject');
    if (!approval) throw new Error('no approval');
    // An outsider's Reject opens nothing.
    const viewsBefore = harness.standin.views().length;
    expect(await click(SAM, ActionIds.approvalReject, approval)).toContain('Only marketing leadership');
    expect(harness.standin.views().length).toBe(viewsBefore);
    // Lena's opens the reason modal.
    await click(LENA, ActionIds.approvalReject, approval);
    const modal = harness.standin
      .views()
      .filter((v) => v.callback_id === CallbackIds.rejectReasonModal)
      .at(-1);
    if (!modal) throw new Error('reason modal not opened');
    const submit = (reason: string) =>
      harness.viewSubmission({
        user: { id: LENA, name: 'lena', team_id: 'T0LOCAL' },
        view: { id: modal.id, callback_id: modal.callback_id, private_metadata: modal.private_metadata },
        values: { [BlockIds.rejectReason]: text(reason) },
      });
    const blank = await submit('   ');
    expect(blank.json()).toEqual({
      response_action: 'errors',
      errors: { [BlockIds.rejectReason]: 'A reason is required to reject.' },
    });
    const done = await submit('Not this quarter');
    expect(done.text).toBe('');
    await harness.idle();
    const stored = await harness.runtime.services.approvals.get(approval.approvalId);
    expect(stored).toMatchObject({ status: 'REJECTED', reason: 'Not this quarter', decidedBy: LENA });
    expect((await harness.runtime.repositories.campaigns.get(approval.campaignId))?.status).toBe('REJECTED');
    const updated = requestMessage(approval);
    expect(hasActions(updated)).toBe(false);
    expect(JSON.stringify(updated.blocks)).toContain('Not this quarter');
    expect(harness.standin.messages(harness.standin.dmChannelId(DIEGO)).at(-1)?.text).toContain(
      'Not this quarter',
    );
    expect(
      await harness.runtime.services.jobs.get(
        jobIdFor('campaign.provision', `campaign.provision:${approval.campaignId}`),
      ),
    ).toBeUndefined();
  });

  it('over $100,000: leadership, then VP; a leader cannot approve the VP stage', async () => {
    await createThroughModal(DIEGO, { name: 'Flow VP', budgetCents: '100000.01' });
    await harness.idle();
    const [approval] = await approvalsFor('Flow VP');
    if (!approval) throw new Error('no approval');
    expect(approval.levels).toEqual(['leadership', 'vp']);
    expect(await click(PRIYA, ActionIds.approvalApprove, approval)).toContain('Only marketing leadership');
    expect(await click(MAYA, ActionIds.approvalApprove, approval)).toContain('It now goes to VP approval');
    const stage2 = await harness.runtime.services.approvals.get(approval.approvalId);
    if (!stage2) throw new Error('gone');
    // The message now mentions the VPs and keeps buttons for stage 2; the thread calls the VPs.
    expect(JSON.stringify(requestMessage(stage2).blocks)).toContain('<!subteam^S0VPS>');
    expect(hasActions(requestMessage(stage2))).toBe(true);
    expect(harness.standin.thread(CHANNEL, stage2.messageTs ?? '').at(-1)?.text).toContain(
      '<!subteam^S0VPS>',
    );
    expect(await click(AISHA, ActionIds.approvalApprove, stage2)).toContain('Only a VP');
    expect(await click(PRIYA, ActionIds.approvalApprove, stage2)).toContain('You approved');
    const final = await harness.runtime.services.approvals.get(approval.approvalId);
    expect(final?.status).toBe('APPROVED');
    expect(final?.history.map((h) => h.action)).toEqual(['REQUESTED', 'APPROVED', 'ESCALATED', 'APPROVED']);
  });

  it('reminder and expiry fire from the in-process one-time schedules created with the request', async () => {
    await createThroughModal(DIEGO, { name: 'Flow Expire', budgetCents: '20000' });
    await harness.idle();
    const [approval] = await approvalsFor('Flow Expire');
    if (!approval) throw new Error('no approval');
    const { jobs } = harness.runtime.services;
    const scheduleOf = (name: string) => jobs.get(jobIdFor(SCHEDULED_FIRE_JOB_KIND, name));
    // Both schedules exist, due at the reminder and expiry times.
    expect(await scheduleOf(approval.schedules.reminder)).toMatchObject({
      status: 'QUEUED',
      nextAttemptAt: approval.reminderAt,
    });
    expect(await scheduleOf(approval.schedules.expiry)).toMatchObject({
      status: 'QUEUED',
      nextAttemptAt: approval.expiresAt,
    });
    // Reminder: when its time comes, the sweep fires it; it names the leaders who have not acted.
    now = new Date(approval.reminderAt);
    await jobs.sweep();
    await harness.idle();
    const reminder = harness.standin.thread(CHANNEL, approval.messageTs ?? '').at(-1);
    expect(reminder?.text).toContain('Reminder');
    for (const leader of [MAYA, AISHA, LENA]) expect(reminder?.text).toContain(`<@${leader}>`);
    expect((await harness.runtime.services.approvals.get(approval.approvalId))?.status).toBe('PENDING');
    // Expiry: EXPIRED, message updated, requester told.
    now = new Date(approval.expiresAt);
    await jobs.sweep();
    await harness.idle();
    const stored = await harness.runtime.services.approvals.get(approval.approvalId);
    expect(stored?.status).toBe('EXPIRED');
    expect(hasActions(requestMessage(approval))).toBe(false);
    expect(JSON.stringify(requestMessage(approval).blocks)).toContain('Expired');
    expect(harness.standin.messages(harness.standin.dmChannelId(DIEGO)).at(-1)?.text).toContain('expired');
    expect((await harness.runtime.repositories.campaigns.get(approval.campaignId))?.status).toBe('CANCELLED');
    // Firing again (a schedule delivered twice, through the Lambda entry's handlers) does nothing.
    const handlers = createScheduledHandlers(harness.runtime);
    const callsBefore = harness.standin.calls().length;
    await handlers['approval.expire']?.({ kind: 'approval.expire', approvalId: approval.approvalId });
    await handlers['approval.remind']?.({ kind: 'approval.remind', approvalId: approval.approvalId });
    await harness.idle();
    expect(harness.standin.calls().length).toBe(callsBefore);
  });

  it('a request Slack refuses to post (not_in_channel) is withdrawn at once: campaign cancelled, requester told', async () => {
    harness.standin.failNext('chat.postMessage', { error: 'not_in_channel' });
    await createThroughModal(DIEGO, { name: 'Flow Unposted', budgetCents: '30000' });
    await harness.idle();
    const [approval] = await approvalsFor('Flow Unposted');
    expect(approval).toMatchObject({ status: 'CANCELLED', decidedBy: 'system' });
    expect(approval?.messageTs).toBeUndefined();
    expect((await harness.runtime.repositories.campaigns.get(approval?.campaignId ?? ''))?.status).toBe(
      'CANCELLED',
    );
    const told = harness.standin.messages(harness.standin.dmChannelId(DIEGO)).at(-1)?.text ?? '';
    expect(told).toContain('withdrawn');
    expect(told).toContain('not_in_channel');
  });
});
