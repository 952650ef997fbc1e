import { userMention } from '../../domain/text';
import { asCodedError, DownstreamError } from '../../errors';
import { toAgentCall } from './confirmation';
import type { PendingData, ReplyTarget } from './conversation-store';
import { AgentConversation } from './converse';
import { classifyAgentError } from './errors';
import {
  apiCallNotes,
  decisionOutcome,
  policyNotes,
  toInvocationResults,
  waitingText,
} from './invocation-results';
import type { ResumeRequest, TurnRequest } from './job-payloads';
import { OFFLINE_NOTE } from './offline-agent';
import type { ReplySurface } from './reply-surface';
import { ReplyWriter } from './reply-writer';
import { ReturnControl } from './return-control';
import { SessionAttributes } from './session-attributes';
import { type AgentServiceDeps, conversationChannel, type TurnContext, type TurnScope } from './turn';

/**
 * The agent turn runner: one question in, one answer (or a clear error) out, in the same thread.
 *
 * Bedrock mode: InvokeAgent with one session per Slack thread, traces on, the final response
 * streamed; the placeholder is updated as chunks arrive (≤ ~1/s, 429s skipped), the final message
 * names the collaborators and cites the sources, and return-of-control actions run through the
 * policy engine and the domain services (see `ActionExecutor`). Offline mode: the offline agent.
 * Every text passes the guardrail before it is posted. Every turn ends before `ctx.deadline`:
 * the stream is aborted `FINAL_MARGIN_MS` before it, keeping what arrived.
 *
 * This class runs the turn's lifecycle (start, resume after a confirmation or a decision, final
 * failure); its parts: `AgentConversation` (converse.ts, the Bedrock stream), `ReturnControl`
 * (actions handed back), `ReplyWriter` (guardrail, rendering, the final write) and
 * `SessionAttributes` (what the agent is told about the user).
 */
export class AgentService {
  private readonly writer: ReplyWriter;
  private readonly returnControl: ReturnControl;
  private readonly session: SessionAttributes;
  private readonly conversation: AgentConversation;

  constructor(private readonly deps: AgentServiceDeps) {
    this.writer = new ReplyWriter(deps);
    this.returnControl = new ReturnControl(deps);
    this.session = new SessionAttributes(deps);
    this.conversation = new AgentConversation(deps, this.writer, this.returnControl);
  }

  /** Runs an `agent.turn` job. Throws `DownstreamError{retryable}` only for a retry worth having. */
  async runTurn(request: TurnRequest, ctx: TurnContext): Promise<void> {
    const { deps } = this;
    const surface = deps.surfaces(request.target, ctx.jobId);
    // The placeholder first, so the user sees the turn has started. If it cannot be posted, the
    // answer (or the error) is posted as a new message at the end.
    await surface.begin?.(deps.renderer.working()).catch((error: unknown) => {
      ctx.logger.warn({ err: asCodedError(error).message }, 'could not post the placeholder');
    });
    // Independent reads in parallel: they are most of the time before the agent is called.
    const [profile, conversation, role, teams] = await Promise.all([
      deps.profiles.get(request.userId),
      deps.conversations.beginTurn(request.conversation, request.userId),
      deps.invoker
        ? deps.approvalRole(request.userId).catch(() => 'none' as const)
        : Promise.resolve('none' as const),
      deps.invoker ? this.session.teamsOf(request.userId) : Promise.resolve([]),
    ]);
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
      await this.writer.finishAnswer(surface, scope, {
        markdown: offline.markdown,
        collaborators: [],
        citations: [],
        notes: [OFFLINE_NOTE],
        offerNewCampaign: offline.offerNewCampaign,
        ...(offline.linkUrls ? { linkUrls: offline.linkUrls } : {}),
      });
      return;
    }
    if (request.text.trim() === '') {
      // A bare mention: nothing to ask the agent (InvokeAgent rejects empty input anyway).
      await this.writer.finishMessages(
        surface,
        [
          deps.renderer.notice(
            `Hi ${userMention(request.userId)}! Ask me about your campaigns — for example “what launches next week?”, “how is Spring Launch doing?” or “create a task for the launch video”.`,
          ),
        ],
        ctx.deadline,
      );
      return;
    }
    await this.conversation.run(surface, scope, {
      sessionId: conversation.sessionId,
      sessionAttributes: this.session.build(
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
  async failTurn(
    target: ReplyTarget,
    error: unknown,
    ctx: Pick<TurnContext, 'logger' | 'jobId'>,
  ): Promise<void> {
    const coded = asCodedError(error);
    const failure = classifyAgentError(error instanceof DownstreamError && error.cause ? error.cause : error);
    ctx.logger.error(
      { code: failure.code, agentErrorKind: failure.kind, errorCode: coded.code },
      coded,
      'agent turn failed for good',
    );
    // The same job's surface: its placeholder (found by the post's key) becomes the error.
    await this.deps
      .surfaces(target, ctx.jobId)
      .finish([this.deps.renderer.notice(`:warning: ${failure.userText}`)]);
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
    const actionCtx = this.returnControl.actionContext(
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
        outcomes = await this.returnControl.runActions(
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
      await this.surfaceForResume(pending, request.decision !== undefined, ctx.jobId).append(
        deps.renderer.notice(waitingText(pending.calls, outcomes)),
        'waiting',
      );
      return;
    }

    // After an approval the ask's response_url may have expired (30 minutes): answer in a DM.
    const target = this.resumeTarget(pending, request.decision !== undefined);
    const surface = deps.surfaces(target, ctx.jobId);
    // One "working…" message per resume, reused by a retried job (its ts is kept with the results).
    const placeholder =
      pending.state === 'results_ready' && pending.messageTs
        ? { ts: pending.messageTs }
        : await surface.append(deps.renderer.working(), 'working').catch((error: unknown) => {
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
    await this.conversation.run(
      deps.surfaces(streamingTarget, ctx.jobId),
      scope,
      {
        sessionId: pending.sessionId,
        sessionAttributes: await this.session.forUser(
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

  /** After a long wait (an approval) the response_url may have expired: answer `/mcc ask` turns in a DM. */
  private resumeTarget(pending: PendingData, afterApproval: boolean): ReplyTarget {
    if (pending.target.kind === 'thread') return { ...pending.target, placeholderTs: undefined };
    if (afterApproval) return { kind: 'thread', channelId: pending.userId };
    return pending.target;
  }

  private surfaceForResume(pending: PendingData, afterApproval: boolean, jobId?: string): ReplySurface {
    return this.deps.surfaces(this.resumeTarget(pending, afterApproval), jobId);
  }
}
