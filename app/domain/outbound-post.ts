import type { Block, KnownBlock } from '@slack/types';

/*
 * The crash-safe post: what a job, a schedule or a digest run knows about one message it must post
 * exactly once, however often it is retried, even when a process dies between Slack's answer and
 * the record of it.
 *
 * The protocol (`postOnce` in app/adapters/slack-post-once.ts):
 * 1. read the ledger: a recorded `ts` → the message exists; nothing is posted;
 * 2. an attempt that began (`since`) but recorded no `ts` may have posted and died before the
 *    record: the channel (or thread) is searched from `since` for a message carrying this post's
 *    key in its metadata (`event_payload.post_key`); found → its `ts` is recorded, nothing posted;
 * 3. otherwise `begin` is recorded **before** the message is posted (with the key in its
 *    metadata), then the `ts` Slack answers is recorded with `posted`.
 * The caller serialises attempts (a job's lease, a digest run's claim): the ledger does not.
 */

/** Message metadata `event_type` of a post made through `postOnce` (unless the caller names its own). */
export const POST_METADATA_EVENT = 'mcc_post';

/** What a ledger holds about one post. */
export interface PostRecord {
  /** The message's ts once posted (or found). */
  ts?: string | undefined;
  /** The channel the message is in (a DM's `D…` id when it was posted to a user id). */
  channel?: string | undefined;
  /** When an attempt began posting: it may have posted without recording the ts. */
  since?: string | undefined;
}

/** Where one post's progress is recorded, before and after the Slack call. */
export interface PostLedger {
  read(): Promise<PostRecord | undefined>;
  /** Recorded before the Slack call: an attempt is about to post (at `since`). */
  begin(since: Date): Promise<void>;
  /** Recorded after: the message's ts (posted now, or found from an earlier attempt). */
  posted(ts: string, channel: string): Promise<void>;
}

/** Ledgers by post key (`app/services/post-ledger.ts` keeps them in workflow-state). */
export type PostLedgers = (key: string) => PostLedger;

/** One message to post once. */
export interface OncePost {
  /** Stable across retries: e.g. `approval:<id>:request`, `agent:<job id>:main`. At most 200 characters. */
  key: string;
  /** A channel, DM or user id. */
  channel: string;
  threadTs?: string | undefined;
  /** A message rendered by blocks/ (`RenderedMessage`), or a prepared one (`slack.post` jobs). */
  message: { text: string; blocks?: (KnownBlock | Block)[] | undefined };
  unfurl?: boolean;
  /** Metadata of the message; `post_key` is added to its payload. Default: `POST_METADATA_EVENT`, no other fields. */
  metadata?: { event_type: string; event_payload: Record<string, string | number | boolean> };
  /**
   * When the message already exists (recorded or found), replace its content with `message`
   * (`chat.update`): for messages whose content may differ between attempts (an agent's answer).
   * Off by default: a posted approval request may since show a decision and must not be reverted.
   */
  updateExisting?: boolean;
}

/** How a `postOnce` ended: `posted` now, `found` (an earlier attempt posted it), or `recorded` (on record). */
export type OncePostOutcome = 'posted' | 'found' | 'recorded';
