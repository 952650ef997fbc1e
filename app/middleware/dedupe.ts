import { type AllMiddlewareArgs, type AnyMiddlewareArgs, ErrorCode, type Middleware } from '@slack/bolt';
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
 * Whether a request has been acknowledged, kept by the receiver beside Bolt's `ack` (context key
 * `ackState`, see `trackAck`): Bolt gives every middleware and listener a copy of the arguments, so
 * the one `ack` function is all they share, and asking it a second time means building and catching
 * a `ReceiverMultipleAckError` (with its stack) on every acknowledged request.
 */
export interface AckState {
  acknowledged: boolean;
}

/** Wraps a receiver's `ack` so that `state` records the first call (see `AckState`). */
export function trackAck<R>(ack: (response?: R) => Promise<void>): {
  ack: (response?: R) => Promise<void>;
  state: AckState;
} {
  const state: AckState = { acknowledged: false };
  return {
    state,
    ack: (response?: R) => {
      state.acknowledged = true;
      return ack(response);
    },
  };
}

/**
 * Global middleware: one conditional write per delivery before any listener runs, so a duplicate
 * goes no further (no second write, no second post).
 *
 * Events API deliveries (`event:` keys) are claimed in two stages, as Powertools' idempotency does:
 * in progress for `IN_PROGRESS_SECONDS`, then completed for a day. Slack retries an event whose
 * answer was late or failed (~immediately on a 3 s timeout, ~1 and ~5 minutes later); a duplicate of
 * a delivery still running throws `DeliveryInProgressError`, which the receiver answers with 409 so
 * that Slack retries it later, and a claim whose holder died lapses so the next retry runs.
 *
 * Everything else is keyed by its request signature, and there the claim is one write, completed
 * at once: Slack never retries a slash command, an interaction or a view submission (a late answer
 * is an error shown to the user, reference/platform-facts.md §1), so a second copy is a
 * byte-identical replay, to be ignored whether or not the first has finished; and a crashed first
 * run has no retry to let through. That saves a store round trip on every command and click.
 *
 * When the listeners fail, the key is given back, so a sender's retry runs. After the listeners
 * have run, a request none of them acknowledged (e.g. a click on a link button, which Slack still
 * delivers) is acknowledged empty. Otherwise Bolt's HTTP receiver would hold the response for its
 * 3-second no-ack timer and then answer 404: billed Lambda time for nothing and an error mark in
 * the user's Slack client.
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
    const logged = { dedupeKey: key.slice(0, 24), retryNum: context.retryNum };
    if (!key.startsWith('event:')) {
      if (!(await dedupe.claim(key, REQUEST_TTL_SECONDS))) return ignoreDuplicate(args, logged);
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
    const claim = await dedupe.claimDelivery(key, {
      inProgressSeconds: IN_PROGRESS_SECONDS,
      ttlSeconds: EVENT_TTL_SECONDS,
    });
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
      const kept = await dedupe.complete(key, claim.token, EVENT_TTL_SECONDS).catch((error: unknown) => {
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
    await ignoreDuplicate(args, logged);
  };
}

async function ignoreDuplicate(args: AnyMiddlewareArgs & AllMiddlewareArgs, logged: Record<string, unknown>) {
  args.logger.info(logged, 'duplicate delivery ignored');
  if ('ack' in args && typeof args.ack === 'function') await args.ack();
}

/** Whether a context value is the receiver's `AckState` (the HTTP receiver keeps one; Socket Mode not). */
function isAckState(value: unknown): value is AckState {
  return (
    value !== null &&
    typeof value === 'object' &&
    'acknowledged' in value &&
    typeof value.acknowledged === 'boolean'
  );
}

/**
 * Acks with an empty body unless a listener already did. The HTTP receiver says whether one did
 * (`AckState`); elsewhere (Socket Mode) a second ack is tried and Bolt's refusal taken as the answer.
 */
async function ackIfUnacknowledged(args: AnyMiddlewareArgs & AllMiddlewareArgs) {
  if (!('ack' in args) || typeof args.ack !== 'function') return;
  const state: unknown = args.context.ackState;
  if (isAckState(state) && state.acknowledged) return;
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
