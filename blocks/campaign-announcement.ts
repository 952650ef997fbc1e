import type { KnownBlock } from '@slack/types';
import type { AnnouncedTask } from '../app/domain/announcement';
import type { Campaign, WorkSystem } from '../app/domain/model';
import type { RenderedMessage } from '../app/domain/rendered-message';
import { escapeMrkdwn, formatUsd, plainText, userMention } from '../app/domain/text';
import { absoluteDay, shortDay } from './dates';
import { LIMITS, link, truncate } from './text';

/**
 * The message posted in a team's channel once a campaign's project exists in Workfront or Asana:
 * what it is, who owns it, budget, launch, a link to the project, the task plan, and what still
 * needs a person (unassigned tasks, dependencies that could not be set). Pure.
 */
export interface CampaignAnnouncementInput {
  campaign: Pick<
    Campaign,
    'name' | 'ownerSlackId' | 'budgetCents' | 'launchDate' | 'type' | 'tier' | 'description'
  >;
  workSystem: WorkSystem;
  projectUrl: string;
  tasks: readonly AnnouncedTask[];
  /** The channel's calendar day, for short dates. */
  today: string;
  /** Things a person should know or fix (plain text, escaped here). */
  notes?: readonly string[];
}

/** How many task lines are listed before "and N more". */
const MAX_TASK_LINES = 12;

export const systemName = (system: WorkSystem): string => (system === 'asana' ? 'Asana' : 'Workfront');

export function campaignAnnouncementBlocks(input: CampaignAnnouncementInput): RenderedMessage {
  const { campaign, tasks } = input;
  const system = systemName(input.workSystem);
  const kind = `${campaign.type.charAt(0).toUpperCase()}${campaign.type.slice(1)} · tier ${campaign.tier}`;
  const unassigned = tasks.filter((task) => !task.ownerSlackId);
  const blocks: KnownBlock[] = [
    {
      type: 'header',
      text: {
        type: 'plain_text',
        text: truncate(plainText(`New campaign: ${campaign.name}`), LIMITS.headerText),
        emoji: true,
      },
    },
    {
      type: 'section',
      fields: [
        { type: 'mrkdwn', text: `*Owner*\n${userMention(campaign.ownerSlackId)}` },
        { type: 'mrkdwn', text: `*Budget*\n${formatUsd(campaign.budgetCents)}` },
        { type: 'mrkdwn', text: `*Launch*\n${absoluteDay(campaign.launchDate)}` },
        { type: 'mrkdwn', text: `*Type*\n${kind}` },
        { type: 'mrkdwn', text: `*Project*\n${link(input.projectUrl, `Open in ${system}`)}` },
        { type: 'mrkdwn', text: `*Tasks*\n${tasks.length} in ${system}` },
      ],
    },
  ];
  if (campaign.description) {
    blocks.push({
      type: 'section',
      text: { type: 'mrkdwn', text: truncate(escapeMrkdwn(campaign.description), 600) },
    });
  }
  if (tasks.length > 0) {
    const lines = tasks.slice(0, MAX_TASK_LINES).map((task) => {
      const who = task.ownerSlackId ? userMention(task.ownerSlackId) : '_unassigned_';
      const icon = task.milestone ? ':triangular_flag_on_post:' : '•';
      return `${icon} ${escapeMrkdwn(truncate(task.name, 120))} — ${who} — due ${shortDay(task.dueDate, input.today)}`;
    });
    if (tasks.length > MAX_TASK_LINES) lines.push(`…and ${tasks.length - MAX_TASK_LINES} more in ${system}`);
    blocks.push({
      type: 'section',
      text: { type: 'mrkdwn', text: truncate(`*Plan*\n${lines.join('\n')}`, LIMITS.sectionText) },
    });
  }
  const notes = [
    ...(unassigned.length > 0
      ? [
          `Unassigned: ${unassigned.map((task) => task.name).join(', ')}. Nobody in this team is mapped to that work yet; assign it in ${system}.`,
        ]
      : []),
    ...(input.notes ?? []),
  ];
  if (notes.length > 0) {
    blocks.push({
      type: 'context',
      elements: notes.slice(0, LIMITS.contextElements).map((note) => ({
        type: 'mrkdwn' as const,
        text: truncate(`:warning: ${escapeMrkdwn(note)}`, 2000),
      })),
    });
  }
  const text = truncate(
    `New campaign ${escapeMrkdwn(campaign.name)} (owner ${userMention(campaign.ownerSlackId)}, budget ${formatUsd(campaign.budgetCents)}, launch ${campaign.launchDate}): ${tasks.length} tasks in ${system} ${link(input.projectUrl, input.projectUrl)}`,
    LIMITS.fallbackText,
  );
  return { text, blocks };
}
