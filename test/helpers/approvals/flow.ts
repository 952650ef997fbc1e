import type { ViewOutput } from '@slack/bolt';
import type { KnownBlock } from '@slack/types';
import { expect } from 'vitest';
import type { Approval } from '../../../app/domain/approval';
import { BlockIds, CallbackIds, CampaignModalBlocks } from '../../../app/ids';
import type { StoredMessage } from '../../../dev/slack-standin/state';
import { type Harness, startHarness } from '../harness';
import { APPROVALS_CHANNEL_ID } from './records';

/**
 * Driving the approval flow as a person would, through signed requests to the HTTP app and the
 * Slack stand-in: `/mcc new` → submit the modal → click the request's buttons. Shared by the flow
 * tests so each file only says what it checks.
 */
/** The demo workspace's people the approval tests act as (see dev/demo-users.ts). */
export const PEOPLE = {
  /** Leadership (S0LEADERS). */
  maya: 'U0MAYA',
  aisha: 'U0AISHA',
  lena: 'U0LENA',
  /** VP (S0VPS). */
  priya: 'U0PRIYA',
  /** Approve nothing. */
  sam: 'U0SAM',
  diego: 'U0DIEGO',
} as const;

/** A seeded harness with the demo approver groups and channel configured (plus `env`). */
export function startApprovalsHarness(clock: () => Date, env: Record<string, string> = {}): Promise<Harness> {
  return startHarness({
    seed: true,
    clock,
    env: {
      APPROVERS_LEADERSHIP: 'S0LEADERS',
      APPROVERS_VP: 'S0VPS',
      APPROVALS_CHANNEL: APPROVALS_CHANNEL_ID,
      ...env,
    },
  });
}

export type ModalFields = Partial<Record<keyof typeof CampaignModalBlocks, string>>;

export interface ModalAck {
  response_action: string;
  errors?: Record<string, string>;
  view?: { blocks: KnownBlock[] };
}

type Values = ViewOutput['state']['values'];

export const text = (value: string | null) => ({ value: { type: 'plain_text_input', value } });
const select = (value: string) => ({
  value: {
    type: 'static_select',
    selected_option: { text: { type: 'plain_text' as const, text: value }, value },
  },
});
const date = (value: string | null) => ({ value: { type: 'datepicker', selected_date: value } });

/** The date `offsetDays` from `now`, as the date picker sends it. */
export function dayFrom(now: Date, offsetDays: number): string {
  return new Date(now.getTime() + offsetDays * 86_400_000).toISOString().slice(0, 10);
}

/** The new-campaign modal's state values, with sensible defaults for anything not given. */
export function formValues(now: Date, fields: ModalFields): Values {
  return {
    [CampaignModalBlocks.name]: text(fields.name ?? 'Flow Campaign'),
    [CampaignModalBlocks.type]: select(fields.type ?? 'standard'),
    [CampaignModalBlocks.tier]: select(fields.tier ?? '2'),
    [CampaignModalBlocks.teamId]: select(fields.teamId ?? 'team-growth'),
    [CampaignModalBlocks.budgetCents]: text(fields.budgetCents ?? '25000'),
    [CampaignModalBlocks.launchDate]: date(fields.launchDate ?? dayFrom(now, 30)),
    [CampaignModalBlocks.endDate]: date(fields.endDate ?? dayFrom(now, 60)),
    [CampaignModalBlocks.audience]: text(fields.audience ?? 'IT leaders'),
    [CampaignModalBlocks.channels]: {
      value: {
        type: 'multi_static_select',
        selected_options: [{ text: { type: 'plain_text', text: 'Email' }, value: 'email' }],
      },
    },
    [CampaignModalBlocks.description]: text(fields.description ?? null),
  };
}

/** `/mcc new` as `userId`, then submits the modal it opened with `fields`. Returns the ack body. */
export async function createThroughModal(
  harness: Harness,
  now: Date,
  userId: string,
  fields: ModalFields,
): Promise<ModalAck | undefined> {
  const command = await harness.command('new', { user_id: userId });
  expect(command.status).toBe(200);
  const modal = harness.standin
    .views()
    .filter((v) => v.callback_id === CallbackIds.newCampaignModal && v.open)
    .at(-1);
  if (!modal) throw new Error('the new-campaign modal was not opened');
  const response = await harness.viewSubmission({
    user: { id: userId, name: userId, team_id: 'T0LOCAL' },
    view: { id: modal.id, callback_id: modal.callback_id, private_metadata: modal.private_metadata },
    values: formValues(now, fields),
  });
  expect(response.status).toBe(200);
  return response.text ? (JSON.parse(response.text) as ModalAck) : undefined;
}

/** Every approval of the campaign called `campaignName`, oldest first. */
export async function approvalsFor(harness: Harness, campaignName: string): Promise<Approval[]> {
  const campaigns = await harness.runtime.repositories.campaigns.listAll();
  const campaign = campaigns.find((c) => c.name === campaignName);
  if (!campaign) throw new Error(`no campaign ${campaignName}`);
  return harness.runtime.services.approvals.history(campaign.campaignId);
}

/** The request message as the approvers' channel shows it now. */
export function requestMessage(harness: Harness, channel: string, approval: Approval): StoredMessage {
  const message = harness.standin.messages(channel).find((m) => m.ts === approval.messageTs);
  if (!message) throw new Error('request message not found');
  return message;
}

/** Clicks a decision button on the request message as `userId`; returns the ephemeral answer's text. */
export async function clickDecision(
  harness: Harness,
  channel: string,
  userId: string,
  actionId: string,
  approval: Approval,
  stage = approval.stageIndex,
): Promise<string> {
  const message = requestMessage(harness, channel, approval);
  const response = await harness.action({
    user: { id: userId, username: userId, name: userId, team_id: 'T0LOCAL' },
    channel: { id: channel, name: 'mcc-approvals' },
    message: { type: 'message', ts: message.ts, text: message.text, user: message.user },
    action: {
      type: 'button',
      action_id: actionId,
      block_id: BlockIds.approvalDecision,
      value: `${approval.approvalId}|${stage}`,
    },
  });
  expect(response.status).toBe(200);
  await harness.idle();
  const posts = harness.standin.responses(response.responseUrl);
  return posts.map((p) => String(p.body.text ?? '')).join('\n');
}

/** True while the message still has buttons. */
export const hasActions = (message: StoredMessage) =>
  (message.blocks ?? []).some((b) => (b as { type?: string }).type === 'actions');
