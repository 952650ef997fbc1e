import { ErrorCode as SlackErrorCode, type WebClient } from '@slack/web-api';
import type { SlackPoster } from '../adapters/slack-post-once';
import type { OncePost, PostLedgers } from '../domain/outbound-post';
import type { RenderedMessage } from '../domain/rendered-message';
import { SlackApiError } from '../errors';
import type { ConversationStore, ReplyTarget } from '../services/agent/conversation-store';
import { RateLimitedError, type ReplySurface } from '../services/agent/reply-surface';

export interface SurfaceDeps {
  slack: WebClient;
  /** The crash-safe post and its ledgers: a thread's messages are posted once per job, whatever crashes. */
  poster: SlackPoster;
  ledgers: PostLedgers;
  conversations: ConversationStore;
  fetch: typeof fetch;
  /** Hosts a stored response_url may point at (Slack's, or the local stand-in's). */
  allowedResponseHosts: readonly string[];
}

/** Converts a Web API rate-limit rejection into `RateLimitedError`; rethrows anything else as is. */
function rethrowRateLimit(error: unknown): never {
  if (
    error !== null &&
    typeof error === 'object' &&
    'code' in error &&
    error.code === SlackErrorCode.RateLimitedError &&
    'retryAfter' in error &&
    typeof error.retryAfter === 'number'
  ) {
    throw new RateLimitedError(error.retryAfter * 1000, { cause: error });
  }
  throw error;
}

/**
 * The Slack implementations of the agent service's `ReplySurface` port (app layer: they send what
 * blocks/agent-answer.ts rendered; the service never holds a Web API client).
 */
class ThreadSurface implements ReplySurface {
  readonly kind = 'thread';
  readonly progressIntervalMs = 1000;
  private ts: string | undefined;
  private readonly delivered = new WeakMap<RenderedMessage[], number>();

  /**
   * `jobId`: the job writing this turn. Every message it posts goes through the crash-safe post
   * keyed `agent:<job>:…` (the main message — placeholder, then answer — `:main`; an answer's
   * follow-ups `:answer:<n>`; other additions by name), so a job retried after a crash between
   * Slack's answer and its record updates the message it already posted instead of posting again.
   */
  constructor(
    private readonly deps: Pick<SurfaceDeps, 'slack' | 'poster' | 'ledgers'>,
    private readonly target: Extract<ReplyTarget, { kind: 'thread' }>,
    private readonly jobId?: string,
  ) {
    this.ts = target.placeholderTs;
  }

  progressBudget(): number {
    return Number.POSITIVE_INFINITY;
  }

  /** The ts of the message being updated (the placeholder, or the first message this surface posted). */
  messageTs(): string | undefined {
    return this.ts;
  }

  /** Posts the "working…" placeholder (once per job: a retried job finds it and leaves it as it is). */
  async begin(message: RenderedMessage): Promise<void> {
    if (this.ts) return;
    this.ts = (await this.postOnce('main', message, false).catch(rethrowRateLimit)).ts;
  }

  async progress(message: RenderedMessage): Promise<void> {
    await this.write(message).catch(rethrowRateLimit);
  }

  async finish(messages: RenderedMessage[]): Promise<{ ts: string | undefined }> {
    // Resume after the last message delivered, so retrying a rate-limited finish posts nothing twice.
    for (let index = this.delivered.get(messages) ?? 0; index < messages.length; index += 1) {
      const message = messages[index];
      if (!message) continue;
      if (index === 0) await this.write(message).catch(rethrowRateLimit);
      else await this.postOnce(`answer:${index}`, message, true).catch(rethrowRateLimit);
      this.delivered.set(messages, index + 1);
    }
    return { ts: this.ts };
  }

  async append(message: RenderedMessage, name: string): Promise<{ ts: string | undefined }> {
    return { ts: (await this.postOnce(name, message, false).catch(rethrowRateLimit)).ts };
  }

  private async write(message: RenderedMessage): Promise<void> {
    if (this.ts) {
      await this.deps.slack.chat.update({
        channel: this.target.channelId,
        ts: this.ts,
        text: message.text,
        blocks: message.blocks,
      });
      return;
    }
    // No placeholder on hand: the main message is posted, or (a retry) found and given this content.
    this.ts = (await this.postOnce('main', message, true)).ts;
  }

  private async postOnce(
    name: string,
    message: RenderedMessage,
    updateExisting: boolean,
  ): Promise<{ ts: string | undefined }> {
    const post: OncePost = {
      key: `agent:${this.jobId ?? 'none'}:${name}`,
      channel: this.target.channelId,
      threadTs: this.target.threadTs,
      message,
      updateExisting,
    };
    if (this.jobId) return this.deps.poster.postOnce(this.deps.ledgers(post.key), post);
    // Outside a job (nothing to key the post on): a plain post, as the record of a retry needs a job.
    return this.deps.poster.post(post);
  }
}

/** Slack's limit on posts to one response_url. */
const RESPONSE_URL_POSTS = 5;
/** Posts kept back from progress updates: the final answer and two spare (overflow or an error). */
const RESERVED_POSTS = 3;

class EphemeralSurface implements ReplySurface {
  readonly kind = 'ephemeral';
  /** Progress updates are rare here (see the budget), so space them out more. */
  readonly progressIntervalMs = 3000;
  private posts: number | undefined;
  private readonly delivered = new WeakMap<RenderedMessage[], number>();

  constructor(
    private readonly deps: SurfaceDeps,
    private readonly target: Extract<ReplyTarget, { kind: 'ephemeral' }>,
  ) {}

  progressBudget(): number {
    return Math.max(0, RESPONSE_URL_POSTS - RESERVED_POSTS - (this.posts ?? 0));
  }

  async progress(message: RenderedMessage): Promise<void> {
    if (this.progressBudget() <= 0) return;
    await this.send(message, true);
  }

  async finish(messages: RenderedMessage[]): Promise<{ ts: string | undefined }> {
    for (let index = this.delivered.get(messages) ?? 0; index < messages.length; index += 1) {
      const message = messages[index];
      if (!message) continue;
      // Overflow beyond the response_url's posts is dropped; the first message says the most.
      if (index > 0 && (this.posts ?? 0) >= RESPONSE_URL_POSTS) break;
      await this.send(message, index === 0);
      this.delivered.set(messages, index + 1);
    }
    return { ts: undefined };
  }

  async append(message: RenderedMessage, _name: string): Promise<{ ts: string | undefined }> {
    await this.send(message, false);
    return { ts: undefined };
  }

  /** Records the answer (with its attribution and sources) for "Share in channel", and the posts used. */
  async recordAnswer(answer: {
    bodyMrkdwn: string;
    collaborators: string[];
    citations: { title: string; url?: string | undefined }[];
  }): Promise<void> {
    const ask = await this.deps.conversations.getAsk(this.target.askId);
    if (!ask) return;
    await this.deps.conversations.putAsk(
      this.target.askId,
      {
        ...ask.data,
        answerMrkdwn: answer.bodyMrkdwn,
        collaborators: answer.collaborators,
        citations: answer.citations.map((c) => (c.url ? { title: c.title, url: c.url } : { title: c.title })),
        posts: this.posts ?? ask.data.posts,
      },
      ask.version,
    );
  }

  private async send(message: RenderedMessage, replace: boolean): Promise<void> {
    const ask = await this.deps.conversations.getAsk(this.target.askId);
    if (!ask) throw new SlackApiError(`ask ${this.target.askId} has no response_url on record`);
    this.posts ??= ask.data.posts;
    if (this.posts >= RESPONSE_URL_POSTS) {
      throw new SlackApiError('the response_url has no posts left (5 per 30 minutes)');
    }
    const url = new URL(ask.data.responseUrl);
    if (!this.deps.allowedResponseHosts.includes(url.host)) {
      throw new SlackApiError(`refusing to post to a response_url on ${url.host}`);
    }
    this.posts += 1;
    const response = await this.deps.fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json; charset=utf-8' },
      body: JSON.stringify({
        response_type: 'ephemeral',
        replace_original: replace,
        text: message.text,
        blocks: message.blocks,
      }),
    });
    if (response.status === 429) {
      const retryAfter = Number(response.headers.get('retry-after') ?? '1');
      throw new RateLimitedError((Number.isFinite(retryAfter) ? retryAfter : 1) * 1000);
    }
    if (!response.ok) throw new SlackApiError(`response_url post failed with HTTP ${response.status}`);
  }
}

/** The surface a turn writes to; `jobId` keys a thread's posts (see `ThreadSurface`). */
export function surfaceFor(deps: SurfaceDeps, target: ReplyTarget, jobId?: string): ReplySurface {
  return target.kind === 'thread'
    ? new ThreadSurface(deps, target, jobId)
    : new EphemeralSurface(deps, target);
}
