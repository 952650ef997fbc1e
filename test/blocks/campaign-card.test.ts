import type { KnownBlock, SectionBlock } from '@slack/types';
import { describe, expect, it } from 'vitest';
import { ActionIds } from '../../app/ids';
import { campaignCardBlocks } from '../../blocks/campaign-card';
import { LIMITS } from '../../blocks/text';
import { aCampaign } from '../helpers/campaign-fixtures';

const allText = (blocks: KnownBlock[]) => JSON.stringify(blocks);
const progress = { total: 12, done: 7, overdue: 2, blocked: 1 };

describe('campaignCardBlocks', () => {
  it('shows every fact of the campaign in the viewer’s terms', () => {
    const card = campaignCardBlocks({
      campaign: aCampaign({
        name: 'Spring Launch',
        status: 'IN_PROGRESS',
        type: 'event',
        tier: 1,
        budgetCents: 1_250_000,
        launchDate: '2026-11-25',
        workSystem: 'asana',
        externalProjectUrl: 'https://app.asana.com/0/123/list',
      }),
      teamName: 'Growth Marketing',
      teamChannelId: 'C0GROWTH1',
      progress: {
        ...progress,
        nextMilestone: {
          taskId: 't',
          name: 'Creative approved',
          status: 'NOT_STARTED',
          dueDate: '2026-11-24',
        },
      },
      today: '2026-11-22',
      timezone: 'America/Los_Angeles',
      timezoneKnown: true,
    });
    const text = allText(card.blocks);
    expect(card.blocks[0]).toEqual({
      type: 'header',
      text: { type: 'plain_text', text: 'Spring Launch', emoji: false },
    });
    for (const expected of [
      'In progress',
      'Event · Tier 1',
      '<@U0OWNER01>',
      'Growth Marketing · <#C0GROWTH1>',
      '$12,500',
      'Wed, Nov 25, 2026',
      'in 3 days',
      '7 of 12 done',
      '2 overdue',
      '1 blocked',
      'Creative approved — due Tue, Nov 24, 2026 (in 2 days)',
      'America/Los_Angeles',
    ]) {
      expect(text).toContain(expected);
    }
    const actions = card.blocks.find((block) => block.type === 'actions');
    expect(actions).toMatchObject({
      elements: [
        {
          type: 'button',
          action_id: ActionIds.openCampaignLink,
          url: 'https://app.asana.com/0/123/list',
          text: { text: 'Open in Asana' },
        },
      ],
    });
    expect(card.text).toContain(
      'Spring Launch — In progress, launch Wed, Nov 25, 2026 (in 3 days), 7/12 tasks done, 2 overdue',
    );
  });

  it('says when the time zone is a UTC fallback, and when there is no project or task yet', () => {
    const card = campaignCardBlocks({
      campaign: aCampaign({ launchDate: '2026-11-22' }),
      progress: { total: 0, done: 0, overdue: 0, blocked: 0 },
      today: '2026-11-22',
      timezone: 'UTC',
      timezoneKnown: false,
    });
    const text = allText(card.blocks);
    expect(text).toContain("couldn't read your time zone");
    expect(text).toContain('No project linked yet');
    expect(text).toContain('No tasks yet.');
    expect(text).toContain('today');
    expect(text).toContain('team-growth'); // team id when the name is unknown
    expect(card.blocks.some((block) => block.type === 'actions')).toBe(false);
  });

  it('escapes user content and keeps every piece within Slack’s limits', () => {
    const name = `<!channel> & ${'Ünïcødé '.repeat(30)}`.slice(0, 150);
    const card = campaignCardBlocks({
      campaign: aCampaign({ name, externalProjectUrl: 'javascript:alert(1)' as string }),
      teamName: `<b>${'x'.repeat(3000)}`,
      progress: {
        ...progress,
        nextMilestone: { taskId: 't', name: `<@U1> ${'m'.repeat(5000)}`, status: 'BLOCKED' },
      },
      today: '2026-11-22',
      timezone: 'UTC',
      timezoneKnown: true,
    });
    const header = card.blocks[0];
    expect(header?.type === 'header' && header.text.text.length).toBeLessThanOrEqual(LIMITS.headerText);
    for (const block of card.blocks) {
      if (block.type !== 'section') continue;
      const section = block as SectionBlock;
      if (section.text) expect(section.text.text.length).toBeLessThanOrEqual(LIMITS.sectionText);
      for (const f of section.fields ?? []) expect(f.text.length).toBeLessThanOrEqual(LIMITS.fieldText);
      expect((section.fields ?? []).length).toBeLessThanOrEqual(LIMITS.fields);
    }
    const mrkdwn = allText(card.blocks.slice(1));
    expect(mrkdwn).not.toContain('<b>');
    expect(mrkdwn).not.toContain('<@U1>');
    expect(mrkdwn).toContain('&lt;b&gt;');
    expect(card.text).toContain('&lt;!channel&gt; &amp;');
    // Only http(s) links become buttons.
    expect(card.blocks.some((block) => block.type === 'actions')).toBe(false);
  });
});
