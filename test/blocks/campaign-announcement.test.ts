import { describe, expect, it } from 'vitest';
import { campaignAnnouncementBlocks } from '../../blocks/campaign-announcement';
import { LIMITS } from '../../blocks/text';

const campaign = {
  name: 'Spring <Launch> & more',
  ownerSlackId: 'U0OWNER',
  budgetCents: 1_234_567,
  launchDate: '2027-01-20',
  type: 'standard' as const,
  tier: 1 as const,
  description: 'Big *launch*',
};

const tasks = [
  { name: 'Campaign brief', dueDate: '2026-12-16', ownerSlackId: 'U0OWNER', milestone: false },
  { name: 'Legal review', dueDate: '2027-01-06', ownerSlackId: undefined, milestone: false },
  { name: 'Launch', dueDate: '2027-01-20', ownerSlackId: 'U0OWNER', milestone: true },
];

describe('campaignAnnouncementBlocks', () => {
  it('shows name, owner, budget, launch, project link, task count, plan and the unassigned note', () => {
    // Act
    const { text, blocks } = campaignAnnouncementBlocks({
      campaign,
      workSystem: 'workfront',
      projectUrl: 'https://acme.my.workfront.com/project/abc',
      tasks,
      today: '2026-11-23',
    });
    const json = JSON.stringify(blocks);
    // Assess
    expect(blocks[0]).toEqual({
      type: 'header',
      text: { type: 'plain_text', text: 'New campaign: Spring <Launch> & more', emoji: true },
    });
    expect(json).toContain('<@U0OWNER>');
    expect(json).toContain('$12,345.67');
    expect(json).toContain('Wed, Jan 20, 2027');
    expect(json).toContain('<https://acme.my.workfront.com/project/abc|Open in Workfront>');
    expect(json).toContain('3 in Workfront');
    expect(json).toContain('Legal review — _unassigned_ — due Jan 6, 2027');
    expect(json).toContain(':triangular_flag_on_post: Launch');
    expect(json).toContain('Unassigned: Legal review');
    // mrkdwn is escaped in text fields
    expect(json).toContain('Big *launch*');
    // The notification text is mrkdwn too: the name is escaped there as well, the URL is a link.
    expect(text).toContain('Spring &lt;Launch&gt; &amp; more');
    expect(text).toContain('<https://acme.my.workfront.com/project/abc|');
  });

  it('does not link a URL that is not http(s)', () => {
    const { blocks } = campaignAnnouncementBlocks({
      campaign,
      workSystem: 'asana',
      projectUrl: 'javascript:alert(1)',
      tasks: [],
      today: '2026-11-23',
    });
    expect(JSON.stringify(blocks)).not.toContain('javascript:');
    expect(JSON.stringify(blocks)).toContain('Open in Asana');
  });

  it('stays within Slack limits with a long name and many long tasks', () => {
    // Prepare
    const many = Array.from({ length: 60 }, (_, i) => ({
      name: `${'Very long task name '.repeat(12)}${i}`,
      dueDate: '2027-01-01',
      ownerSlackId: i % 2 ? 'U0OWNER' : undefined,
      milestone: false,
    }));
    // Act
    const { text, blocks } = campaignAnnouncementBlocks({
      campaign: { ...campaign, name: 'N'.repeat(150), description: 'd'.repeat(3000) },
      workSystem: 'asana',
      projectUrl: 'https://app.asana.com/0/1/list',
      tasks: many,
      today: '2026-11-23',
      notes: Array.from({ length: 20 }, (_, i) => `note ${i}`),
    });
    // Assess
    expect(blocks.length).toBeLessThanOrEqual(LIMITS.messageBlocks);
    expect(text.length).toBeLessThanOrEqual(LIMITS.fallbackText);
    for (const block of blocks) {
      if (block.type === 'header') expect(block.text.text.length).toBeLessThanOrEqual(LIMITS.headerText);
      if (block.type === 'section' && block.text)
        expect(block.text.text.length).toBeLessThanOrEqual(LIMITS.sectionText);
      if (block.type === 'section' && block.fields) {
        for (const f of block.fields) expect(f.text.length).toBeLessThanOrEqual(LIMITS.fieldText);
      }
      if (block.type === 'context') expect(block.elements.length).toBeLessThanOrEqual(LIMITS.contextElements);
    }
    expect(JSON.stringify(blocks)).toContain('and 48 more in Asana');
  });
});
