import type { CampaignRepository } from '../../adapters/dynamo/campaign-repo';
import type { TaskRepository } from '../../adapters/dynamo/task-repo';
import { type Campaign, CampaignStatus, type Task, TaskStatus, type WorkSystem } from '../../domain/model';
import type { FieldValue, SyncRef } from '../../domain/sync';
import { workSystemFor } from '../../domain/templates';
import { ConflictError, NotFoundError } from '../../errors';
import type { LocalRecord, LocalSide } from './ports';
import type { SyncRecordStore } from './record-store';

/**
 * Command Center's campaigns and tasks as the sync engine sees them: the synced fields, written
 * with the repositories' conditional writes (a `ConflictError` when someone changed the record).
 */
export class RepositoryLocalSide implements LocalSide {
  constructor(
    private readonly deps: {
      campaigns: Pick<CampaignRepository, 'get' | 'update' | 'listAll'>;
      tasks: Pick<TaskRepository, 'get' | 'update' | 'create'>;
      store: Pick<SyncRecordStore, 'findByTarget'>;
      clock: () => Date;
    },
  ) {}

  async read(ref: SyncRef): Promise<LocalRecord | undefined> {
    const campaign = await this.deps.campaigns.get(ref.campaignId);
    if (!campaign) return undefined;
    if (ref.kind === 'campaign') return campaignRecord(campaign);
    const task = await this.deps.tasks.get(ref.campaignId, ref.taskId);
    return task ? taskRecord(task, campaign) : undefined;
  }

  async write(ref: SyncRef, changes: Record<string, FieldValue>, expectedVersion: number): Promise<number> {
    const now = this.deps.clock().toISOString();
    if (ref.kind === 'campaign') {
      const current = await this.deps.campaigns.get(ref.campaignId);
      if (!current || current.version !== expectedVersion)
        throw new ConflictError(`campaign ${ref.campaignId} moved`);
      const next = applyCampaign(current, changes);
      return (await this.deps.campaigns.update({ ...next, updatedAt: now }, expectedVersion)).version;
    }
    const current = await this.deps.tasks.get(ref.campaignId, ref.taskId);
    if (!current || current.version !== expectedVersion) throw new ConflictError(`task ${ref.taskId} moved`);
    const next = applyTask(current, changes, now);
    return (await this.deps.tasks.update({ ...next, updatedAt: now }, expectedVersion)).version;
  }

  async link(ref: SyncRef, externalId: string): Promise<number | undefined> {
    if (ref.kind !== 'task') return undefined;
    for (let attempt = 0; attempt < 5; attempt++) {
      const task = await this.deps.tasks.get(ref.campaignId, ref.taskId);
      if (!task) return undefined;
      if (task.externalId === externalId) return task.version;
      try {
        const now = this.deps.clock().toISOString();
        return (await this.deps.tasks.update({ ...task, externalId, updatedAt: now }, task.version)).version;
      } catch (error) {
        if (!(error instanceof ConflictError)) throw error;
      }
    }
    throw new ConflictError(`task ${ref.taskId} kept changing while linking it`);
  }

  async importTask(
    campaignId: string,
    taskId: string,
    input: { system: WorkSystem; externalId: string; values: Record<string, FieldValue> },
  ): Promise<void> {
    const v = input.values;
    const status = TaskStatus.safeParse(v.status);
    const now = this.deps.clock().toISOString();
    const campaign = await this.deps.campaigns.get(campaignId);
    if (!campaign) throw new NotFoundError(`campaign ${campaignId} is gone; its new task cannot be imported`);
    try {
      await this.deps.tasks.create({
        campaignId,
        taskId,
        teamId: campaign.teamId,
        name: typeof v.name === 'string' ? v.name.slice(0, 200) : 'Task from the work system',
        ...(typeof v.ownerSlackId === 'string' ? { ownerSlackId: v.ownerSlackId } : {}),
        ...(typeof v.dueDate === 'string' ? { dueDate: v.dueDate } : {}),
        status: status.success ? status.data : 'NOT_STARTED',
        milestone: false,
        dependsOn: [],
        workSystem: input.system,
        externalId: input.externalId,
        updatedAt: now,
        version: 1,
      });
    } catch (error) {
      // Two deliveries of the same creation: the first one made it.
      if (!(error instanceof ConflictError)) throw error;
    }
  }

  async campaignForProject(system: WorkSystem, projectId: string): Promise<string | undefined> {
    const tracked = await this.deps.store.findByTarget(system, projectId);
    if (tracked?.data.kind === 'campaign') return tracked.data.campaignId;
    // Not tracked yet (or the index lags): the campaigns themselves say which project is theirs.
    const all = await this.deps.campaigns.listAll();
    return all.find((c) => c.externalProjectId === projectId && workSystemFor(c) === system)?.campaignId;
  }
}

function campaignRecord(campaign: Campaign): LocalRecord {
  return {
    values: {
      name: campaign.name,
      description: campaign.description ?? null,
      status: campaign.status,
      budgetCents: campaign.budgetCents,
      launchDate: campaign.launchDate,
      tier: campaign.tier,
      audience: campaign.audience ?? null,
      channels: campaign.channels,
    },
    version: campaign.version,
    updatedAt: campaign.updatedAt,
    name: campaign.name,
    teamId: campaign.teamId,
    system: workSystemFor(campaign),
    externalId: campaign.externalProjectId,
  };
}

function taskRecord(task: Task, campaign: Campaign): LocalRecord {
  return {
    values: {
      name: task.name,
      status: task.status,
      ownerSlackId: task.ownerSlackId ?? null,
      dueDate: task.dueDate ?? null,
    },
    version: task.version,
    updatedAt: task.updatedAt,
    name: task.name,
    teamId: campaign.teamId,
    system: task.workSystem,
    externalId: task.externalId,
    projectId: campaign.externalProjectId,
  };
}

function applyCampaign(campaign: Campaign, changes: Record<string, FieldValue>): Campaign {
  const next: Campaign = { ...campaign };
  for (const [field, value] of Object.entries(changes)) {
    if (field === 'name' && typeof value === 'string') next.name = value.slice(0, 150);
    else if (field === 'description') {
      if (typeof value === 'string' && value !== '') next.description = value.slice(0, 3000);
      else delete next.description;
    } else if (field === 'status') next.status = CampaignStatus.parse(value);
    else if (field === 'budgetCents' && typeof value === 'number') next.budgetCents = value;
    else if (field === 'launchDate' && typeof value === 'string') next.launchDate = value;
    else if (field === 'tier' && (value === 1 || value === 2 || value === 3)) next.tier = value;
    else if (field === 'audience') {
      if (typeof value === 'string' && value !== '') next.audience = value.slice(0, 500);
      else delete next.audience;
    } else if (field === 'channels' && Array.isArray(value)) next.channels = value;
  }
  return next;
}

function applyTask(task: Task, changes: Record<string, FieldValue>, now: string): Task {
  const next: Task = { ...task };
  for (const [field, value] of Object.entries(changes)) {
    if (field === 'name' && typeof value === 'string') next.name = value.slice(0, 200);
    else if (field === 'status') {
      next.status = TaskStatus.parse(value);
      if (next.status === 'DONE' && !next.completedAt) next.completedAt = now;
      if (next.status !== 'DONE') delete next.completedAt;
    } else if (field === 'ownerSlackId') {
      if (typeof value === 'string') next.ownerSlackId = value;
      else delete next.ownerSlackId;
    } else if (field === 'dueDate') {
      if (typeof value === 'string') next.dueDate = value;
      else delete next.dueDate;
    }
  }
  return next;
}
