import type { KnownBlock, PlainTextOption } from '@slack/types';
import type { Campaign } from '../app/domain/model';
import type { RenderedMessage } from '../app/domain/rendered-message';
import { escapeMrkdwn, plainText } from '../app/domain/text';
import { ActionIds, BlockIds, COMMAND } from '../app/ids';
import { statusText } from './campaign-card';
import { shortDay } from './dates';
import { LIMITS, truncate } from './text';

/** Slack counts option `text`/`value`/`description` up to 75 characters (platform-facts §3). */
const OPTION_MAX = 75;

const quoted = (query: string) => `“${escapeMrkdwn(truncate(query, 100))}”`;

export interface CampaignPickerInput {
  query: string;
  /** Best match first. More than 100 are cut to 100 (Slack's limit) with a note. */
  campaigns: readonly Campaign[];
  /** The viewer's calendar day, for the dates in the option descriptions. */
  today: string;
}

/** "Several campaigns match": a select menu whose choice is replaced by that campaign's card. */
export function campaignPickerBlocks(input: CampaignPickerInput): RenderedMessage {
  // An id longer than an option value allows could not be sent back intact; ids are short in
  // practice, but a cut id would open the wrong campaign, so such a campaign is left out.
  const usable = input.campaigns.filter((campaign) => campaign.campaignId.length <= OPTION_MAX);
  const shown = usable.slice(0, LIMITS.selectOptions);
  const options: PlainTextOption[] = shown.map((campaign) => ({
    text: { type: 'plain_text', text: truncate(plainText(campaign.name), OPTION_MAX), emoji: false },
    value: campaign.campaignId,
    description: {
      type: 'plain_text',
      text: truncate(
        plainText(
          `${statusText(campaign.status)} · Tier ${campaign.tier} · launch ${shortDay(campaign.launchDate, input.today)} · ${campaign.campaignId}`,
        ),
        OPTION_MAX,
      ),
      emoji: false,
    },
  }));
  const count = input.campaigns.length;
  const blocks: KnownBlock[] = [
    {
      type: 'section',
      text: {
        type: 'mrkdwn',
        text: `:mag: ${count} campaigns match ${quoted(input.query)}. Which one do you mean?`,
      },
    },
    {
      type: 'actions',
      block_id: BlockIds.statusPicker,
      elements: [
        {
          type: 'static_select',
          action_id: ActionIds.statusPickCampaign,
          placeholder: { type: 'plain_text', text: 'Choose a campaign' },
          options,
        },
      ],
    },
  ];
  if (shown.length < count) {
    blocks.push({
      type: 'context',
      elements: [
        {
          type: 'mrkdwn',
          text: `Showing ${shown.length} of ${count}. Type more of the name to narrow it down, or use the id (\`${COMMAND} status cmp-001\`).`,
        },
      ],
    });
  }
  const names = shown
    .slice(0, 5)
    .map((campaign) => escapeMrkdwn(truncate(campaign.name, 60)))
    .join(', ');
  return {
    text: truncate(
      `${count} campaigns match ${quoted(input.query)}: ${names}${count > 5 ? ', …' : ''}`,
      LIMITS.fallbackText,
    ),
    blocks,
  };
}

/** "No campaign matches": the closest names (with ids) and how to list every campaign. */
export function campaignNotFoundBlocks(input: {
  query: string;
  closest: readonly Campaign[];
}): RenderedMessage {
  const closest = input.closest
    .slice(0, 3)
    .map(
      (campaign) =>
        `*${escapeMrkdwn(truncate(campaign.name, 100))}* (\`${escapeMrkdwn(truncate(campaign.campaignId, 60))}\`)`,
    );
  const suggestion =
    closest.length > 0 ? ` The closest names are ${closest.join(', ')}.` : ' There are no campaigns yet.';
  const how = `See every campaign with \`${COMMAND} campaigns\`, then \`${COMMAND} status &lt;name or id&gt;\`.`;
  const text = `:thinking_face: No campaign matches ${quoted(input.query)}.${suggestion}`;
  return {
    text: truncate(`${text} ${how}`, LIMITS.fallbackText),
    blocks: [
      { type: 'section', text: { type: 'mrkdwn', text: truncate(text, LIMITS.sectionText) } },
      { type: 'context', elements: [{ type: 'mrkdwn', text: how }] },
    ],
  };
}

/** "No campaign with id cmp-999": an id typed by a person matched nothing, so no names are offered. */
export function campaignIdNotFoundBlocks(id: string): RenderedMessage {
  const text = `:thinking_face: No campaign with id \`${escapeMrkdwn(truncate(id, 100))}\`.`;
  const how = `See every campaign with \`${COMMAND} campaigns\`, then \`${COMMAND} status &lt;name or id&gt;\`.`;
  return {
    text: `${text} ${how}`,
    blocks: [
      { type: 'section', text: { type: 'mrkdwn', text } },
      { type: 'context', elements: [{ type: 'mrkdwn', text: how }] },
    ],
  };
}

/** `/mcc status` with nothing after it. */
export function statusUsageBlocks(): RenderedMessage {
  const text = `Which campaign? Try \`${COMMAND} status Spring Launch\` or \`${COMMAND} status cmp-001\` — names can be partial, and accents and case don't matter. \`${COMMAND} campaigns\` lists them all.`;
  return { text, blocks: [{ type: 'section', text: { type: 'mrkdwn', text } }] };
}
