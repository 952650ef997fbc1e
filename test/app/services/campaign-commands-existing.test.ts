import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { NotFoundError, ValidationError } from '../../../app/errors';
import { APPROVAL_JOB_KINDS } from '../../../app/services/approval-ports';
import { type ApprovalsFixture, approvalsFixture, U } from '../../helpers/approvals/service-fixture';
import { aCampaign } from '../../helpers/campaign-fixtures';

/** `requestApprovalForExisting`: a stored PENDING_APPROVAL campaign gets the request a modal would make. */
describe('CampaignCommands.requestApprovalForExisting', () => {
  let f: ApprovalsFixture;
  beforeEach(async () => {
    f = await approvalsFixture();
  });
  afterEach(async () => {
    await f.close();
  });

  const pendingCampaign = (overrides: Parameters<typeof aCampaign>[0] = {}) =>
    aCampaign({
      campaignId: 'cmp-700',
      status: 'PENDING_APPROVAL',
      budgetCents: 25_000_000,
      createdBy: U.requester,
      ownerSlackId: U.requester,
      ...overrides,
    });

  it('stores a request at the policy level with its history and enqueues its publication', async () => {
    // Prepare
    await f.campaigns.create(pendingCampaign());

    // Act
    const result = await f.commands.requestApprovalForExisting('cmp-700', { slackUserId: U.requester });

    // Assess
    expect(result.outcome).toBe('requested');
    expect(result.approval).toMatchObject({
      campaignId: 'cmp-700',
      kind: 'campaign_creation',
      status: 'PENDING',
      levels: ['leadership', 'vp'],
      requesterId: U.requester,
      budgetCents: 25_000_000,
      notify: { channelId: U.requester },
    });
    expect(result.approval.history).toEqual([
      expect.objectContaining({ action: 'REQUESTED', by: U.requester, toStatus: 'PENDING' }),
    ]);
    expect(f.jobs.ofKind(APPROVAL_JOB_KINDS.publish)).toEqual([
      expect.objectContaining({ payload: { approvalId: result.approval.approvalId } }),
    ]);
    expect((await f.campaigns.get('cmp-700'))?.status).toBe('PENDING_APPROVAL');
  });

  it('a second call returns the pending request and creates nothing', async () => {
    // Prepare
    await f.campaigns.create(pendingCampaign());
    const first = await f.commands.requestApprovalForExisting('cmp-700', { slackUserId: U.requester });

    // Act
    const second = await f.commands.requestApprovalForExisting('cmp-700', { slackUserId: U.requester });

    // Assess
    expect(second.outcome).toBe('already_requested');
    expect(second.approval.approvalId).toBe(first.approval.approvalId);
    expect(await f.approvals.history('cmp-700')).toHaveLength(1);
    expect(f.jobs.ofKind(APPROVAL_JOB_KINDS.publish)).toHaveLength(1);
  });

  it('concurrent calls store exactly one request', async () => {
    // Prepare
    await f.campaigns.create(pendingCampaign());

    // Act
    const results = await Promise.allSettled(
      Array.from({ length: 5 }, () =>
        f.commands.requestApprovalForExisting('cmp-700', { slackUserId: U.requester }),
      ),
    );

    // Assess
    const requested = results.filter((r) => r.status === 'fulfilled' && r.value.outcome === 'requested');
    expect(requested).toHaveLength(1);
    expect(await f.approvals.history('cmp-700')).toHaveLength(1);
  });

  it('a decided request (not yet applied to the campaign) is not asked again', async () => {
    // Prepare
    await f.campaigns.create(pendingCampaign({ budgetCents: 2_000_000 }));
    const first = await f.commands.requestApprovalForExisting('cmp-700', { slackUserId: U.requester });
    await f.approvals.decide({
      approvalId: first.approval.approvalId,
      actorId: U.leader,
      decision: 'approve',
    });

    // Act
    const again = await f.commands.requestApprovalForExisting('cmp-700', { slackUserId: U.requester });

    // Assess
    expect(again.outcome).toBe('already_requested');
    expect(again.approval.status).toBe('APPROVED');
    expect(await f.approvals.history('cmp-700')).toHaveLength(1);
  });

  it('refuses a missing campaign, one not pending approval, and one whose budget needs none', async () => {
    // Prepare
    await f.campaigns.create(pendingCampaign({ campaignId: 'cmp-701', status: 'PLANNED' }));
    await f.campaigns.create(pendingCampaign({ campaignId: 'cmp-702', budgetCents: 1_000_000 }));
    const actor = { slackUserId: U.requester };

    // Act / Assess
    await expect(f.commands.requestApprovalForExisting('cmp-nope', actor)).rejects.toBeInstanceOf(
      NotFoundError,
    );
    await expect(f.commands.requestApprovalForExisting('cmp-701', actor)).rejects.toBeInstanceOf(
      ValidationError,
    );
    await expect(f.commands.requestApprovalForExisting('cmp-702', actor)).rejects.toBeInstanceOf(
      ValidationError,
    );
    expect(await f.approvals.history('cmp-701')).toEqual([]);
    expect(await f.approvals.history('cmp-702')).toEqual([]);
  });
});
