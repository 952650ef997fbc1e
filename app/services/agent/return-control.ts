import type { InvocationResultMember } from '@aws-sdk/client-bedrock-agent-runtime';
import { todayIn } from '../../domain/calendar';
import type { RenderedMessage } from '../../domain/rendered-message';
import { ConflictError } from '../../errors';
import type { UserProfile } from '../user-profile';
import type { ActionContext } from './action-executor';
import type { FunctionOutcomeData, PendingData, ReplyTarget } from './conversation-store';
import { describeCall, normaliseFunctionName } from './function-names';
import { applyGuardrail } from './guardrail';
import { apiCallNotes, policyNotes, toInvocationResults, waitingText } from './invocation-results';
import { AGENT_RESUME_JOB } from './job-payloads';
import type { AgentFunctionCall, AgentReturnControl } from './stream';
import { type AgentServiceDeps, conversationChannel, type TurnContext, type TurnScope } from './turn';

/**
 * Return of control (the agent hands actions back to us): asks for confirmation, or runs the calls
 * through the action executor (each at most once per job) and either hands the results back or
 * waits for the approvals they need. What waits is stored as a pending action in the conversation.
 */
export class ReturnControl {
  constructor(
    private readonly deps: Pick<
      AgentServiceDeps,
      'conversations' | 'executor' | 'profiles' | 'renderer' | 'clock'
    >,
  ) {}

  /** Return of control: ask for confirmation, wait for an approval, or run the calls and hand back results. */
  async handle(
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
  async runActions(
    calls: AgentFunctionCall[],
    actionCtx: ActionContext,
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

  actionContext(
    conversationKey: string,
    invocationId: string,
    userId: string,
    profile: UserProfile,
    target: ReplyTarget,
  ): ActionContext {
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
}
