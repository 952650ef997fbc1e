import { describe, expect, it } from 'vitest';
import type { Campaign, CampaignStatus, Task } from '../../../../app/domain/model';
import { markdownToMrkdwn } from '../../../../app/services/agent/mrkdwn';
import { OfflineAgent, type OfflineAgentDeps } from '../../../../app/services/agent/offline-agent';
import { dayWithRelative } from '../../../../blocks/dates';
import { aCampaign, aTask } from '../../../helpers/campaign-fixtures';
import { scanSlackText } from '../../../helpers/slack-text-scan';

/**
 * The offline agent writes Markdown from our data (campaign and task names typed by people or synced
 * from Workfront/Asana); the answer reaches Slack through `markdownToMrkdwn`. A name must come out as
 * the text it is: no mention, broadcast or group ping (also not from an already-escaped
 * `&lt;@U…&gt;`), no link of its own (`<url|label>`, a bare `https://…`, `www.…` or an e-mail
 * address), no bidi control, and the only links are the ones the agent wrote from our URLs.
 */
const NAME =
  'Spring <!channel> <@U0VICTIM> <!subteam^S0ALL> &lt;@U0ESC&gt; &lt;!subteam^S0ESC&gt; <https://evil.example/pay|click> www.evil.example boss@evil.example https://evil.example/x R&D *b* _i_ \u202Eab\u202C';
const TASK_NAME = `Brief ${NAME}`;
const PERMALINK = 'https://acme.slack.com/archives/C0APPROVALS/p1700000000000100';
const PROJECT_URL = 'https://acme.my.workfront.com/project/abc';
const TODAY = '2026-12-03';
const OWNER = 'U0OWNER01';

function agentWith(approvals: boolean): OfflineAgent {
  const campaign: Campaign = aCampaign({
    name: NAME,
    status: 'IN_PROGRESS',
    launchDate: '2026-12-04',
    ownerSlackId: OWNER,
    externalProjectUrl: PROJECT_URL,
    workSystem: 'workfront',
  });
  const pending: Campaign = aCampaign({
    campaignId: 'cmp-901',
    name: `Pending ${NAME}`,
    status: 'PENDING_APPROVAL',
  });
  // A second hostile name, so a vague question lists both as candidates.
  const task: Task = aTask({ name: TASK_NAME, ownerSlackId: OWNER, dueDate: '2026-11-30', milestone: true });
  const campaigns = [campaign, pending];
  const deps: OfflineAgentDeps = {
    campaigns: {
      listAll: async () => campaigns,
      listByStatus: async (status: CampaignStatus) => ({
        items: campaigns.filter((c) => c.status === status),
      }),
    },
    tasks: {
      listByOwner: async (userId) => (userId === OWNER ? [task] : []),
      listByCampaign: async (campaignId) => (campaignId === campaign.campaignId ? [task] : []),
    },
    approvals: approvals
      ? {
          listDecidableBy: async () => [
            {
              campaignName: NAME,
              campaignId: 'cmp-901',
              budgetCents: 2_500_000,
              requesterId: OWNER,
              permalink: PERMALINK,
            },
          ],
        }
      : undefined,
    clock: () => new Date(`${TODAY}T15:00:00Z`),
    formatDay: dayWithRelative,
  };
  return new OfflineAgent(deps);
}

describe('the offline agent quotes names as text', () => {
  it.each([
    ['status of the hostile name', `status of ${NAME}`, true, 'campaign_status'],
    ['the bare hostile name', NAME, true, 'campaign_status'],
    ['status of spring (two candidates)', 'status of spring', true, 'campaign_status'],
    ['status of nothing like it', 'status of nothing like it', true, 'campaign_status'],
    ['what launches this week?', 'what launches this week?', true, 'launches'],
    ['any approvals waiting for me?', 'any approvals waiting for me?', true, 'approvals'],
    ['approvals without the approvals service', 'any approvals waiting for me?', false, 'approvals'],
    ['what are my tasks?', 'what are my tasks?', true, 'my_tasks'],
    ['what is overdue?', 'what is overdue?', true, 'overdue'],
  ] as const)('%s', async (_label, question, approvals, intent) => {
    const answer = await agentWith(approvals).answer(question, { userId: OWNER, timezone: 'UTC' });
    expect(answer.intent).toBe(intent);
    const mrkdwn = markdownToMrkdwn(answer.markdown, { linkUrls: answer.linkUrls ?? [] });
    expect(
      scanSlackText(
        { type: 'mrkdwn', text: mrkdwn },
        { users: [OWNER], urlPrefixes: [PERMALINK, PROJECT_URL] },
      ),
    ).toEqual([]);
    // The name is there, shown as typed (escaped once for Slack), not dropped.
    if (intent !== 'campaign_status' || question !== 'status of nothing like it') {
      expect(mrkdwn).toContain(
        'Spring &lt;!channel&gt; &lt;@U0VICTIM&gt; &lt;!subteam^S0ALL&gt; &amp;lt;@U0ESC&amp;gt;',
      );
      expect(mrkdwn).toContain(
        '&lt;https://evil.example/pay|click&gt; www.evil.example boss@evil.example https://evil.example/x R&amp;D',
      );
    }
    expect(mrkdwn).not.toMatch(/[\u202A-\u202E\u2066-\u2069]/);
  });

  it('links only the URLs it wrote from our data, with their own labels', async () => {
    const status = await agentWith(true).answer(`status of ${NAME}`, { userId: OWNER, timezone: 'UTC' });
    expect(markdownToMrkdwn(status.markdown, { linkUrls: status.linkUrls ?? [] })).toContain(
      `<${PROJECT_URL}|open in workfront>`,
    );
    const approvals = await agentWith(true).answer('any approvals?', { userId: OWNER, timezone: 'UTC' });
    expect(markdownToMrkdwn(approvals.markdown, { linkUrls: approvals.linkUrls ?? [] })).toContain(
      `<${PERMALINK}|open>`,
    );
  });
});
