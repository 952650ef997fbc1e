import type { Approval } from '../../../app/domain/approval';

/*
 * The approval test fixtures, one set at three levels (each file for one):
 * - records.ts          a stored approval record, for renderers, repositories and adapters;
 * - service-fixture.ts  the approvals service and campaign commands on dynalite, with recorders for
 *                       jobs, schedules and the Slack publisher, and synthetic approvers (`U`, `GROUPS`);
 * - flow.ts             the whole flow through signed requests and the Slack stand-in, as the demo
 *                       workspace's people (`PEOPLE`).
 * All of them post requests to `APPROVALS_CHANNEL_ID`.
 */

/** The approvers' channel every approval fixture uses. */
export const APPROVALS_CHANNEL_ID = 'C0APPROVAL';

/**
 * A stored approval request (pending, leadership, posted) for rendering, repository and adapter
 * tests. The campaign name carries mrkdwn control characters, so every renderer's escaping is tested.
 */
export function anApproval(overrides: Partial<Approval> = {}): Approval {
  return {
    approvalId: 'apr_01TEST',
    campaignId: 'cmp-1',
    campaignName: 'Spring <Launch> & more',
    teamId: 'team-growth',
    kind: 'campaign_creation',
    status: 'PENDING',
    levels: ['leadership'],
    stageIndex: 0,
    stageApprovals: [],
    requesterId: 'U0DIEGO',
    budgetCents: 1_000_001,
    policyId: 'leadership-budget-approval',
    policyMessage: 'Budgets over $10,000 need marketing leadership approval.',
    channelId: APPROVALS_CHANNEL_ID,
    messageTs: '1700000000.000100',
    permalink: 'https://x.slack.com/archives/C0APPROVAL/p1700000000000100',
    notify: { channelId: 'U0DIEGO' },
    reminderAt: '2026-11-23T10:00:00.000Z',
    expiresAt: '2026-11-27T10:00:00.000Z',
    schedules: { reminder: 'approval-remind-apr_01TEST', expiry: 'approval-expire-apr_01TEST' },
    history: [
      {
        at: '2026-11-22T10:00:00.000Z',
        by: 'U0DIEGO',
        action: 'REQUESTED',
        toStatus: 'PENDING',
        budgetCents: 1_000_001,
      },
    ],
    createdAt: '2026-11-22T10:00:00.000Z',
    updatedAt: '2026-11-22T10:00:00.000Z',
    version: 1,
    ...overrides,
  };
}
