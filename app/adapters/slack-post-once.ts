import type { WebClient } from '@slack/web-api';
import { z } from 'zod';
import {
  type OncePost,
  type OncePostOutcome,
  POST_METADATA_EVENT,
  type PostLedger,
} from '../domain/outbound-post';
import { SlackApiError } from '../errors';
import { slackErrorCode } from './slack';

const HistoryPage = z.object({
  messages: z
    .array(
      z.looseObject({
        ts: z.string(),
        metadata: z
          .looseObject({
            event_type: z.string(),
            event_payload: z.record(z.string(), z.unknown()).optional(),
          })
          .optional(),
      }),
    )
    .default([]),
  response_metadata: z.object({ next_cursor: z.string().optional() }).optional(),
});

/** Pages read when looking for an earlier attempt's message (100 messages each, 200 in a thread). */
const MAX_PAGES = 5;
/**
 * How far before a recorded `since` the search starts: the ts Slack gives a message is Slack's
 * clock, `since` is ours; a minute covers any skew a container's clock has.
 */
const SEARCH_MARGIN_MS = 60_000;

/** Where a post with this key was found. */
export interface FoundPost {
  ts: string;
  channel: string;
}

/**
 * The one crash-safe way to post a message (see `app/domain/outbound-post.ts` for the protocol):
 * every post made through it carries its key in Slack message metadata, so a retry after a crash
 * between Slack's answer and the record finds the message instead of posting it again. Used by the
 * agent's replies, approval messages, announcements, `slack.post` jobs and the daily digest.
 *
 * The search (`conversations.history`, or `conversations.replies` for a thread reply) runs only on
 * a retry whose earlier attempt began and recorded no ts: those methods are Tier 3, and stricter for
 * some commercially distributed apps (platform-facts §4), so they are never on the normal path.
 */
export class SlackPoster {
  constructor(
    private readonly slack: Pick<WebClient, 'chat' | 'conversations'>,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  /** Posts `post` once, whatever earlier attempts did (their progress is in `ledger`). */
  async postOnce(
    ledger: PostLedger,
    post: OncePost,
  ): Promise<{ ts: string; channel: string; outcome: OncePostOutcome }> {
    const record = await ledger.read();
    if (record?.ts) {
      const channel = record.channel ?? post.channel;
      if (post.updateExisting) await this.update(channel, record.ts, post);
      return { ts: record.ts, channel, outcome: 'recorded' };
    }
    if (record?.since) {
      const found = await this.find(post, new Date(Date.parse(record.since) - SEARCH_MARGIN_MS));
      if (found) {
        await ledger.posted(found.ts, found.channel);
        if (post.updateExisting) await this.update(found.channel, found.ts, post);
        return { ...found, outcome: 'found' };
      }
    } else {
      // Recorded before the call: if this process dies after Slack posts, the next attempt searches.
      await ledger.begin(this.clock());
    }
    const posted = await this.post(post);
    await ledger.posted(posted.ts, posted.channel);
    return { ...posted, outcome: 'posted' };
  }

  /** Posts with the key in the message's metadata (no ledger: for a caller that keeps its own record). */
  async post(post: OncePost): Promise<FoundPost> {
    const result = await this.slack.chat.postMessage({
      channel: post.channel,
      ...(post.threadTs ? { thread_ts: post.threadTs } : {}),
      text: post.message.text,
      ...(post.message.blocks ? { blocks: post.message.blocks } : {}),
      metadata: metadataOf(post),
      unfurl_links: post.unfurl ?? false,
      unfurl_media: post.unfurl ?? false,
    });
    if (!result.ts) throw new SlackApiError(`chat.postMessage returned no ts for ${post.key.slice(0, 60)}`);
    return { ts: result.ts, channel: result.channel ?? post.channel };
  }

  /**
   * The message posted with `post.key` at or after `oldest`, if any: the channel's history for a
   * top-level message, the thread's replies for a reply. A post to a user id is looked for in the DM.
   */
  async find(
    post: Pick<OncePost, 'key' | 'channel' | 'threadTs' | 'metadata'>,
    oldest: Date,
  ): Promise<FoundPost | undefined> {
    const channel = await this.conversationOf(post.channel);
    const eventType = post.metadata?.event_type ?? POST_METADATA_EVENT;
    let cursor: string | undefined;
    for (let page = 0; page < MAX_PAGES; page++) {
      const args = {
        channel,
        oldest: (Math.max(0, oldest.getTime()) / 1000).toFixed(6),
        include_all_metadata: true,
        ...(cursor ? { cursor } : {}),
      };
      let raw: unknown;
      try {
        raw = post.threadTs
          ? await this.slack.conversations.replies({ ...args, ts: post.threadTs, limit: 200 })
          : await this.slack.conversations.history({ ...args, limit: 100 });
      } catch (error) {
        // A thread whose parent is gone holds no reply of ours.
        if (slackErrorCode(error) === 'thread_not_found') return undefined;
        throw error;
      }
      const parsed = HistoryPage.parse(raw);
      const found = parsed.messages.find((m) => {
        if (m.metadata?.event_type !== eventType) return false;
        const payload = m.metadata.event_payload ?? {};
        // Digests posted before every post carried `post_key` name their key `run_key`.
        return (payload.post_key ?? payload.run_key) === post.key;
      });
      if (found) return { ts: found.ts, channel };
      cursor = parsed.response_metadata?.next_cursor || undefined;
      if (!cursor) return undefined;
    }
    return undefined;
  }

  private async update(channel: string, ts: string, post: OncePost): Promise<void> {
    await this.slack.chat.update({
      channel,
      ts,
      text: post.message.text,
      ...(post.message.blocks ? { blocks: post.message.blocks } : {}),
      metadata: metadataOf(post),
    });
  }

  /** A user id (`U…`/`W…`) posts to the DM; history needs the DM's own id. */
  private async conversationOf(channel: string): Promise<string> {
    if (!/^[UW]/.test(channel)) return channel;
    const opened = await this.slack.conversations.open({ users: channel });
    const id = opened.channel?.id;
    if (!id) throw new SlackApiError('conversations.open returned no channel id');
    return id;
  }
}

/** The message metadata of a post: the caller's event (or `mcc_post`) with `post_key` added. */
function metadataOf(post: Pick<OncePost, 'key' | 'metadata'>): {
  event_type: string;
  event_payload: Record<string, string | number | boolean>;
} {
  return {
    event_type: post.metadata?.event_type ?? POST_METADATA_EVENT,
    event_payload: { ...(post.metadata?.event_payload ?? {}), post_key: post.key },
  };
}
