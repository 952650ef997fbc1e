import { describe, expect, it } from 'vitest';
import type { Campaign } from '../../../../app/domain/model';
import { formatUsd } from '../../../../app/domain/text';
import { markdownToMrkdwn } from '../../../../app/services/agent/mrkdwn';
import { classifyOffline, OfflineAgent } from '../../../../app/services/agent/offline-agent';
import { aCampaign } from '../../../helpers/campaign-fixtures';

describe('classifyOffline', () => {
  it.each([
    ['What is the status of Spring Launch?', 'campaign_status'],
    ["how's sprng launch doing", 'campaign_status'],
    ['what launches this week', 'launches'],
    ['anything going live next week?', 'launches'],
    ['Any approvals waiting for me?', 'approvals'],
    ['what needs approving', 'approvals'],
    ['what are my tasks', 'my_tasks'],
    ["what's on my plate", 'my_tasks'],
    ['what is overdue', 'overdue'],
    ['which tasks are late?', 'overdue'],
    ['create a campaign', 'create_campaign'],
    ['I want to start a new campaign', 'create_campaign'],
    ['tell me a joke', 'help'],
    ['what can you do?', 'help'],
    ['help', 'help'],
    ['upcoming launches?', 'launches'],
    ["what's launching next wk", 'launches'],
    ['anything going live soon', 'launches'],
    ['what should I work on today?', 'my_tasks'],
    ['SPRING LAUNCH STATUS!!', 'campaign_status'],
  ])('%s → %s', (text, intent) => {
    expect(classifyOffline(text)).toBe(intent);
  });
});

describe('OfflineAgent answers', () => {
  const campaign: Campaign = aCampaign({
    campaignId: 'cmp-1',
    name: 'Spring Launch',
    budgetCents: 1_234_550,
  });
  const agent = new OfflineAgent({
    campaigns: {
      listAll: async () => [campaign],
      listByStatus: async () => ({ items: [] }),
    },
    tasks: { listByOwner: async () => [], listByCampaign: async () => [] },
    clock: () => new Date('2026-11-22T10:00:00Z'),
    formatDay: (date) => date,
  });

  it('finds a campaign by the id in the question, and says when no campaign has that id', async () => {
    const known = await agent.answer('status of cmp-1?', { userId: 'U0MAYA', timezone: 'UTC' });
    expect(known).toMatchObject({
      intent: 'campaign_status',
      markdown: expect.stringContaining('**Spring Launch**'),
    });
    const unknown = await agent.answer('cmp-999', { userId: 'U0MAYA', timezone: 'UTC' });
    expect(unknown).toMatchObject({ intent: 'campaign_status', offerNewCampaign: false });
    // The id is data, Markdown-escaped like a name; Slack shows it as typed.
    expect(markdownToMrkdwn(unknown.markdown)).toBe('No campaign with id cmp-999.');
  });

  it('writes budgets in the one dollar format (formatUsd), cents kept', async () => {
    const answer = await agent.answer('how is Spring Launch doing?', { userId: 'U0MAYA', timezone: 'UTC' });
    expect(answer.markdown).toContain(`Budget: ${formatUsd(1_234_550)} ·`);
    expect(answer.markdown).toContain('$12,345.50');
  });
});
