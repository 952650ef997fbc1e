import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import {
  type BufferedIncomingMessage,
  type CustomRoute,
  ErrorCode,
  HTTPReceiver,
  type Logger,
} from '@slack/bolt';
import { ulid } from 'ulid';
import { withLogContext } from '../logger';
import { sendJson } from './json';

export const SLACK_EVENTS_PATH = '/slack/events';
const MAX_CLOCK_SKEW_SECONDS = 5 * 60;

const requestIds = new WeakMap<IncomingMessage, string>();

/** Lets the Lambda entry attach its `awsRequestId` to a request before the app sees it. */
export function setRequestId(req: IncomingMessage, id: string): void {
  requestIds.set(req, id);
}

export interface ReceiverOptions {
  signingSecret: string;
  logger: Logger;
  customRoutes: CustomRoute[];
  clock?: () => Date;
}

/**
 * Bodies larger than this are refused before they are read. Slack's own payloads are a few KB
 * (a full modal state stays well under 1 MB); Bolt's own limit is 4 MB.
 */
export const MAX_BODY_BYTES = 1_000_000;

/**
 * Bolt's HTTPReceiver with `processBeforeResponse: true` (on Lambda nothing may run after the
 * response) and the app's custom routes. Bolt checks the signature and rejects stale timestamps;
 * a guard in front of it adds what Bolt leaves out:
 * - timestamps from the future are answered 401 before Bolt (and so any listener) sees the request;
 * - an oversized body is answered 401 without being read: it cannot be a genuine Slack request
 *   and nothing is gained by buffering and hashing it (Bolt would answer 413 after its 4 MB limit);
 * - `content-type: application/x-www-form-urlencoded; charset=utf-8` is passed on as the bare
 *   media type, because Bolt compares the header to the bare type exactly and would otherwise
 *   JSON-parse a form body (400) or miss an `ssl_check` probe (the signature covers only the body);
 * - an unknown path gets a JSON 404 and a failing custom route a JSON 500 (Bolt's
 *   `dispatchErrorHandler` only runs for servers Bolt starts itself, not under serverless-http).
 * A missing timestamp is left to Bolt: it answers 401 unless the body is exactly an `ssl_check`
 * probe, which Slack may send unsigned. Every request runs with a request id in its logs.
 */
export function createHttpReceiver(options: ReceiverOptions): HTTPReceiver {
  const clock = options.clock ?? (() => new Date());
  const receiver = new HTTPReceiver({
    signingSecret: options.signingSecret,
    endpoints: [SLACK_EVENTS_PATH],
    processBeforeResponse: true,
    logger: options.logger,
    customRoutes: options.customRoutes,
    customPropertiesExtractor: (req: BufferedIncomingMessage) => ({
      slackSignature: headerValue(req, 'x-slack-signature'),
      requestId: requestIds.get(req) ?? currentRequestIdFallback(),
    }),
    dispatchErrorHandler: ({ error, response, request }) =>
      dispatchError(error, request, response, options.logger),
  });
  const inner = receiver.requestListener;
  receiver.requestListener = guardedListener(inner, clock, options.logger);
  return receiver;
}

const FORM_TYPE = 'application/x-www-form-urlencoded';

function guardedListener(inner: RequestListener, clock: () => Date, logger: Logger): RequestListener {
  return (req: IncomingMessage, res: ServerResponse) => {
    const requestId = requestIds.get(req) ?? headerValue(req, 'x-request-id') ?? ulid();
    requestIds.set(req, requestId);
    withLogContext({ requestId }, () => {
      const path = new URL(req.url ?? '/', 'http://localhost').pathname;
      if (path === SLACK_EVENTS_PATH && req.method === 'POST') {
        const rejection = rejectionReason(req, clock);
        if (rejection) {
          logger.warn({ reason: rejection }, 'rejected Slack request');
          res.writeHead(401);
          res.end();
          return;
        }
        const contentType = headerValue(req, 'content-type');
        if (contentType !== undefined && contentType.split(';')[0]?.trim().toLowerCase() === FORM_TYPE)
          req.headers['content-type'] = FORM_TYPE;
      }
      try {
        // A custom route's async handler returns its promise through Bolt's listener; a rejection
        // would otherwise be unhandled and leave the response open until the Lambda times out.
        const result: unknown = inner(req, res);
        if (result instanceof Promise)
          result.catch((error: unknown) => dispatchError(error, req, res, logger, requestId));
      } catch (error) {
        dispatchError(error, req, res, logger, requestId);
      }
    });
  };
}

/** Why a request to the Slack endpoint is refused before Bolt reads it, if it is. */
function rejectionReason(req: IncomingMessage, clock: () => Date): string | undefined {
  const length = Number(headerValue(req, 'content-length'));
  if (Number.isFinite(length) && length > MAX_BODY_BYTES) return 'body_too_large';
  const rawTimestamp = headerValue(req, 'x-slack-request-timestamp');
  if (rawTimestamp === undefined) return undefined;
  const timestamp = Number(rawTimestamp);
  const nowSec = Math.floor(clock().getTime() / 1000);
  if (!Number.isFinite(timestamp)) return 'timestamp_malformed';
  if (timestamp - nowSec > MAX_CLOCK_SKEW_SECONDS) return 'timestamp_in_future';
  return undefined;
}

/** Unknown paths → JSON 404; anything else that escaped a route → JSON 500 (once, if nothing was sent). */
function dispatchError(
  error: unknown,
  req: IncomingMessage,
  res: ServerResponse,
  logger: Logger,
  requestId?: string,
): void {
  const code = (error as { code?: unknown } | null)?.code;
  if (code === ErrorCode.HTTPReceiverDeferredRequestError) {
    logger.info({ path: req.url, method: req.method }, 'no route');
    if (!res.headersSent) sendJson(res, 404, { ok: false, error: 'not_found' });
    return;
  }
  logger.error(error, 'request listener failed');
  if (!res.headersSent)
    sendJson(res, 500, { ok: false, error: 'internal_error', ...(requestId ? { requestId } : {}) });
}
function headerValue(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function currentRequestIdFallback(): string {
  return ulid();
}
