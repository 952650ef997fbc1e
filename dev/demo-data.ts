import { createHash } from 'node:crypto';
import type { Campaign, Task, TaskStatus, Team } from '../app/domain/model';
import type { CampaignSpec } from './demo-sets/campaign-spec';
import { BRAND_CAMPAIGNS } from './demo-sets/campaigns-brand';
import { EVENTS_CAMPAIGNS } from './demo-sets/campaigns-events';
import { GROWTH_CAMPAIGNS } from './demo-sets/campaigns-growth';
import { PARTNERS_CAMPAIGNS } from './demo-sets/campaigns-partners';
import { EXEC_READOUT, PROVISIONED_STATUSES, type TaskTemplate, TEMPLATES } from './demo-sets/task-templates';
import { DEMO_TEAMS, type TeamId } from './demo-sets/teams';
import { DEMO_USER_GROUPS } from './demo-users';

/**
 * The demo portfolio, built as plain data relative to one instant (`buildDemoData(now)`), so the
 * same clock always gives the same teams, campaigns and tasks. "Today" is the UTC calendar day of
 * `now`; launch and due dates are whole days from it. `dev/seed.ts` writes this through the
 * repositories; its header lists the notable ids. The data sets live in dev/demo-sets/ (teams,
 * task templates, and the campaigns of each team).
 */

const DAY_MS = 86_400_000;

/** Notable seeded ids other parts (and their tests) can rely on. See the table in dev/seed.ts. */
export const DEMO_IDS = {
  /** IN_PROGRESS, Workfront, launches in 5 days, two overdue tasks. */
  springLaunch: 'cmp-001',
  /** PLANNED, exactly $10,000.00 (no approval needed); shares words with cmp-001 and cmp-015. */
  springLaunchRetargeting: 'cmp-002',
  /** PLANNED event in Asana, accented name. */
  lancementEte: 'cmp-003',
  /** DRAFT, accented name; cmp-031 shares its words. */
  anoNuevoPromo: 'cmp-004',
  /** PENDING_APPROVAL at $250,000 (over the VP threshold). */
  pendingOverVp: 'cmp-005',
  /** PENDING_APPROVAL at $10,000.01 (just over the leadership threshold). */
  pendingJustOverLeadership: 'cmp-006',
  /** PENDING_APPROVAL at exactly $100,000.00 (leadership, not VP). */
  pendingAtVpThreshold: 'cmp-007',
  /** PENDING_APPROVAL at $100,000.01 (just over the VP threshold). */
  pendingJustOverVp: 'cmp-008',
  /** COMPLETED, every task DONE. */
  completed: 'cmp-009',
  /** LAUNCHED three days ago, $120,000 approved. */
  launched: 'cmp-010',
  /** ON_HOLD with a BLOCKED, overdue task (due 4 days ago). */
  onHold: 'cmp-011',
  /** IN_PROGRESS partner campaign at $99,999.99, launches in 9 days, one overdue task. */
  partnerRoadshow: 'cmp-012',
  /** REJECTED at $180,000. */
  rejected: 'cmp-013',
  /** CANCELLED after provisioning (Asana project, remaining tasks CANCELLED). */
  cancelledProvisioned: 'cmp-014',
  /** IN_PROGRESS event in Asana at $9,999.99, launches in 2 days. */
  springLaunchWebinar: 'cmp-015',
  /** IN_PROGRESS event in Asana, $480,000, launches in ~3 months. */
  annualConference: 'cmp-020',
  /** IN_PROGRESS in Workfront, has an unowned task and an undated one. */
  customerStories: 'cmp-028',
  /** LAUNCHED today. */
  launchedToday: 'cmp-033',
} as const;

/** Every demo campaign, in id order. */
const CAMPAIGNS: CampaignSpec[] = [
  ...BRAND_CAMPAIGNS,
  ...GROWTH_CAMPAIGNS,
  ...EVENTS_CAMPAIGNS,
  ...PARTNERS_CAMPAIGNS,
].sort((a, b) => a.n - b.n);

/** How many days of past-due work a `late` campaign leaves open. */
const LATE_WINDOW_DAYS = 7;

export interface DemoData {
  teams: Team[];
  campaigns: Campaign[];
  tasks: Task[];
}

/** Builds the whole demo portfolio relative to `now`; pure and deterministic. */
export function buildDemoData(now: Date): DemoData {
  const today = utcDay(now);
  const teams: Team[] = DEMO_TEAMS.map((team) => ({ ...team, version: 1 }));
  const campaigns: Campaign[] = [];
  const tasks: Task[] = [];
  for (const spec of CAMPAIGNS) {
    const campaign = buildCampaign(spec, today, now);
    campaigns.push(campaign);
    if (campaign.workSystem) tasks.push(...buildTasks(spec, campaign, today, now));
  }
  return { teams, campaigns, tasks };
}

function campaignId(n: number): string {
  return `cmp-${String(n).padStart(3, '0')}`;
}

function buildCampaign(spec: CampaignSpec, today: number, now: Date): Campaign {
  const id = campaignId(spec.n);
  const provisioned = spec.provisioned ?? PROVISIONED_STATUSES.has(spec.status);
  // Created a while before launch (and before today), edited once a day later.
  const createdDay = Math.min(today + spec.launch - 30, today - 3) - (spec.n % 5);
  const createdAt = `${isoDay(createdDay)}T14:${String(spec.n).padStart(2, '0')}:00.000Z`;
  const updatedAt = new Date(Math.min(Date.parse(createdAt) + DAY_MS, now.getTime() - 60_000)).toISOString();
  const workSystem = spec.type === 'event' ? 'asana' : 'workfront';
  const projectId = workSystem === 'asana' ? asanaGid(`project:${id}`) : workfrontId(`project:${id}`);
  return {
    campaignId: id,
    name: spec.name,
    type: spec.type,
    tier: spec.tier,
    status: spec.status,
    ownerSlackId: spec.owner,
    teamId: spec.team,
    budgetCents: spec.budgetCents,
    // Anything that reached provisioning had its budget approved (or needed no approval).
    ...(provisioned ? { approvedBudgetCents: spec.budgetCents } : {}),
    launchDate: isoDay(today + spec.launch),
    ...(spec.end !== undefined ? { endDate: isoDay(today + spec.end) } : {}),
    audience: spec.audience,
    channels: spec.channels,
    ...(spec.description ? { description: spec.description } : {}),
    ...(provisioned
      ? {
          workSystem,
          externalProjectId: projectId,
          externalProjectUrl:
            workSystem === 'asana'
              ? `https://app.asana.com/0/${projectId}/list`
              : `https://demo.my.workfront.com/project/${projectId}/overview`,
        }
      : {}),
    createdBy: spec.createdBy ?? spec.owner,
    createdAt,
    updatedAt,
    version: 1,
  };
}

function buildTasks(spec: CampaignSpec, campaign: Campaign, today: number, now: Date): Task[] {
  const template = TEMPLATES[spec.type];
  const chosen = template.map((t, index) => ({ t, index })).filter(({ t }) => spec.tier !== 3 || t.core);
  const plan: { t: TaskTemplate; index: number }[] = [...chosen];
  if (spec.tier === 1)
    plan.push({ t: { ...EXEC_READOUT, deps: [template.length - 1] }, index: template.length });
  const taskIdOf = new Map<number, string>();
  plan.forEach(({ index }, i) => {
    taskIdOf.set(index, `${campaign.campaignId}-t${String(i + 1).padStart(2, '0')}`);
  });
  const members = teamMembers(spec.team, spec.owner);
  const launchDay = today + spec.launch;
  const statuses = new Map<string, TaskStatus>();
  const tasks: Task[] = [];
  plan.forEach(({ t, index }, i) => {
    const taskId = taskIdOf.get(index) ?? `${campaign.campaignId}-t${String(i + 1).padStart(2, '0')}`;
    const dueDay = launchDay + t.due;
    const dependsOn = t.deps.flatMap((d) => {
      // A lighter plan drops tasks: depend on the nearest kept ancestor instead.
      const kept = nearestKept(d, template, taskIdOf);
      return kept ? [kept] : [];
    });
    const status = taskStatus(spec, dueDay, today, dependsOn, statuses);
    statuses.set(taskId, status);
    const owner = t.milestone ? spec.owner : members[i % members.length];
    const system = campaign.workSystem ?? 'workfront';
    const doneAt =
      status === 'DONE'
        ? new Date(
            Math.min(
              Date.parse(`${isoDay(Math.min(dueDay, today - 1))}T16:00:00.000Z`),
              now.getTime() - 60_000,
            ),
          )
        : undefined;
    tasks.push({
      campaignId: campaign.campaignId,
      taskId,
      teamId: campaign.teamId,
      name: t.name,
      ...(owner ? { ownerSlackId: owner } : {}),
      dueDate: isoDay(dueDay),
      status,
      milestone: t.milestone ?? false,
      dependsOn: [...new Set(dependsOn)],
      workSystem: system,
      externalId: system === 'asana' ? asanaGid(`task:${taskId}`) : workfrontId(`task:${taskId}`),
      ...(doneAt ? { completedAt: doneAt.toISOString() } : {}),
      updatedAt: doneAt ? doneAt.toISOString() : campaign.updatedAt,
      version: 1,
    });
  });
  if (campaign.campaignId === DEMO_IDS.customerStories) {
    // Edge cases for "my tasks" and assignment: an unowned task and an undated one.
    const system = campaign.workSystem ?? 'workfront';
    tasks.push(
      {
        campaignId: campaign.campaignId,
        taskId: `${campaign.campaignId}-t90`,
        teamId: campaign.teamId,
        name: 'License stock footage',
        dueDate: isoDay(launchDay - 3),
        status: 'NOT_STARTED',
        milestone: false,
        dependsOn: [],
        workSystem: system,
        externalId: workfrontId(`task:${campaign.campaignId}-t90`),
        updatedAt: campaign.updatedAt,
        version: 1,
      },
      {
        campaignId: campaign.campaignId,
        taskId: `${campaign.campaignId}-t91`,
        teamId: campaign.teamId,
        name: 'Collect customer release forms',
        ownerSlackId: 'U0SAM',
        status: 'IN_PROGRESS',
        milestone: false,
        dependsOn: [],
        workSystem: system,
        externalId: workfrontId(`task:${campaign.campaignId}-t91`),
        updatedAt: campaign.updatedAt,
        version: 1,
      },
    );
  }
  return tasks;
}

/** The id of template task `index`, or of its nearest kept ancestor when a lighter plan dropped it. */
function nearestKept(index: number, template: TaskTemplate[], kept: Map<number, string>): string | undefined {
  const id = kept.get(index);
  if (id) return id;
  for (const dep of template[index]?.deps ?? []) {
    const found = nearestKept(dep, template, kept);
    if (found) return found;
  }
  return undefined;
}

/**
 * A task's status from its campaign's status and its due day: work due before today is DONE,
 * except on `late` campaigns, where the last week's past-due work is still open (overdue).
 * The first open task whose dependencies are all DONE is IN_PROGRESS (BLOCKED when the
 * campaign is ON_HOLD); the rest wait.
 */
function taskStatus(
  spec: CampaignSpec,
  dueDay: number,
  today: number,
  dependsOn: string[],
  previous: Map<string, TaskStatus>,
): TaskStatus {
  if (spec.status === 'COMPLETED') return 'DONE';
  const pastDue = dueDay < today;
  const openLate = spec.late === true && pastDue && dueDay >= today - LATE_WINDOW_DAYS;
  if (spec.status === 'LAUNCHED' && dueDay <= today) return 'DONE';
  if (pastDue && !openLate) return 'DONE';
  if (spec.status === 'CANCELLED') return 'CANCELLED';
  const ready = dependsOn.every((id) => previous.get(id) === 'DONE');
  const alreadyActive = [...previous.values()].some((s) => s === 'IN_PROGRESS' || s === 'BLOCKED');
  // A PLANNED campaign has ready work but nobody on it yet.
  if (ready && !alreadyActive && spec.status !== 'PLANNED') {
    return spec.status === 'ON_HOLD' ? 'BLOCKED' : 'IN_PROGRESS';
  }
  return 'NOT_STARTED';
}

function teamMembers(team: TeamId, owner: string): string[] {
  const groupId = DEMO_TEAMS.find((t) => t.teamId === team)?.slackUserGroupId;
  const members = DEMO_USER_GROUPS.find((g) => g.id === groupId)?.userIds ?? [];
  return members.length > 0 ? members : [owner];
}

/** Days since the epoch of the UTC calendar day of `instant`. */
function utcDay(instant: Date): number {
  return Math.floor(instant.getTime() / DAY_MS);
}

function isoDay(day: number): string {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}

/** A stable 32-hex id, shaped like Workfront's object ids. */
function workfrontId(seed: string): string {
  return createHash('sha256').update(`workfront:${seed}`).digest('hex').slice(0, 32);
}

/** A stable 16-digit numeric gid, shaped like Asana's. */
function asanaGid(seed: string): string {
  const hex = createHash('sha256').update(`asana:${seed}`).digest('hex').slice(0, 13);
  return `120${(Number.parseInt(hex, 16) % 10_000_000_000_000).toString().padStart(13, '0')}`;
}
