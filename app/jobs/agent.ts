import type { WebClient } from '@slack/web-api';
import { ulid } from 'ulid';
import { agentRenderer } from '../../blocks/agent-answer';
import { dayWithRelative } from '../../blocks/dates';
import { type AgentInvoker, bedrockAgentClient, bedrockInvoker } from '../adapters/bedrock';
import type { AppDeps } from '../deps';
import { ValidationError } from '../errors';
import { surfaceFor } from '../outbound/agent-surfaces';
import { ActionExecutor } from '../services/agent/action-executor';
import { AgentService, type ApprovalRole } from '../services/agent/agent-service';
import { ConversationStore } from '../services/agent/conversation-store';
import { AGENT_RESUME_JOB, AGENT_TURN_JOB, ResumeRequest, TurnRequest } from '../services/agent/job-payloads';
import { OfflineAgent } from '../services/agent/offline-agent';
import type { JobHandler } from '../services/job-types';
import { TaskService } from '../services/tasks';

export interface AgentOptions {
  /** Overrides for tests (aws-sdk-client-mock works on the real client too). */
  invoker?: AgentInvoker;
  sleep?: (ms: number) => Promise<void>;
  fetch?: typeof fetch;
  /** Quiet time before a heartbeat update (default `HEARTBEAT_MS`). */
  heartbeatMs?: number;
}

const services = new WeakMap<object, AgentService>();

/** Hosts a stored `response_url` may point at: Slack's, plus the configured Web API host (the local stand-in). */
function responseHosts(deps: AppDeps): string[] {
  const hosts = ['hooks.slack.com'];
  if (deps.config.slack.apiUrl) hosts.push(new URL(deps.config.slack.apiUrl).host);
  return hosts;
}

/** The conversation store over the shared workflow-state repository. */
export function conversationStore(deps: AppDeps): ConversationStore {
  return new ConversationStore(deps.services.workflowState, deps.clock);
}

/** The task service (agent actions; any other entry point may use it too). */
export function taskService(deps: AppDeps): TaskService {
  return new TaskService({
    tasks: deps.services.tasks,
    campaigns: deps.services.campaigns,
    eventsLog: deps.services.eventsLog,
    thresholds: {
      approvalThresholdCents: deps.config.approvals.thresholdCents,
      vpThresholdCents: deps.config.approvals.vpThresholdCents,
    },
    clock: deps.clock,
    newId: ulid,
  });
}

/**
 * The agent service of this container, built once per `services` object (so once per container;
 * tests build their own runtime and get their own). The Bedrock client is the container's shared one.
 */
function agentService(deps: AppDeps, slack: WebClient, options: AgentOptions = {}): AgentService {
  // Options are for tests: a service built with them is neither reused nor kept.
  const custom = Object.keys(options).length > 0;
  const cached = services.get(deps.services);
  if (cached && !custom) return cached;
  const conversations = conversationStore(deps);
  const directory = deps.services.approverDirectory;
  const approvalRole = async (userId: string): Promise<ApprovalRole> => {
    if (await directory.isApprover(userId, 'vp')) return 'vp';
    if (await directory.isApprover(userId, 'leadership')) return 'leadership';
    return 'none';
  };
  const invoker =
    options.invoker ??
    (deps.config.bedrock ? bedrockInvoker(bedrockAgentClient(deps.config), deps.logger) : undefined);
  const service = new AgentService({
    config: deps.config,
    logger: deps.logger,
    clock: deps.clock,
    sleep: options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms))),
    conversations,
    surfaces: (target) =>
      surfaceFor(
        { slack, conversations, fetch: options.fetch ?? fetch, allowedResponseHosts: responseHosts(deps) },
        target,
      ),
    renderer: agentRenderer,
    profiles: deps.services.userProfiles,
    approvalRole,
    teamsOf: async (userId) =>
      (await deps.services.teams.list())
        .filter((team) => Object.values(team.roleOwners ?? {}).includes(userId))
        .map((team) => team.name),
    approvalDetails: async (approvalId) => {
      const approval = await deps.services.approvals.get(approvalId);
      return approval ? { reason: approval.reason, decidedBy: approval.decidedBy } : undefined;
    },
    invoker,
    ...(options.heartbeatMs !== undefined ? { heartbeatMs: options.heartbeatMs } : {}),
    offline: new OfflineAgent({
      formatDay: dayWithRelative,
      campaigns: deps.services.campaigns,
      tasks: deps.services.tasks,
      approvals: deps.services.approvals,
      clock: deps.clock,
    }),
    executor: new ActionExecutor({
      campaignCommands: deps.services.campaignCommands,
      campaigns: deps.services.campaigns,
      teams: deps.services.teams,
      tasks: taskService(deps),
      thresholds: {
        approvalThresholdCents: deps.config.approvals.thresholdCents,
        vpThresholdCents: deps.config.approvals.vpThresholdCents,
      },
      clock: deps.clock,
      logger: deps.logger,
    }),
  });
  if (!custom) services.set(deps.services, service);
  return service;
}

function parse<T>(
  schema: { safeParse(v: unknown): { success: true; data: T } | { success: false } },
  payload: unknown,
  kind: string,
): T {
  const parsed = schema.safeParse(payload);
  // A malformed payload will not get better with retries: fail the job at once.
  if (!parsed.success) throw new ValidationError(`invalid ${kind} payload`);
  return parsed.data;
}

/** `agent.turn` and `agent.resume`, for `app/jobs/registry.ts`. */
export function agentJobHandlers(
  deps: AppDeps,
  slack: WebClient,
  options: AgentOptions = {},
): Record<string, JobHandler> {
  const service = () => agentService(deps, slack, options);
  return {
    [AGENT_TURN_JOB]: {
      async run(payload, ctx) {
        const request = parse(TurnRequest, payload, AGENT_TURN_JOB);
        await service().runTurn(request, { ...ctx, jobId: ctx.job.jobId });
      },
      async onFinalFailure(payload, error, ctx) {
        // Only the target is needed to tell the user, so a payload that failed to parse as a whole
        // (the reason this turn failed) still gets its visible error.
        const parsed = TurnRequest.pick({ target: true }).safeParse(payload);
        if (parsed.success) await service().failTurn(parsed.data.target, error, ctx);
        else
          ctx.logger.error(
            { jobId: ctx.job.jobId },
            'agent turn failed and its payload names no reply target',
          );
      },
    },
    [AGENT_RESUME_JOB]: {
      async run(payload, ctx) {
        const request = parse(ResumeRequest, payload, AGENT_RESUME_JOB);
        await service().resume(request, { ...ctx, jobId: ctx.job.jobId });
      },
      async onFinalFailure(payload, error, ctx) {
        const parsed = ResumeRequest.safeParse(payload);
        if (!parsed.success) return;
        const pending = await conversationStore(deps).getPending(
          parsed.data.conversationKey,
          parsed.data.invocationId,
        );
        if (pending)
          await service().failTurn(
            pending.data.target.kind === 'thread'
              ? { ...pending.data.target, placeholderTs: undefined }
              : pending.data.target,
            error,
            ctx,
          );
      },
    },
  };
}
