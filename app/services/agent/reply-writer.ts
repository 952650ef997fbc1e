import type { AgentCitation, AnswerView } from '../../domain/agent-views';
import type { RenderedMessage } from '../../domain/rendered-message';
import { asCodedError } from '../../errors';
import { applyGuardrail } from './guardrail';
import { markdownToMrkdwn } from './mrkdwn';
import { RateLimitedError, type ReplySurface } from './reply-surface';
import type { AgentServiceDeps, TurnContext, TurnScope } from './turn';

/** Longest wait honoured for a final update's Retry-After. */
const MAX_RETRY_AFTER_MS = 10_000;

/** An answer before it is checked and converted: the agent's Markdown and what goes with it. */
export interface DraftAnswer {
  markdown: string;
  collaborators: string[];
  citations: AgentCitation[];
  notes: string[];
  offerNewCampaign?: boolean;
  /** URLs our own data put in the answer (the offline agent's permalinks): they keep their link labels. */
  linkUrls?: string[];
  /** False: no 👍/👎 (an answer that waits for a confirmation or an approval). */
  feedback?: boolean;
}

/**
 * The last step of every turn: the text passes the guardrail and becomes mrkdwn, the renderer
 * builds the messages, and the surface takes them (waiting out a 429 when the deadline allows).
 */
export class ReplyWriter {
  constructor(private readonly deps: Pick<AgentServiceDeps, 'renderer' | 'clock' | 'logger' | 'sleep'>) {}

  /**
   * Guardrail, then Markdown → mrkdwn. `linkUrls`: the URLs whose links keep their own label (cited
   * sources, our data); any other labelled link shows its URL.
   */
  prepare(markdown: string, linkUrls: Iterable<string> = []): { mrkdwn: string; note: string | undefined } {
    const guarded = applyGuardrail(markdown);
    return { mrkdwn: markdownToMrkdwn(guarded.text, { linkUrls }), note: guarded.note };
  }

  view(scope: TurnScope, answer: DraftAnswer): AnswerView {
    const cited = answer.citations.flatMap((citation) => (citation.url ? [citation.url] : []));
    const prepared = this.prepare(answer.markdown, [...cited, ...(answer.linkUrls ?? [])]);
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

  async finishAnswer(
    surface: ReplySurface,
    scope: TurnScope,
    answer: Omit<DraftAnswer, 'feedback'>,
  ): Promise<void> {
    const view = this.view(scope, answer);
    await this.finishMessages(surface, this.deps.renderer.answer(view), scope.ctx.deadline);
    if (surface.recordAnswer) {
      await surface
        .recordAnswer(view)
        .catch((error: unknown) => scope.ctx.logger.warn(error, 'could not record the answer for sharing'));
    }
  }

  async finishNotice(surface: ReplySurface, mrkdwn: string, deadline: Date): Promise<void> {
    await this.finishMessages(surface, [this.deps.renderer.notice(mrkdwn)], deadline);
  }

  /**
   * The final write. A 429 is waited out (Retry-After), at most twice and only while the wait ends
   * before the deadline; otherwise the error fails the job (whose final failure tells the user).
   * The surface resumes where it stopped, so a retry never posts a follow-up twice.
   */
  async finishMessages(surface: ReplySurface, messages: RenderedMessage[], deadline: Date): Promise<void> {
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
  async showRetrying(surface: ReplySurface, ctx: TurnContext): Promise<void> {
    if (surface.kind !== 'thread') return;
    await surface
      .progress(
        this.deps.renderer.notice(':hourglass_flowing_sand: The agent is busy — I’ll retry in a moment…'),
      )
      .catch((error: unknown) =>
        ctx.logger.info({ err: asCodedError(error).message }, 'could not show the retry note'),
      );
  }
}
