import { z } from 'zod';
import { isoDate, isoInstant, slackChannelId, slackUserId } from './model';
import type { RenderedMessage } from './rendered-message';

/**
 * A channel's digest subscription and the record of each day's run. Stored in `workflow-state`:
 * subscriptions under one partition (`digest#subscriptions`, one item per channel, so the missed-run
 * sweep lists them with one Query), runs under `digest#<channel>` keyed `run#<local date>`.
 */

export const DIGEST_FREQUENCIES = ['weekdays', 'daily', 'weekly'] as const;
export const DigestFrequency = z.enum(DIGEST_FREQUENCIES);
export type DigestFrequency = z.infer<typeof DigestFrequency>;

/** What an empty digest does: post one "all quiet" line, or post nothing. */
const DIGEST_EMPTY_MODES = ['quiet_line', 'skip'] as const;
export const DigestEmptyMode = z.enum(DIGEST_EMPTY_MODES);
export type DigestEmptyMode = z.infer<typeof DigestEmptyMode>;

/** `HH:MM`, 24-hour. */
const digestTime = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be HH:MM between 00:00 and 23:59');

export const DigestSubscription = z.object({
  channelId: slackChannelId,
  enabled: z.boolean(),
  time: digestTime,
  frequency: DigestFrequency,
  /** ISO weekday (1 = Monday … 7 = Sunday) of a weekly digest. */
  weekday: z.number().int().min(1).max(7).optional(),
  /** IANA zone the time is in (and the digest's dates are shown in). */
  timeZone: z.string().min(1),
  /** BCP 47 locale dates are written in (the subscriber's Slack locale). */
  locale: z.string().min(2).max(35),
  whenEmpty: DigestEmptyMode,
  /** The workspace (`T…`) and app (`A…`) ids, for the App Home link (`slack://app?team=…&id=…&tab=home`). */
  slackTeamId: z.string().min(1).optional(),
  appId: z.string().min(1).optional(),
  /** The EventBridge schedule name (derived from the channel). */
  scheduleName: z.string().min(1).max(64),
  createdBy: slackUserId,
  updatedBy: slackUserId,
  createdAt: isoInstant,
  updatedAt: isoInstant,
});
export type DigestSubscription = z.infer<typeof DigestSubscription>;

/** `failed`: Slack refused for good (the bot was removed, the channel archived); tomorrow tries again. */
const DIGEST_RUN_STATES = ['posting', 'posted', 'skipped_empty', 'failed'] as const;

/** What the picture did: uploaded, failed (the digest went out without it), or not attempted. */
export const DigestPictureOutcome = z.enum(['uploaded', 'failed', 'none', 'unavailable']);
export type DigestPictureOutcome = z.infer<typeof DigestPictureOutcome>;

export const DigestCounts = z.object({
  launching: z.number().int().nonnegative(),
  atRisk: z.number().int().nonnegative(),
  overdue: z.number().int().nonnegative(),
  approvals: z.number().int().nonnegative(),
  conflicts: z.number().int().nonnegative(),
  changes: z.number().int().nonnegative(),
});
export type DigestCounts = z.infer<typeof DigestCounts>;

/**
 * One channel's digest for one local day. Created (`posting`, with a lease) before anything is
 * posted, so a duplicate or retried invocation finds it; `posted` once the message is out.
 */
export const DigestRun = z.object({
  channelId: slackChannelId,
  localDate: isoDate,
  /** `digest#<channel>#<local date>`: also in the message's metadata, to find the message again. */
  runKey: z.string().min(1),
  state: z.enum(DIGEST_RUN_STATES),
  /** The run (due instant) this digest is for. */
  scheduledTime: isoInstant,
  late: z.boolean(),
  /** While `posting`: until when this attempt owns the run (a crashed attempt's lease runs out). */
  leaseUntil: isoInstant.optional(),
  attempts: z.number().int().positive(),
  messageTs: z.string().optional(),
  /** The previous digest's cut-off: "since the last digest" starts here. */
  since: isoInstant,
  /** This digest's cut-off (when its data was read). */
  asOf: isoInstant.optional(),
  counts: DigestCounts.optional(),
  picture: DigestPictureOutcome.optional(),
  postedAt: isoInstant.optional(),
  /** The Slack error of a `failed` run. */
  slackError: z.string().optional(),
  /** Set on an on-demand digest (`/mcc digest now`): the request it answers, instead of the day's slot. */
  requestKey: z.string().min(1).max(200).optional(),
});
export type DigestRun = z.infer<typeof DigestRun>;

/** The key every run of a channel's day shares (message metadata, logs). */
export function digestRunKey(channelId: string, localDate: string): string {
  return `digest#${channelId}#${localDate}`;
}

/** The key of an on-demand digest: one per request, apart from the day's scheduled one. */
export function digestNowKey(channelId: string, requestKey: string): string {
  return `digest#${channelId}#now#${requestKey}`;
}

/** Slack message metadata `event_type` of a digest message. */
export const DIGEST_METADATA_EVENT = 'mcc_digest';

/* What travels between the digest service, its renderers and its Slack adapter. */

/** A rendered digest message (built by `blocks/`; the service only passes it through). */
export type DigestMessage = RenderedMessage;

/** A rendered timeline picture, or `undefined` when there is nothing to draw. */
export interface DigestPicture {
  png: Uint8Array;
  altText: string;
  title: string;
  filename: string;
}
