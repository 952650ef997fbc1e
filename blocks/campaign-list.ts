import type { KnownBlock } from '@slack/types';
import type { Campaign, CampaignStatus, CampaignTier, CampaignType } from '../app/domain/model';
import type { RenderedMessage } from '../app/domain/rendered-message';
import { escapeMrkdwn, formatUsd, plainText } from '../app/domain/text';
import { ActionIds, BlockIds, COMMAND } from '../app/ids';
import { statusBadge, timezoneNote } from './campaign-card';
import { relativeDay, shortDay } from './dates';
import { LIMITS, truncate } from './text';

/** What a list heading says about the filter (all optional: no filter = every campaign). */
export interface CampaignListFilterLabel {
  statuses?: readonly CampaignStatus[];
  teamId?: string;
  teamName?: string;
  tiers?: readonly CampaignTier[];
  types?: readonly CampaignType[];
  launchFrom?: string;
  launchTo?: string;
  weekLabel?: string;
}

/** `status: planned, in progress · tier 1 · launching this week (Mar 2 – Mar 8)`. Plain text, unescaped. */
export function describeFilter(filter: CampaignListFilterLabel, today: string): string {
  const parts: string[] = [];
  if (filter.statuses?.length) {
    parts.push(`status: ${filter.statuses.map((s) => s.toLowerCase().replace(/_/g, ' ')).join(', ')}`);
  }
  if (filter.teamId !== undefined) parts.push(`team: ${plainText(filter.teamName ?? filter.teamId)}`);
  if (filter.tiers?.length) parts.push(`tier ${filter.tiers.join(', ')}`);
  if (filter.types?.length) parts.push(`type: ${filter.types.join(', ')}`);
  if (filter.launchFrom && filter.launchTo) {
    const range = `${shortDay(filter.launchFrom, today)} – ${shortDay(filter.launchTo, today)}`;
    parts.push(filter.weekLabel ? `launching ${filter.weekLabel} (${range})` : `launching ${range}`);
  }
  return parts.join(' · ');
}

export interface CampaignListInput {
  /** The campaigns of this page, in order. */
  campaigns: readonly Campaign[];
  /** How many match in all, and where this page starts (0-based). */
  total: number;
  start: number;
  /** From `describeFilter`; empty for "every campaign". */
  filterLabel: string;
  teamNames: ReadonlyMap<string, string>;
  today: string;
  timezone: string;
  timezoneKnown: boolean;
  /**
   * The "Show more" value for the page after `last` (the last campaign this message shows).
   * Called only when campaigns remain after it.
   */
  moreValue: (last: Campaign) => string;
}

/** Header, counts, tz note and the button: the blocks a page needs besides its campaigns. */
const FIXED_BLOCKS = 3;

/** One compact line per campaign: name and id, then status, tier, team, launch and budget. */
function campaignLine(campaign: Campaign, teamName: string | undefined, today: string): string {
  const name = escapeMrkdwn(truncate(campaign.name, 100));
  const team = escapeMrkdwn(truncate(teamName ?? campaign.teamId, 60));
  const id = escapeMrkdwn(truncate(campaign.campaignId, 40));
  return (
    `*${name}*  \`${id}\`\n` +
    `${statusBadge(campaign.status)} · Tier ${campaign.tier} · ${team} · ` +
    `:calendar: ${shortDay(campaign.launchDate, today)} (${relativeDay(campaign.launchDate, today)}) · ` +
    formatUsd(campaign.budgetCents)
  );
}

/**
 * A page of the `/mcc campaigns` list. Never more than 50 blocks or 3000 characters a section,
 * whatever it is given: normally one section per campaign; if handed more campaigns than blocks
 * allow, lines are packed several to a section, and whatever still does not fit is left for the
 * "Show more" button (its value is built from the last campaign actually shown).
 */
export function campaignListBlocks(input: CampaignListInput): RenderedMessage {
  const label = input.filterLabel ? ` (${escapeMrkdwn(truncate(input.filterLabel, 300))})` : '';
  if (input.total === 0 || input.campaigns.length === 0) {
    const text = label ? `No campaigns match${label}.` : 'There are no campaigns yet.';
    const hint = input.filterLabel
      ? `Try fewer filters, or \`${COMMAND} campaigns\` for every campaign.`
      : `Start one with \`${COMMAND} new\`.`;
    return {
      text: `${text} ${hint}`,
      blocks: [
        { type: 'section', text: { type: 'mrkdwn', text: `:mag: ${text}` } },
        { type: 'context', elements: [{ type: 'mrkdwn', text: hint }] },
      ],
    };
  }

  const lines = input.campaigns.map((campaign) =>
    truncate(campaignLine(campaign, input.teamNames.get(campaign.teamId), input.today), LIMITS.sectionText),
  );
  const budget = LIMITS.messageBlocks - FIXED_BLOCKS;
  const sections: string[] = [];
  let shown = 0;
  if (lines.length <= budget) {
    sections.push(...lines);
    shown = lines.length;
  } else {
    let current = '';
    for (const line of lines) {
      const next = current ? `${current}\n\n${line}` : line;
      if (next.length <= LIMITS.sectionText) {
        current = next;
      } else {
        if (sections.length + 1 >= budget) break;
        sections.push(current);
        current = line;
      }
      shown += 1;
    }
    if (current) sections.push(current);
  }

  const first = input.start + 1;
  const lastShown = input.start + shown;
  const heading =
    `*Campaigns${label}* — ${input.total} found` +
    (input.total > shown || input.start > 0 ? `, showing ${first}–${lastShown}` : '');
  const blocks: KnownBlock[] = [
    { type: 'section', text: { type: 'mrkdwn', text: truncate(heading, LIMITS.sectionText) } },
    ...sections.map((text): KnownBlock => ({ type: 'section', text: { type: 'mrkdwn', text } })),
  ];
  const last = input.campaigns[shown - 1];
  const remaining = input.total - lastShown;
  blocks.push({
    type: 'context',
    elements: [
      {
        type: 'mrkdwn',
        text: `${timezoneNote(input.timezone, input.timezoneKnown)} Open one with \`${COMMAND} status &lt;name or id&gt;\`.`,
      },
    ],
  });
  if (last && remaining > 0) {
    blocks.push({
      type: 'actions',
      block_id: BlockIds.campaignsMore,
      elements: [
        {
          type: 'button',
          action_id: ActionIds.campaignsShowMore,
          text: { type: 'plain_text', text: `Show more (${remaining} left)` },
          value: input.moreValue(last),
        },
      ],
    });
  }

  const names = input.campaigns
    .slice(0, shown)
    .slice(0, 10)
    .map((campaign) => escapeMrkdwn(truncate(campaign.name, 60)))
    .join(', ');
  const text = truncate(
    `Campaigns${label}: ${input.total} found, showing ${first}–${lastShown}: ${names}${shown > 10 ? ', …' : ''}`,
    LIMITS.fallbackText,
  );
  return { text, blocks };
}
