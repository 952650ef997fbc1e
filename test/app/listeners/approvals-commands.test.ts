import type { ViewOutput } from '@slack/bolt';
import type { KnownBlock } from '@slack/types';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Approval } from '../../../app/domain/approval';
import type { Campaign } from '../../../app/domain/model';
import { ActionIds, BlockIds, CallbackIds, CampaignModalBlocks } from '../../../app/ids';
import { openNewCampaignButton } from '../../../blocks/campaign-modal';
import { PEOPLE, startApprovalsHarness } from '../../helpers/approvals/flow';
import { APPROVALS_CHANNEL_ID } from '../../helpers/approvals/records';
import type { Harness } from '../../helpers/harness';
import { interactionBody, newTriggerId, PAYLOAD_DEFAULTS } from '../../helpers/payloads';

/** `/mcc approvals`, `/mcc approvals history`, `/mcc budget`, View details, the agent's button and the shortcut. */
const { maya: MAYA, aisha: AISHA, sam: SAM, diego: DIEGO } = PEOPLE;
const CHANNEL = APPROVALS_CHANNEL_ID;

const now = new Date(Date.now() + 60_000);
let harness: Harness;

beforeAll(async () => {
  harness = await startApprovalsHarness(() => now);
});
afterAll(async () => {
  await harness?.close();
});

const actor = (id: string) => ({ slackUserId: id, timezone: 'UTC' });
const text = (value: string | null) => ({ value: { type: 'plain_text_input', value } });
const launch = new Date(now.getTime() + 20 * 86_400_000).toISOString().slice(0, 10);

async function pending(name: string, requester: string, budgetCents = 3_000_000): Promise<Approval> {
  const result = await harness.runtime.services.campaignCommands.createCampaign(
    {
      name,
      type: 'standard',
      tier: 2,
      teamId: 'team-growth',
      budgetCents,
      launchDate: launch,
      channels: [],
    },
    actor(requester),
  );
  await harness.idle();
  const approval =
    result.approval && (await harness.runtime.services.approvals.get(result.approval.approvalId));
  if (!approval) throw new Error('expected an approval');
  return approval;
}

interface Posted {
  text: string;
  blocks: KnownBlock[];
}

/** The answer is the ack body itself: no response_url post, no Slack call before the HTTP response. */
async function command(textArg: string, userId: string): Promise<Posted> {
  const response = await harness.command(textArg, { user_id: userId });
  expect(response.status).toBe(200);
  expect(harness.standin.responses(response.responseUrl)).toEqual([]);
  return response.json<Posted>();
}

describe('/mcc approvals', () => {
  it('lists only the requests the caller may decide, with buttons; an outsider has none', async () => {
    const theirs = await pending('List Maya', MAYA);
    const other = await pending('List Diego', DIEGO);
    const forMaya = await command('approvals', MAYA);
    const body = JSON.stringify(forMaya.blocks);
    expect(body).toContain('List Diego');
    expect(body).not.toContain('List Maya'); // her own
    expect(body).toContain(`${other.approvalId}|0`);
    expect(body).toContain(ActionIds.approvalApprove);
    expect(body).not.toContain(theirs.approvalId);
    expect(forMaya.blocks.length).toBeLessThanOrEqual(50);
    const forSam = await command('approvals', SAM);
    expect(forSam.text).toContain('Nothing is waiting');
  });

  it('Approve from the list decides, updates the request message in the approvers’ channel and redraws the list without it', async () => {
    const approval = await pending('List Click', DIEGO);
    const stays = await pending('List Stays', DIEGO);
    const response = await harness.action({
      user: { id: AISHA, username: 'aisha', name: 'aisha', team_id: 'T0LOCAL' },
      channel: { id: PAYLOAD_DEFAULTS.channelId, name: PAYLOAD_DEFAULTS.channelName },
      action: {
        type: 'button',
        action_id: ActionIds.approvalApprove,
        block_id: `approval_list:${approval.approvalId}`,
        value: `${approval.approvalId}|0`,
      },
    });
    expect(response.status).toBe(200);
    await harness.idle();
    const answer = harness.standin.responses(response.responseUrl).at(-1)?.body;
    expect(String(answer?.text)).toContain('You approved');
    // The ephemeral list is replaced: the decided request has left it, the other one is still there.
    expect(answer?.replace_original).toBe(true);
    const list = JSON.stringify(answer?.blocks);
    expect(list).toContain('You approved');
    expect(list).not.toContain(`${approval.approvalId}|0`);
    expect(list).toContain(`${stays.approvalId}|0`);
    const message = harness.standin.messages(CHANNEL).find((m) => m.ts === approval.messageTs);
    expect(JSON.stringify(message?.blocks)).toContain('Approved');
  });

  it('history shows every transition: who, when, what, reason, budget snapshot, message link', async () => {
    const approval = await pending('History One', DIEGO, 1_500_000);
    await harness.runtime.services.approvals.decide({
      approvalId: approval.approvalId,
      actorId: MAYA,
      decision: 'reject',
      reason: 'Needs a sharper audience',
    });
    await harness.idle();
    const posted = await command('approvals history History One', SAM);
    const body = JSON.stringify(posted.blocks);
    for (const expected of [
      'Approval history: History One',
      'Requested',
      'Rejected',
      `<@${DIEGO}>`,
      `<@${MAYA}>`,
      'Needs a sharper audience',
      '$15,000',
      'PENDING → REJECTED',
      '<!date^',
      approval.permalink ?? 'no-permalink',
    ]) {
      expect(body).toContain(expected);
    }
    expect(posted.blocks.length).toBeLessThanOrEqual(50);
    const unknown = await command('approvals history Nothing Like This Zzz', SAM);
    expect(unknown.text).toContain('could not find');
  });
});

describe('View details', () => {
  it('opens a modal with the summary and the history', async () => {
    const approval = await pending('Details One', DIEGO);
    const before = harness.standin.views().length;
    const response = await harness.action({
      user: { id: SAM, username: 'sam', name: 'sam', team_id: 'T0LOCAL' },
      channel: { id: CHANNEL, name: 'mcc-approvals' },
      action: {
        type: 'button',
        action_id: ActionIds.approvalViewDetails,
        block_id: BlockIds.approvalDecision,
        value: approval.approvalId,
      },
    });
    expect(response.status).toBe(200);
    const views = harness.standin.views();
    expect(views.length).toBe(before + 1);
    const modal = views.at(-1);
    expect(modal?.callback_id).toBe(CallbackIds.approvalDetailsModal);
    expect(JSON.stringify(modal?.blocks)).toContain('Requested');
    expect(JSON.stringify(modal?.blocks)).toContain('leadership-budget-approval');
  });
});

describe('/mcc budget', () => {
  async function budgetCampaign(name: string): Promise<Campaign> {
    const created = await harness.runtime.services.campaignCommands.createCampaign(
      {
        name,
        type: 'standard',
        tier: 3,
        teamId: 'team-growth',
        budgetCents: 800_000,
        launchDate: launch,
        channels: [],
      },
      actor(DIEGO),
    );
    return created.campaign;
  }

  async function submitBudget(campaign: Campaign, amount: string, userId = DIEGO) {
    const response = await harness.command(`budget ${campaign.campaignId}`, { user_id: userId });
    expect(response.status).toBe(200);
    const modal = harness.standin
      .views()
      .filter((v) => v.callback_id === CallbackIds.budgetChangeModal)
      .at(-1);
    if (!modal) throw new Error('budget modal not opened');
    expect(modal.private_metadata.length).toBeLessThanOrEqual(3000);
    const values: ViewOutput['state']['values'] = {
      [BlockIds.budgetAmount]: text(amount),
      [BlockIds.budgetReason]: text('Paid social is working'),
    };
    return harness.viewSubmission({
      user: { id: userId, name: userId, team_id: 'T0LOCAL' },
      view: { id: modal.id, callback_id: modal.callback_id, private_metadata: modal.private_metadata },
      values,
    });
  }

  it('no such campaign, or none named, is answered in the ack itself; no modal opens', async () => {
    // Prepare
    const before = harness.standin.views().length;

    // Act
    const unknown = await harness.command('budget Nothing Like This Zzz', { user_id: DIEGO });
    const unnamed = await harness.command('budget', { user_id: DIEGO });
    const unknownId = await harness.command('budget cmp-999', { user_id: DIEGO });

    // Assess
    expect(unknown.status).toBe(200);
    expect(unknown.json<{ text: string }>().text).toContain('could not find');
    expect(unnamed.json<{ text: string }>().text).toContain('Which campaign?');
    expect(unknownId.json<{ text: string }>().text).toMatch(/^No campaign with id `cmp-999`\. Usage: /);
    expect(harness.standin.responses(unknown.responseUrl)).toHaveLength(0);
    expect(harness.standin.views().length).toBe(before);
  });

  it('a raise under the threshold applies at once; a bad amount is an inline error', async () => {
    const campaign = await budgetCampaign('Budget Small');
    const bad = await submitBudget(campaign, '9.999');
    expect(bad.json()).toMatchObject({
      response_action: 'errors',
      errors: { [BlockIds.budgetAmount]: expect.stringContaining('2 decimals') },
    });
    const ok = await submitBudget(campaign, '9,500');
    expect(ok.json()).toMatchObject({ response_action: 'update' });
    expect((await harness.runtime.repositories.campaigns.get(campaign.campaignId))?.budgetCents).toBe(
      950_000,
    );
  });

  it('a raise past the threshold asks for approval in the approvers’ channel; approved → the budget applies', async () => {
    const campaign = await budgetCampaign('Budget Big');
    const submitted = await submitBudget(campaign, '12000');
    expect(JSON.stringify(submitted.json())).toContain('needs approval');
    await harness.idle();
    const [approval] = await harness.runtime.services.approvals.history(campaign.campaignId);
    expect(approval).toMatchObject({
      kind: 'budget_change',
      budgetCents: 1_200_000,
      previousBudgetCents: 800_000,
      reasonForChange: 'Paid social is working',
    });
    const message = harness.standin.messages(CHANNEL).find((m) => m.ts === approval?.messageTs);
    expect(JSON.stringify(message?.blocks)).toContain('$8,000 → *$12,000*');
    expect((await harness.runtime.repositories.campaigns.get(campaign.campaignId))?.budgetCents).toBe(
      800_000,
    );
    await harness.runtime.services.approvals.decide({
      approvalId: approval?.approvalId ?? '',
      actorId: AISHA,
      decision: 'approve',
    });
    await harness.idle();
    expect(await harness.runtime.repositories.campaigns.get(campaign.campaignId)).toMatchObject({
      budgetCents: 1_200_000,
      approvedBudgetCents: 1_200_000,
    });
    // A cut now applies at once.
    const cut = await submitBudget(campaign, '11000');
    expect(cut.json()).toMatchObject({ response_action: 'update' });
    expect((await harness.runtime.repositories.campaigns.get(campaign.campaignId))?.budgetCents).toBe(
      1_100_000,
    );
  });
});

describe('other ways into the modal', () => {
  it('the agent’s button opens the modal prefilled; the requester hears back in that thread', async () => {
    const threadTs = '1700000000.000200';
    const button = openNewCampaignButton({ name: 'Agent Offered', budget: '30000', teamId: 'team-growth' });
    const response = await harness.action({
      user: { id: DIEGO, username: 'diego', name: 'diego', team_id: 'T0LOCAL' },
      channel: { id: PAYLOAD_DEFAULTS.channelId, name: PAYLOAD_DEFAULTS.channelName },
      message: { type: 'message', ts: '1700000000.000300', thread_ts: threadTs, text: 'agent answer' },
      action: {
        type: 'button',
        action_id: ActionIds.openNewCampaign,
        block_id: 'agent',
        value: button.value ?? '',
      },
    });
    expect(response.status).toBe(200);
    const modal = harness.standin
      .views()
      .filter((v) => v.callback_id === CallbackIds.newCampaignModal)
      .at(-1);
    if (!modal) throw new Error('modal not opened');
    expect(JSON.stringify(modal.blocks)).toContain('Agent Offered');
    expect(JSON.parse(modal.private_metadata)).toEqual({ channelId: PAYLOAD_DEFAULTS.channelId, threadTs });
    const values: ViewOutput['state']['values'] = {
      [CampaignModalBlocks.name]: text('Agent Offered'),
      [CampaignModalBlocks.type]: {
        value: {
          type: 'static_select',
          selected_option: { text: { type: 'plain_text', text: 'Standard' }, value: 'standard' },
        },
      },
      [CampaignModalBlocks.tier]: {
        value: {
          type: 'static_select',
          selected_option: { text: { type: 'plain_text', text: 'Tier 1' }, value: '1' },
        },
      },
      [CampaignModalBlocks.teamId]: {
        value: {
          type: 'static_select',
          selected_option: { text: { type: 'plain_text', text: 'Growth' }, value: 'team-growth' },
        },
      },
      [CampaignModalBlocks.budgetCents]: text('30000'),
      [CampaignModalBlocks.launchDate]: { value: { type: 'datepicker', selected_date: launch } },
    };
    const submitted = await harness.viewSubmission({
      user: { id: DIEGO, name: 'diego', team_id: 'T0LOCAL' },
      view: { id: modal.id, callback_id: modal.callback_id, private_metadata: modal.private_metadata },
      values,
    });
    expect(submitted.json()).toMatchObject({ response_action: 'update' });
    await harness.idle();
    const inThread = harness.standin
      .messages(PAYLOAD_DEFAULTS.channelId)
      .filter((m) => m.thread_ts === threadTs);
    expect(inThread.at(-1)?.text).toContain('needs approval');
  });

  it('the global shortcut opens the modal', async () => {
    const before = harness.standin.views().length;
    const payload = {
      type: 'shortcut',
      token: PAYLOAD_DEFAULTS.verificationToken,
      action_ts: '1700000000.000400',
      team: { id: PAYLOAD_DEFAULTS.teamId, domain: PAYLOAD_DEFAULTS.teamDomain },
      user: { id: DIEGO, username: 'diego', team_id: PAYLOAD_DEFAULTS.teamId },
      is_enterprise_install: false,
      callback_id: CallbackIds.newCampaignShortcut,
      trigger_id: newTriggerId(),
    };
    const response = await harness.postSlack(interactionBody(payload), 'application/x-www-form-urlencoded');
    expect(response.status).toBe(200);
    expect(harness.standin.views().length).toBe(before + 1);
    expect(harness.standin.views().at(-1)?.callback_id).toBe(CallbackIds.newCampaignModal);
  });
});
