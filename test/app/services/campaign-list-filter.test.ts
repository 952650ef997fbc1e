import { describe, expect, it } from 'vitest';
import { matchesFilter } from '../../../app/services/campaign-list-filter';
import { CampaignQueryService } from '../../../app/services/campaign-query';
import { buildDemoData } from '../../../dev/seed';

describe('launch-window filters', () => {
  // Prepare: the demo portfolio as of a fixed day; cmp-027 (Website Relaunch) is CANCELLED and
  // launched four days earlier, cmp-013 (Retail Media Pilot) is REJECTED.
  const now = new Date('2026-11-22T02:00:00Z');
  const demo = buildDemoData(now);
  const byId = (id: string) => {
    const found = demo.campaigns.find((c) => c.campaignId === id);
    if (!found) throw new Error(`no demo campaign ${id}`);
    return found;
  };

  it('leaves cancelled and rejected campaigns out of "what launches" unless a status asks for them', () => {
    const cancelled = byId('cmp-027');
    const rejected = byId('cmp-013');
    expect(cancelled.status).toBe('CANCELLED');
    expect(rejected.status).toBe('REJECTED');
    const window = { launchFrom: '2000-01-01', launchTo: '2999-12-31' };

    // Act / Assess
    expect(matchesFilter(cancelled, { ...window, liveOnly: true })).toBe(false);
    expect(matchesFilter(rejected, { ...window, liveOnly: true })).toBe(false);
    expect(matchesFilter(byId('cmp-001'), { ...window, liveOnly: true })).toBe(true);
    expect(matchesFilter(cancelled, { ...window, statuses: ['CANCELLED'] })).toBe(true);
  });

  it('"launching this week" pages through the live campaigns of that week only', async () => {
    // Prepare: an in-memory reader over the demo portfolio (the service only needs these calls).
    const campaigns = demo.campaigns;
    const service = new CampaignQueryService({
      campaigns: {
        get: async (id) => campaigns.find((c) => c.campaignId === id),
        listByStatus: async (status) => ({ items: campaigns.filter((c) => c.status === status) }),
        listByTeam: async (teamId) => ({ items: campaigns.filter((c) => c.teamId === teamId) }),
        listAll: async () => campaigns,
      },
      tasks: { listByCampaign: async () => [] },
      teams: { get: async () => undefined, list: async () => [] },
    });

    // Act: the week of 2026-11-16 holds cmp-027 (cancelled) among others.
    const filter = await service.resolveFilter({ weeksAhead: 0 }, '2026-11-21', []);
    const page = await service.listPage(filter, { teams: [], pageSize: 50 });

    // Assess
    expect(filter.liveOnly).toBe(true);
    expect(page.items.length).toBeGreaterThan(0);
    expect(page.items.map((c) => c.campaignId)).not.toContain('cmp-027');
    expect(page.items.every((c) => c.status !== 'CANCELLED' && c.status !== 'REJECTED')).toBe(true);
  });
});
