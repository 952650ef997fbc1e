import type { ActionsBlock, KnownBlock, SectionBlock } from '@slack/types';
import type { TaskProgress } from '../app/domain/campaign-summary';
import type { Campaign, CampaignStatus } from '../app/domain/model';
import type { RenderedMessage } from '../app/domain/rendered-message';
import { channelMention, escapeMrkdwn, formatUsd, plainText, userMention } from '../app/domain/text';
import { ActionIds, BlockIds } from '../app/ids';
import { absoluteDay, dayWithRelative, relativeDay } from './dates';
import { LIMITS, truncate } from './text';

const STATUS_BADGES: Record<CampaignStatus, string> = {
  DRAFT: ':memo:',
  PENDING_APPROVAL: ':hourglass_flowing_sand:',
  PLANNED: ':spiral_calendar_pad:',
  IN_PROGRESS: ':arrows_counterclockwise:',
  ON_HOLD: ':double_vertical_bar:',
  LAUNCHED: ':rocket:',
  COMPLETED: ':white_check_mark:',
  REJECTED: ':no_entry_sign:',
  CANCELLED: ':x:',
};

/** `IN_PROGRESS` → `In progress`. */
export function statusText(status: CampaignStatus): string {
  const words = status.toLowerCase().replace(/_/g, ' ');
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** `:rocket: Launched`. */
export function statusBadge(status: CampaignStatus): string {
  return `${STATUS_BADGES[status]} ${statusText(status)}`;
}

const typeText = (type: Campaign['type']) => type.charAt(0).toUpperCase() + type.slice(1);
const systemText = (system: Campaign['workSystem']) =>
  system === 'asana' ? 'Asana' : system === 'workfront' ? 'Workfront' : 'work';

/** The note under dates saying whose "today" they use. */
export function timezoneNote(timezone: string, timezoneKnown: boolean): string {
  return timezoneKnown
    ? `Dates are in your time zone (${escapeMrkdwn(timezone)}).`
    : ":warning: I couldn't read your time zone from Slack, so dates are in UTC.";
}

export interface CampaignCardInput {
  campaign: Campaign;
  /** Display name of the campaign's team; the id is shown when unknown. */
  teamName?: string;
  /** The team's channel (`C…`), linked beside the name. */
  teamChannelId?: string;
  progress: TaskProgress;
  /** The viewer's calendar day (`YYYY-MM-DD`). */
  today: string;
  timezone: string;
  timezoneKnown: boolean;
}

const field = (label: string, value: string) => ({
  type: 'mrkdwn' as const,
  text: truncate(`*${label}*\n${value}`, LIMITS.fieldText),
});

/** Only http(s) links become buttons; anything else in the store is not trusted as a link. */
function safeUrl(url: string | undefined): string | undefined {
  if (!url || url.length > 3000) return undefined;
  return /^https?:\/\//i.test(url) ? url : undefined;
}

/** The `/mcc status` card: the campaign's facts, task progress, next milestone and project link. */
export function campaignCardBlocks(input: CampaignCardInput): RenderedMessage {
  const { campaign, progress, today } = input;
  const name = truncate(plainText(campaign.name), LIMITS.headerText);
  const team = input.teamName ?? campaign.teamId;
  const budget =
    campaign.approvedBudgetCents !== undefined && campaign.approvedBudgetCents !== campaign.budgetCents
      ? `${formatUsd(campaign.budgetCents)} (approved ${formatUsd(campaign.approvedBudgetCents)})`
      : formatUsd(campaign.budgetCents);
  const url = safeUrl(campaign.externalProjectUrl);
  const project = url
    ? `${systemText(campaign.workSystem)} project (button below)`
    : campaign.workSystem
      ? `${systemText(campaign.workSystem)} project being set up`
      : 'No project linked yet';

  const facts: SectionBlock = {
    type: 'section',
    fields: [
      field('Status', statusBadge(campaign.status)),
      field('Type · Tier', `${typeText(campaign.type)} · Tier ${campaign.tier}`),
      field('Owner', userMention(campaign.ownerSlackId)),
      field(
        'Team',
        `${escapeMrkdwn(truncate(team, 100))}${input.teamChannelId ? ` · ${channelMention(input.teamChannelId)}` : ''}`,
      ),
      field('Budget', budget),
      field('Launch', `${absoluteDay(campaign.launchDate)}\n_${relativeDay(campaign.launchDate, today)}_`),
      field('Project', project),
      field('ID', `\`${escapeMrkdwn(truncate(campaign.campaignId, 100))}\``),
    ],
  };

  const taskLine =
    progress.total === 0
      ? 'No tasks yet.'
      : [
          `${progress.done} of ${progress.total} done`,
          progress.overdue > 0 ? `:warning: ${progress.overdue} overdue` : 'none overdue',
          ...(progress.blocked > 0 ? [`:no_entry: ${progress.blocked} blocked`] : []),
        ].join(' · ');
  const milestone = progress.nextMilestone;
  const milestoneLine = milestone
    ? `${escapeMrkdwn(truncate(milestone.name, 200))} — ${
        milestone.dueDate ? `due ${dayWithRelative(milestone.dueDate, today)}` : 'no due date'
      }${milestone.dueDate && milestone.dueDate < today ? ' :warning:' : ''}`
    : 'No open milestones.';

  const blocks: KnownBlock[] = [
    { type: 'header', text: { type: 'plain_text', text: name, emoji: false } },
    facts,
    {
      type: 'section',
      text: {
        type: 'mrkdwn',
        text: truncate(`*Tasks:* ${taskLine}\n*Next milestone:* ${milestoneLine}`, LIMITS.sectionText),
      },
    },
  ];
  if (url) {
    const actions: ActionsBlock = {
      type: 'actions',
      block_id: BlockIds.campaignCardActions,
      elements: [
        {
          type: 'button',
          action_id: ActionIds.openCampaignLink,
          text: { type: 'plain_text', text: `Open in ${systemText(campaign.workSystem)}` },
          url,
          value: truncate(campaign.campaignId, LIMITS.buttonValue),
        },
      ],
    };
    blocks.push(actions);
  }
  blocks.push({
    type: 'context',
    elements: [{ type: 'mrkdwn', text: timezoneNote(input.timezone, input.timezoneKnown) }],
  });

  const text = truncate(
    `${escapeMrkdwn(campaign.name)} — ${statusText(campaign.status)}, launch ${absoluteDay(campaign.launchDate)} (${relativeDay(
      campaign.launchDate,
      today,
    )}), ${progress.done}/${progress.total} tasks done${progress.overdue ? `, ${progress.overdue} overdue` : ''}`,
    LIMITS.fallbackText,
  );
  return { text, blocks };
}
