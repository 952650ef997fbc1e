import type { EventsLogRepository } from '../../adapters/dynamo/events-log-repo';
import type { AppLogger } from '../../logger';
import type { AsanaHookStore } from './asana-hooks';
import { ASSUMPTIONS, AssumptionError, type AssumptionLedger, reportAssumption } from './assumptions';
import {
  AsanaDelivery,
  type DecodedWorkfrontEvent,
  decodeState,
  WORKFRONT_OBJ_CODES,
  WorkfrontDelivery,
  type WorkfrontObjCode,
} from './payloads';
import { checkAsanaSignature, checkWorkfrontToken, contentKey } from './signatures';

/**
 * Webhook intake (issue 8, items 1–3): authenticate, parse, make ONE delivery record under an
 * idempotency key derived from the source event (events log, conditional put) and enqueue its
 * processing job, then answer — within milliseconds, far inside Workfront's 5 s and Asana's 10 s.
 * Nothing is stored for a request that fails authentication (401) or parsing (400). A duplicate
 * delivery answers 200 and (re-)enqueues the same job, which is a no-op when it exists: a crash
 * between the record and the job is healed by the sender's retry.
 */
export interface WebhookRequest {
  headers: Record<string, string | undefined>;
  query: Record<string, string | undefined>;
  rawBody: Buffer;
}

export interface WebhookResponse {
  status: number;
  body?: Record<string, unknown>;
  headers?: Record<string, string>;
}

export const DELIVERY_JOB_KIND = 'sync.delivery';
/** Deliveries are kept this long in the events log (replay window for phase 2's operator view). */
const DELIVERY_TTL_DAYS = 14;
/** Events per stored delivery part (a part stays far below DynamoDB's 400 KB item limit). */
const EVENTS_PER_PART = 500;

export interface DeliveryEnqueuer {
  enqueue(input: {
    kind: string;
    payload: Record<string, unknown>;
    idempotencyKey?: string;
    maxAttempts?: number;
  }): Promise<unknown>;
}

export interface SyncIntakeDeps {
  eventsLog: Pick<EventsLogRepository, 'recordOnce'>;
  jobs: DeliveryEnqueuer;
  hooks: Pick<AsanaHookStore, 'acceptHandshake' | 'secretFor'>;
  /** `WORKFRONT_WEBHOOK_TOKEN`; undefined = the Workfront intake refuses everything (503). */
  workfrontToken: string | undefined;
  ledger?: AssumptionLedger | undefined;
  logger: AppLogger;
}

const rejected = (status: number, error: string, message: string): WebhookResponse => ({
  status,
  body: { ok: false, error, message },
});

/** The stream a source's deliveries are recorded in. */
export const deliveryStream = (source: 'asana' | 'workfront') => `webhook#${source}`;

export class SyncIntakeService {
  private tokenFormsSeen = new Set<string>();

  constructor(private readonly deps: SyncIntakeDeps) {}

  /** `POST /webhooks/asana?hook=<hookId>`: the handshake, heartbeats and event batches. */
  async asana(request: WebhookRequest): Promise<WebhookResponse> {
    const { logger } = this.deps;
    const hookId = request.query.hook;
    const handshake = request.headers['x-hook-secret'];
    if (handshake !== undefined) {
      if (!hookId || !(await this.deps.hooks.acceptHandshake(hookId, handshake))) {
        logger.warn(
          { event: 'asana_handshake_refused', hookId },
          'Asana handshake for no registration in progress',
        );
        return rejected(
          401,
          'unexpected_handshake',
          'No webhook registration is waiting for this handshake.',
        );
      }
      logger.info({ event: 'asana_handshake', hookId }, 'Asana webhook handshake accepted');
      return { status: 200, headers: { 'X-Hook-Secret': handshake }, body: { ok: true } };
    }
    const signature = request.headers['x-hook-signature'];
    const secret = hookId ? await this.deps.hooks.secretFor(hookId) : undefined;
    if (!signature || !secret) {
      logger.warn(
        { event: 'asana_unauthenticated', hookId, signed: Boolean(signature) },
        'Asana delivery refused',
      );
      return rejected(401, 'invalid_signature', 'Missing signature or unknown webhook.');
    }
    const check = checkAsanaSignature(request.rawBody, secret, signature);
    if (check !== 'valid') {
      if (check === 'valid_base64') {
        await reportAssumption(
          this.deps.ledger,
          logger,
          new AssumptionError(
            ASSUMPTIONS.asanaSignatureHex,
            'X-Hook-Signature is the base64, not hex, HMAC of the body; refusing until the expected encoding is changed',
          ),
          { hookId },
        );
      } else logger.warn({ event: 'asana_bad_signature', hookId }, 'Asana delivery with a wrong signature');
      return rejected(401, 'invalid_signature', 'The signature does not match.');
    }
    const parsed = AsanaDelivery.safeParse(parseJson(request.rawBody));
    if (!parsed.success) {
      logger.warn(
        { event: 'asana_malformed', hookId, issue: parsed.error.issues[0]?.message },
        'malformed Asana delivery',
      );
      return rejected(400, 'malformed', 'Expected {"events": [...]} with Asana event objects.');
    }
    const events = parsed.data.events;
    if (events.length === 0) {
      logger.debug({ event: 'asana_heartbeat', hookId }, 'Asana heartbeat');
      return { status: 200, body: { ok: true, heartbeat: true } };
    }
    const key = `as-${contentKey(events)}`;
    const parts = chunk(events, EVENTS_PER_PART);
    await Promise.all(
      parts.map((part, index) =>
        this.accept('asana', parts.length === 1 ? key : `${key}-p${index + 1}`, { hookId, events: part }),
      ),
    );
    return { status: 200, body: { ok: true, events: events.length } };
  }

  /** `POST /webhooks/workfront`: one event subscription message. */
  async workfront(request: WebhookRequest): Promise<WebhookResponse> {
    const { logger } = this.deps;
    const expected = this.deps.workfrontToken;
    if (!expected) {
      logger.error(
        { event: 'workfront_token_missing' },
        'WORKFRONT_WEBHOOK_TOKEN is not set: every delivery is refused',
      );
      return rejected(503, 'not_configured', 'The Workfront intake has no token configured.');
    }
    const auth = checkWorkfrontToken(request.headers.authorization, expected);
    if (!auth.ok) {
      const elsewhere = Object.keys(request.headers).find(
        (h) => /token|auth/i.test(h) && h !== 'authorization',
      );
      if (auth.reason === 'missing' && elsewhere) {
        await reportAssumption(
          this.deps.ledger,
          logger,
          new AssumptionError(
            ASSUMPTIONS.workfrontTokenHeader,
            `no Authorization header, but a "${elsewhere}" header arrived: the token is expected in Authorization`,
          ),
        );
      } else logger.warn({ event: 'workfront_bad_token', reason: auth.reason }, 'Workfront delivery refused');
      return rejected(401, 'invalid_token', 'Missing or wrong subscription token.');
    }
    if (!this.tokenFormsSeen.has(auth.form)) {
      this.tokenFormsSeen.add(auth.form);
      logger.info(
        { event: 'workfront_token_form', form: auth.form },
        `Workfront token arrived as ${auth.form} Authorization`,
      );
    }
    const decoded = decodeWorkfront(parseJson(request.rawBody));
    if ('error' in decoded) {
      logger.warn({ event: 'workfront_malformed', issue: decoded.error }, 'malformed Workfront delivery');
      return rejected(400, 'malformed', decoded.error);
    }
    const e = decoded.event;
    const key = `wf-${contentKey([e.subscriptionId, e.eventType, e.eventTime, e.objCode, e.id])}`;
    await this.accept('workfront', key, { event: e });
    return { status: 200, body: { ok: true } };
  }

  private async accept(
    source: 'asana' | 'workfront',
    key: string,
    data: Record<string, unknown>,
  ): Promise<void> {
    const outcome = await this.deps.eventsLog.recordOnce({
      stream: deliveryStream(source),
      key,
      type: 'sync.delivery',
      actor: source,
      data: { source, ...data },
      ttlDays: DELIVERY_TTL_DAYS,
    });
    await this.deps.jobs.enqueue({
      kind: DELIVERY_JOB_KIND,
      payload: { source, key },
      idempotencyKey: `${DELIVERY_JOB_KIND}:${source}:${key}`,
      maxAttempts: 8,
    });
    this.deps.logger.info(
      { event: 'sync_delivery', source, key, duplicate: outcome === 'duplicate' },
      'webhook delivery accepted',
    );
  }
}

function parseJson(raw: Buffer): unknown {
  try {
    return JSON.parse(raw.toString('utf8'));
  } catch {
    return undefined;
  }
}

function chunk<T>(items: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** Parses and decodes a Workfront delivery, or says what is wrong with it. */
function decodeWorkfront(body: unknown): { event: DecodedWorkfrontEvent } | { error: string } {
  const parsed = WorkfrontDelivery.safeParse(body);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return {
      error:
        `Not a Workfront event message: ${issue?.path.join('.') || 'body'} ${issue?.message ?? ''}`.trim(),
    };
  }
  const d = parsed.data;
  let newState: Record<string, unknown>;
  let oldState: Record<string, unknown>;
  try {
    newState = decodeState(d.newState, 'newState');
    oldState = decodeState(d.oldState, 'oldState');
  } catch (error) {
    return { error: error instanceof Error ? error.message : 'undecodable state' };
  }
  const objCode = newState.objCode ?? oldState.objCode;
  if (typeof objCode !== 'string' || !WORKFRONT_OBJ_CODES.includes(objCode as WorkfrontObjCode)) {
    return { error: `objCode ${JSON.stringify(objCode)} is not one of ${WORKFRONT_OBJ_CODES.join(', ')}` };
  }
  const id = newState.ID ?? oldState.ID;
  if (typeof id !== 'string' || id === '') return { error: 'the state carries no ID' };
  // Nanosecond precision kept in the ISO string: two changes in one millisecond stay ordered.
  const seconds = new Date(d.eventTime.epochSecond * 1000).toISOString().slice(0, 19);
  const fraction = String(Math.min(d.eventTime.nano, 999_999_999)).padStart(9, '0');
  return {
    event: {
      eventType: d.eventType,
      subscriptionId: d.subscriptionId,
      at: `${seconds}.${fraction}Z`,
      eventTime: d.eventTime,
      objCode: objCode as WorkfrontObjCode,
      id,
      newState,
      oldState,
      base64: typeof d.newState === 'string' || typeof d.oldState === 'string',
    },
  };
}
