import type { RenderedMessage } from '../../domain/rendered-message';
import { SlackApiError } from '../../errors';

/** Thrown when Slack said 429: the caller skips a progress update, or waits `retryAfterMs` for a final one. */
export class RateLimitedError extends SlackApiError {
  constructor(
    readonly retryAfterMs: number,
    options?: { cause?: unknown },
  ) {
    super(`Slack rate limited the update; retry after ${retryAfterMs} ms`, options);
  }
}

/**
 * Where one turn writes. Two kinds:
 * - a thread (mention, DM): the "working…" placeholder is updated in place with `chat.update`
 *   (Tier 3, ~50/min per workspace, and ~1/s per message is what Slack tolerates), follow-ups are
 *   `chat.postMessage` in the same thread;
 * - an ephemeral `/mcc ask` answer: only the `response_url` can change it, 5 posts in 30 minutes
 *   (platform-facts §1). The listener's ack shows the placeholder for free; the plan is then at most
 *   2 progress updates, the final answer, and 2 posts kept back for overflow or an error.
 */
export interface ReplySurface {
  /** A thread shows heartbeats and retry notes; an ephemeral answer has too few posts for them. */
  readonly kind: 'thread' | 'ephemeral';
  /** How many progress updates this surface may still take. */
  progressBudget(): number;
  /** Minimum time between two progress updates. */
  readonly progressIntervalMs: number;
  /**
   * Shows that the turn has started: a thread gets its "working…" placeholder, posted by the job
   * (never by the listener, which only stores the job) and once per job however often it is retried.
   * An ephemeral answer needs none (the command's ack showed it).
   */
  begin?(message: RenderedMessage): Promise<void>;
  /** A progress update. `RateLimitedError` on 429 (the caller skips it). */
  progress(message: RenderedMessage): Promise<void>;
  /** The final answer: the first message replaces the placeholder, the rest follow in the thread. */
  finish(messages: RenderedMessage[]): Promise<{ ts: string | undefined }>;
  /**
   * Posts a further message after the turn (e.g. an approval outcome); never replaces. `name` tells
   * this job's additions apart: a retried job re-finds the message it posted under the same name.
   */
  append(message: RenderedMessage, name: string): Promise<{ ts: string | undefined }>;
  /** Ephemeral answers: records the answer (with attribution and sources) for "Share in channel". */
  recordAnswer?(answer: {
    bodyMrkdwn: string;
    collaborators: string[];
    citations: { title: string; url?: string | undefined }[];
  }): Promise<void>;
}
