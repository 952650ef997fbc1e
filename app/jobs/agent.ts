import type { WebClient } from '@slack/web-api';
import { agentRenderer } from '../../blocks/agent-answer';
import { dayWithRelative } from '../../blocks/dates';
import { type AgentInvoker, bedrockAgentClient, bedrockInvoker } from '../adapters/bedrock';
import { SlackPoster } from '../adapters/slack-post-once';
import { allowedResponseHosts } from '../adapters/slack-response-url';
import type { AppDeps } from '../deps';
import { ValidationError } from '../errors';
import { surfaceFor } from '../outbound/agent-surfaces';
import type { Repositories } from '../services';
import type { AgentService } from '../services/agent/agent-service';
import { createAgentService } from '../services/agent/create-agent-service';
import { AGENT_RESUME_JOB, AGENT_TURN_JOB, ResumeRequest, TurnRequest } from '../services/agent/job-payloads';
import type { JobHandler } from '../services/job-types';

export interface AgentOptions {
  /** Overrides for tests (aws-sdk-client-mock works on the real client too). */
  invoker?: AgentInvoker;
  sleep?: (ms: number) => Promise<void>;
  fetch?: typeof fetch;
  /** Quiet time before a heartbeat update (default `HEARTBEAT_MS`). */
  heartbeatMs?: number;
}

const built = new WeakMap<object, AgentService>();

/** What the agent's jobs are built from: the app's deps plus the repositories to compose the service. */
export type AgentJobDeps = AppDeps & { repositories: Repositories };

/**
 * The agent service of this container, built once per `services` object (so once per container;
 * tests build their own runtime and get their own). The Bedrock client is the container's shared one.
 * Rendering (blocks/agent-answer.ts) and the Slack surfaces (app/outbound) are plugged in here.
 */
function agentService(deps: AgentJobDeps, slack: WebClient, options: AgentOptions = {}): AgentService {
  // Options are for tests: a service built with them is neither reused nor kept.
  const custom = Object.keys(options).length > 0;
  const cached = built.get(deps.services);
  if (cached && !custom) return cached;
  const conversations = deps.services.conversations;
  const surfaceDeps = {
    slack,
    poster: new SlackPoster(slack, deps.clock),
    ledgers: deps.services.posts,
    conversations,
    fetch: options.fetch ?? fetch,
    allowedResponseHosts: allowedResponseHosts(deps.config),
  };
  const service = createAgentService({
    ...deps,
    sleep: options.sleep,
    surfaces: (target, jobId) => surfaceFor(surfaceDeps, target, jobId),
    renderer: agentRenderer,
    formatDay: dayWithRelative,
    invoker:
      options.invoker ??
      (deps.config.bedrock ? bedrockInvoker(bedrockAgentClient(deps.config), deps.logger) : undefined),
    ...(options.heartbeatMs !== undefined ? { heartbeatMs: options.heartbeatMs } : {}),
  });
  if (!custom) built.set(deps.services, service);
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
  deps: AgentJobDeps,
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
        if (parsed.success)
          await service().failTurn(parsed.data.target, error, { ...ctx, jobId: ctx.job.jobId });
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
        const pending = await deps.services.conversations.getPending(
          parsed.data.conversationKey,
          parsed.data.invocationId,
        );
        if (pending)
          await service().failTurn(
            pending.data.target.kind === 'thread'
              ? { ...pending.data.target, placeholderTs: undefined }
              : pending.data.target,
            error,
            { ...ctx, jobId: ctx.job.jobId },
          );
      },
    },
  };
}
