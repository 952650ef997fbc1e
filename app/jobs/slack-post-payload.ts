import { z } from 'zod';

/*
 * The `slack.post` job's kind and payload, apart from its handler (`slack-post.ts`), so a listener
 * that enqueues one does not bring the handler into the HTTP bundle.
 */

/** Job kind: post a prepared message (text + optional blocks) with chat.postMessage. */
export const SLACK_POST_JOB_KIND = 'slack.post';

/**
 * The payload of a `slack.post` job: a message already rendered by `blocks/` (the job does no
 * rendering), so a notification can be sent from anywhere outside a listener.
 */
export const SlackPostPayload = z.object({
  channel: z.string().regex(/^[CDGU][A-Z0-9]{2,}$/, 'must be a channel, DM or user id'),
  /** Fallback text (notifications, screen readers); required even with blocks. */
  text: z.string().min(1).max(40_000),
  blocks: z
    .array(z.looseObject({ type: z.string().min(1) }))
    .max(50)
    .optional(),
  threadTs: z.string().optional(),
  unfurlLinks: z.boolean().optional(),
});
export type SlackPostPayload = z.infer<typeof SlackPostPayload>;
