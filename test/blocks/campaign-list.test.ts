import type { ActionsBlock, KnownBlock, SectionBlock } from '@slack/types';
import { describe, expect, it } from 'vitest';
import type { Campaign } from '../../app/domain/model';
import { ActionIds } from '../../app/ids';
import { campaignListBlocks, describeFilter } from '../../blocks/campaign-list';
import { LIMITS } from '../../blocks/text';
import { aCampaign, manyCampaigns } from '../helpers/campaign-fixtures';

const base = {
  filterLabel: '',
  teamNames: new Map([['team-growth', 'Growth Marketing']]),
  today: '2026-11-22',
  timezone: 'Europe/Paris',
  timezoneKnown: true,
  moreValue: (last: Campaign) => `after:${last.campaignId}`,
};

function assertWithinLimits(blocks: KnownBlock[]) {
  expect(blocks.length).toBeLessThanOrEqual(LIMITS.messageBlocks);
  for (const block of blocks) {
    if (block.type === 'section') {
      expect((block as SectionBlock).text?.text.length ?? 0).toBeLessThanOrEqual(LIMITS.sectionText);
    }
    if (block.type === 'actions') {
      for (const element of (block as ActionsBlock).elements) {
        if (element.type === 'button')
          expect(element.value?.length ?? 0).toBeLessThanOrEqual(LIMITS.buttonValue);
      }
    }
  }
}

const button = (blocks: KnownBlock[]) =>
  blocks
    .flatMap((block) => (block.type === 'actions' ? (block as ActionsBlock).elements : []))
    .find((e) => e.type === 'button');

describe('campaignListBlocks', () => {
  it('renders one compact line per campaign with status, tier, team, launch and budget', () => {
    const campaigns = [
      aCampaign({
        campaignId: 'cmp-1',
        name: 'Spring Launch',
        status: 'PLANNED',
        tier: 1,
        launchDate: '2026-11-25',
        budgetCents: 500_000,
      }),
      aCampaign({
        campaignId: 'cmp-2',
        name: 'Fête',
        status: 'LAUNCHED',
        launchDate: '2026-11-01',
        teamId: 'team-x',
      }),
    ];
    const page = campaignListBlocks({ ...base, campaigns, total: 2, start: 0 });
    const text = JSON.stringify(page.blocks);
    expect(page.blocks).toHaveLength(4); // heading, 2 campaigns, time-zone note; no button
    expect(text).toContain('*Spring Launch*  `cmp-1`');
    expect(text).toContain('Planned · Tier 1 · Growth Marketing · :calendar: Nov 25 (in 3 days) · $5,000');
    expect(text).toContain('Launched · Tier 2 · team-x · :calendar: Nov 1 (3 weeks ago)');
    expect(text).toContain('Europe/Paris');
    expect(button(page.blocks)).toBeUndefined();
    expect(page.text).toContain('2 found');
  });

  it('offers "Show more" built from the last campaign shown', () => {
    const campaigns = manyCampaigns(15);
    const page = campaignListBlocks({
      ...base,
      campaigns,
      total: 40,
      start: 15,
      filterLabel: 'status: planned',
    });
    expect(button(page.blocks)).toMatchObject({
      action_id: ActionIds.campaignsShowMore,
      value: 'after:cmp-0015',
      text: { text: 'Show more (10 left)' },
    });
    expect(JSON.stringify(page.blocks[0])).toContain(
      '*Campaigns (status: planned)* — 40 found, showing 16–30',
    );
  });

  it('never exceeds 50 blocks or 3000 characters a section, even handed 200 long-named campaigns', () => {
    const campaigns = manyCampaigns(200, (i) => ({
      name: `${'Very long campaign name '.repeat(6)}${i}`.slice(0, 150),
    }));
    const page = campaignListBlocks({ ...base, campaigns, total: 200, start: 0 });
    assertWithinLimits(page.blocks);
    // Packed several to a section, all 200 still fit.
    expect(new Set(JSON.stringify(page.blocks).match(/cmp-\d{4}/g)).size).toBe(200);
    expect(button(page.blocks)).toBeUndefined();
    expect(page.text.length).toBeLessThanOrEqual(LIMITS.fallbackText);
  });

  it('leaves what does not fit for "Show more", continuing after the last campaign actually shown', () => {
    const campaigns = manyCampaigns(800, (i) => ({
      name: `${'Very long campaign name '.repeat(6)}${i}`.slice(0, 150),
    }));
    const page = campaignListBlocks({ ...base, campaigns, total: 800, start: 0 });
    assertWithinLimits(page.blocks);
    const shownIds = [...new Set(JSON.stringify(page.blocks).match(/cmp-\d{4}/g))];
    expect(shownIds.length).toBeGreaterThan(100);
    expect(shownIds.length).toBeLessThan(800);
    // Shown in order, with no gap: exactly the first N.
    expect(shownIds).toEqual(campaigns.slice(0, shownIds.length).map((c) => c.campaignId));
    expect(button(page.blocks)).toMatchObject({
      value: `after:${shownIds.at(-1)}`,
      text: { text: `Show more (${800 - shownIds.length} left)` },
    });
  });

  it('escapes names and team names', () => {
    const page = campaignListBlocks({
      ...base,
      campaigns: [aCampaign({ name: '<!here> Q&A', teamId: 'team-evil' })],
      teamNames: new Map([['team-evil', '<#C123>']]),
      total: 1,
      start: 0,
    });
    const text = JSON.stringify(page.blocks);
    expect(text).toContain('&lt;!here&gt; Q&amp;A');
    expect(text).toContain('&lt;#C123&gt;');
    expect(text).not.toContain('<!here>');
  });

  it('says clearly when nothing matches', () => {
    const page = campaignListBlocks({ ...base, campaigns: [], total: 0, start: 0, filterLabel: 'tier 3' });
    expect(page.text).toBe(
      'No campaigns match (tier 3). Try fewer filters, or `/mcc campaigns` for every campaign.',
    );
    expect(button(page.blocks)).toBeUndefined();

    const empty = campaignListBlocks({ ...base, campaigns: [], total: 0, start: 0 });
    expect(empty.text).toBe('There are no campaigns yet. Start one with `/mcc new`.');
  });
});

describe('describeFilter', () => {
  it('describes every part of a filter', () => {
    expect(
      describeFilter(
        {
          statuses: ['PLANNED', 'IN_PROGRESS'],
          teamId: 'team-growth',
          teamName: 'Growth Marketing',
          tiers: [1],
          types: ['event'],
          launchFrom: '2026-11-16',
          launchTo: '2026-11-22',
          weekLabel: 'this week',
        },
        '2026-11-22',
      ),
    ).toBe(
      'status: planned, in progress · team: Growth Marketing · tier 1 · type: event · launching this week (Nov 16 – Nov 22)',
    );
    expect(describeFilter({}, '2026-11-22')).toBe('');
  });
});
