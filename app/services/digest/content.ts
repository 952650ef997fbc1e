import type { EventsLogEntry } from '../../adapters/dynamo/events-log-repo';
import type { Approval } from '../../domain/approval';
import { addDays, daysBetween } from '../../domain/calendar';
import {
  AT_RISK_DAYS,
  type DigestAtRiskCampaign,
  type DigestCampaignItem,
  type DigestChangeItem,
  type DigestConflictItem,
  type DigestContent,
  type DigestOverdueTask,
  LAUNCH_DAYS,
  TIMELINE_DAYS,
} from '../../domain/digest-content';
import {
  type Campaign,
  type CampaignStatus,
  OPEN_TASK_STATUSES,
  type Task,
  type Team,
} from '../../domain/model';
import { BUDGET_CHANGED_EVENT, teamActivityStream } from '../campaign-command-ports';
import type { SyncConflictSource } from './ports';

/** What the builder reads, by key and index only (no Scan, no listing of whole tables). */
export interface DigestSources {
  teams: { list(): Promise<Team[]> };
  campaigns: {
    get(campaignId: string): Promise<Campaign | undefined>;
    listByTeamLaunching(teamId: string, from: string, to: string, limit?: number): Promise<Campaign[]>;
  };
  tasks: {
    listByCampaign(campaignId: string): Promise<Task[]>;
    listOpenDueBefore(teamId: string, before: string, limit?: number): Promise<Task[]>;
  };
  approvals: {
    listByTeamStatus(teamId: string, status: 'PENDING', limit?: number): Promise<Approval[]>;
    listByTeamDecided(teamId: string, since: string, until: string, limit?: number): Promise<Approval[]>;
  };
  activity: {
    listBetween(stream: string, since: string, until: string, limit?: number): Promise<EventsLogEntry[]>;
  };
  /** Absent until the Sync capability records conflicts. */
  conflicts?: SyncConflictSource | undefined;
}

export interface DigestScope {
  channelId: string;
  /** The digest's day in `timeZone`. */
  localDate: string;
  timeZone: string;
  locale: string;
  scheduledTime: string;
  late: boolean;
  since: string;
  asOf: string;
  appHomeUrl?: string | undefined;
}

/** Per team: more than any message shows; the counts say how many there are up to these caps. */
const CAPS = { launches: 500, overdue: 500, approvals: 100, conflicts: 100, changes: 200 } as const;
/** Overdue tasks whose campaign is read for its name (the ones a message can show). */
const OVERDUE_NAMED = 25;

/** Campaigns that are over: not listed as launching or at risk. */
const CLOSED: ReadonlySet<CampaignStatus> = new Set(['CANCELLED', 'REJECTED', 'COMPLETED']);

/**
 * Builds a channel's digest from the store: for each team whose channel it is, what launches in the
 * next 7 days (and 14 for the picture), what is at risk (launching within 3 days with open tasks;
 * open tasks past due), what waits on approval, open sync conflicts, and decisions and budget
 * changes since the last digest. Every read is a key or index range, so the work grows with what
 * matches, not with the tables.
 */
export async function buildDigestContent(sources: DigestSources, scope: DigestScope): Promise<DigestContent> {
  const teams = (await sources.teams.list()).filter((team) => team.slackChannelId === scope.channelId);
  const perTeam = await Promise.all(teams.map((team) => teamSection(sources, scope, team)));
  const launchingAll = perTeam.flatMap((s) => s.launching14).sort(byLaunch);
  const atRisk = perTeam.flatMap((s) => s.atRisk).sort(byLaunch);
  const atRiskIds = new Set(atRisk.map((c) => c.campaignId));
  const lastLaunchDay = addDays(scope.localDate, LAUNCH_DAYS - 1);
  const launching = launchingAll.filter((c) => c.launchDate <= lastLaunchDay);
  const overdue = perTeam
    .flatMap((s) => s.overdue)
    .sort((a, b) => b.daysLate - a.daysLate || a.name.localeCompare(b.name));
  const approvals = perTeam
    .flatMap((s) => s.approvals)
    .sort((a, b) => a.createdAt.localeCompare(b.createdAt));
  const conflicts = perTeam.flatMap((s) => s.conflicts).sort((a, b) => a.since.localeCompare(b.since));
  const changes = perTeam.flatMap((s) => s.changes).sort((a, b) => a.at.localeCompare(b.at));
  return {
    ...scope,
    teamNames: teams.map((team) => team.name),
    launching,
    atRisk,
    overdue,
    approvals,
    conflicts,
    changes,
    timeline: launchingAll.map((c) => ({
      name: c.name,
      launchDate: c.launchDate,
      atRisk: atRiskIds.has(c.campaignId),
    })),
    counts: {
      launching: launching.length,
      atRisk: atRisk.length,
      overdue: overdue.length,
      approvals: approvals.length,
      conflicts: conflicts.length,
      changes: changes.length,
    },
  };
}

function byLaunch(a: DigestCampaignItem, b: DigestCampaignItem): number {
  return a.launchDate.localeCompare(b.launchDate) || a.name.localeCompare(b.name);
}

function campaignItem(campaign: Campaign, team: Team): DigestCampaignItem {
  return {
    campaignId: campaign.campaignId,
    name: campaign.name,
    teamName: team.name,
    status: campaign.status,
    launchDate: campaign.launchDate,
    ownerSlackId: campaign.ownerSlackId,
    budgetCents: campaign.budgetCents,
    externalProjectUrl: campaign.externalProjectUrl,
  };
}

async function teamSection(sources: DigestSources, scope: DigestScope, team: Team) {
  const today = scope.localDate;
  const [launched, overdueTasks, approvals, decided, activity, conflicts] = await Promise.all([
    sources.campaigns.listByTeamLaunching(
      team.teamId,
      today,
      addDays(today, TIMELINE_DAYS - 1),
      CAPS.launches,
    ),
    sources.tasks.listOpenDueBefore(team.teamId, today, CAPS.overdue),
    sources.approvals.listByTeamStatus(team.teamId, 'PENDING', CAPS.approvals),
    sources.approvals.listByTeamDecided(team.teamId, scope.since, scope.asOf, CAPS.changes),
    sources.activity.listBetween(teamActivityStream(team.teamId), scope.since, scope.asOf, CAPS.changes),
    sources.conflicts
      ? sources.conflicts.listOpenConflicts(team.teamId, CAPS.conflicts)
      : Promise.resolve([]),
  ]);
  const launching14 = launched.filter((c) => !CLOSED.has(c.status)).map((c) => campaignItem(c, team));
  const soon = launched.filter(
    (c) => !CLOSED.has(c.status) && daysBetween(today, c.launchDate) <= AT_RISK_DAYS,
  );
  // The only per-campaign reads: the tasks of campaigns launching within three days.
  const soonTasks = await Promise.all(soon.map((c) => sources.tasks.listByCampaign(c.campaignId)));
  const atRisk: DigestAtRiskCampaign[] = [];
  soon.forEach((campaign, index) => {
    const open = (soonTasks[index] ?? []).filter((task) => OPEN_TASK_STATUSES.has(task.status));
    if (open.length === 0) return;
    atRisk.push({
      ...campaignItem(campaign, team),
      openTasks: open.length,
      overdueTasks: open.filter((task) => task.dueDate !== undefined && task.dueDate < today).length,
    });
  });
  return {
    launching14,
    atRisk,
    overdue: await overdueItems(sources, overdueTasks, today),
    approvals,
    conflicts: conflicts.map(
      (c): DigestConflictItem => ({
        objectKey: c.objectKey,
        summary: c.summary,
        since: c.since,
        link: c.link,
      }),
    ),
    changes: [...decided.map(decisionChange), ...activity.flatMap(budgetChange)],
  };
}

/** Names the first overdue tasks' campaigns (one read per distinct campaign) and drops closed ones. */
async function overdueItems(
  sources: DigestSources,
  tasks: Task[],
  today: string,
): Promise<DigestOverdueTask[]> {
  const ids = [...new Set(tasks.slice(0, OVERDUE_NAMED).map((task) => task.campaignId))];
  const campaigns = new Map<string, Campaign | undefined>();
  await Promise.all(ids.map(async (id) => campaigns.set(id, await sources.campaigns.get(id))));
  return tasks.flatMap((task) => {
    const campaign = campaigns.get(task.campaignId);
    if (campaign && CLOSED.has(campaign.status)) return [];
    return [
      {
        campaignId: task.campaignId,
        campaignName: campaign?.name ?? task.campaignId,
        taskId: task.taskId,
        name: task.name,
        ownerSlackId: task.ownerSlackId,
        dueDate: task.dueDate ?? today,
        daysLate: daysBetween(task.dueDate ?? today, today),
      },
    ];
  });
}

function decisionChange(approval: Approval): DigestChangeItem {
  return {
    kind: 'decision',
    at: approval.decidedAt ?? approval.updatedAt,
    approval: {
      approvalId: approval.approvalId,
      campaignName: approval.campaignName,
      kind: approval.kind,
      status: approval.status,
      budgetCents: approval.budgetCents,
      previousBudgetCents: approval.previousBudgetCents,
      decidedBy: approval.decidedBy,
      permalink: approval.permalink,
    },
  };
}

function budgetChange(entry: EventsLogEntry): DigestChangeItem[] {
  if (entry.type !== BUDGET_CHANGED_EVENT) return [];
  const { campaignId, campaignName, fromCents, toCents } = entry.data;
  if (typeof campaignId !== 'string' || typeof fromCents !== 'number' || typeof toCents !== 'number')
    return [];
  return [
    {
      kind: 'budget',
      at: entry.at,
      campaignId,
      campaignName: typeof campaignName === 'string' ? campaignName : campaignId,
      fromCents,
      toCents,
      by: entry.actor,
    },
  ];
}
