import type { Approval } from '../../app/domain/approval';
import type { DigestContent } from '../../app/domain/digest-content';
import type { Campaign } from '../../app/domain/model';
import { anApproval } from './approvals/records';
import { aCampaign } from './campaign-fixtures';
import { hostile } from './slack-text-scan';

/*
 * Records with hostile text (slack-text-scan.ts) in every field a person, a work system or a model
 * can fill: a campaign, approvals in each state, a digest. `TOKENS` are the only ids and URLs the
 * bot may turn into markup while rendering them.
 */

export const REQUESTER = 'U0REQUESTER';
export const OWNER = 'U0OWNER01';
export const APPROVER = 'U0APPROVER';
export const TOKENS = {
  users: [REQUESTER, OWNER, APPROVER, 'U0VIEWER'],
  channels: ['C0TEAM', 'C0APPROVAL'],
  userGroups: ['S0LEADERS'],
  urlPrefixes: [
    'https://acme.my.workfront.com/',
    'https://x.slack.com/archives/',
    'https://docs.example.com/',
    'slack://app?',
  ],
};
export const TODAY = '2026-12-03';
const PERMALINK = 'https://x.slack.com/archives/C0APPROVAL/p1700000000000100';

export const campaign: Campaign = aCampaign({
  campaignId: 'cmp-hostile',
  name: hostile('Campaign'),
  description: hostile('Description'),
  audience: hostile('Audience'),
  channels: [hostile('Channel')],
  teamId: 'team-hostile',
  ownerSlackId: OWNER,
  externalProjectUrl: 'https://acme.my.workfront.com/project/abc',
  workSystem: 'workfront',
  launchDate: '2026-12-10',
});

export const pending: Approval = anApproval({
  campaignName: hostile('Campaign'),
  requesterId: REQUESTER,
  reasonForChange: hostile('Why'),
  policyMessage: hostile('Policy'),
  permalink: PERMALINK,
  history: [
    {
      at: '2026-11-22T10:00:00.000Z',
      by: REQUESTER,
      action: 'REQUESTED',
      toStatus: 'PENDING',
      budgetCents: 1_000_001,
      reason: hostile('History reason'),
      messageLink: PERMALINK,
    },
  ],
});
/** The rejection as the approval's history records it. */
const rejection: Approval['history'][number] = {
  at: '2026-11-23T10:00:00.000Z',
  by: APPROVER,
  action: 'REJECTED',
  fromStatus: 'PENDING',
  toStatus: 'REJECTED',
  level: 'leadership',
  budgetCents: 1_000_001,
  reason: hostile('Rejection'),
};
export const rejected: Approval = {
  ...pending,
  kind: 'budget_change',
  previousBudgetCents: 500_000,
  status: 'REJECTED',
  decidedBy: APPROVER,
  decidedAt: '2026-11-23T10:00:00.000Z',
  reason: hostile('Rejection'),
  history: [...pending.history, rejection],
};
export const twoStage: Approval = {
  ...pending,
  levels: ['leadership', 'vp'],
  stageIndex: 1,
  stageApprovals: [{ level: 'leadership', by: APPROVER, at: '2026-11-23T09:00:00.000Z' }],
};
export const cancelled: Approval = { ...pending, status: 'CANCELLED', reason: hostile('Withdrawn') };
export const view = { approval: pending, campaign, mentions: ['<!subteam^S0LEADERS>'] };
export const decidedView = { approval: rejected, campaign, mentions: [] };

export const digestContent: DigestContent = {
  channelId: 'C0TEAM',
  teamNames: [hostile('Team')],
  localDate: TODAY,
  timeZone: 'America/New_York',
  locale: 'en-US',
  scheduledTime: '2026-12-03T14:00:00.000Z',
  late: true,
  since: '2026-12-02T14:00:00.000Z',
  asOf: '2026-12-03T14:20:00.000Z',
  launching: [
    {
      campaignId: 'cmp-1',
      name: hostile('Launching'),
      teamName: hostile('Team'),
      status: 'PLANNED',
      launchDate: '2026-12-05',
      ownerSlackId: OWNER,
      budgetCents: 100_000,
      externalProjectUrl: 'https://acme.my.workfront.com/project/1',
    },
    {
      campaignId: 'cmp-2',
      name: hostile('Launching without a safe link'),
      teamName: 'Team',
      status: 'PLANNED',
      launchDate: '2026-12-06',
      ownerSlackId: OWNER,
      budgetCents: 100_000,
      externalProjectUrl: 'javascript:alert(1)',
    },
  ],
  atRisk: [
    {
      campaignId: 'cmp-1',
      name: hostile('At risk'),
      teamName: 'Team',
      status: 'PLANNED',
      launchDate: '2026-12-05',
      ownerSlackId: OWNER,
      budgetCents: 100_000,
      openTasks: 3,
      overdueTasks: 1,
    },
  ],
  overdue: [
    {
      campaignId: 'cmp-1',
      campaignName: hostile('Overdue campaign'),
      taskId: 't1',
      name: hostile('Overdue task'),
      ownerSlackId: OWNER,
      dueDate: '2026-12-01',
      daysLate: 2,
    },
  ],
  approvals: [pending],
  conflicts: [
    {
      objectKey: 'task#cmp-1#t9',
      summary: hostile('Conflict'),
      since: '2026-12-02T09:00:00.000Z',
      link: 'https://acme.my.workfront.com/task/9',
    },
  ],
  changes: [
    { kind: 'decision', at: '2026-12-03T10:00:00.000Z', approval: rejected },
    {
      kind: 'budget',
      at: '2026-12-03T11:00:00.000Z',
      campaignId: 'cmp-1',
      campaignName: hostile('Budget change'),
      fromCents: 500_000,
      toCents: 450_000,
      by: OWNER,
    },
  ],
  timeline: [{ name: hostile('Timeline'), launchDate: '2026-12-05', atRisk: true }],
  counts: { launching: 2, atRisk: 1, overdue: 1, approvals: 1, conflicts: 1, changes: 2 },
  appHomeUrl: 'slack://app?team=T0LOCAL&id=A0LOCAL&tab=home',
};
