import type { InvocationResultMember, InvokeAgentCommandInput } from '@aws-sdk/client-bedrock-agent-runtime';
import type { AgentInvoker } from '../../adapters/bedrock';
import type { AgentCitation } from '../../domain/agent-views';
import type { RenderedMessage } from '../../domain/rendered-message';
import { asCodedError, DownstreamError } from '../../errors';
import { type AgentFailure, classifyAgentError, logAgentFailure } from './errors';
import { streamSafePrefix } from './guardrail';
import { ProgressUpdater } from './progress';
import type { ReplySurface } from './reply-surface';
import type { DraftAnswer, ReplyWriter } from './reply-writer';
import type { ReturnControl } from './return-control';
import { consumeAgentStream } from './stream';
import type { AgentServiceDeps, TurnScope } from './turn';

/** Time kept back from the deadline to post the final message (and wait out one Retry-After). */
const FINAL_MARGIN_MS = 5_000;
/** Return-of-control round trips allowed in one turn (the agent may chain actions). */
const MAX_ROUNDS = 5;
/** Quiet time before a heartbeat: long enough to stay far under chat.update's Tier 3 budget. */
const HEARTBEAT_MS = 5_000;

/** One InvokeAgent call: a question, or the results of the actions the agent handed back. */
export interface ConverseInput {
  sessionId: string;
  sessionAttributes: Record<string, string>;
  inputText?: string;
  returnControl?: { invocationId: string; results: InvocationResultMember[] };
}

/**
 * The Bedrock side of a turn: InvokeAgent with traces on and the final response streamed into the
 * surface (progress ≤ ~1/s, heartbeats while the agent is quiet), return of control handed to
 * `ReturnControl`, and the stream aborted `FINAL_MARGIN_MS` before the deadline, keeping what arrived.
 */
export class AgentConversation {
  constructor(
    private readonly deps: Pick<
      AgentServiceDeps,
      'config' | 'invoker' | 'clock' | 'heartbeatMs' | 'renderer'
    >,
    private readonly writer: ReplyWriter,
    private readonly returnControl: ReturnControl,
  ) {}

  /**
   * Invokes the agent (and re-invokes it with action results while it hands control back), streams
   * into `surface`, and posts the final answer. Always ends with something visible.
   */
  async run(
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
        send: (text, status) =>
          surface.progress(
            deps.renderer.progress(
              this.writer.prepare(
                text,
                [...citations.values()].flatMap((citation) => (citation.url ? [citation.url] : [])),
              ).mrkdwn,
              status,
            ),
          ),
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
            await this.writer.finishAnswer(surface, scope, answer());
            return;
          }
          await this.fail(surface, scope, classifyAgentError(error), error, { round, answer, notes });
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
          await this.fail(surface, scope, outcome.error, outcome.error.cause, { round, answer, notes });
          return;
        }
        if (outcome.aborted) {
          notes.push(':hourglass: This answer is incomplete: the agent took too long.');
          await this.writer.finishAnswer(surface, scope, answer());
          return;
        }
        if (!outcome.returnControl) {
          await this.writer.finishAnswer(surface, scope, answer());
          return;
        }
        const next = await this.returnControl.handle(outcome.returnControl, scope, input.sessionId);
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
          messages.push(...deps.renderer.answer(this.writer.view(scope, { ...answer(), feedback: false })));
        messages.push(next.message);
        await this.writer.finishMessages(surface, messages, ctx.deadline);
        return;
      } finally {
        clearTimeout(timer);
        clearInterval(heartbeat);
      }
    }
    notes.push(':warning: The agent kept handing actions back; I stopped after five rounds.');
    await this.writer.finishAnswer(surface, scope, answer());
  }

  /**
   * A failed InvokeAgent call or stream, whichever it was (one mapping, `classifyAgentError`): the
   * admin's log line, then a retry through the job when one can help (nothing shown yet, first
   * round, not the job's last attempt), else the user's text — alone, or as a note under what
   * already arrived.
   */
  private async fail(
    surface: ReplySurface,
    scope: TurnScope,
    failure: AgentFailure,
    cause: unknown,
    turn: { round: number; answer: () => Omit<DraftAnswer, 'feedback'>; notes: string[] },
  ): Promise<void> {
    const { ctx } = scope;
    logAgentFailure(ctx.logger, failure, asCodedError(cause));
    const nothingShown = turn.answer().markdown === '';
    if (failure.retryable && nothingShown && turn.round === 0 && !ctx.isFinalAttempt) {
      await this.writer.showRetrying(surface, ctx);
      throw new DownstreamError(`InvokeAgent failed: ${failure.code}`, 'bedrock', true, { cause });
    }
    if (nothingShown) {
      await this.writer.finishNotice(surface, `:warning: ${failure.userText}`, ctx.deadline);
      return;
    }
    turn.notes.push(`:warning: This answer is incomplete: the agent stopped part-way (${failure.userText})`);
    await this.writer.finishAnswer(surface, scope, turn.answer());
  }
}
