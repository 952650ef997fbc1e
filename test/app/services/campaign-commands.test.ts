import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { todayIn } from '../../../app/domain/calendar';
import { ValidationError } from '../../../app/errors';
import { PROVISION_JOB_KIND } from '../../../app/services/approval-ports';
import { parseUsdToCents } from '../../../app/services/campaign-inputs';
import { normalizeName } from '../../../app/services/campaign-match';
import {
  type ApprovalsFixture,
  approvalsFixture,
  newCampaignInput,
  U,
} from '../../helpers/approvals/service-fixture';
import { aCampaign } from '../../helpers/campaign-fixtures';

describe('parseUsdToCents (no floating point)', () => {
  it.each([
    ['10000', 1_000_000],
    ['10000.01', 1_000_001],
    ['10,000.01', 1_000_001],
    ['$100,000.00', 10_000_000],
    ['100000.01', 10_000_001],
    ['0.29', 29],
    ['1.1', 110],
    ['  $ 12,500.5 ', 1_250_050],
    ['4.35', 435], // 4.35 * 100 = 434.99999999999994 in floating point
    ['1,234,567.89', 123_456_789],
  ])('%s → %i cents', (text, cents) => {
    expect(parseUsdToCents(text)).toEqual({ ok: true, cents });
  });

  it.each([
    ['', 'Enter a budget'],
    ['0', 'more than $0'],
    ['0.00', 'more than $0'],
    ['-5', 'positive'],
    ['10.123', 'at most 2 decimals'],
    ['ten', 'Enter an amount'],
    ['1,00', 'Enter an amount'],
    ['1e6', 'Enter an amount'],
    ['2000000000', 'too large'],
  ])('rejects %j', (text, message) => {
    const result = parseUsdToCents(text);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.message).toContain(message);
  });
});

describe('normalizeName and todayIn', () => {
  it('ignores case, accents and spacing', () => {
    expect(normalizeName('  Été   Promo ')).toBe(normalizeName('ete promo'));
    expect(normalizeName('Ürban Läunch')).toBe('urban launch');
  });

  it('judges "today" in the user’s zone', () => {
    const now = new Date('2026-11-22T03:00:00Z');
    expect(todayIn('America/Los_Angeles', now)).toBe('2026-11-21');
    expect(todayIn('Asia/Tokyo', now)).toBe('2026-11-22');
    expect(todayIn('Not/AZone', now)).toBe('2026-11-22');
  });
});

describe('CampaignCommands', () => {
  let f: ApprovalsFixture;
  beforeEach(async () => {
    f = await approvalsFixture();
  });
  afterEach(async () => {
    await f.close();
  });

  async function fields(promise: Promise<unknown>): Promise<Record<string, string>> {
    try {
      await promise;
    } catch (error) {
      if (error instanceof ValidationError) return error.fields;
      throw error;
    }
    throw new Error('expected a ValidationError');
  }

  it('$10,000.00 is created at once: PLANNED, no approval, provisioning enqueued', async () => {
    const result = await f.commands.createCampaign(newCampaignInput({ budgetCents: 1_000_000 }), {
      slackUserId: U.requester,
    });
    expect(result.outcome).toBe('created');
    expect(result.approval).toBeUndefined();
    expect(await f.campaigns.get(result.campaign.campaignId)).toMatchObject({
      status: 'PLANNED',
      budgetCents: 1_000_000,
      ownerSlackId: U.requester,
    });
    expect(f.jobs.ofKind(PROVISION_JOB_KIND)).toEqual([
      expect.objectContaining({ payload: { campaignId: result.campaign.campaignId } }),
    ]);
    expect(f.jobs.ofKind('approval.publish')).toHaveLength(0);
  });

  it('$10,000.01 is stored PENDING_APPROVAL with a leadership request; nothing provisioned', async () => {
    const result = await f.commands.createCampaign(newCampaignInput({ budgetCents: 1_000_001 }), {
      slackUserId: U.requester,
      channelId: 'C0AGENT01',
      threadTs: '1700000000.000100',
    });
    expect(result.outcome).toBe('pending_approval');
    expect(result.campaign.status).toBe('PENDING_APPROVAL');
    expect(result.approval).toMatchObject({
      levels: ['leadership'],
      policyId: 'leadership-budget-approval',
      notify: { channelId: 'C0AGENT01', threadTs: '1700000000.000100' },
      kind: 'campaign_creation',
    });
    expect(f.jobs.ofKind(PROVISION_JOB_KIND)).toHaveLength(0);
  });

  it('a requester without a thread is told in their DM; onDecided is kept on the request', async () => {
    const result = await f.commands.createCampaign(
      newCampaignInput({ budgetCents: 5_000_000 }),
      { slackUserId: U.requester },
      { onDecided: { jobKind: 'agent.resume', payload: { sessionId: 's1' } } },
    );
    expect(result.approval?.notify).toEqual({ channelId: U.requester });
    expect(result.approval?.onDecided).toEqual({ jobKind: 'agent.resume', payload: { sessionId: 's1' } });
  });

  it('reports every bad field at once, keyed by the input field', async () => {
    const errors = await fields(
      f.commands.createCampaign(
        {
          name: '   ',
          type: 'webinar' as never,
          tier: 4 as never,
          teamId: 'team-nope',
          budgetCents: 0,
          launchDate: '2026-11-21',
          endDate: '2026-11-20',
          channels: [],
        },
        { slackUserId: U.requester, timezone: 'UTC' },
      ),
    );
    expect(Object.keys(errors).sort()).toEqual(
      ['budgetCents', 'endDate', 'launchDate', 'name', 'teamId', 'tier', 'type'].sort(),
    );
    expect(errors.launchDate).toContain('past');
    expect(errors.endDate).toContain('on or after');
  });

  it('launch "today" is judged in the user’s time zone', async () => {
    // 2026-11-22T10:00Z is still 2026-11-22 02:00 in Los Angeles, and already 2026-11-22 in Tokyo.
    f.setNow('2026-11-22T05:00:00.000Z'); // LA: 2026-11-21 21:00; Tokyo: 2026-11-22 14:00
    const la = await f.commands.validateNew(
      newCampaignInput({ launchDate: '2026-11-21', endDate: undefined }),
      {
        slackUserId: U.requester,
        timezone: 'America/Los_Angeles',
      },
    );
    expect(la.launchDate).toBe('2026-11-21');
    const tokyo = await fields(
      f.commands.validateNew(newCampaignInput({ launchDate: '2026-11-21', endDate: undefined }), {
        slackUserId: U.requester,
        timezone: 'Asia/Tokyo',
      }),
    );
    expect(tokyo.launchDate).toContain('past');
  });

  it('end date equal to launch is fine; invalid calendar dates are not', async () => {
    await expect(
      f.commands.validateNew(newCampaignInput({ launchDate: '2026-12-20', endDate: '2026-12-20' }), {
        slackUserId: U.requester,
      }),
    ).resolves.toMatchObject({ launchDate: '2026-12-20', endDate: '2026-12-20' });
    const errors = await fields(
      f.commands.validateNew(newCampaignInput({ launchDate: '2026-02-30' }), { slackUserId: U.requester }),
    );
    expect(errors.launchDate).toContain('valid');
  });

  it('names are unique within a team, ignoring case and accents; other teams and rejected campaigns do not clash', async () => {
    await f.campaigns.create(aCampaign({ campaignId: 'cmp-a', name: 'Été Launch', teamId: 'team-growth' }));
    await f.campaigns.create(
      aCampaign({ campaignId: 'cmp-b', name: 'Old Idea', teamId: 'team-growth', status: 'REJECTED' }),
    );
    const clash = await fields(
      f.commands.createCampaign(newCampaignInput({ name: 'ete  LAUNCH' }), { slackUserId: U.requester }),
    );
    expect(clash.name).toContain('Été Launch');
    await expect(
      f.commands.createCampaign(newCampaignInput({ name: 'ete launch', teamId: 'team-events' }), {
        slackUserId: U.requester,
      }),
    ).resolves.toMatchObject({ outcome: 'pending_approval' });
    await expect(
      f.commands.createCampaign(newCampaignInput({ name: 'old idea', budgetCents: 100_00 }), {
        slackUserId: U.requester,
      }),
    ).resolves.toMatchObject({ outcome: 'created' });
  });

  it('names lose bidi override and isolate controls before they are stored or compared', async () => {
    const by = { slackUserId: U.requester };
    const name = '\u202ASpring\u202E gnp.exe\u202C \u2066Launch\u2069';
    const created = await f.commands.createCampaign(newCampaignInput({ name, budgetCents: 100_00 }), by);
    expect((await f.campaigns.get(created.campaign.campaignId))?.name).toBe('Spring gnp.exe Launch');
    // The same name with other controls in it is the same name; controls alone are no name.
    const clash = await fields(
      f.commands.createCampaign(newCampaignInput({ name: 'Spring gnp.exe\u202D Launch' }), by),
    );
    expect(clash.name).toContain('Spring gnp.exe Launch');
    const empty = await fields(f.commands.createCampaign(newCampaignInput({ name: '\u202E\u2067' }), by));
    expect(empty.name).toBe('Give the campaign a name.');
  });

  it('two simultaneous creations of one name in one team: exactly one is stored', async () => {
    const results = await Promise.allSettled(
      ['Twin Launch', 'twin launch', 'TWIN LAUNCH'].map((name) =>
        f.commands.createCampaign(newCampaignInput({ name, budgetCents: 100_00 }), {
          slackUserId: U.requester,
        }),
      ),
    );
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const refused = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    expect(refused.every((r) => r.reason instanceof ValidationError && 'name' in r.reason.fields)).toBe(true);
    expect((await f.campaigns.listAll()).filter((c) => normalizeName(c.name) === 'twin launch')).toHaveLength(
      1,
    );
  });

  describe('one normalized name for uniqueness and claims', () => {
    it('names the matcher cannot tell apart (punctuation, compatibility forms) are the same name', async () => {
      await f.commands.createCampaign(newCampaignInput({ name: 'Q4 Push', budgetCents: 100_00 }), {
        slackUserId: U.requester,
      });
      for (const name of ['Q4 Push!', 'q4—push', 'Ｑ4 push']) {
        expect(
          await fields(f.commands.validateNew(newCampaignInput({ name }), { slackUserId: U.requester })),
        ).toEqual({ name: 'The team already has a campaign called “Q4 Push”.' });
      }
    });

    it('a name claim in the form older versions wrote (punctuation kept) still refuses the name until it lapses', async () => {
      // What a container of the previous version holds while it creates "Q4 Push!".
      expect(await f.nameGuard.claim('campaign-name:team-growth:q4 push!', 60)).toBe(true);
      const input = newCampaignInput({ name: 'Q4 Push!', budgetCents: 100_00 });
      expect(await fields(f.commands.createCampaign(input, { slackUserId: U.requester }))).toEqual({
        name: 'A campaign with this name was created for this team a moment ago.',
      });
      expect(await f.commands.findByName('team-growth', 'Q4 Push!')).toBeUndefined();
      f.setNow(new Date(f.now().getTime() + 61_000).toISOString());
      await expect(f.commands.createCampaign(input, { slackUserId: U.requester })).resolves.toMatchObject({
        outcome: 'created',
      });
    });

    it('a creation also holds the old form, so a container of the previous version is refused too', async () => {
      await f.commands.createCampaign(newCampaignInput({ name: 'Q4 Push!', budgetCents: 100_00 }), {
        slackUserId: U.requester,
      });
      expect(await f.nameGuard.claim('campaign-name:team-growth:q4 push!', 60)).toBe(false);
      expect(await f.nameGuard.claim('campaign-name:team-growth:q4 push', 60)).toBe(false);
    });
  });

  describe('changeBudget', () => {
    it('a cut, or a raise within the approved amount, applies at once with a version bump', async () => {
      await f.campaigns.create(
        aCampaign({ campaignId: 'cmp-x', budgetCents: 5_000_000, approvedBudgetCents: 5_000_000 }),
      );
      const cut = await f.commands.changeBudget('cmp-x', 4_000_000, { slackUserId: U.requester });
      expect(cut).toMatchObject({
        outcome: 'updated',
        campaign: { budgetCents: 4_000_000, approvedBudgetCents: 5_000_000, version: 2 },
      });
      const raise = await f.commands.changeBudget('cmp-x', 5_000_000, { slackUserId: U.requester });
      expect(raise).toMatchObject({ outcome: 'updated', campaign: { budgetCents: 5_000_000, version: 3 } });
      expect(f.jobs.jobs).toHaveLength(0);
    });

    it('a raise past the approved amount asks for approval and changes nothing until approved', async () => {
      await f.campaigns.create(
        aCampaign({ campaignId: 'cmp-y', budgetCents: 5_000_000, approvedBudgetCents: 5_000_000 }),
      );
      const result = await f.commands.changeBudget(
        'cmp-y',
        5_000_001,
        { slackUserId: U.requester },
        { reason: 'More paid social' },
      );
      expect(result.outcome).toBe('pending_approval');
      expect(result.approval).toMatchObject({
        kind: 'budget_change',
        budgetCents: 5_000_001,
        previousBudgetCents: 5_000_000,
        levels: ['leadership'],
        reasonForChange: 'More paid social',
      });
      expect((await f.campaigns.get('cmp-y'))?.budgetCents).toBe(5_000_000);
      // A second raise while one waits is refused.
      await expect(f.commands.changeBudget('cmp-y', 6_000_000, { slackUserId: U.requester })).rejects.toThrow(
        /already waiting/,
      );
      // Approve, finalize: the new budget applies and becomes the approved amount; no provisioning.
      const approvalId = result.approval?.approvalId ?? '';
      await f.approvals.decide({ approvalId, actorId: U.leader, decision: 'approve' });
      await f.approvals.finalize(approvalId);
      expect(await f.campaigns.get('cmp-y')).toMatchObject({
        budgetCents: 5_000_001,
        approvedBudgetCents: 5_000_001,
        status: 'PLANNED',
      });
      expect(f.jobs.ofKind(PROVISION_JOB_KIND)).toHaveLength(0);
    });

    it('two raises sent at the same moment open one request; the other is told inline', async () => {
      await f.campaigns.create(
        aCampaign({ campaignId: 'cmp-twin', budgetCents: 5_000_000, approvedBudgetCents: 5_000_000 }),
      );
      const results = await Promise.allSettled(
        [6_000_000, 7_000_000, 8_000_000].map((cents) =>
          f.commands.changeBudget('cmp-twin', cents, { slackUserId: U.requester }),
        ),
      );
      expect(
        results.filter((r) => r.status === 'fulfilled' && r.value.outcome === 'pending_approval'),
      ).toHaveLength(1);
      const refused = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
      expect(refused).toHaveLength(2);
      expect(
        refused.every((r) => r.reason instanceof ValidationError && 'budgetCents' in r.reason.fields),
      ).toBe(true);
      expect((await f.approvals.history('cmp-twin')).filter((a) => a.status === 'PENDING')).toHaveLength(1);
    });

    it('after a rejection, the next raise can be sent at once', async () => {
      await f.campaigns.create(
        aCampaign({ campaignId: 'cmp-again', budgetCents: 5_000_000, approvedBudgetCents: 5_000_000 }),
      );
      const first = await f.commands.changeBudget('cmp-again', 9_000_000, { slackUserId: U.requester });
      const approvalId = first.approval?.approvalId ?? '';
      await f.approvals.decide({ approvalId, actorId: U.leader, decision: 'reject', reason: 'Too much' });
      const second = await f.commands.changeBudget('cmp-again', 6_000_000, { slackUserId: U.requester });
      expect(second.outcome).toBe('pending_approval');
    });

    it('a raise approved after the campaign was cancelled leaves its budget alone', async () => {
      await f.campaigns.create(
        aCampaign({ campaignId: 'cmp-closed', budgetCents: 5_000_000, approvedBudgetCents: 5_000_000 }),
      );
      const result = await f.commands.changeBudget('cmp-closed', 7_000_000, { slackUserId: U.requester });
      const open = await f.campaigns.get('cmp-closed');
      if (!open) throw new Error('gone');
      await f.campaigns.update({ ...open, status: 'CANCELLED' }, open.version);
      const approvalId = result.approval?.approvalId ?? '';
      await f.approvals.decide({ approvalId, actorId: U.leader, decision: 'approve' });
      await f.approvals.finalize(approvalId);
      expect(await f.campaigns.get('cmp-closed')).toMatchObject({
        status: 'CANCELLED',
        budgetCents: 5_000_000,
        approvedBudgetCents: 5_000_000,
      });
    });

    it('a rejected budget change leaves the campaign as it was', async () => {
      await f.campaigns.create(aCampaign({ campaignId: 'cmp-z', budgetCents: 500_000 }));
      const result = await f.commands.changeBudget('cmp-z', 20_000_001, { slackUserId: U.requester });
      expect(result.approval?.levels).toEqual(['leadership', 'vp']);
      const approvalId = result.approval?.approvalId ?? '';
      await f.approvals.decide({ approvalId, actorId: U.leader, decision: 'reject', reason: 'No' });
      await f.approvals.finalize(approvalId);
      expect(await f.campaigns.get('cmp-z')).toMatchObject({
        budgetCents: 500_000,
        status: 'PLANNED',
        version: 1,
      });
    });

    it('refuses campaigns still pending or closed, and non-positive budgets', async () => {
      await f.campaigns.create(aCampaign({ campaignId: 'cmp-p', status: 'PENDING_APPROVAL' }));
      await f.campaigns.create(aCampaign({ campaignId: 'cmp-c', status: 'CANCELLED' }));
      await expect(f.commands.changeBudget('cmp-p', 100, { slackUserId: U.requester })).rejects.toThrow(
        ValidationError,
      );
      await expect(f.commands.changeBudget('cmp-c', 100, { slackUserId: U.requester })).rejects.toThrow(
        /cancelled/,
      );
      await expect(f.commands.changeBudget('cmp-c', 0, { slackUserId: U.requester })).rejects.toThrow(
        ValidationError,
      );
      await expect(f.commands.changeBudget('cmp-none', 100, { slackUserId: U.requester })).rejects.toThrow(
        /could not find/,
      );
    });
  });
});
