import { type AnyMiddlewareArgs, ErrorCode, type Middleware } from '@slack/bolt';
import type { DedupeRepository } from '../adapters/dynamo/dedupe-repo';

/** How long a claimed key is remembered: Slack retries events for ~5 minutes; a signature is valid for 5. */
const EVENT_TTL_SECONDS = 24 * 60 * 60;
const REQUEST_TTL_SECONDS = 15 * 60;

/**
 * The key that identifies one delivery: the envelope's `event_id` for Events API callbacks (Slack's
 * retries reuse it, with a fresh signature), otherwise the request signature (a byte-identical
 * replay of a signed request carries the same one). Socket Mode has neither signature nor replay;
 * its `envelope_id` is used.
 */
export function deliveryKey(body: unknown, context: Record<string, unknown>): string | undefined {
  if (body !== null && typeof body === 'object') {
    const envelope = body as { type?: unknown; event_id?: unknown };
    if (envelope.type === 'event_callback' && typeof envelope.event_id === 'string')
      return `event:${envelope.event_id}`;
  }
  const signature = context.slackSignature;
  if (typeof signature === 'string' && signature.length > 0) return `sig:${signature}`;
  const envelopeId = context.socketEnvelopeId;
  if (typeof envelopeId === 'string' && envelopeId.length > 0) return `env:${envelopeId}`;
  return undefined;
}

/**
 * Global middleware: one conditional write per delivery, before any listener runs. A duplicate is
 * acknowledged (so Slack stops retrying) and goes no further: no second write, no second post.
 *
 * After the listeners have run, a request none of them acknowledged (e.g. a click on a link
 * button, which Slack still delivers) is acknowledged empty. Otherwise Bolt's HTTP receiver would
 * hold the response for its 3-second no-ack timer and then answer 404: billed Lambda time for
 * nothing and an error mark in the user's Slack client.
 */
export function dedupeMiddleware(dedupe: DedupeRepository): Middleware<AnyMiddlewareArgs> {
  return async (args) => {
    const { body, context, next, logger } = args;
    const key = deliveryKey(body, context);
    if (key === undefined) {
      await next();
      await ackIfUnacknowledged(args);
      return;
    }
    const isEvent = key.startsWith('event:');
    const first = await dedupe.claim(key, isEvent ? EVENT_TTL_SECONDS : REQUEST_TTL_SECONDS);
    if (first) {
      try {
        await next();
        await ackIfUnacknowledged(args);
      } catch (error) {
        await dedupe
          .release(key)
          .catch((releaseError: unknown) => logger.warn(releaseError, 'dedupe release failed'));
        throw error;
      }
      return;
    }
    logger.info({ dedupeKey: key.slice(0, 24), retryNum: context.retryNum }, 'duplicate delivery ignored');
    if ('ack' in args && typeof args.ack === 'function') await args.ack();
  };
}

/** Acks with an empty body unless a listener already did (Bolt throws on a second ack). */
async function ackIfUnacknowledged(args: AnyMiddlewareArgs & { logger: { warn(...m: unknown[]): void } }) {
  if (!('ack' in args) || typeof args.ack !== 'function') return;
  try {
    await (args.ack as () => Promise<void>)();
  } catch (error) {
    if ((error as { code?: unknown }).code === ErrorCode.ReceiverMultipleAckError) return;
    throw error;
  }
  args.logger.warn(
    { type: (args.body as { type?: unknown }).type },
    'no listener acknowledged the request; acked empty',
  );
}
