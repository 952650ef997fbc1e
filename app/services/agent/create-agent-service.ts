import { ulid } from 'ulid';
import type { AgentInvoker } from '../../adapters/bedrock';
import type { Config } from '../../config';
import type { AgentRenderer } from '../../domain/agent-views';
import type { AppLogger } from '../../logger';
import type { Repositories, Services } from '..';
import type { SyncHook } from '../sync/hook';
import { TaskService } from '../tasks';
import { ActionExecutor } from './action-executor';
import { AgentService } from './agent-service';
import type { ReplyTarget } from './conversation-store';
import { OfflineAgent } from './offline-agent';
import type { ReplySurface } from './reply-surface';
import type { ApprovalRole } from './turn';

/** What the agent service is built from: the container's services and repositories, plus its ports. */
export interface AgentServiceParts {
  config: Config;
  logger: AppLogger;
  clock: () => Date;
  services: Services;
  repositories: Pick<Repositories, 'campaigns' | 'tasks' | 'teams' | 'eventsLog'>;
  /** Where a turn writes (the Slack surfaces in `app/outbound/agent-surfaces.ts`). */
  surfaces: (target: ReplyTarget, jobId?: string) => ReplySurface;
  /** Builds the messages (blocks/agent-answer.ts). */
  renderer: AgentRenderer;
  /** How the offline agent writes a day (blocks/dates.ts `dayWithRelative`). */
  formatDay: (date: string, today: string) => string;
  /** The Bedrock agent; undefined runs the offline agent. */
  invoker: AgentInvoker | undefined;
  sleep?: (ms: number) => Promise<void>;
  heartbeatMs?: number;
}

/** The task service over the container's repositories (agent actions; any other entry point may use it too). */
export function createTaskService(deps: {
  config: Config;
  clock: () => Date;
  repositories: Pick<Repositories, 'campaigns' | 'tasks' | 'eventsLog'>;
  /** Two-way sync: told about every task change, so the work system gets it. */
  sync?: SyncHook | undefined;
}): TaskService {
  return new TaskService({
    tasks: deps.repositories.tasks,
    campaigns: deps.repositories.campaigns,
    eventsLog: deps.repositories.eventsLog,
    thresholds: {
      approvalThresholdCents: deps.config.approvals.thresholdCents,
      vpThresholdCents: deps.config.approvals.vpThresholdCents,
    },
    clock: deps.clock,
    newId: ulid,
    ...(deps.sync ? { sync: deps.sync } : {}),
  });
}

/**
 * The agent service: the turn runner with its offline agent, its action executor (through the
 * same services as the slash commands) and what it tells the agent about the user (approval role,
 * teams whose roles they own).
 */
export function createAgentService(parts: AgentServiceParts): AgentService {
  const { config, services, repositories, clock } = parts;
  const directory = services.approverDirectory;
  const approvalRole = async (userId: string): Promise<ApprovalRole> => {
    if (await directory.isApprover(userId, 'vp')) return 'vp';
    if (await directory.isApprover(userId, 'leadership')) return 'leadership';
    return 'none';
  };
  return new AgentService({
    config,
    logger: parts.logger,
    clock,
    sleep: parts.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms))),
    conversations: services.conversations,
    surfaces: parts.surfaces,
    renderer: parts.renderer,
    profiles: services.userProfiles,
    approvalRole,
    teamsOf: async (userId) =>
      (await repositories.teams.list())
        .filter((team) => Object.values(team.roleOwners ?? {}).includes(userId))
        .map((team) => team.name),
    approvalDetails: async (approvalId) => {
      const approval = await services.approvals.get(approvalId);
      return approval ? { reason: approval.reason, decidedBy: approval.decidedBy } : undefined;
    },
    invoker: parts.invoker,
    ...(parts.heartbeatMs !== undefined ? { heartbeatMs: parts.heartbeatMs } : {}),
    offline: new OfflineAgent({
      formatDay: parts.formatDay,
      campaigns: repositories.campaigns,
      tasks: repositories.tasks,
      approvals: services.approvals,
      clock,
    }),
    executor: new ActionExecutor({
      campaignCommands: services.campaignCommands,
      campaigns: repositories.campaigns,
      teams: repositories.teams,
      tasks: createTaskService({ ...parts, sync: services.sync }),
      thresholds: {
        approvalThresholdCents: config.approvals.thresholdCents,
        vpThresholdCents: config.approvals.vpThresholdCents,
      },
      clock,
      logger: parts.logger,
    }),
  });
}
