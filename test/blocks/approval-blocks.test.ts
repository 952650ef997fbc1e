import type { KnownBlock, SectionBlock } from '@slack/types';
import { describe, expect, it } from 'vitest';
import type { ApprovalHistoryEntry } from '../../app/domain/model';
import { CampaignModalBlocks } from '../../app/ids';
import { parseUsdToCents } from '../../app/services/campaign-inputs';
import { approvalDetailsModal, approvalHistoryMessage } from '../../blocks/approval-history';
import { APPROVAL_LIST_MAX, approvalListMessage } from '../../blocks/approval-list';
import { approvalRequestMessage, parseDecisionValue, requesterNotice } from '../../blocks/approval-message';
import { budgetModal } from '../../blocks/budget-modal';
import {
  campaignCreatedNotice,
  campaignModal,
  encodeModalContext,
  openNewCampaignButton,
} from '../../blocks/campaign-modal';
import { rejectModal } from '../../blocks/reject-modal';
import { anApproval } from '../helpers/approvals/records';
import { aCampaign } from '../helpers/campaign-fixtures';

/** Every text a block carries must stay within Slack's limits. */
function assertWithinLimits(blocks: KnownBlock[], maxBlocks: number) {
  expect(blocks.length).toBeLessThanOrEqual(maxBlocks);
  for (const block of blocks) {
    if (block.type === 'section') {
      const section = block as SectionBlock;
      if (section.text) expect(section.text.text.length).toBeLessThanOrEqual(3000);
      for (const field of section.fields ?? []) expect(field.text.length).toBeLessThanOrEqual(2000);
      expect((section.fields ?? []).length).toBeLessThanOrEqual(10);
    }
    if (block.type === 'header') expect(block.text.text.length).toBeLessThanOrEqual(150);
    if (block.block_id) expect(block.block_id.length).toBeLessThanOrEqual(255);
  }
}

describe('approval request message', () => {
  it('pending: escapes the name, mentions, shows policy and three buttons carrying approval and stage', () => {
    const message = approvalRequestMessage({
      approval: anApproval(),
      campaign: aCampaign({ description: 'x'.repeat(5000) }),
      mentions: ['<!subteam^S0LEADERS>'],
    });
    const body = JSON.stringify(message.blocks);
    expect(body).toContain('Spring &lt;Launch&gt; &amp; more');
    expect(body).toContain('<!subteam^S0LEADERS>');
    expect(body).toContain('$10,000.01');
    const actions = message.blocks.find((b) => b.type === 'actions');
    expect(JSON.stringify(actions)).toContain('apr_01TEST|0');
    expect(parseDecisionValue('apr_01TEST|0')).toEqual({ approvalId: 'apr_01TEST', stage: 0 });
    expect(parseDecisionValue('junk')).toBeUndefined();
    expect(message.text.length).toBeGreaterThan(0);
    assertWithinLimits(message.blocks, 50);
  });

  it('decided: outcome, who, when and reason, and no buttons', () => {
    const message = approvalRequestMessage({
      approval: anApproval({
        status: 'REJECTED',
        decidedBy: 'U0MAYA',
        decidedAt: '2026-11-22T11:00:00.000Z',
        reason: 'r'.repeat(4000),
      }),
      campaign: undefined,
      mentions: [],
    });
    expect(message.blocks.some((b) => b.type === 'actions')).toBe(false);
    const body = JSON.stringify(message.blocks);
    expect(body).toContain('Rejected* by <@U0MAYA>');
    expect(body).toContain('<!date^');
    assertWithinLimits(message.blocks, 50);
  });

  it('requester notices stay within a section and link the request', () => {
    for (const notice of [
      'requested',
      'stage_approved',
      'approved',
      'rejected',
      'expired',
      'cancelled',
    ] as const) {
      const message = requesterNotice(anApproval({ reason: 'z'.repeat(5000), decidedBy: 'U0MAYA' }), notice);
      assertWithinLimits(message.blocks, 1);
    }
    expect(requesterNotice(anApproval(), 'requested').text).toContain(
      'https://x.slack.com/archives/C0APPROVAL',
    );
  });
});

describe('lists and history at Slack’s limits', () => {
  it('/mcc approvals shows at most 20 requests within 50 blocks and says how many more', () => {
    const many = Array.from({ length: 60 }, (_, i) =>
      anApproval({ approvalId: `apr_${i}`, campaignName: `C${i} ${'n'.repeat(140)}` }),
    );
    const message = approvalListMessage(many);
    assertWithinLimits(message.blocks, 50);
    expect(message.blocks.filter((b) => b.type === 'actions')).toHaveLength(APPROVAL_LIST_MAX);
    expect(JSON.stringify(message.blocks)).toContain('40 more');
    // block ids are unique within the message
    const ids = message.blocks.map((b) => b.block_id).filter(Boolean);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('a long history is packed into sections of ≤ 3000 characters; many requests stay within 50 blocks', () => {
    const entry: ApprovalHistoryEntry = {
      at: '2026-11-23T10:00:00.000Z',
      by: 'system',
      action: 'REMINDED',
      fromStatus: 'PENDING',
      toStatus: 'PENDING',
      budgetCents: 1_000_001,
      reason: 'Reminded <@U0MAYA> <@U0AISHA>',
    };
    const long = anApproval({ history: Array.from({ length: 200 }, () => entry) });
    const approvals = Array.from({ length: 30 }, (_, i) => ({ ...long, approvalId: `apr_${i}` }));
    const message = approvalHistoryMessage('Spring', approvals);
    assertWithinLimits(message.blocks, 50);
    expect(JSON.stringify(message.blocks)).toContain('older requests not shown');
    const modal = approvalDetailsModal({ approval: long, campaign: aCampaign(), mentions: [] });
    assertWithinLimits(modal.blocks as KnownBlock[], 100);
  });
});

describe('modals', () => {
  it('the new-campaign modal: title ≤ 24, every field, ≤ 100 options, private_metadata ≤ 3000', () => {
    const teams = Array.from({ length: 150 }, (_, i) => ({ teamId: `team-${i}`, name: `Team ${i}` }));
    const modal = campaignModal({
      teams,
      prefill: { name: 'n'.repeat(400), teamId: 'team-3', tier: 2, channels: ['email'] },
    });
    expect(modal.title.text.length).toBeLessThanOrEqual(24);
    expect(modal.submit?.text.length ?? 0).toBeLessThanOrEqual(24);
    expect(modal.blocks.map((b) => b.block_id)).toEqual(Object.values(CampaignModalBlocks));
    const team = modal.blocks.find((b) => b.block_id === CampaignModalBlocks.teamId);
    expect(JSON.stringify(team).match(/"value":"team-/g)?.length).toBeLessThanOrEqual(101);
    expect((modal.private_metadata ?? '').length).toBeLessThanOrEqual(3000);
    expect(encodeModalContext({ channelId: 'C1', threadTs: 'x'.repeat(5000) }).length).toBeLessThanOrEqual(
      3000,
    );
    expect(encodeModalContext({ channelId: 'C1', threadTs: '1700000000.000100' })).toBe(
      '{"channelId":"C1","threadTs":"1700000000.000100"}',
    );
  });

  it('the agent’s button carries its prefill within 2000 characters, or none', () => {
    expect(openNewCampaignButton({ name: 'A' }).value).toBe('{"name":"A"}');
    expect(openNewCampaignButton({ description: 'd'.repeat(3000) }).value).toBeUndefined();
  });

  it('the submission notice escapes the campaign name and says where the requester hears back', () => {
    const view = campaignCreatedNotice({
      name: 'Q4 <!channel> & *Launch*',
      budgetCents: 2_500_050,
      outcome: 'pending_approval',
      policyMessage: 'Over $10,000 needs marketing leadership approval.',
      inThread: false,
    });
    const body = JSON.stringify(view.blocks);
    expect(body).not.toContain('<!channel>');
    expect(body).toContain('&lt;!channel&gt; &amp;');
    expect(body).toContain('$25,000.50');
    expect(body).toContain('in a DM');
    expect(view.title.text.length).toBeLessThanOrEqual(24);
  });

  it('reject and budget modals: titles ≤ 24, context in private_metadata', () => {
    const reject = rejectModal(anApproval(), 0);
    expect(reject.title.text.length).toBeLessThanOrEqual(24);
    expect(JSON.parse(reject.private_metadata ?? '')).toEqual({ approvalId: 'apr_01TEST', stage: 0 });
    const budget = budgetModal(aCampaign({ budgetCents: 1_250_050 }));
    expect(budget.title.text.length).toBeLessThanOrEqual(24);
    // The amount to edit is in the one dollar format, which the submission parses back.
    expect(JSON.stringify(budget.blocks)).toContain('"initial_value":"$12,500.50"');
    expect(parseUsdToCents('$12,500.50')).toEqual({ ok: true, cents: 1_250_050 });
    expect(JSON.stringify(budgetModal(aCampaign({ budgetCents: 1_000_000 })).blocks)).toContain(
      '"initial_value":"$10,000"',
    );
  });
});
