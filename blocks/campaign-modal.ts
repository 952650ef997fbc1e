import type { Button, InputBlock, KnownBlock, ModalView, PlainTextOption } from '@slack/types';
import { CAMPAIGN_TYPES, type CampaignType, type Team } from '../app/domain/model';
import { escapeMrkdwn, formatUsd, plainText } from '../app/domain/text';
import { ActionIds, CallbackIds, CampaignModalBlocks } from '../app/ids';
import { LIMITS, truncate } from './text';

/** Marketing channels offered in the modal (values are stored on the campaign). */
const CAMPAIGN_CHANNELS = [
  ['email', 'Email'],
  ['paid_social', 'Paid social'],
  ['organic_social', 'Organic social'],
  ['paid_search', 'Paid search'],
  ['display', 'Display'],
  ['events', 'Events'],
  ['webinar', 'Webinar'],
  ['partner', 'Partner'],
  ['content', 'Content'],
  ['pr', 'PR'],
  ['direct_mail', 'Direct mail'],
] as const;

const TYPE_LABELS: Record<CampaignType, string> = {
  standard: 'Standard',
  event: 'Event',
  partner: 'Partner',
};

/** Values the modal opens with (from `/mcc new <name>` or the agent's button). */
export interface CampaignModalPrefill {
  name?: string;
  type?: CampaignType;
  tier?: 1 | 2 | 3;
  teamId?: string;
  /** As typed, e.g. "25000". */
  budget?: string;
  launchDate?: string;
  endDate?: string;
  audience?: string;
  channels?: string[];
  description?: string;
}

/** Where the requester wants to hear back; travels in `private_metadata` (≤ 3000 characters). */
export interface CampaignModalContext {
  channelId?: string;
  threadTs?: string;
}

function option(value: string, label: string): PlainTextOption {
  return {
    text: { type: 'plain_text', text: truncate(plainText(label), LIMITS.optionText) },
    value: value.slice(0, LIMITS.optionValue),
  };
}

/** `private_metadata` for the modal, kept within Slack's 3000-character limit. */
export function encodeModalContext(context: CampaignModalContext): string {
  const full = JSON.stringify(context);
  if (full.length <= LIMITS.privateMetadata) return full;
  // Ids are short; only a malformed value could get here. Dropping the thread keeps the DM fallback.
  const minimal = JSON.stringify({ channelId: context.channelId?.slice(0, 50) });
  return minimal.length <= LIMITS.privateMetadata ? minimal : '{}';
}

function input(
  field: keyof typeof CampaignModalBlocks,
  label: string,
  element: InputBlock['element'],
  options: { optional?: boolean; hint?: string } = {},
): InputBlock {
  return {
    type: 'input',
    block_id: CampaignModalBlocks[field],
    label: { type: 'plain_text', text: label },
    element,
    ...(options.optional ? { optional: true } : {}),
    ...(options.hint ? { hint: { type: 'plain_text', text: options.hint } } : {}),
  };
}

/**
 * The new-campaign modal. Each input's block id is in `CampaignModalBlocks` (keyed by the
 * `NewCampaignInput` field), so a `ValidationError` maps straight onto inline errors.
 */
export function campaignModal(input_: {
  teams: readonly Pick<Team, 'teamId' | 'name'>[];
  prefill?: CampaignModalPrefill;
  context?: CampaignModalContext;
  thresholdText?: string;
}): ModalView {
  const prefill = input_.prefill ?? {};
  const teamOptions = input_.teams
    .slice(0, LIMITS.selectOptions)
    .map((team) => option(team.teamId, team.name));
  const typeOptions = CAMPAIGN_TYPES.map((type) => option(type, TYPE_LABELS[type]));
  const tierOptions = ([1, 2, 3] as const).map((tier) => option(String(tier), `Tier ${tier}`));
  const channelOptions = CAMPAIGN_CHANNELS.map(([value, label]) => option(value, label));
  const initialTeam = teamOptions.find((o) => o.value === prefill.teamId);
  const initialType = typeOptions.find((o) => o.value === (prefill.type ?? 'standard'));
  const initialTier = tierOptions.find((o) => o.value === String(prefill.tier ?? ''));
  const initialChannels = channelOptions.filter(
    (o) => o.value !== undefined && prefill.channels?.includes(o.value),
  );
  const id = ActionIds.modalInput;

  const blocks: KnownBlock[] = [
    input('name', 'Campaign name', {
      type: 'plain_text_input',
      action_id: id,
      max_length: 150,
      ...(prefill.name ? { initial_value: truncate(plainText(prefill.name), 150) } : {}),
      placeholder: { type: 'plain_text', text: 'e.g. Spring Launch 2027' },
    }),
    input('type', 'Type', {
      type: 'static_select',
      action_id: id,
      options: typeOptions,
      ...(initialType ? { initial_option: initialType } : {}),
    }),
    input('tier', 'Tier', {
      type: 'static_select',
      action_id: id,
      options: tierOptions,
      ...(initialTier ? { initial_option: initialTier } : {}),
      placeholder: { type: 'plain_text', text: 'Tier 1 is the biggest' },
    }),
    input('teamId', 'Team', {
      type: 'static_select',
      action_id: id,
      options: teamOptions.length > 0 ? teamOptions : [option('none', 'No teams yet')],
      ...(initialTeam ? { initial_option: initialTeam } : {}),
      placeholder: { type: 'plain_text', text: 'Choose a team' },
    }),
    input(
      'budgetCents',
      'Budget (USD)',
      {
        type: 'plain_text_input',
        action_id: id,
        max_length: 20,
        ...(prefill.budget ? { initial_value: prefill.budget.slice(0, 20) } : {}),
        placeholder: { type: 'plain_text', text: 'e.g. 25000 or 25,000.00' },
      },
      input_.thresholdText ? { hint: truncate(input_.thresholdText, 150) } : {},
    ),
    input('launchDate', 'Launch date', {
      type: 'datepicker',
      action_id: id,
      ...(prefill.launchDate ? { initial_date: prefill.launchDate } : {}),
    }),
    input(
      'endDate',
      'End date',
      { type: 'datepicker', action_id: id, ...(prefill.endDate ? { initial_date: prefill.endDate } : {}) },
      { optional: true },
    ),
    input(
      'audience',
      'Audience',
      {
        type: 'plain_text_input',
        action_id: id,
        max_length: 500,
        ...(prefill.audience ? { initial_value: truncate(plainText(prefill.audience), 500) } : {}),
        placeholder: { type: 'plain_text', text: 'e.g. IT decision makers in EMEA' },
      },
      { optional: true },
    ),
    input(
      'channels',
      'Channels',
      {
        type: 'multi_static_select',
        action_id: id,
        options: channelOptions,
        ...(initialChannels.length > 0 ? { initial_options: initialChannels } : {}),
        placeholder: { type: 'plain_text', text: 'Where it runs' },
      },
      { optional: true },
    ),
    input(
      'description',
      'Description',
      {
        type: 'plain_text_input',
        action_id: id,
        multiline: true,
        max_length: 3000,
        ...(prefill.description ? { initial_value: truncate(plainText(prefill.description), 3000) } : {}),
      },
      { optional: true },
    ),
  ];
  return {
    type: 'modal',
    callback_id: CallbackIds.newCampaignModal,
    title: { type: 'plain_text', text: 'New campaign' },
    submit: { type: 'plain_text', text: 'Create' },
    close: { type: 'plain_text', text: 'Cancel' },
    private_metadata: encodeModalContext(input_.context ?? {}),
    blocks,
  };
}

/**
 * The "Create a campaign" button the agent (or any message) can offer; clicking it opens the modal.
 * `prefill` travels in the button value (≤ 2000 characters; dropped if it would not fit).
 */
export function openNewCampaignButton(prefill?: CampaignModalPrefill, label = 'Create a campaign'): Button {
  const value = prefill ? JSON.stringify(prefill) : '';
  return {
    type: 'button',
    action_id: ActionIds.openNewCampaign,
    text: { type: 'plain_text', text: truncate(label, LIMITS.buttonText) },
    style: 'primary',
    ...(value && value.length <= LIMITS.buttonValue ? { value } : {}),
  };
}

/** What a successful submission did: created at once, or sent for approval (with the policy that asks). */
export interface CampaignSubmitted {
  name: string;
  budgetCents: number;
  outcome: 'created' | 'pending_approval';
  policyMessage?: string;
  /** Where the requester will hear back: the thread the modal was opened from, else their DM. */
  inThread: boolean;
}

/** The modal shown after a successful submission (`response_action: 'update'`); the name is escaped. */
export function campaignCreatedNotice(submitted: CampaignSubmitted): ModalView {
  const name = `*${escapeMrkdwn(submitted.name)}*`;
  const budget = formatUsd(submitted.budgetCents);
  const text =
    submitted.outcome === 'created'
      ? `:white_check_mark: ${name} is created (${budget}). I’m setting up its project and tasks and will announce it in the team’s channel.`
      : `:hourglass_flowing_sand: ${name} (${budget}) needs approval: ${escapeMrkdwn(submitted.policyMessage ?? '')} I’ve sent the request to the approvers and will message you ${submitted.inThread ? 'in the thread' : 'here in a DM'} with a link to it and again when it is decided.`;
  return {
    type: 'modal',
    title: { type: 'plain_text', text: 'New campaign' },
    close: { type: 'plain_text', text: 'Done' },
    blocks: [{ type: 'section', text: { type: 'mrkdwn', text: truncate(text, LIMITS.sectionText) } }],
  };
}
