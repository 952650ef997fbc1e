import { daysBetween, todayIn, weekRange } from '../../domain/calendar';
import { summarizeTasks } from '../../domain/campaign-summary';
import { CAMPAIGN_ID_SHAPE, type Campaign, type CampaignStatus, type Task } from '../../domain/model';
import { formatUsd, SLACK_ID_SHAPES } from '../../domain/text';
import { matchByName, normalizeName } from '../campaign-match';
import { OPEN_TASK_STATUSES } from '../tasks';

/**
 * The offline agent: what answers when no Bedrock agent is configured (local runs, demos, or a
 * deployment before the agent exists). It understands a small, documented set of requests from the
 * data in the store, tolerant of phrasing (keywords, then forgiving campaign-name matching), and
 * says plainly that it is the offline agent. Anything else gets examples of what works.
 *
 * Understood requests (also shown to the user):
 * - a campaign's status — "status of Spring Launch", "how is sprng launch doing?"
 * - what launches this week / next week
 * - pending approvals — the ones the asker may decide (or all waiting, without the approvals service)
 * - my tasks — open tasks assigned to the asker
 * - overdue work — overdue open tasks on active campaigns (the asker's first)
 * - create a campaign — a button that opens the new-campaign modal
 */
export interface OfflineAgentDeps {
  campaigns: {
    listAll(): Promise<Campaign[]>;
    listByStatus(status: CampaignStatus, opts?: { limit?: number }): Promise<{ items: Campaign[] }>;
  };
  tasks: {
    listByOwner(userId: string): Promise<Task[]>;
    listByCampaign(campaignId: string): Promise<Task[]>;
  };
  /** The approvals service when present; otherwise campaigns in PENDING_APPROVAL are listed. */
  approvals?:
    | {
        listDecidableBy(userId: string): Promise<
          {
            campaignName: string;
            campaignId: string;
            budgetCents: number;
            requesterId: string;
            permalink?: string | undefined;
          }[]
        >;
      }
    | undefined;
  clock: () => Date;
  /**
   * How a calendar day reads (`Tue, Mar 3, 2026 (in 3 days)`): the app's one date style,
   * `blocks/dates.ts`'s `dayWithRelative`, passed in because services do not import blocks.
   */
  formatDay: (date: string, today: string) => string;
}

export interface OfflineAnswer {
  markdown: string;
  intent: OfflineIntent;
  offerNewCampaign: boolean;
  /** The URLs of the links this answer wrote (from our data): they keep their labels. */
  linkUrls?: string[];
}

export type OfflineIntent =
  | 'create_campaign'
  | 'approvals'
  | 'overdue'
  | 'my_tasks'
  | 'launches'
  | 'campaign_status'
  | 'help';

export const OFFLINE_NOTE =
  ':robot_face: Offline agent (no Bedrock agent is configured): I answer campaign status, launches this or next week, pending approvals, your tasks, overdue work, and can start a new campaign.';

const OFFLINE_EXAMPLES = [
  '“What’s the status of Spring Launch?”',
  '“What launches this week?” / “…next week?”',
  '“Any approvals waiting for me?”',
  '“What are my tasks?”',
  '“What’s overdue?”',
  '“Create a campaign”',
];

const ACTIVE: CampaignStatus[] = ['PLANNED', 'IN_PROGRESS', 'LAUNCHED', 'ON_HOLD'];
const MAX_LINES = 15;

/**
 * Escapes every ASCII punctuation character in data (campaign and task names) — CommonMark lets any
 * of them be backslash-escaped — so a name is shown literally: `<…>` stays text (no mention, no
 * link), `&lt;` stays the five characters it is (no entity), and `https://…`, `www.…` or `a@b.c` in
 * a name is not auto-linked.
 */
function md(text: string): string {
  return text.replace(/[!-/:-@[-`{-~]/g, '\\$&');
}

/** A user mention for an id-shaped value; anything else is shown as text. */
function mention(id: string): string {
  return SLACK_ID_SHAPES.user.test(id) ? `<@${id}>` : md(id);
}

/**
 * A Markdown link to a URL from our data, recorded in `links` (so it keeps its label); the URL in
 * angle brackets so no character of it can end the link early.
 */
function mdLink(label: string, url: string, links: string[]): string {
  const safe = url.trim().replace(/[<>\s]/g, (c) => encodeURIComponent(c));
  links.push(safe);
  return `[${md(label)}](<${safe}>)`;
}

/** Classifies a request. Exported for tests and for documentation. */
export function classifyOffline(text: string): OfflineIntent {
  const t = normalizeName(text);
  if (/\b(create|new|start|set up|setup|make|open|plan)\b.*\bcampaigns?\b/.test(t) && !/\bstatus\b/.test(t))
    return 'create_campaign';
  if (/\bapprov/.test(t)) return 'approvals';
  if (/\b(overdue|late|behind|past due|slipping|missed)\b/.test(t)) return 'overdue';
  if (
    /\b(my|mine)\b.*\b(tasks?|work|todos?|to dos?|plate|assignments?)\b|\bassigned to me\b|\bon my plate\b|\bwhat should i (work on|do)\b/.test(
      t,
    )
  )
    return 'my_tasks';
  if (
    /\b(launch\w*|go(es|ing)? live|live|ship\w*|release\w*)\b/.test(t) &&
    /\b(week|weeks|wk|wks|upcoming|coming up|soon)\b/.test(t)
  )
    return 'launches';
  if (/\b(status|how is|hows|how s|progress|update on|doing|state of)\b/.test(t)) return 'campaign_status';
  return 'help';
}

export class OfflineAgent {
  constructor(private readonly deps: OfflineAgentDeps) {}

  async answer(text: string, user: { userId: string; timezone: string }): Promise<OfflineAnswer> {
    const links: string[] = [];
    const answer = await this.answerWith(text, user, links);
    return links.length > 0 ? { ...answer, linkUrls: links } : answer;
  }

  private async answerWith(
    text: string,
    user: { userId: string; timezone: string },
    links: string[],
  ): Promise<OfflineAnswer> {
    const today = todayIn(user.timezone, this.deps.clock());
    let intent = classifyOffline(text);
    // A bare campaign name or id ("spring launch?", "cmp-001") is a status question.
    let campaigns: Campaign[] | undefined;
    if (intent === 'help' && text.trim() !== '') {
      campaigns = await this.deps.campaigns.listAll();
      const found = this.findCampaign(text, campaigns).kind;
      if (found === 'one' || found === 'no_such_id') intent = 'campaign_status';
    }
    switch (intent) {
      case 'create_campaign':
        return {
          intent,
          offerNewCampaign: true,
          markdown:
            'Sure — press *Create a campaign* below to open the form. Budgets over the approval threshold are sent for approval automatically.',
        };
      case 'approvals':
        return { intent, offerNewCampaign: false, markdown: await this.approvals(user.userId, today, links) };
      case 'overdue':
        return { intent, offerNewCampaign: false, markdown: await this.overdue(user.userId, today) };
      case 'my_tasks':
        return { intent, offerNewCampaign: false, markdown: await this.myTasks(user.userId, today) };
      case 'launches':
        return { intent, offerNewCampaign: false, markdown: await this.launches(text, today) };
      case 'campaign_status':
        return {
          intent,
          offerNewCampaign: false,
          markdown: await this.status(text, today, campaigns ?? (await this.deps.campaigns.listAll()), links),
        };
      default:
        return {
          intent: 'help',
          offerNewCampaign: false,
          markdown: `I’m the offline agent, so I only understand a few kinds of requests. Try one of these:\n\n${OFFLINE_EXAMPLES.map((e) => `- ${e}`).join('\n')}`,
        };
    }
  }

  private findCampaign(text: string, campaigns: Campaign[]) {
    const options = {
      name: (c: Campaign) => c.name,
      id: (c: Campaign) => c.campaignId,
      idShape: CAMPAIGN_ID_SHAPE,
    };
    // An id in the question ("status of cmp-001?") is the campaign meant; normalizing would split it.
    const id = text
      .split(/\s+/)
      .map((word) => word.replace(/^\W+|\W+$/g, ''))
      .find((word) => CAMPAIGN_ID_SHAPE.test(word));
    if (id) return matchByName(id, campaigns, options);
    const query = normalizeName(text)
      .replace(
        /\b(what s|whats|what is|what|the|status|of|for|on|how is|hows|how s|how|is|doing|progress|update|campaign|please|tell|me|about|show|state|going)\b/g,
        ' ',
      )
      .replace(/\s+/g, ' ')
      .trim();
    if (query === '') return { kind: 'none' as const, closest: [] as Campaign[] };
    return matchByName(query, campaigns, options);
  }

  private async status(text: string, today: string, campaigns: Campaign[], links: string[]): Promise<string> {
    const match = this.findCampaign(text, campaigns);
    if (match.kind === 'several') {
      return `Several campaigns match — which one?\n\n${match.items
        .slice(0, 8)
        .map((c) => `- ${md(c.name)} (${md(c.campaignId)})`)
        .join('\n')}`;
    }
    if (match.kind === 'no_such_id') return `No campaign with id ${md(match.id)}.`;
    if (match.kind === 'none') {
      const closest = match.closest.map((c) => md(c.name)).join(', ');
      return `I couldn’t tell which campaign you mean.${closest ? ` Closest names: ${closest}.` : ''} Try “status of <campaign name>”.`;
    }
    const campaign = match.item;
    const progress = summarizeTasks(await this.deps.tasks.listByCampaign(campaign.campaignId), today);
    const lines = [
      `**${md(campaign.name)}** (${md(campaign.campaignId)}) is **${campaign.status.replace(/_/g, ' ').toLowerCase()}**.`,
      '',
      `- Launch: ${this.deps.formatDay(campaign.launchDate, today)}${campaign.endDate ? `, ends ${this.deps.formatDay(campaign.endDate, today)}` : ''}`,
      `- Budget: ${formatUsd(campaign.budgetCents)} · ${campaign.type}, tier ${campaign.tier}`,
      `- Owner: ${mention(campaign.ownerSlackId)}`,
      `- Tasks: ${progress.done}/${progress.total} done${progress.overdue > 0 ? `, **${progress.overdue} overdue**` : ''}${progress.blocked > 0 ? `, ${progress.blocked} blocked` : ''}`,
    ];
    if (progress.nextMilestone) {
      lines.push(
        `- Next milestone: ${md(progress.nextMilestone.name)}${progress.nextMilestone.dueDate ? ` — due ${this.deps.formatDay(progress.nextMilestone.dueDate, today)}` : ''}`,
      );
    }
    if (campaign.externalProjectUrl)
      lines.push(
        `- Project: ${mdLink(`open in ${campaign.workSystem ?? 'the work system'}`, campaign.externalProjectUrl, links)}`,
      );
    return lines.join('\n');
  }

  private async launches(text: string, today: string): Promise<string> {
    const next = /\bnext\b/.test(normalizeName(text));
    const range = weekRange(today, next ? 1 : 0);
    const label = next ? 'next week' : 'this week';
    const all = await this.deps.campaigns.listAll();
    const launching = all
      .filter((c) => c.launchDate >= range.from && c.launchDate <= range.to)
      .filter((c) => c.status !== 'CANCELLED' && c.status !== 'REJECTED')
      .sort((a, b) => a.launchDate.localeCompare(b.launchDate) || a.name.localeCompare(b.name));
    if (launching.length === 0) return `Nothing launches ${label} (${range.from} – ${range.to}).`;
    const lines = launching
      .slice(0, MAX_LINES)
      .map(
        (c) =>
          `- **${md(c.name)}** — ${this.deps.formatDay(c.launchDate, today)} · ${c.status.replace(/_/g, ' ').toLowerCase()} · ${formatUsd(c.budgetCents)}`,
      );
    const more = launching.length > MAX_LINES ? `\n\n…and ${launching.length - MAX_LINES} more.` : '';
    return `**Launching ${label}** (${range.from} – ${range.to}):\n\n${lines.join('\n')}${more}`;
  }

  private async approvals(userId: string, today: string, links: string[]): Promise<string> {
    if (this.deps.approvals) {
      const decidable = await this.deps.approvals.listDecidableBy(userId);
      if (decidable.length === 0) return 'No approvals are waiting for you.';
      const lines = decidable
        .slice(0, MAX_LINES)
        .map(
          (a) =>
            `- **${md(a.campaignName)}** — ${formatUsd(a.budgetCents)}, requested by ${mention(a.requesterId)}${a.permalink ? ` (${mdLink('open', a.permalink, links)})` : ''}`,
        );
      return `**Waiting for your decision** (${decidable.length}):\n\n${lines.join('\n')}`;
    }
    const { items } = await this.deps.campaigns.listByStatus('PENDING_APPROVAL', { limit: 50 });
    if (items.length === 0) return 'No campaigns are waiting for approval.';
    const lines = items
      .slice(0, MAX_LINES)
      .map(
        (c) =>
          `- **${md(c.name)}** — ${formatUsd(c.budgetCents)}, launch ${this.deps.formatDay(c.launchDate, today)}, owner ${mention(c.ownerSlackId)}`,
      );
    return `**Campaigns waiting for approval** (${items.length}):\n\n${lines.join('\n')}`;
  }

  private async myTasks(userId: string, today: string): Promise<string> {
    const open = (await this.deps.tasks.listByOwner(userId))
      .filter((t) => OPEN_TASK_STATUSES.has(t.status))
      .sort((a, b) => (a.dueDate ?? '9999').localeCompare(b.dueDate ?? '9999'));
    if (open.length === 0) return 'You have no open tasks. :tada:';
    const names = await this.campaignNames();
    const lines = open.slice(0, MAX_LINES).map((t) => {
      const due = t.dueDate
        ? t.dueDate < today
          ? `**overdue** since ${this.deps.formatDay(t.dueDate, today)}`
          : `due ${this.deps.formatDay(t.dueDate, today)}`
        : 'no due date';
      return `- ${md(t.name)} — ${md(names.get(t.campaignId) ?? t.campaignId)} · ${due} · ${t.status.replace(/_/g, ' ').toLowerCase()}`;
    });
    const more = open.length > MAX_LINES ? `\n\n…and ${open.length - MAX_LINES} more.` : '';
    return `**Your open tasks** (${open.length}):\n\n${lines.join('\n')}${more}`;
  }

  private async overdue(userId: string, today: string): Promise<string> {
    const active = (await this.deps.campaigns.listAll()).filter((c) => ACTIVE.includes(c.status));
    const names = new Map(active.map((c) => [c.campaignId, c.name]));
    const tasks = (await Promise.all(active.map((c) => this.deps.tasks.listByCampaign(c.campaignId)))).flat();
    const late = tasks
      .filter((t) => OPEN_TASK_STATUSES.has(t.status) && t.dueDate !== undefined && t.dueDate < today)
      .sort(
        (a, b) =>
          Number(b.ownerSlackId === userId) - Number(a.ownerSlackId === userId) ||
          (a.dueDate ?? '').localeCompare(b.dueDate ?? ''),
      );
    if (late.length === 0) return 'Nothing is overdue on active campaigns. :white_check_mark:';
    const lines = late.slice(0, MAX_LINES).map((t) => {
      const days = daysBetween(t.dueDate ?? today, today);
      return `- ${md(t.name)} — ${md(names.get(t.campaignId) ?? t.campaignId)} · ${days} day${days === 1 ? '' : 's'} late · ${t.ownerSlackId ? mention(t.ownerSlackId) : 'unassigned'}`;
    });
    const more = late.length > MAX_LINES ? `\n\n…and ${late.length - MAX_LINES} more.` : '';
    return `**Overdue work** (${late.length}, yours first):\n\n${lines.join('\n')}${more}`;
  }

  private async campaignNames(): Promise<Map<string, string>> {
    return new Map((await this.deps.campaigns.listAll()).map((c) => [c.campaignId, c.name]));
  }
}
