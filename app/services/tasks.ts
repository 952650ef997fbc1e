import { type Campaign, OPEN_TASK_STATUSES, type Task, type TaskStatus, type Team } from '../domain/model';
import { workSystemFor } from '../domain/templates';
import { escapeMrkdwn } from '../domain/text';
import { ConflictError, NotFoundError, PolicyError, ValidationError } from '../errors';
import { evaluatePolicy, type PolicyThresholds } from './policy';
import type { SyncHook } from './sync/hook';

/**
 * Task commands for the agent's actions (and any other entry point): create a task, move its status,
 * assign it, and read a team's capacity. Every write goes through the task repository as a
 * conditional write on `version`, after the one policy engine.
 *
 * Changes are written to Command Center, then handed to sync (`sync.taskChanged`), which pushes
 * them to the campaign's Workfront/Asana project in a job (a new task is created there, a status,
 * assignee or due date updated). Results say the work system follows shortly, not that it has.
 */
interface TaskStore {
  get(campaignId: string, taskId: string): Promise<Task | undefined>;
  create(task: Task): Promise<Task>;
  update(next: Task, expectedVersion: number): Promise<Task>;
  listByCampaign(campaignId: string): Promise<Task[]>;
  listByOwner(slackUserId: string): Promise<Task[]>;
}

interface TaskCampaignStore {
  get(campaignId: string): Promise<Campaign | undefined>;
  listByTeam(
    teamId: string,
    opts?: { limit?: number; cursor?: string },
  ): Promise<{ items: Campaign[]; cursor?: string }>;
}

interface TaskAudit {
  append(input: {
    stream: string;
    type: string;
    actor?: string;
    data: Record<string, unknown>;
  }): Promise<unknown>;
}

export interface TaskServiceDeps {
  tasks: TaskStore;
  campaigns: TaskCampaignStore;
  eventsLog: TaskAudit;
  thresholds: PolicyThresholds;
  clock: () => Date;
  newId: () => string;
  /** Two-way sync: told about every change, so Workfront/Asana get it. */
  sync?: Pick<SyncHook, 'taskChanged'> | undefined;
}

export interface NewTaskInput {
  campaignId: string;
  name: string;
  ownerSlackId?: string | undefined;
  /** YYYY-MM-DD */
  dueDate?: string | undefined;
  milestone?: boolean | undefined;
}

interface CapacityRow {
  slackUserId: string;
  openTasks: number;
  overdueTasks: number;
  dueThisWeek: number;
}

export interface TeamCapacity {
  teamId: string;
  rows: CapacityRow[];
  unassigned: number;
}

/** Statuses in which a task is still work to do (defined with the model; kept here for its importers). */
export { OPEN_TASK_STATUSES };

/** Campaigns whose tasks count towards capacity (closed ones do not). */
const ACTIVE_CAMPAIGN_STATUSES = new Set<Campaign['status']>([
  'PLANNED',
  'IN_PROGRESS',
  'ON_HOLD',
  'LAUNCHED',
]);
const USER_ID = /^[UW][A-Z0-9]{2,}$/;
const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

/** The note every task change carries: the work system follows in the background. */
export const LOCAL_ONLY_NOTE =
  'Saved in Command Center; Workfront/Asana get the change in the background (within a minute).';

export class TaskService {
  constructor(private readonly deps: TaskServiceDeps) {}

  /** Creates a task on a campaign. `ValidationError` names the bad field; `NotFoundError` for the campaign. */
  async createTask(input: NewTaskInput, actorId: string): Promise<Task> {
    this.allow('task.create');
    const campaign = await this.campaign(input.campaignId);
    const name = input.name.trim();
    const fields: Record<string, string> = {};
    if (name.length === 0 || name.length > 200) fields.name = 'A task needs a name of 1–200 characters.';
    if (input.ownerSlackId !== undefined && !USER_ID.test(input.ownerSlackId))
      fields.ownerSlackId = 'The owner must be a Slack user id (U…).';
    if (input.dueDate !== undefined && !ISO_DATE.test(input.dueDate))
      fields.dueDate = 'The due date must be YYYY-MM-DD.';
    if (Object.keys(fields).length > 0) throw new ValidationError(Object.values(fields).join(' '), fields);
    const now = this.deps.clock().toISOString();
    const task: Task = {
      campaignId: campaign.campaignId,
      taskId: `tsk_${this.deps.newId()}`,
      teamId: campaign.teamId,
      name,
      ...(input.ownerSlackId ? { ownerSlackId: input.ownerSlackId } : {}),
      ...(input.dueDate ? { dueDate: input.dueDate } : {}),
      status: 'NOT_STARTED',
      milestone: input.milestone ?? false,
      dependsOn: [],
      workSystem: workSystemFor(campaign),
      updatedAt: now,
      version: 1,
    };
    const stored = await this.deps.tasks.create(task);
    await this.audit('task.created', actorId, stored);
    await this.deps.sync?.taskChanged(stored, { by: actorId });
    return stored;
  }

  /** Moves a task to `status` (DONE stamps `completedAt`). Retries a lost version race a few times. */
  async updateStatus(
    campaignId: string,
    taskRef: string,
    status: TaskStatus,
    actorId: string,
  ): Promise<Task> {
    this.allow('task.update');
    return this.change(campaignId, taskRef, actorId, 'task.status_changed', (task, now) => ({
      ...task,
      status,
      ...(status === 'DONE' ? { completedAt: now } : {}),
    }));
  }

  /** Assigns a task to a Slack user. */
  async assign(campaignId: string, taskRef: string, ownerSlackId: string, actorId: string): Promise<Task> {
    this.allow('task.assign');
    if (!USER_ID.test(ownerSlackId)) {
      throw new ValidationError('The assignee must be a Slack user id (U…).', {
        ownerSlackId: 'must be a Slack user id',
      });
    }
    return this.change(campaignId, taskRef, actorId, 'task.assigned', (task) => ({ ...task, ownerSlackId }));
  }

  /** Moves a task's due date (`YYYY-MM-DD`). */
  async reschedule(campaignId: string, taskRef: string, dueDate: string, actorId: string): Promise<Task> {
    this.allow('task.update');
    if (!ISO_DATE.test(dueDate) || Number.isNaN(Date.parse(`${dueDate}T00:00:00Z`))) {
      throw new ValidationError('The due date must be YYYY-MM-DD.', { dueDate: 'must be YYYY-MM-DD' });
    }
    return this.change(campaignId, taskRef, actorId, 'task.rescheduled', (task) => ({ ...task, dueDate }));
  }

  /** Open, overdue and due-this-week tasks per person across a team's active campaigns. */
  async teamCapacity(team: Pick<Team, 'teamId'>, today: string, weekEnd: string): Promise<TeamCapacity> {
    const campaigns: Campaign[] = [];
    let cursor: string | undefined;
    do {
      const page = await this.deps.campaigns.listByTeam(team.teamId, {
        limit: 100,
        ...(cursor ? { cursor } : {}),
      });
      campaigns.push(...page.items);
      cursor = page.cursor;
    } while (cursor);
    const active = campaigns.filter((c) => ACTIVE_CAMPAIGN_STATUSES.has(c.status));
    const tasks = (await Promise.all(active.map((c) => this.deps.tasks.listByCampaign(c.campaignId)))).flat();
    const rows = new Map<string, CapacityRow>();
    let unassigned = 0;
    for (const task of tasks) {
      if (!OPEN_TASK_STATUSES.has(task.status)) continue;
      if (!task.ownerSlackId) {
        unassigned += 1;
        continue;
      }
      const row = rows.get(task.ownerSlackId) ?? {
        slackUserId: task.ownerSlackId,
        openTasks: 0,
        overdueTasks: 0,
        dueThisWeek: 0,
      };
      row.openTasks += 1;
      if (task.dueDate && task.dueDate < today) row.overdueTasks += 1;
      else if (task.dueDate && task.dueDate <= weekEnd) row.dueThisWeek += 1;
      rows.set(task.ownerSlackId, row);
    }
    return {
      teamId: team.teamId,
      rows: [...rows.values()].sort((a, b) => b.openTasks - a.openTasks),
      unassigned,
    };
  }

  /** Finds a task on a campaign by id or by (case-insensitive, then unique partial) name. */
  async findTask(campaignId: string, taskRef: string): Promise<Task> {
    const byId = await this.deps.tasks.get(campaignId, taskRef);
    if (byId) return byId;
    const wanted = taskRef.trim().toLowerCase();
    const all = await this.deps.tasks.listByCampaign(campaignId);
    const exact = all.filter((t) => t.name.toLowerCase() === wanted);
    const partial = exact.length > 0 ? exact : all.filter((t) => t.name.toLowerCase().includes(wanted));
    const [only, second] = partial;
    if (only && !second) return only;
    if (only) {
      throw new ValidationError(
        `Several tasks match “${escapeMrkdwn(taskRef)}”: ${partial
          .slice(0, 5)
          .map((t) => escapeMrkdwn(t.name))
          .join(', ')}.`,
        { task: 'ambiguous' },
      );
    }
    throw new NotFoundError(`I could not find a task “${escapeMrkdwn(taskRef)}” on that campaign.`);
  }

  private async change(
    campaignId: string,
    taskRef: string,
    actorId: string,
    type: string,
    apply: (task: Task, now: string) => Task,
  ): Promise<Task> {
    await this.campaign(campaignId);
    for (let attempt = 0; attempt < 3; attempt += 1) {
      const task = await this.findTask(campaignId, taskRef);
      const now = this.deps.clock().toISOString();
      try {
        const updated = await this.deps.tasks.update({ ...apply(task, now), updatedAt: now }, task.version);
        await this.audit(type, actorId, updated);
        await this.deps.sync?.taskChanged(updated, { by: actorId, before: task });
        return updated;
      } catch (error) {
        if (!(error instanceof ConflictError)) throw error;
      }
    }
    throw new ConflictError(`task ${taskRef} kept changing; try again`);
  }

  private async campaign(campaignId: string): Promise<Campaign> {
    const campaign = await this.deps.campaigns.get(campaignId);
    if (!campaign) throw new NotFoundError('I could not find that campaign.');
    return campaign;
  }

  private allow(kind: 'task.create' | 'task.update' | 'task.assign'): void {
    const decision = evaluatePolicy({ kind }, this.deps.thresholds);
    // Task rules need no approval today; a future rule that asks for one must add an approval flow here.
    if (decision.outcome !== 'allow') throw new PolicyError(decision.message);
  }

  private async audit(type: string, actorId: string, task: Task): Promise<void> {
    await this.deps.eventsLog.append({
      stream: `campaign#${task.campaignId}`,
      type,
      actor: actorId,
      data: {
        taskId: task.taskId,
        status: task.status,
        ownerSlackId: task.ownerSlackId ?? null,
      },
    });
  }
}
