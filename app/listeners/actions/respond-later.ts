import { z } from 'zod';
import type { RenderedMessage } from '../../domain/rendered-message';
import { type RespondPayload, SLACK_RESPOND_JOB_KIND } from '../../jobs/slack-respond-payload';
import type { AppLogger } from '../../logger';
import type { Services } from '../../services';

/** What a click carries for its answer: the URL to answer through and an id unique to the click. */
const ClickReply = z.object({
  response_url: z.string().url().optional(),
  trigger_id: z.string().min(1).optional(),
  actions: z.array(z.object({ action_ts: z.string().optional() })).optional(),
});

/**
 * Answers a click later, from a `slack.respond` job (one store write here, no Slack call before the
 * HTTP response): a block action cannot carry a message in its ack, and a `respond()` in the
 * listener would be a Slack round trip the user waits for. Idempotent per click (`trigger_id`), so
 * a replayed click is answered once. A click with no `response_url` (in a modal or App Home) has no
 * message to answer in: nothing is enqueued, and that is logged.
 */
export async function respondLater(
  deps: { services: Pick<Services, 'jobs'>; logger: Pick<AppLogger, 'warn'> },
  body: unknown,
  payload: RespondPayload,
): Promise<void> {
  const click = ClickReply.parse(body);
  if (!click.response_url) {
    deps.logger.warn({ view: payload.view }, 'a click without a response_url cannot be answered');
    return;
  }
  const clickId = click.trigger_id ?? click.actions?.[0]?.action_ts;
  await deps.services.jobs.enqueue({
    kind: SLACK_RESPOND_JOB_KIND,
    payload,
    responseUrl: click.response_url,
    ...(clickId ? { idempotencyKey: `${clickId}:${payload.view}` } : {}),
  });
}

/** A ready message as the answer: shown on its own (`replace: false`) or in place of the message clicked. */
export function messageAnswer(message: RenderedMessage | { text: string }, replace = false): RespondPayload {
  return {
    view: 'message',
    message: { text: message.text, ...('blocks' in message ? { blocks: message.blocks } : {}) },
    replaceOriginal: replace,
  };
}
