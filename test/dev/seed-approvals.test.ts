import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SCHEDULED_FIRE_JOB_KIND, scheduleName } from '../../app/adapters/scheduler';
import type { Approval } from '../../app/domain/approval';
import { jobIdFor } from '../../app/services/jobs';
import { DEMO_IDS } from '../../dev/demo-data';
import { DEMO_APPROVALS_CHANNEL } from '../../dev/demo-users';
import { demoPendingCampaignIds, seedDemoApprovals } from '../../dev/seed-approvals';
import { type Harness, startHarness } from '../helpers/harness';

/** The demo's PENDING_APPROVAL campaigns get real requests through the approvals service. */
// A fixed clock in the past: request signatures use the wall clock, the domain uses this one.
const CLOCK = new Date('2026-03-02T15:00:00.000Z');
const PENDING = ['cmp-005', 'cmp-006', 'cmp-007', 'cmp-008', 'cmp-031'];
const LEADERS = '<!subteam^S0LEADERS>';

let harness: Harness;

beforeAll(async () => {
  harness = await startHarness({
    seed: true,
    clock: () => CLOCK,
    env: {
      APPROVERS_LEADERSHIP: 'S0LEADERS',
      APPROVERS_VP: 'S0VPS',
      APPROVALS_CHANNEL: DEMO_APPROVALS_CHANNEL,
    },
  });
});
afterAll(async () => {
  await harness?.close();
});

async function pendingOf(campaignId: string): Promise<Approval> {
  const approval = await harness.runtime.services.approvals.pendingFor(campaignId);
  if (!approval) throw new Error(`no pending approval for ${campaignId}`);
  return approval;
}

describe('seedDemoApprovals', () => {
  it('names the five seeded PENDING_APPROVAL campaigns', () => {
    expect(demoPendingCampaignIds(CLOCK)).toEqual(PENDING);
  });

  it('creates one request per pending campaign, posted with mentions and scheduled; a second run creates nothing', async () => {
    // Act
    const first = await seedDemoApprovals(harness.runtime);
    await harness.idle();

    // Assess: stored, with the creator as requester and the history started
    expect(first).toEqual({ requested: PENDING, skipped: [] });
    const overVp = await pendingOf(DEMO_IDS.pendingOverVp);
    expect(overVp).toMatchObject({
      kind: 'campaign_creation',
      requesterId: 'U0MAYA',
      levels: ['leadership', 'vp'],
      stageIndex: 0,
      budgetCents: 25_000_000,
      channelId: DEMO_APPROVALS_CHANNEL,
      notify: { channelId: 'U0MAYA' },
    });
    expect(overVp.history).toEqual([
      expect.objectContaining({
        action: 'REQUESTED',
        by: 'U0MAYA',
        toStatus: 'PENDING',
        level: 'leadership',
      }),
    ]);
    expect((await pendingOf(DEMO_IDS.pendingAtVpThreshold)).levels).toEqual(['leadership']);
    expect((await pendingOf(DEMO_IDS.pendingJustOverVp)).levels).toEqual(['leadership', 'vp']);
    expect((await pendingOf(DEMO_IDS.pendingJustOverLeadership)).requesterId).toBe('U0JORDAN');

    // Assess: one message per request in the approvals channel, mentioning leadership (stage 1)
    // harness.idle() above waited for the publish jobs: every request is posted by now, no polling.
    const posted = await Promise.all(PENDING.map(pendingOf));
    for (const approval of posted) {
      expect(approval.messageTs).toMatch(/^\d+\.\d+$/);
      expect(approval.requesterMessageTs).toMatch(/^\d+\.\d+$/);
    }
    const messages = harness.standin.messages(DEMO_APPROVALS_CHANNEL).filter((m) => !m.thread_ts);
    expect(messages).toHaveLength(PENDING.length);
    for (const approval of posted) {
      const message = messages.find((m) => m.ts === approval.messageTs);
      expect(message).toBeDefined();
      const shown = `${message?.text} ${JSON.stringify(message?.blocks ?? [])}`;
      expect(shown).toContain(approval.campaignName);
      expect(shown).toContain(LEADERS);
    }
    // The requester heard about it in their DM.
    const dm = harness.standin.messages('U0MAYA');
    expect(
      dm.some((m) => m.ts === overVp.requesterMessageTs || m.text.includes('Global Brand Refresh')),
    ).toBe(true);

    // Assess: reminder and expiry schedules exist in the in-process scheduler
    const jobs = harness.runtime.services.jobs;
    for (const approval of posted) {
      for (const name of [approval.schedules.reminder, approval.schedules.expiry]) {
        const job = await jobs.get(jobIdFor(SCHEDULED_FIRE_JOB_KIND, scheduleName(name)));
        expect(job?.status).toBe('QUEUED');
      }
      const expiry = await jobs.get(
        jobIdFor(SCHEDULED_FIRE_JOB_KIND, scheduleName(approval.schedules.expiry)),
      );
      expect(expiry?.nextAttemptAt).toBe(approval.expiresAt);
    }

    // Act again (a restart on the same store)
    const second = await seedDemoApprovals(harness.runtime);
    await harness.idle();

    // Assess: nothing new
    expect(second.requested).toEqual([]);
    expect(second.skipped).toEqual(
      PENDING.map((campaignId) => ({ campaignId, reason: 'already_requested' })),
    );
    for (const campaignId of PENDING) {
      expect(await harness.runtime.services.approvals.history(campaignId)).toHaveLength(1);
    }
    expect(harness.standin.messages(DEMO_APPROVALS_CHANNEL).filter((m) => !m.thread_ts)).toHaveLength(
      PENDING.length,
    );
  });

  it('`/mcc approvals` lists them for a leadership member (not their own), and history shows the request', async () => {
    // Act
    const list = await harness.command('approvals', { user_id: 'U0AISHA' });
    const history = await harness.command('approvals history Global Brand Refresh', { user_id: 'U0AISHA' });

    // Assess: Aisha (S0LEADERS) may decide every stage-1 request; none of them is hers
    expect(list.status).toBe(200);
    // Answered in the ack body (no response_url post)
    const listed = list.text;
    for (const name of [
      'Global Brand Refresh',
      'Q3 Demand Gen Webinar Series',
      'Partner Summit EMEA',
      'DevConf Booth',
      'Año Nuevo Promo LATAM',
    ]) {
      expect(listed).toContain(name);
    }
    expect(history.status).toBe(200);
    const trail = history.text;
    expect(trail).toContain('U0MAYA');
    expect(trail).toMatch(/request/i);
  });

  it('a campaign that was decided meanwhile is skipped, not asked again', async () => {
    // Prepare: leadership approves the $10,000.01 request (stage 1 is the only stage)
    const approval = await pendingOf(DEMO_IDS.pendingJustOverLeadership);
    const decided = await harness.runtime.services.approvals.decide({
      approvalId: approval.approvalId,
      actorId: 'U0AISHA',
      decision: 'approve',
    });
    expect(decided.outcome).toBe('approved');
    await harness.idle();

    // Act
    const again = await seedDemoApprovals(harness.runtime);

    // Assess
    expect(again.requested).toEqual([]);
    const skipped = again.skipped.find((s) => s.campaignId === DEMO_IDS.pendingJustOverLeadership);
    expect(skipped?.reason).toMatch(/not_pending|already_requested/);
    expect(await harness.runtime.services.approvals.history(DEMO_IDS.pendingJustOverLeadership)).toHaveLength(
      1,
    );
  });
});
