import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  type App,
  type BufferedIncomingMessage,
  HTTPModuleFunctions,
  HTTPResponseAck,
  isRawBodyError,
  type Logger,
  type ReceiverEvent,
} from '@slack/bolt';
import { isDeliveryInProgress } from '../errors';
import { trackAck } from '../middleware/dedupe';
import { sendJson } from './json';
import { type EnvelopeVerdict, judgeEnvelope } from './slack-envelope';

/**
 * Bodies larger than this are refused with 413 before they are read. Slack's own payloads are a few
 * KB (a full modal state stays well under 1 MB); Bolt's own limit is 4 MB.
 */
export const MAX_BODY_BYTES = 1_000_000;
const MAX_CLOCK_SKEW_SECONDS = 5 * 60;
const FORM_TYPE = 'application/x-www-form-urlencoded';

export interface SlackEndpointDeps {
  signingSecret: string;
  logger: Logger;
  clock: () => Date;
  /** The Bolt app, once it has initialised the receiver. */
  app: () => App | undefined;
  /** Per-request context properties for listeners (signature, request id). */
  customProperties: (req: BufferedIncomingMessage) => Record<string, unknown>;
}

/**
 * POST /slack/events: what Bolt's `HTTPReceiver.handleIncomingEvent` does, built from Bolt's own
 * parts (its signature verification, body parsing, response builders and `HTTPResponseAck`), with
 * the checks Bolt leaves out, so that no signed body crashes the process or earns a 5xx:
 * - an oversized body gets 413 unread; a timestamp from the future gets 401 before verification;
 * - after verification the body is parsed once and its shape judged (`judgeEnvelope`): a malformed
 *   or unknown body gets 400 at once (not Bolt's 3 s wait and 404), an `ssl_check`,
 *   `url_verification` or `app_rate_limited` is answered here, everything else goes to Bolt;
 * - every refusal writes one log line of bounded size (reason, content type, length; never the body).
 * A duplicate of a delivery still running gets 409, so Slack retries it later (see the dedupe middleware).
 */
export async function handleSlackRequest(
  req: IncomingMessage,
  res: ServerResponse,
  deps: SlackEndpointDeps,
): Promise<void> {
  const { logger } = deps;
  const refuse = (status: number, reason: string, detail?: string) => {
    logger.warn(
      {
        reason,
        ...(detail ? { detail: bounded(detail, 200) } : {}),
        status,
        contentType: bounded(headerValue(req, 'content-type') ?? '', 100),
        contentLength: headerValue(req, 'content-length')?.slice(0, 20),
      },
      'rejected Slack request',
    );
    if (!res.headersSent) sendJson(res, status, { ok: false, error: reason });
  };

  const early = earlyRejection(req, deps.clock);
  if (early) return refuse(early.status, early.reason);
  // Bolt compares the header to the bare media type exactly and would otherwise JSON-parse a form
  // body (400) or miss an `ssl_check` probe (the signature covers only the body).
  const contentType = headerValue(req, 'content-type');
  if (contentType !== undefined && contentType.split(';')[0]?.trim().toLowerCase() === FORM_TYPE)
    req.headers['content-type'] = FORM_TYPE;

  let buffered: BufferedIncomingMessage;
  try {
    buffered = await HTTPModuleFunctions.parseAndVerifyHTTPRequest(
      { enabled: true, signingSecret: deps.signingSecret, bodyLimit: MAX_BODY_BYTES },
      req,
    );
  } catch (error) {
    if (isRawBodyError(error)) {
      const status = (error as { statusCode: number }).statusCode;
      if (status === 413) return refuse(413, 'body_too_large');
      if (status >= 400 && status < 500) return refuse(status, 'unreadable_body', (error as Error).message);
    }
    return refuse(401, 'signature_invalid', error instanceof Error ? error.message : undefined);
  }

  let body: unknown;
  try {
    body = HTTPModuleFunctions.parseHTTPRequestBody(buffered);
  } catch (error) {
    return refuse(400, 'body_unparseable', error instanceof Error ? error.message : undefined);
  }
  const verdict: EnvelopeVerdict = judgeEnvelope(body);
  if (verdict.action === 'reject')
    return refuse(400, 'malformed_payload', `${verdict.kind} ${verdict.reason}`);
  if (verdict.action === 'answer') {
    if (verdict.kind === 'app_rate_limited') logger.warn('Slack rate-limited event deliveries to this app');
    if (verdict.body === undefined) HTTPModuleFunctions.buildNoBodyResponse(res, 200);
    else sendJson(res, 200, verdict.body);
    return;
  }

  const app = deps.app();
  if (!app) throw new Error('the Slack receiver was used before the Bolt app initialised it');
  const ack = new HTTPResponseAck({
    logger,
    processBeforeResponse: true,
    httpRequest: buffered,
    httpRequestBody: body as Record<string, unknown>,
    httpResponse: res,
  });
  // The dedupe middleware reads `ackState` to know whether a listener acked (see `AckState`).
  const tracked = trackAck(ack.bind());
  const event: ReceiverEvent = {
    body: body as Record<string, unknown>,
    ack: tracked.ack,
    retryNum: HTTPModuleFunctions.extractRetryNumFromHTTPRequest(req),
    retryReason: HTTPModuleFunctions.extractRetryReasonFromHTTPRequest(req),
    customProperties: { ...deps.customProperties(buffered), ackState: tracked.state },
  };
  try {
    await app.processEvent(event);
  } catch (error) {
    ack.ack();
    if (isDeliveryInProgress(error)) return refuse(409, 'delivery_in_progress');
    throw error;
  }
  if (res.headersSent) return;
  if (ack.storedResponse !== undefined) {
    HTTPModuleFunctions.buildContentResponse(res, ack.storedResponse);
    return;
  }
  // Nothing acknowledged and nothing thrown: a listener failed before its ack and the error hook
  // logged it. Answer now rather than after Bolt's 3 s timer.
  ack.ack();
  sendJson(res, 500, { ok: false, error: 'not_acknowledged' });
}

/** Why a request is refused before its body is read, if it is. */
function earlyRejection(
  req: IncomingMessage,
  clock: () => Date,
): { status: number; reason: string } | undefined {
  const length = Number(headerValue(req, 'content-length'));
  if (Number.isFinite(length) && length > MAX_BODY_BYTES) return { status: 413, reason: 'body_too_large' };
  const rawTimestamp = headerValue(req, 'x-slack-request-timestamp');
  if (rawTimestamp === undefined) return undefined;
  const timestamp = Number(rawTimestamp);
  if (!Number.isFinite(timestamp)) return { status: 401, reason: 'timestamp_malformed' };
  const nowSec = Math.floor(clock().getTime() / 1000);
  if (timestamp - nowSec > MAX_CLOCK_SKEW_SECONDS) return { status: 401, reason: 'timestamp_in_future' };
  return undefined;
}

/** A header as a string (serverless-http may set numbers, e.g. `content-length`). */
export function headerValue(req: IncomingMessage, name: string): string | undefined {
  const value: unknown = req.headers[name];
  const first: unknown = Array.isArray(value) ? value[0] : value;
  return first === undefined || first === null ? undefined : String(first);
}

function bounded(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max)}…` : text;
}
