import { z } from 'zod';
import type { CampaignRepository } from '../adapters/dynamo/campaign-repo';
import type { EventsLogRepository } from '../adapters/dynamo/events-log-repo';
import type { RateLimitRepository } from '../adapters/dynamo/rate-limit-repo';
import type { TaskRepository } from '../adapters/dynamo/task-repo';
import type { TeamRepository } from '../adapters/dynamo/team-repo';
import type { StateRecord, WorkflowStateRepository } from '../adapters/dynamo/workflow-state-repo';
import { createSharedRateLimiters } from '../adapters/rate-limiter';
import type { WorkfrontClient } from '../adapters/workfront';
import type { Config } from '../config';
import type { CampaignAnnouncement } from '../domain/announcement';
import { todayIn } from '../domain/calendar';
import {
  type Campaign,
  type CampaignStatus,
  isoDate,
  isoInstant,
  type Team,
  WorkSystem,
} from '../domain/model';
import { type PlannedTask, planTasks, workSystemFor } from '../domain/templates';
import { escapeMrkdwn } from '../domain/text';
import { ConflictError, NotFoundError } from '../errors';
import type { AppLogger } from '../logger';
import { type AsanaTarget, createWorkSystemClients, workSystemOps } from './work-system-ops';

/**
 * Campaign provisioning (DESIGN.md "Campaign creation"): after a campaign is created under the
 * threshold or approved, choose its work system (`event` → Asana, everything else → Workfront),
 * create the project and its task structure from the template for its type and tier, assign
 * owners, store the external ids on the campaign and its tasks, and announce it in the team channel.
 *
 * **Idempotent and resumable.** Progress lives in one workflow-state item (`workflow#<campaignId>`,
 * `step#provision`), written with a version condition after every external write: the project id,
 * each created task's external id, which dependencies are linked, whether the Command Center tasks
 * and the campaign were stored, and the announcement's ts. A retried job skips what is recorded.
 * The one gap a record cannot close, a write the work system performed but whose response was
 * lost (a timeout), is closed by looking before creating whenever a run resumes an earlier one:
 * the project is found by our reference (Workfront `extRefID` / a marker in Asana's notes) and
 * tasks by their reference or name within the project.
 */
const PROVISION_STEP_SK = 'step#provision';
export const provisionStateKey = (campaignId: string) => ({
  pk: `workflow#${campaignId}`,
  sk: PROVISION_STEP_SK,
});

export const ProvisionState = z.object({
  campaignId: z.string().min(1),
  workSystem: WorkSystem,
  project: z.object({ id: z.string().min(1), url: z.string().min(1) }).optional(),
  /** Template task key → the work system's task id. */
  externalTasks: z.record(z.string(), z.string()).default({}),
  /** Template task keys whose dependencies are linked (Asana links them after creation). */
  linked: z.array(z.string()).default([]),
  tasksStored: z.boolean().default(false),
  campaignUpdated: z.boolean().default(false),
  announcement: z.object({ channel: z.string(), ts: z.string() }).optional(),
  /** Things a person should know (e.g. dependencies the Asana plan does not allow). */
  notes: z.array(z.string()).default([]),
  runs: z.number().int().nonnegative().default(0),
  /** The team's day when the first run planned the tasks; retries plan from the same day. */
  plannedOn: isoDate.optional(),
  completedAt: isoInstant.optional(),
});
export type ProvisionState = z.output<typeof ProvisionState>;

/**
 * Posts an announcement and says where it landed. Throws `DownstreamError` (retryable for rate
 * limits and transport failures).
 */
export interface CampaignAnnouncer {
  announce(announcement: CampaignAnnouncement): Promise<{ channel: string; ts: string }>;
}

/** Campaigns in these states are not (or no longer) provisioned. */
const NOT_PROVISIONABLE: ReadonlySet<CampaignStatus> = new Set([
  'PENDING_APPROVAL',
  'REJECTED',
  'CANCELLED',
  'COMPLETED',
]);

/** The repositories provisioning reads and writes. */
export interface CampaignProvisioningRepositories {
  campaigns: Pick<CampaignRepository, 'get' | 'update'>;
  tasks: Pick<TaskRepository, 'create'>;
  teams: Pick<TeamRepository, 'get'>;
  workflowState: Pick<WorkflowStateRepository, 'get' | 'put'>;
  eventsLog: Pick<EventsLogRepository, 'append'>;
  /** The outbound rate limits shared by every container (one item per service). */
  rateLimits: Pick<RateLimitRepository, 'reserve' | 'holdUntil' | 'peek'>;
}

export interface CampaignProvisioningDeps {
  campaigns: Pick<CampaignRepository, 'get' | 'update'>;
  tasks: Pick<TaskRepository, 'create'>;
  teams: Pick<TeamRepository, 'get'>;
  workflowState: Pick<WorkflowStateRepository, 'get' | 'put'>;
  eventsLog?: Pick<EventsLogRepository, 'append'>;
  /** Posts the announcement (app/outbound/slack-campaign-announcer.ts renders and sends it). */
  announcer: CampaignAnnouncer;
  /** Undefined when Workfront is not configured. */
  workfront: WorkfrontClient | undefined;
  /** Undefined when Asana is not configured. */
  asana: AsanaTarget | undefined;
  clock: () => Date;
  logger: AppLogger;
}

export interface ProvisionOptions {
  /** The job's deadline: outbound waits and timeouts stay inside it. */
  deadline?: Date;
  logger?: AppLogger;
}

export type ProvisionResult =
  | {
      outcome: 'provisioned' | 'already_provisioned';
      campaignId: string;
      workSystem: WorkSystem;
      projectId: string;
      projectUrl: string;
      taskCount: number;
    }
  | { outcome: 'skipped'; campaignId: string; reason: string };

export class CampaignProvisioningService {
  constructor(private readonly deps: CampaignProvisioningDeps) {}

  /** Runs (or resumes) provisioning for `campaignId`. Safe to call any number of times. */
  async provision(campaignId: string, options: ProvisionOptions = {}): Promise<ProvisionResult> {
    const logger = (options.logger ?? this.deps.logger).child({ campaignId });
    const call = options.deadline ? { deadline: options.deadline } : {};
    const campaign = await this.deps.campaigns.get(campaignId);
    if (!campaign) throw new NotFoundError(`Campaign ${campaignId} does not exist.`);
    if (NOT_PROVISIONABLE.has(campaign.status)) {
      logger.info({ status: campaign.status }, 'campaign not provisioned in this status');
      return { outcome: 'skipped', campaignId, reason: `status ${campaign.status}` };
    }
    const team = await this.deps.teams.get(campaign.teamId);
    if (!team)
      throw new NotFoundError(`Team ${escapeMrkdwn(campaign.teamId)} of this campaign does not exist.`);

    const workSystem = workSystemFor(campaign);
    let record = await this.loadOrStart(campaignId, workSystem);
    if (record.data.completedAt && record.data.project) {
      return {
        outcome: 'already_provisioned',
        campaignId,
        workSystem: record.data.workSystem,
        projectId: record.data.project.id,
        projectUrl: record.data.project.url,
        taskCount: Object.keys(record.data.externalTasks).length,
      };
    }
    // A run that finds earlier progress (or an earlier run's record) looks before it creates.
    const resuming = record.data.runs > 0;
    // A retry on a later day must not move due dates of tasks an earlier run already created.
    const today = record.data.plannedOn ?? todayIn(team.timezone, this.deps.clock());
    record = await this.save(record, { ...record.data, runs: record.data.runs + 1, plannedOn: today });

    const plan = planTasks({
      type: campaign.type,
      tier: campaign.tier,
      launchDate: campaign.launchDate,
      ownerSlackId: campaign.ownerSlackId,
      ...(team.roleOwners ? { roleOwners: team.roleOwners } : {}),
      today,
    });

    const system = workSystemOps(record.data.workSystem, this.deps);

    // 1. The project.
    if (!record.data.project) {
      const found = resuming ? await system.findProject(campaign, call) : undefined;
      const project = found ?? (await system.createProject(campaign, plan, today, call));
      logger.info(
        { workSystem, projectId: project.id, adopted: Boolean(found) },
        'work-system project ready',
      );
      record = await this.save(record, { ...record.data, project });
    }
    const project = record.data.project;
    if (!project) throw new Error('unreachable: project recorded above');

    // 2. Its tasks, in template order (a task's predecessors are always created before it).
    let existing: Map<string, string> | undefined;
    for (const task of plan) {
      if (record.data.externalTasks[task.key]) continue;
      if (resuming) existing ??= await system.listTasks(campaign.campaignId, project.id, plan, call);
      const predecessorIds = task.dependsOn
        .map((key) => record.data.externalTasks[key])
        .filter((id): id is string => typeof id === 'string');
      const externalId =
        existing?.get(task.key) ??
        (await system.createTask(campaign, project.id, task, predecessorIds, call));
      record = await this.save(record, {
        ...record.data,
        externalTasks: { ...record.data.externalTasks, [task.key]: externalId },
      });
    }

    // 3. Dependencies, where the work system links them separately (Asana).
    if (system.linksDependenciesSeparately) {
      for (const task of plan) {
        if (task.dependsOn.length === 0 || record.data.linked.includes(task.key)) continue;
        const taskId = record.data.externalTasks[task.key];
        const dependencyIds = task.dependsOn
          .map((key) => record.data.externalTasks[key])
          .filter((id): id is string => typeof id === 'string');
        if (!taskId || dependencyIds.length !== task.dependsOn.length) continue;
        const outcome = await system.linkDependencies(taskId, dependencyIds, call);
        if (outcome === 'unsupported') {
          const note = 'Task dependencies were not set: this Asana workspace’s plan does not include them.';
          logger.warn({}, 'asana dependencies unavailable (402); continuing without them');
          record = await this.save(record, {
            ...record.data,
            linked: plan.map((t) => t.key),
            notes: record.data.notes.includes(note) ? record.data.notes : [...record.data.notes, note],
          });
          break;
        }
        record = await this.save(record, { ...record.data, linked: [...record.data.linked, task.key] });
      }
    }

    // 4. Command Center tasks (deterministic ids: a rerun's create finds the first one's).
    if (!record.data.tasksStored) {
      const now = this.deps.clock().toISOString();
      for (const task of plan) {
        try {
          await this.deps.tasks.create({
            campaignId,
            taskId: task.key,
            teamId: campaign.teamId,
            name: task.name,
            ...(task.ownerSlackId ? { ownerSlackId: task.ownerSlackId } : {}),
            dueDate: task.dueDate,
            status: 'NOT_STARTED',
            milestone: task.milestone ?? false,
            dependsOn: [...task.dependsOn],
            workSystem: record.data.workSystem,
            ...(record.data.externalTasks[task.key]
              ? { externalId: record.data.externalTasks[task.key] }
              : {}),
            updatedAt: now,
            version: 1,
          });
        } catch (error) {
          if (!(error instanceof ConflictError)) throw error;
        }
      }
      record = await this.save(record, { ...record.data, tasksStored: true });
    }

    // 5. The campaign points at its project.
    if (!record.data.campaignUpdated) {
      await this.linkCampaign(campaignId, record.data.workSystem, project);
      record = await this.save(record, { ...record.data, campaignUpdated: true });
    }

    // 6. The announcement.
    if (!record.data.announcement) {
      const announcement = await this.announce(campaign, team, record.data, plan, today);
      record = await this.save(record, { ...record.data, announcement });
    }

    record = await this.save(record, { ...record.data, completedAt: this.deps.clock().toISOString() });
    await this.deps.eventsLog
      ?.append({
        stream: `campaign#${campaignId}`,
        type: 'campaign.provisioned',
        actor: 'system',
        data: { workSystem: record.data.workSystem, projectId: project.id, tasks: plan.length },
      })
      .catch((error: unknown) => logger.warn({ err: error }, 'events log append failed'));
    logger.info(
      { workSystem: record.data.workSystem, projectId: project.id, tasks: plan.length },
      'campaign provisioned',
    );
    return {
      outcome: 'provisioned',
      campaignId,
      workSystem: record.data.workSystem,
      projectId: project.id,
      projectUrl: project.url,
      taskCount: plan.length,
    };
  }

  private async loadOrStart(
    campaignId: string,
    workSystem: WorkSystem,
  ): Promise<StateRecord<ProvisionState>> {
    const key = provisionStateKey(campaignId);
    const found = await this.deps.workflowState.get(key, ProvisionState);
    if (found) return found;
    try {
      return await this.deps.workflowState.put(key, { campaignId, workSystem }, ProvisionState);
    } catch (error) {
      if (!(error instanceof ConflictError)) throw error;
      // Another run started at the same moment; continue from its record.
      const raced = await this.deps.workflowState.get(key, ProvisionState);
      if (!raced) throw error;
      return raced;
    }
  }

  /**
   * One conditional write per step. A `ConflictError` means another run of the same job is
   * progressing at the same time (a lost lease): this run stops and the job retries from the
   * record the other run wrote.
   */
  private save(
    record: StateRecord<ProvisionState>,
    next: ProvisionState,
  ): Promise<StateRecord<ProvisionState>> {
    return this.deps.workflowState.put(
      provisionStateKey(next.campaignId),
      next,
      ProvisionState,
      record.version,
    );
  }

  private async linkCampaign(
    campaignId: string,
    workSystem: WorkSystem,
    project: { id: string; url: string },
  ) {
    for (let attempt = 0; attempt < 3; attempt++) {
      const current = await this.deps.campaigns.get(campaignId);
      if (!current) throw new NotFoundError(`Campaign ${campaignId} does not exist.`);
      if (current.externalProjectId === project.id && current.workSystem === workSystem) return;
      const url = /^https?:\/\//.test(project.url) ? { externalProjectUrl: project.url } : {};
      try {
        await this.deps.campaigns.update(
          { ...current, workSystem, externalProjectId: project.id, ...url },
          current.version,
        );
        return;
      } catch (error) {
        // Someone edited the campaign meanwhile: re-read and apply on top of their change.
        if (!(error instanceof ConflictError) || attempt === 2) throw error;
      }
    }
  }

  private announce(
    campaign: Campaign,
    team: Team,
    state: ProvisionState,
    plan: PlannedTask[],
    today: string,
  ): Promise<{ channel: string; ts: string }> {
    const project = state.project;
    if (!project) throw new Error('unreachable: announce before project');
    return this.deps.announcer.announce({
      campaign,
      teamChannelId: team.slackChannelId,
      workSystem: state.workSystem,
      projectUrl: project.url,
      tasks: plan.map((task) => ({
        name: task.name,
        dueDate: task.dueDate,
        ownerSlackId: task.ownerSlackId,
        milestone: task.milestone ?? false,
      })),
      today,
      notes: state.notes,
    });
  }
}

/**
 * The service as the worker's job registry builds it: the container's repositories, the
 * configured work-system clients, and the announcer it is given (the Slack one renders with
 * blocks/, so it is built on the app side and passed in).
 */
export function createCampaignProvisioning(deps: {
  config: Pick<Config, 'workfront' | 'asana'>;
  logger: AppLogger;
  repositories: CampaignProvisioningRepositories;
  clock: () => Date;
  announcer: CampaignAnnouncer;
}): CampaignProvisioningService {
  const { campaigns, tasks, teams, workflowState, eventsLog, rateLimits } = deps.repositories;
  return new CampaignProvisioningService({
    campaigns,
    tasks,
    teams,
    workflowState,
    eventsLog,
    announcer: deps.announcer,
    ...createWorkSystemClients(deps.config, createSharedRateLimiters(rateLimits)),
    clock: deps.clock,
    logger: deps.logger,
  });
}
