import type { OpenConflictSummary } from '../../adapters/dynamo/sync-state-repo';
import type { DigestMessage, DigestPicture } from '../../domain/digest';
import type { DigestContent } from '../../domain/digest-content';
import type { OncePost, OncePostOutcome, PostLedger } from '../../domain/outbound-post';

/**
 * What the digest services need from outside, as ports: Slack (post, find, upload, membership),
 * the renderers (Block Kit and the picture, from `blocks/` via the app layer), and the Sync
 * capability's open conflicts. The services never import Bolt, Block Kit or a Slack client.
 */

/** Renders a digest (implemented by `blocks/digest.ts`). Pure. */
export type DigestRenderer = (content: DigestContent) => DigestMessage;

/** Draws the 14-day launch timeline (`blocks/digest-timeline.ts` + the PNG rasterizer). */
export type DigestPictureRenderer = (content: DigestContent) => Promise<DigestPicture | undefined>;

/**
 * Slack, for digests (`adapters/slack-digest-publisher.ts`, which satisfies it structurally: adapters
 * import no services; `services/index.ts` wires it in, where the compiler checks the fit).
 */
export interface DigestPublisher {
  /** Posts the digest once (the shared crash-safe post, over the run record as its ledger); the message `ts`. */
  postOnce(ledger: PostLedger, post: OncePost): Promise<{ ts: string; outcome: OncePostOutcome }>;
  /** The `ts` of a digest message with this run key posted at or after `oldest`, if there is one. */
  findPosted(channelId: string, runKey: string, oldest: Date): Promise<string | undefined>;
  /** Uploads the picture as a reply in the digest's thread (files.uploadV2's three steps). */
  uploadPicture(channelId: string, threadTs: string, picture: DigestPicture): Promise<void>;
}

/** A Slack failure the digest must tell apart: retrying cannot help (the bot left, the channel is gone). */
export function isFinalSlackFailure(code: string | undefined): boolean {
  return code !== undefined && FINAL_SLACK_ERRORS.has(code);
}

const FINAL_SLACK_ERRORS = new Set([
  'not_in_channel',
  'channel_not_found',
  'is_archived',
  'restricted_action',
  'invalid_blocks',
  'msg_too_long',
  'account_inactive',
  'missing_scope',
]);

/** Who is in a channel (`conversations.info` / `conversations.members`; `SlackChannelAccess` in the adapter). */
export interface ChannelAccess {
  /** Whether the bot is a member (it can post there). `undefined` when the channel does not exist. */
  botIsMember(channelId: string): Promise<boolean | undefined>;
  isMember(userId: string, channelId: string): Promise<boolean>;
}

/** The Sync capability's open conflicts of a team (`SyncStateRepository.listOpenConflicts`). */
export interface SyncConflictSource {
  listOpenConflicts(teamId: string, limit?: number): Promise<OpenConflictSummary[]>;
}
