import type { Block, KnownBlock } from '@slack/types';
import { z } from 'zod';

/*
 * The `slack.respond` job's kind and payload, apart from its handler (`slack-respond.ts`), so the
 * listeners that enqueue it do not bring the handler (and what it renders with) into their bundle.
 */

/** Job kind: answer a click through its `response_url` (kept as the job's `responseUrl`, never in the payload). */
export const SLACK_RESPOND_JOB_KIND = 'slack.respond';

const userId = z.string().min(1).max(40);
/** A Block Kit block as rendered by blocks/ (checked for its `type` only: Slack validates the rest). */
const BlockShape = z.custom<KnownBlock | Block>(
  (value) => typeof value === 'object' && value !== null && 'type' in value && typeof value.type === 'string',
  'a block must be an object with a type',
);
const message = z.object({
  text: z.string().min(1).max(40_000),
  blocks: z.array(BlockShape).max(50).optional(),
});

/**
 * What the job answers with. `message`: already rendered by the listener (it needed nothing beyond
 * the click). The others are rendered by the job, because they need what a listener must not wait
 * for before its HTTP response (the user's time zone from `users.info`, group membership, queries):
 * - `approval_list`: the caller's `/mcc approvals` list redrawn after a decision, `feedback` on top;
 * - `campaign_page`: the next page of `/mcc campaigns` ("Show more"), from its cursor;
 * - `campaign_card`: the card of a campaign chosen in the `/mcc status` picker;
 * - `share_answer`: "Share in channel" under an `/mcc ask` answer (posts it, then confirms).
 */
export const RespondPayload = z.discriminatedUnion('view', [
  z.object({ view: z.literal('message'), message, replaceOriginal: z.boolean() }),
  z.object({ view: z.literal('approval_list'), userId, feedback: z.string().min(1).max(3000) }),
  z.object({ view: z.literal('campaign_page'), userId, cursor: z.string().min(1).max(2000) }),
  z.object({ view: z.literal('campaign_card'), userId, campaignId: z.string().min(1).max(150) }),
  z.object({ view: z.literal('share_answer'), userId, askId: z.string().min(1).max(200) }),
]);
export type RespondPayload = z.infer<typeof RespondPayload>;
