import { AsanaClient } from '../adapters/asana';
import type { RateLimiters } from '../adapters/rate-limiter';
import { WorkfrontClient } from '../adapters/workfront';
import type { Config } from '../config';
import type { Campaign, WorkSystem } from '../domain/model';
import type { PlannedTask } from '../domain/templates';
import { DownstreamError } from '../errors';

/*
 * The work systems behind provisioning: one `WorkSystemOps` per system (Workfront, Asana) over its
 * adapter client, each able to find what an earlier run created (by our reference) before creating.
 */

/** The reference written into the work system so a lost response can be found again. */
const marker = (campaignId: string) => `[mcc:${campaignId}]`;

const MAX_ASANA_PROJECT_PAGES = 10;

export interface AsanaTarget {
  client: AsanaClient;
  /** Where projects are created (`ASANA_WORKSPACE_GID`). */
  workspaceGid: string | undefined;
  /** Optional team gid (organisations require one). */
  teamGid?: string;
}

/** What provisioning needs from a work system; one implementation per system below. */
export interface WorkSystemOps {
  linksDependenciesSeparately: boolean;
  findProject(campaign: Campaign, call: Call): Promise<{ id: string; url: string } | undefined>;
  createProject(
    campaign: Campaign,
    plan: PlannedTask[],
    today: string,
    call: Call,
  ): Promise<{ id: string; url: string }>;
  /** Existing tasks of the project by template key. */
  listTasks(
    campaignId: string,
    projectId: string,
    plan: PlannedTask[],
    call: Call,
  ): Promise<Map<string, string>>;
  createTask(
    campaign: Campaign,
    projectId: string,
    task: PlannedTask,
    predecessorIds: string[],
    call: Call,
  ): Promise<string>;
  linkDependencies(taskId: string, dependencyIds: string[], call: Call): Promise<'linked' | 'unsupported'>;
}
type Call = { deadline?: Date };

function projectDescription(campaign: Campaign): string {
  const summary = campaign.description ? `${campaign.description}\n\n` : '';
  return `${summary}Created by Command Center for campaign ${campaign.campaignId} ${marker(campaign.campaignId)}`;
}

function lastDue(plan: PlannedTask[], campaign: Campaign): string {
  const dates = [campaign.endDate ?? campaign.launchDate, ...plan.map((t) => t.dueDate)].sort();
  return dates[dates.length - 1] ?? campaign.launchDate;
}

const taskRef = (campaignId: string, key: string) => `${campaignId}:${key}`;

function workfrontOps(client: WorkfrontClient): WorkSystemOps {
  return {
    linksDependenciesSeparately: false,
    async findProject(campaign, call) {
      const [found] = await client.findProjectsByRef(campaign.campaignId, call);
      return found ? { id: found.ID, url: client.projectUrl(found.ID) } : undefined;
    },
    async createProject(campaign, plan, today, call) {
      const project = await client.createProject(
        {
          name: campaign.name,
          description: projectDescription(campaign),
          // Work starts when the project exists; no task is planned before today.
          plannedStartDate: today,
          plannedCompletionDate: lastDue(plan, campaign),
          status: 'CUR',
          extRefID: campaign.campaignId,
        },
        call,
      );
      return { id: project.ID, url: client.projectUrl(project.ID) };
    },
    async listTasks(campaignId, projectId, _plan, call) {
      const tasks = await client.listProjectTasks(projectId, call);
      const prefix = `${campaignId}:`;
      const byKey = new Map<string, string>();
      for (const task of tasks) {
        const ref = typeof task.extRefID === 'string' ? task.extRefID : '';
        if (ref.startsWith(prefix)) byKey.set(ref.slice(prefix.length), task.ID);
      }
      return byKey;
    },
    async createTask(campaign, projectId, task, predecessorIds, call) {
      const created = await client.createTask(
        {
          projectID: projectId,
          name: task.name,
          plannedCompletionDate: task.dueDate,
          extRefID: taskRef(campaign.campaignId, task.key),
          ...(predecessorIds.length > 0 ? { predecessorIDs: predecessorIds } : {}),
        },
        call,
      );
      return created.ID;
    },
    async linkDependencies() {
      return 'linked';
    },
  };
}

function asanaOps(target: AsanaTarget): WorkSystemOps {
  const { client } = target;
  return {
    linksDependenciesSeparately: true,
    async findProject(campaign, call) {
      if (!target.workspaceGid) return undefined;
      let offset: string | undefined;
      for (let page = 0; page < MAX_ASANA_PROJECT_PAGES; page++) {
        const result = await client.listProjects(target.workspaceGid, offset, call);
        const found = result.projects.find(
          (p) => typeof p.notes === 'string' && p.notes.includes(marker(campaign.campaignId)),
        );
        if (found) return { id: found.gid, url: AsanaClient.projectUrl(found) };
        if (!result.nextOffset) return undefined;
        offset = result.nextOffset;
      }
      return undefined;
    },
    async createProject(campaign, plan, today, call) {
      const project = await client.createProject(
        {
          name: campaign.name,
          ...(target.workspaceGid ? { workspace: target.workspaceGid } : {}),
          ...(target.teamGid ? { team: target.teamGid } : {}),
          notes: projectDescription(campaign),
          start_on: today,
          due_on: lastDue(plan, campaign),
        },
        call,
      );
      return { id: project.gid, url: AsanaClient.projectUrl(project) };
    },
    async listTasks(_campaignId, projectId, plan, call) {
      // Template task names are unique within a template, so the name identifies the key.
      const keyByName = new Map(plan.map((t) => [t.name, t.key]));
      const byKey = new Map<string, string>();
      for (const task of await client.listProjectTasks(projectId, call)) {
        const key = keyByName.get(task.name);
        if (key && !byKey.has(key)) byKey.set(key, task.gid);
      }
      return byKey;
    },
    async createTask(campaign, projectId, task, _predecessorIds, call) {
      const created = await client.createTask(
        {
          name: task.name,
          projects: [projectId],
          due_on: task.dueDate,
          notes: `Campaign ${campaign.name} ${marker(taskRef(campaign.campaignId, task.key))}`,
          ...(task.milestone ? { resource_subtype: 'milestone' as const } : {}),
        },
        call,
      );
      return created.gid;
    },
    async linkDependencies(taskId, dependencyIds, call) {
      try {
        await client.addDependencies(taskId, dependencyIds, call);
        return 'linked';
      } catch (error) {
        if (error instanceof DownstreamError && error.status === 402) return 'unsupported';
        throw error;
      }
    },
  };
}

/**
 * The work-system clients for this container, from configuration: `undefined` for a system that
 * is not configured. Both use the rate limiters shared by every container (DESIGN.md outbound
 * limits; `createSharedRateLimiters`).
 */
export function createWorkSystemClients(
  config: Pick<Config, 'workfront' | 'asana'>,
  limiters: RateLimiters,
): { workfront: WorkfrontClient | undefined; asana: AsanaTarget | undefined } {
  const wf = config.workfront;
  const asana = config.asana;
  return {
    workfront: wf
      ? new WorkfrontClient({
          baseUrl: wf.baseUrl,
          apiKey: wf.apiKey,
          apiVersion: wf.apiVersion,
          authMode: wf.authMode,
          limiter: limiters.workfront,
        })
      : undefined,
    asana: asana
      ? {
          client: new AsanaClient({
            baseUrl: asana.baseUrl,
            accessToken: asana.accessToken,
            limiter: limiters.asana,
          }),
          workspaceGid: asana.workspaceGid,
          ...(asana.teamGid ? { teamGid: asana.teamGid } : {}),
        }
      : undefined,
  };
}

/** The ops of `workSystem`; a system that is not configured fails the job at once, saying what to set. */
export function workSystemOps(
  workSystem: WorkSystem,
  clients: { workfront: WorkfrontClient | undefined; asana: AsanaTarget | undefined },
): WorkSystemOps {
  return workSystem === 'asana' ? asanaFor(clients.asana) : workfrontFor(clients.workfront);
}

function workfrontFor(client: WorkfrontClient | undefined): WorkSystemOps {
  if (!client) {
    throw new DownstreamError(
      'Workfront is not configured (set WORKFRONT_BASE_URL and WORKFRONT_API_KEY), so the campaign’s project could not be created.',
      'workfront',
      false,
    );
  }
  return workfrontOps(client);
}

function asanaFor(target: AsanaTarget | undefined): WorkSystemOps {
  if (!target) {
    throw new DownstreamError(
      'Asana is not configured (set ASANA_ACCESS_TOKEN and ASANA_WORKSPACE_GID), so the event’s project could not be created.',
      'asana',
      false,
    );
  }
  if (!target.workspaceGid && !target.teamGid) {
    throw new DownstreamError(
      'ASANA_WORKSPACE_GID is not set, so there is no Asana workspace to create the event’s project in.',
      'asana',
      false,
    );
  }
  return asanaOps(target);
}
