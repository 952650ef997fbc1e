import type { InvocationResultMember, InvokeAgentCommandInput } from '@aws-sdk/client-bedrock-agent-runtime';
import type { AgentInvoker } from '../../adapters/bedrock';
import type { Config } from '../../config';
import type { AgentCitation, AgentRenderer, AnswerView } from '../../domain/agent-views';
import { todayIn } from '../../domain/calendar';
import type { RenderedMessage } from '../../domain/rendered-message';
import { asCodedError, ConflictError, DownstreamError } from '../../errors';
import type { AppLogger } from '../../logger';
import type { UserProfile } from '../user-profile';
import type { ActionExecutor } from './action-executor';
import { toAgentCall } from './confirmation';
import type { ConversationStore, FunctionOutcomeData, PendingData, ReplyTarget } from './conversation-store';
import { classifyAgentError, isRetryableAgentError, userMessageFor } from './errors';
import { describeCall, normaliseFunctionName } from './function-names';
import { applyGuardrail, streamSafePrefix } from './guardrail';
import { AGENT_RESUME_JOB, type ResumeRequest, type TurnRequest } from './job-payloads';
import { markdownToMrkdwn } from './mrkdwn';
import { OFFLINE_NOTE, type OfflineAgent } from './offline-agent';
import { ProgressUpdater } from './progress';
import { RateLimitedError, type ReplySurface } from './reply-surface';
import { type AgentFunctionCall, type AgentReturnControl, consumeAgentStream } from './stream';

export interface TurnContext {
  /** The job running this turn: actions are recorded per job, so a retry never repeats one. */
  jobId?: string | undefined;
  deadline: Date;
  isFinalAttempt: boolean;
  logger: AppLogger;
}

export type ApprovalRole = 'leadership' | 'vp' | 'none';

export interface AgentServiceDeps {
  config: Pick<Config, 'bedrock'>;
  logger: AppLogger;
  clock: () => Date;
  sleep: (ms: number) => Promise<void>;
  conversations: ConversationStore;
  surfaces: (target: ReplyTarget) => ReplySurface;
  renderer: AgentRenderer;
  profiles: { get(userId: string): Promise<UserProfile> };
  approvalRole: (userId: string) => Promise<ApprovalRole>;
  /** Names of the marketing teams the user works in (session attribute `marketingTeams`); optional. */
  teamsOf?: (userId: string) => Promise<string[]>;
  /** Who decided an approval and why (for the result returned to the agent); optional. */
  approvalDetails?: (
    approvalId: string,
  ) => Promise<{ reason?: string | undefined; decidedBy?: string | undefined } | undefined>;
  /** Undefined: the offline agent answers. */
  invoker: AgentInvoker | undefined;
  offline: OfflineAgent;
  executor: ActionExecutor;
  /**
   * How long a threaded answer may look idle before a heartbeat update ("still working… (N s)").
   * Default `HEARTBEAT_MS`; tests shorten it.
   */
  heartbeatMs?: number;
}

/** Time kept back from the deadline to post the final message (and wait out one Retry-After). */
const FINAL_MARGIN_MS = 5_000;
/** Return-of-control round trips allowed in one turn (the agent may chain actions). */
const MAX_ROUNDS = 5;
/** Longest wait honoured for a final update's Retry-After. */
const MAX_RETRY_AFTER_MS = 10_000;
/** Quiet time before a heartbeat: long enough to stay far under chat.update's Tier 3 budget. */
export const HEARTBEAT_MS = 5_000;

interface ConverseInput {
  sessionId: string;
  sessionAttributes: Record<string, string>;
  inputText?: string;
  returnControl?: { invocationId: string; results: InvocationResultMember[] };
}

interface TurnScope {
  conversationKey: string;
  teamId: string;
  userId: string;
  target: ReplyTarget;
  /** What a 👍/👎 click on this answer records: `<conversation key>|<turn>`. */
  feedbackRef: string;
  ctx: TurnContext;
  /** Calls per function run so far in this job (the key of each action's run record). */
  actionCounts: Map<string, number>;
}

/**
 * The agent turn runner: one question in, one answer (or a clear error) out, in the same thread.
 *
 * Bedrock mode: InvokeAgent with one session per Slack thread, traces on, the final response
 * streamed; the placeholder is updated as chunks arrive (≤ ~1/s, 429s skipped), the final message
 * names the collaborators and cites the sources, and return-of-control actions run through the
 * policy engine and the domain services (see `ActionExecutor`). Offline mode: the offline agent.
 * Every text passes the guardrail before it is posted. Every turn ends before `ctx.deadline`:
 * the stream is aborted `FINAL_MARGIN_MS` before it, keeping what arrived.
 */
export class AgentService {
  constructor(private readonly deps: AgentServiceDeps) {}

  /** Runs an `agent.turn` job. Throws `DownstreamError{retryable}` only for a retry worth having. */
  async runTurn(request: TurnRequest, ctx: TurnContext): Promise<void> {
    const { deps } = this;
    // Independent reads in parallel: they are most of the time before the agent is called.
    const [profile, conversation, role, teams] = await Promise.all([
      deps.profiles.get(request.userId),
      deps.conversations.beginTurn(request.conversation, request.userId),
      deps.invoker
        ? deps.approvalRole(request.userId).catch(() => 'none' as const)
        : Promise.resolve('none' as const),
      deps.invoker ? this.teamsOf(request.userId) : Promise.resolve([]),
    ]);
    const surface = deps.surfaces(request.target);
    const scope: TurnScope = {
      conversationKey: conversation.key,
      teamId: request.teamId,
      userId: request.userId,
      target: request.target,
      feedbackRef: `${conversation.key}|${conversation.turns}`,
      ctx,
      actionCounts: new Map(),
    };
    if (!deps.invoker || !deps.config.bedrock) {
      const offline = await deps.offline.answer(request.text, {
        userId: request.userId,
        timezone: profile.timezone,
      });
      ctx.logger.info({ intent: offline.intent, source: request.source }, 'offline agent answered');
      await this.finishAnswer(surface, scope, {
        markdown: offline.markdown,
        collaborators: [],
        citations: [],
        notes: [OFFLINE_NOTE],
        offerNewCampaign: offline.offerNewCampaign,
      });
      return;
    }
    if (request.text.trim() === '') {
      // A bare mention: nothing to ask the agent (InvokeAgent rejects empty input anyway).
      await this.finishMessages(
        surface,
        [
          deps.renderer.notice(
            `Hi <@${request.userId}>! Ask me about your campaigns — for example “what launches next week?”, “how is Spring Launch doing?” or “create a task for the launch video”.`,
          ),
        ],
        ctx.deadline,
      );
      return;
    }
    await this.converse(surface, scope, {
      sessionId: conversation.sessionId,
      sessionAttributes: this.attributes(
        request.teamId,
        profile,
        request.conversation.channelId,
        role,
        teams,
      ),
      inputText: request.text,
    });
  }

  /** `onFinalFailure` of `agent.turn` / `agent.resume`: the placeholder becomes a plain error. */
  async failTurn(target: ReplyTarget, error: unknown, ctx: Pick<TurnContext, 'logger'>): Promise<void> {
    const coded = asCodedError(error);
    const kind = classifyAgentError(
      error instanceof DownstreamError && error.cause ? error.cause : error,
    ).kind;
    ctx.logger.error({ code: coded.code, agentError: `agent_${kind}` }, coded, 'agent turn failed for good');
    const text =
      kind === 'unknown'
        ? 'Sorry — I couldn’t finish this answer. Please try again in a moment.'
        : userMessageFor(kind);
    await this.deps.surfaces(target).finish([this.deps.renderer.notice(`:warning: ${text}`)]);
  }

  /** Runs an `agent.resume` job: a confirmation answer or an approval decision reached the waiting action. */
  async resume(request: ResumeRequest, ctx: TurnContext): Promise<void> {
    const { deps } = this;
    const record = await deps.conversations.getPending(request.conversationKey, request.invocationId);
    if (!record || record.data.state === 'completed') {
      ctx.logger.info(
        { invocationId: request.invocationId },
        'nothing to resume (already completed or unknown)',
      );
      return;
    }
    let pending = record.data;
    let version = record.version;
    const actionCounts = new Map<string, number>();
    let outcomes = [...pending.outcomes];
    const profile = await deps.profiles.get(pending.userId);
    const actionCtx = this.actionContext(
      pending.conversationKey,
      pending.invocationId,
      pending.userId,
      profile,
      pending.target,
    );

    let confirmation = request.confirmation ?? pending.confirmation;
    if (pending.state === 'results_ready') {
      // A retry after the actions ran: only the re-invocation is left to do.
      ctx.logger.info({ invocationId: request.invocationId }, 'resuming with stored action results');
    } else if (request.confirmation) {
      if (request.confirmation === 'DENY') {
        outcomes = pending.calls.map(() => ({
          state: 'denied' as const,
          body: 'The user cancelled this action; nothing was changed.',
        }));
      } else {
        outcomes = await this.runActions(
          pending.calls.map((call) => toAgentCall(call)),
          actionCtx,
          pending.conversationKey,
          ctx,
          actionCounts,
        );
      }
    } else if (request.decision !== undefined && request.callIndex !== undefined) {
      const current = outcomes[request.callIndex];
      if (current?.state !== 'pending_approval') {
        ctx.logger.info(
          { callIndex: request.callIndex },
          'approval decision for a call not waiting; ignored',
        );
        return;
      }
      const details =
        request.approvalId && deps.approvalDetails
          ? await deps.approvalDetails(request.approvalId).catch(() => undefined)
          : undefined;
      outcomes[request.callIndex] = decisionOutcome(request.decision, current.body, details);
    } else {
      ctx.logger.warn(
        { invocationId: request.invocationId },
        'agent.resume without a confirmation or a decision',
      );
      return;
    }

    if (outcomes.some((outcome) => outcome?.state === 'pending_approval')) {
      const saved = await deps.conversations.putPending(
        { ...pending, outcomes, state: 'awaiting_approval' },
        version,
      );
      pending = saved.data;
      version = saved.version;
      await this.surfaceForResume(pending, request.decision !== undefined).append(
        deps.renderer.notice(waitingText(pending.calls, outcomes)),
      );
      return;
    }

    // After an approval the ask's response_url may have expired (30 minutes): answer in a DM.
    const target = this.resumeTarget(pending, request.decision !== undefined);
    const surface = deps.surfaces(target);
    // One "working…" message per resume, reused by a retried job (its ts is kept with the results).
    const placeholder =
      pending.state === 'results_ready' && pending.messageTs
        ? { ts: pending.messageTs }
        : await surface.append(deps.renderer.working()).catch((error: unknown) => {
            ctx.logger.warn(error, 'could not post the resume placeholder');
            return { ts: undefined };
          });
    if (pending.state !== 'results_ready') {
      confirmation = request.confirmation ?? pending.confirmation;
      const saved = await deps.conversations.putPending(
        {
          ...pending,
          outcomes,
          state: 'results_ready',
          ...(confirmation ? { confirmation } : {}),
          ...(placeholder.ts ? { messageTs: placeholder.ts } : {}),
        },
        version,
      );
      pending = saved.data;
      version = saved.version;
    }
    const streamingTarget: ReplyTarget =
      target.kind === 'thread' && placeholder.ts ? { ...target, placeholderTs: placeholder.ts } : target;
    const scope: TurnScope = {
      conversationKey: pending.conversationKey,
      teamId: pending.teamId,
      userId: pending.userId,
      target: streamingTarget,
      feedbackRef: `${pending.conversationKey}|${pending.invocationId.slice(0, 40)}`,
      ctx,
      actionCounts,
    };
    const notes = [...policyNotes(outcomes), ...apiCallNotes(pending.apiCalls)];
    await this.converse(
      deps.surfaces(streamingTarget),
      scope,
      {
        sessionId: pending.sessionId,
        sessionAttributes: await this.sessionAttributes(
          pending.teamId,
          profile,
          conversationChannel(pending.target),
        ),
        returnControl: {
          invocationId: pending.invocationId,
          results: toInvocationResults(pending.calls, outcomes, confirmation, pending.apiCalls),
        },
      },
      notes,
    );
    await deps.conversations
      .putPending({ ...pending, outcomes, state: 'completed' }, version)
      .catch((error: unknown) => ctx.logger.warn(error, 'could not mark the pending action completed'));
  }

  /**
   * Invokes the agent (and re-invokes it with action results while it hands control back), streams
   * into `surface`, and posts the final answer. Always ends with something visible.
   */
  private async converse(
    surface: ReplySurface,
    scope: TurnScope,
    first: ConverseInput,
    initialNotes: string[] = [],
  ): Promise<void> {
    const { deps } = this;
    const { ctx } = scope;
    const bedrock = deps.config.bedrock;
    const invoker = deps.invoker;
    if (!bedrock || !invoker) throw new DownstreamError('Bedrock is not configured', 'bedrock', false);
    let input = first;
    let transcript = '';
    const startedAt = deps.clock().getTime();
    const heartbeatMs = deps.heartbeatMs ?? HEARTBEAT_MS;
    const notes = [...initialNotes];
    const collaborators = new Set<string>();
    const citations = new Map<string, AgentCitation>();
    const answer = () => ({
      markdown: transcript,
      collaborators: [...collaborators],
      citations: [...citations.values()],
      notes,
    });

    for (let round = 0; round < MAX_ROUNDS; round += 1) {
      const controller = new AbortController();
      const budgetMs = ctx.deadline.getTime() - FINAL_MARGIN_MS - deps.clock().getTime();
      const timer = setTimeout(() => controller.abort(), Math.max(0, budgetMs));
      const command: InvokeAgentCommandInput = {
        agentId: bedrock.agentId,
        agentAliasId: bedrock.agentAliasId,
        sessionId: input.sessionId,
        enableTrace: true,
        streamingConfigurations: { streamFinalResponse: true },
        sessionState: {
          sessionAttributes: input.sessionAttributes,
          ...(input.returnControl
            ? {
                invocationId: input.returnControl.invocationId,
                returnControlInvocationResults: input.returnControl.results,
              }
            : {}),
        },
        ...(input.inputText !== undefined ? { inputText: input.inputText } : {}),
      };
      const prefix = transcript === '' ? '' : `${transcript}\n\n`;
      const updater = new ProgressUpdater({
        intervalMs: surface.progressIntervalMs,
        budget: () => surface.progressBudget(),
        clock: deps.clock,
        send: (text, status) => surface.progress(deps.renderer.progress(this.prepare(text).mrkdwn, status)),
        onSkipped: (reason, error) =>
          ctx.logger.info({ reason, err: asCodedError(error).message }, 'progress update skipped'),
        initialText: transcript,
      });
      // Heartbeat while the agent is quiet (routing, a collaborator thinking, a stalled stream), so the
      // thread never looks dead. Threads only: an ephemeral answer's 5 response_url posts are too few.
      const heartbeat =
        surface.kind === 'thread'
          ? setInterval(() => {
              const seconds = Math.round((deps.clock().getTime() - startedAt) / 1000);
              void updater.beat(`:hourglass_flowing_sand: Still working… (${seconds} s)`, heartbeatMs);
            }, heartbeatMs)
          : undefined;
      const quiet = async () => {
        clearInterval(heartbeat);
        await updater.settle();
      };
      try {
        let response: Awaited<ReturnType<AgentInvoker['invoke']>>;
        try {
          if (budgetMs <= 0) {
            controller.abort();
            throw Object.assign(new Error('no time left for the agent'), { name: 'AbortError' });
          }
          response = await invoker.invoke(command, controller.signal);
        } catch (error) {
          await quiet();
          if (controller.signal.aborted) {
            notes.push(':hourglass: This answer is incomplete: the agent took too long.');
            await this.finishAnswer(surface, scope, answer());
            return;
          }
          const classified = classifyAgentError(error);
          this.logAgentError(ctx, classified, error);
          if (
            isRetryableAgentError(classified.kind) &&
            !ctx.isFinalAttempt &&
            round === 0 &&
            transcript === ''
          ) {
            await this.showRetrying(surface, ctx);
            throw new DownstreamError(`InvokeAgent failed: ${classified.code}`, 'bedrock', true, {
              cause: error,
            });
          }
          if (transcript === '') {
            await this.finishNotice(surface, `:warning: ${userMessageFor(classified.kind)}`, ctx.deadline);
            return;
          }
          notes.push(`:warning: This answer is incomplete: ${userMessageFor(classified.kind)}`);
          await this.finishAnswer(surface, scope, answer());
          return;
        }
        const outcome = await consumeAgentStream(response.completion, {
          signal: controller.signal,
          // Only what is safe to show mid-stream (see `streamSafePrefix`); the final shows all.
          onText: (text) => updater.offer(streamSafePrefix(`${prefix}${text}`)),
        });
        await quiet();
        transcript = `${prefix}${outcome.text}`.trim();
        for (const name of outcome.collaborators) collaborators.add(name);
        for (const citation of outcome.citations) citations.set(citation.url ?? citation.title, citation);
        ctx.logger.info(
          {
            round,
            chars: outcome.text.length,
            collaborators: outcome.collaborators,
            citations: outcome.citations.length,
            progressUpdates: updater.sent,
            heartbeats: updater.beats,
            progressSkipped: updater.skipped,
            returnControl: outcome.returnControl?.calls.map((c) => c.function),
          },
          'agent stream finished',
        );
        if (outcome.error) {
          this.logAgentError(ctx, outcome.error, outcome.error.cause);
          if (
            transcript === '' &&
            isRetryableAgentError(outcome.error.kind) &&
            !ctx.isFinalAttempt &&
            round === 0
          ) {
            await this.showRetrying(surface, ctx);
            throw new DownstreamError(`agent stream failed: ${outcome.error.code}`, 'bedrock', true, {
              cause: outcome.error.cause,
            });
          }
          if (transcript === '') {
            await this.finishNotice(surface, `:warning: ${userMessageFor(outcome.error.kind)}`, ctx.deadline);
            return;
          }
          notes.push(
            `:warning: This answer is incomplete: the agent stopped part-way (${userMessageFor(outcome.error.kind)})`,
          );
          await this.finishAnswer(surface, scope, answer());
          return;
        }
        if (outcome.aborted) {
          notes.push(':hourglass: This answer is incomplete: the agent took too long.');
          await this.finishAnswer(surface, scope, answer());
          return;
        }
        if (!outcome.returnControl) {
          await this.finishAnswer(surface, scope, answer());
          return;
        }
        const next = await this.handleReturnControl(outcome.returnControl, scope, input.sessionId);
        if (next.kind === 'results') {
          notes.push(...next.notes);
          input = {
            sessionId: input.sessionId,
            sessionAttributes: input.sessionAttributes,
            returnControl: { invocationId: outcome.returnControl.invocationId, results: next.results },
          };
          continue;
        }
        // The turn waits (confirmation or approval): show what was said, then the prompt or the note.
        const messages: RenderedMessage[] = [];
        if (transcript !== '')
          messages.push(...deps.renderer.answer(this.view(scope, { ...answer(), feedback: false })));
        messages.push(next.message);
        await this.finishMessages(surface, messages, ctx.deadline);
        return;
      } finally {
        clearTimeout(timer);
        clearInterval(heartbeat);
      }
    }
    notes.push(':warning: The agent kept handing actions back; I stopped after five rounds.');
    await this.finishAnswer(surface, scope, answer());
  }

  /** Return of control: ask for confirmation, wait for an approval, or run the calls and hand back results. */
  private async handleReturnControl(
    returnControl: AgentReturnControl,
    scope: TurnScope,
    sessionId: string,
  ): Promise<
    | { kind: 'results'; results: InvocationResultMember[]; notes: string[] }
    | { kind: 'wait'; message: RenderedMessage }
  > {
    const { deps } = this;
    const base: PendingData = {
      invocationId: returnControl.invocationId,
      conversationKey: scope.conversationKey,
      sessionId,
      teamId: scope.teamId,
      userId: scope.userId,
      target: scope.target,
      calls: returnControl.calls.map((call) => ({
        actionGroup: call.actionGroup,
        function: call.function,
        parameters: call.parameters,
        needsConfirmation: call.needsConfirmation,
        ...(call.agentId ? { agentId: call.agentId } : {}),
        ...(call.collaboratorName ? { collaboratorName: call.collaboratorName } : {}),
      })),
      apiCalls: returnControl.apiCalls.map((call) => ({
        actionGroup: call.actionGroup,
        apiPath: call.apiPath,
        httpMethod: call.httpMethod,
        needsConfirmation: call.needsConfirmation,
        ...(call.agentId ? { agentId: call.agentId } : {}),
      })),
      outcomes: returnControl.calls.map(() => null),
      state: 'awaiting_confirmation',
    };
    if (returnControl.calls.length === 0) {
      // Only OpenAPI actions (or nothing): answer each with FAILURE so the agent can tell the user.
      return {
        kind: 'results',
        results: toInvocationResults([], [], undefined, base.apiCalls),
        notes: apiCallNotes(base.apiCalls),
      };
    }
    if (returnControl.calls.some((call) => call.needsConfirmation)) {
      await this.savePending(base);
      return {
        kind: 'wait',
        message: deps.renderer.confirm({
          introMrkdwn: 'Before I go ahead, please confirm:',
          // Parameters come from the model: they pass the guardrail like any other text.
          calls: returnControl.calls.map(describeCall).map((call) => ({
            title: call.title,
            details: call.details.map((line) => applyGuardrail(line).text),
          })),
          pendingRef: `${scope.conversationKey}|${returnControl.invocationId}`,
          userId: scope.userId,
        }),
      };
    }
    const profile = await deps.profiles.get(scope.userId);
    const actionCtx = this.actionContext(
      scope.conversationKey,
      returnControl.invocationId,
      scope.userId,
      profile,
      scope.target,
    );
    const outcomes = await this.runActions(
      returnControl.calls,
      actionCtx,
      scope.conversationKey,
      scope.ctx,
      scope.actionCounts,
    );
    if (outcomes.some((outcome) => outcome.state === 'pending_approval')) {
      await this.savePending({ ...base, outcomes, state: 'awaiting_approval' });
      return { kind: 'wait', message: deps.renderer.notice(waitingText(base.calls, outcomes)) };
    }
    return {
      kind: 'results',
      results: toInvocationResults(base.calls, outcomes, undefined, base.apiCalls),
      notes: [...policyNotes(outcomes), ...apiCallNotes(base.apiCalls)],
    };
  }

  /**
   * Runs the calls in order, each at most once per job: a retried job (the worker crashed or timed
   * out after an action ran, before the agent got the result) re-uses the recorded outcome, and an
   * action interrupted mid-run is not run again but reported, because it may have taken effect.
   * The n-th call of a function in a job (counted in `seen` across the job's rounds) is the same
   * intent on a retry even though the agent's invocation id, and maybe its parameters, differ.
   */
  private async runActions(
    calls: AgentFunctionCall[],
    actionCtx: ReturnType<AgentService['actionContext']>,
    conversationKey: string,
    ctx: TurnContext,
    seen: Map<string, number>,
  ): Promise<FunctionOutcomeData[]> {
    const { deps } = this;
    const outcomes: FunctionOutcomeData[] = [];
    for (const [index, call] of calls.entries()) {
      const name = normaliseFunctionName(call.function);
      const occurrence = (seen.get(name) ?? 0) + 1;
      seen.set(name, occurrence);
      if (!ctx.jobId) {
        outcomes.push(await deps.executor.execute(call, index, actionCtx));
        continue;
      }
      const runKey = `${ctx.jobId}#${name}#${occurrence}`;
      const claim = await deps.conversations.claimAction(conversationKey, runKey);
      if (!claim.claimed) {
        ctx.logger.warn(
          { function: call.function, runKey },
          'action already run by an earlier attempt; not repeated',
        );
        outcomes.push(
          claim.outcome ?? {
            state: 'failed',
            body: 'An earlier attempt at this request was interrupted while running this action, so it was not run again. It may have taken effect: check before asking again.',
          },
        );
        continue;
      }
      const outcome = await deps.executor.execute(call, index, actionCtx);
      await deps.conversations
        .finishAction(conversationKey, runKey, claim.version, outcome)
        .catch((error: unknown) => ctx.logger.warn(error, 'could not record an action outcome'));
      outcomes.push(outcome);
    }
    return outcomes;
  }

  private async savePending(data: PendingData): Promise<void> {
    try {
      await this.deps.conversations.putPending(data);
    } catch (error) {
      // A retried job meeting its own earlier record: keep the first one.
      if (!(error instanceof ConflictError)) throw error;
    }
  }

  private actionContext(
    conversationKey: string,
    invocationId: string,
    userId: string,
    profile: UserProfile,
    target: ReplyTarget,
  ) {
    const channelId = conversationChannel(target);
    const threadTs = target.kind === 'thread' ? target.threadTs : undefined;
    return {
      actor: {
        slackUserId: userId,
        ...(profile.displayName ? { displayName: profile.displayName } : {}),
        timezone: profile.timezone,
        ...(target.kind === 'thread' ? { channelId } : {}),
        ...(threadTs ? { threadTs } : {}),
      },
      today: todayIn(profile.timezone, this.deps.clock()),
      onDecided: (callIndex: number) => ({
        jobKind: AGENT_RESUME_JOB,
        payload: { conversationKey, invocationId, callIndex },
      }),
    };
  }

  /** After a long wait (an approval) the response_url may have expired: answer `/mcc ask` turns in a DM. */
  private resumeTarget(pending: PendingData, afterApproval: boolean): ReplyTarget {
    if (pending.target.kind === 'thread') return { ...pending.target, placeholderTs: undefined };
    if (afterApproval) return { kind: 'thread', channelId: pending.userId };
    return pending.target;
  }

  private surfaceForResume(pending: PendingData, afterApproval: boolean): ReplySurface {
    return this.deps.surfaces(this.resumeTarget(pending, afterApproval));
  }

  /** Session attributes reach every collaborator (platform-facts §8), so answers can be addressed and scoped. */
  async sessionAttributes(
    teamId: string,
    profile: UserProfile,
    channelId: string,
  ): Promise<Record<string, string>> {
    const [role, teams] = await Promise.all([
      this.deps.approvalRole(profile.userId).catch(() => 'none' as const),
      this.teamsOf(profile.userId),
    ]);
    return this.attributes(teamId, profile, channelId, role, teams);
  }

  /** The marketing teams the user works in; best effort (an empty list scopes nothing). */
  private async teamsOf(userId: string): Promise<string[]> {
    return this.deps.teamsOf ? this.deps.teamsOf(userId).catch(() => []) : [];
  }

  private attributes(
    teamId: string,
    profile: UserProfile,
    channelId: string,
    role: ApprovalRole,
    teams: string[],
  ): Record<string, string> {
    return {
      ...(teams.length > 0 ? { marketingTeams: teams.join(', ') } : {}),
      slackUserId: profile.userId,
      displayName: profile.displayName ?? profile.realName ?? profile.userId,
      slackTeamId: teamId,
      slackChannelId: channelId,
      timezone: profile.timezone,
      locale: profile.locale ?? 'en-US',
      approvalRole: role,
      today: todayIn(profile.timezone, this.deps.clock()),
    };
  }

  /** Guardrail, then Markdown → mrkdwn. */
  private prepare(markdown: string): { mrkdwn: string; note: string | undefined } {
    const guarded = applyGuardrail(markdown);
    return { mrkdwn: markdownToMrkdwn(guarded.text), note: guarded.note };
  }

  private view(
    scope: TurnScope,
    answer: {
      markdown: string;
      collaborators: string[];
      citations: AgentCitation[];
      notes: string[];
      offerNewCampaign?: boolean;
      feedback?: boolean;
    },
  ): AnswerView {
    const prepared = this.prepare(answer.markdown);
    return {
      bodyMrkdwn: prepared.mrkdwn,
      collaborators: answer.collaborators,
      citations: answer.citations,
      notes: [...(prepared.note ? [prepared.note] : []), ...answer.notes],
      feedbackRef: answer.feedback === false ? undefined : scope.feedbackRef,
      shareAskId: scope.target.kind === 'ephemeral' ? scope.target.askId : undefined,
      offerNewCampaign: answer.offerNewCampaign,
    };
  }

  private async finishAnswer(
    surface: ReplySurface,
    scope: TurnScope,
    answer: {
      markdown: string;
      collaborators: string[];
      citations: AgentCitation[];
      notes: string[];
      offerNewCampaign?: boolean;
    },
  ): Promise<void> {
    const view = this.view(scope, answer);
    await this.finishMessages(surface, this.deps.renderer.answer(view), scope.ctx.deadline);
    if (surface.recordAnswer) {
      await surface
        .recordAnswer(view)
        .catch((error: unknown) => scope.ctx.logger.warn(error, 'could not record the answer for sharing'));
    }
  }

  private async finishNotice(surface: ReplySurface, mrkdwn: string, deadline: Date): Promise<void> {
    await this.finishMessages(surface, [this.deps.renderer.notice(mrkdwn)], deadline);
  }

  /**
   * The final write. A 429 is waited out (Retry-After), at most twice and only while the wait ends
   * before the deadline; otherwise the error fails the job (whose final failure tells the user).
   * The surface resumes where it stopped, so a retry never posts a follow-up twice.
   */
  private async finishMessages(
    surface: ReplySurface,
    messages: RenderedMessage[],
    deadline: Date,
  ): Promise<void> {
    for (let attempt = 0; ; attempt += 1) {
      try {
        await surface.finish(messages);
        return;
      } catch (error) {
        if (!(error instanceof RateLimitedError) || attempt >= 2) throw error;
        const wait = Math.min(error.retryAfterMs, MAX_RETRY_AFTER_MS);
        if (this.deps.clock().getTime() + wait > deadline.getTime()) throw error;
        this.deps.logger.info({ waitMs: wait }, 'final update rate limited; waiting Retry-After');
        await this.deps.sleep(wait);
      }
    }
  }

  /**
   * Before a retry with backoff, the placeholder says so (threads only: an ephemeral answer's
   * response_url posts are too few to spend on this). Best effort.
   */
  private async showRetrying(surface: ReplySurface, ctx: TurnContext): Promise<void> {
    if (surface.kind !== 'thread') return;
    await surface
      .progress(
        this.deps.renderer.notice(':hourglass_flowing_sand: The agent is busy — I’ll retry in a moment…'),
      )
      .catch((error: unknown) =>
        ctx.logger.info({ err: asCodedError(error).message }, 'could not show the retry note'),
      );
  }

  private logAgentError(ctx: TurnContext, classified: { kind: string; code: string }, error: unknown): void {
    const fields = { code: classified.code, agentErrorKind: classified.kind };
    if (classified.kind === 'throttled' || classified.kind === 'unavailable')
      ctx.logger.warn(fields, asCodedError(error), 'agent call failed');
    else
      ctx.logger.error(
        fields,
        asCodedError(error),
        'agent call failed: check the agent configuration and IAM permissions',
      );
  }
}

function conversationChannel(target: ReplyTarget): string {
  return target.channelId;
}

function decisionOutcome(
  decision: NonNullable<ResumeRequest['decision']>,
  before: string,
  details?: { reason?: string | undefined; decidedBy?: string | undefined },
): FunctionOutcomeData {
  const by = details?.decidedBy && details.decidedBy !== 'system' ? ` by <@${details.decidedBy}>` : '';
  switch (decision) {
    case 'APPROVED':
      return {
        state: 'done',
        body: `Approved. ${before.replace(/ is waiting for approval\.?$/, ' was approved and is going ahead.')}`,
      };
    case 'REJECTED':
      return {
        state: 'failed',
        body: `The approvers rejected this request${by}${details?.reason ? `: “${details.reason}”` : ''}; nothing was changed.`,
      };
    case 'EXPIRED':
      return {
        state: 'failed',
        body: 'The approval request expired without a decision; nothing was changed.',
      };
    default:
      return { state: 'failed', body: 'The approval request was cancelled; nothing was changed.' };
  }
}

function waitingText(calls: PendingData['calls'], outcomes: (FunctionOutcomeData | null)[]): string {
  const waiting = outcomes
    .map((outcome, index) =>
      outcome?.state === 'pending_approval' ? outcome.body || calls[index]?.function : undefined,
    )
    .filter((line): line is string => Boolean(line));
  return `:hourglass_flowing_sand: ${waiting.join(' ')} I’ll continue here as soon as it is decided.`;
}

/** Blocked or failed actions are shown to the user as well as returned to the agent. */
function policyNotes(outcomes: (FunctionOutcomeData | null)[]): string[] {
  return outcomes
    .filter((outcome): outcome is FunctionOutcomeData => outcome?.state === 'failed')
    .map((outcome) => `:no_entry: ${outcome.body}`);
}

/** What the user is told about OpenAPI actions the agent asked for and did not get. */
function apiCallNotes(apiCalls: PendingData['apiCalls']): string[] {
  return apiCalls.map(
    (call) =>
      `:no_entry: The agent asked for an action Command Center does not offer (${call.httpMethod} ${call.apiPath} in ${call.actionGroup}); nothing was changed.`,
  );
}

/**
 * The results for the re-invocation (same `invocationId`): one `functionResult` per function call,
 * then one `apiResult` FAILURE (HTTP 501) per OpenAPI action, so no invocation input goes unanswered.
 */
function toInvocationResults(
  calls: PendingData['calls'],
  outcomes: (FunctionOutcomeData | null)[],
  confirmation?: 'CONFIRM' | 'DENY',
  apiCalls: PendingData['apiCalls'] = [],
): InvocationResultMember[] {
  const apiResults: InvocationResultMember[] = apiCalls.map((call) => ({
    apiResult: {
      actionGroup: call.actionGroup,
      apiPath: call.apiPath,
      httpMethod: call.httpMethod,
      ...(call.agentId ? { agentId: call.agentId } : {}),
      httpStatusCode: 501,
      responseState: 'FAILURE' as const,
      responseBody: {
        TEXT: {
          body: `Command Center does not implement ${call.httpMethod} ${call.apiPath}; its actions are functions (create campaign, update campaign, create task, update task status, assign resource, get team capacity). Nothing was changed.`,
        },
      },
      // A confirmation nobody was asked for is not a yes.
      ...(call.needsConfirmation ? { confirmationState: 'DENY' as const } : {}),
    },
  }));
  return [...functionResults(calls, outcomes, confirmation), ...apiResults];
}

function functionResults(
  calls: PendingData['calls'],
  outcomes: (FunctionOutcomeData | null)[],
  confirmation?: 'CONFIRM' | 'DENY',
): InvocationResultMember[] {
  return calls.map((call, index) => {
    const outcome = outcomes[index] ?? { state: 'failed' as const, body: 'No result.' };
    return {
      functionResult: {
        actionGroup: call.actionGroup,
        function: call.function,
        ...(call.agentId ? { agentId: call.agentId } : {}),
        responseBody: { TEXT: { body: outcome.body } },
        ...(outcome.state === 'failed' ? { responseState: 'FAILURE' as const } : {}),
        ...(outcome.state === 'reprompt' ? { responseState: 'REPROMPT' as const } : {}),
        ...(call.needsConfirmation && confirmation ? { confirmationState: confirmation } : {}),
      },
    };
  });
}
