import { type AnyMiddlewareArgs, ErrorCode, type Middleware } from '@slack/bolt';
import type { DedupeRepository } from '../adapters/dynamo/dedupe-repo';
import { DeliveryInProgressError } from '../errors';

/** How long a claimed key is remembered: Slack retries events for ~5 minutes; a signature is valid for 5. */
const EVENT_TTL_SECONDS = 24 * 60 * 60;
const REQUEST_TTL_SECONDS = 15 * 60;
/**
 * How long a claim holds while its listeners run, after which a retry may take it over (the holder
 * is taken to have died: a crash or a Lambda timeout leaves no release). A little past Slack's 3 s
 * ack budget, which a live listener cannot outlast anyway (Slack has given up on that delivery by
 * then), with room for a slow store and clocks that differ between containers; and well under
 * Slack's next retries (~1 and ~5 minutes), so one of them runs.
 */
export const IN_PROGRESS_SECONDS = 10;

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
 * Global middleware: one conditional write per delivery, before any listener runs, and one when they
 * are done. A duplicate of a finished delivery is acknowledged (so Slack stops retrying) and goes no
 * further: no second write, no second post. A duplicate of one still running (its claim not yet
 * expired) throws `DeliveryInProgressError`, which the receiver answers with 409 so that Slack
 * retries it later; a claim whose holder died lapses after `IN_PROGRESS_SECONDS` and the next retry
 * runs. When the listeners fail, the key is given back, so the sender's retry runs too.
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
    const ttlSeconds = key.startsWith('event:') ? EVENT_TTL_SECONDS : REQUEST_TTL_SECONDS;
    const claim = await dedupe.claimDelivery(key, { inProgressSeconds: IN_PROGRESS_SECONDS, ttlSeconds });
    const logged = { dedupeKey: key.slice(0, 24), retryNum: context.retryNum };
    if (claim.status === 'claimed') {
      try {
        await next();
        await ackIfUnacknowledged(args);
      } catch (error) {
        await dedupe
          .release(key, claim.token)
          .catch((releaseError: unknown) => logger.warn(releaseError, 'dedupe release failed'));
        throw error;
      }
      const kept = await dedupe.complete(key, claim.token, ttlSeconds).catch((error: unknown) => {
        logger.warn(error, 'dedupe complete failed; the claim lapses and a retry may run again');
        return true;
      });
      if (!kept) logger.warn(logged, 'delivery outlasted its claim; a retry may have run it as well');
      return;
    }
    if (claim.status === 'in_progress') {
      logger.info(logged, 'duplicate of a delivery still running; the sender is asked to retry later');
      throw new DeliveryInProgressError(`delivery ${key.slice(0, 24)} is still being handled`);
    }
    logger.info(logged, 'duplicate delivery ignored');
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
