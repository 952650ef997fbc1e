import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import { type BufferedIncomingMessage, type CustomRoute, HTTPReceiver, type Logger } from '@slack/bolt';
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
 * Bolt's HTTPReceiver with `processBeforeResponse: true` (on Lambda nothing may run after the
 * response) and the app's custom routes. Bolt checks the signature and rejects stale timestamps;
 * it does not reject timestamps from the future, so a guard in front answers those with 401 before
 * Bolt (and so any listener) sees the request. Every request runs with a request id in its logs.
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
    dispatchErrorHandler: ({ error, response, request }) => {
      options.logger.warn({ path: request.url, method: request.method, errorName: error.name }, 'no route');
      sendJson(response, 404, { ok: false, error: 'not_found' });
    },
  });
  const inner = receiver.requestListener;
  receiver.requestListener = guardedListener(inner, clock, options.logger);
  return receiver;
}

function guardedListener(inner: RequestListener, clock: () => Date, logger: Logger): RequestListener {
  return (req: IncomingMessage, res: ServerResponse) => {
    const requestId = requestIds.get(req) ?? headerValue(req, 'x-request-id') ?? ulid();
    requestIds.set(req, requestId);
    withLogContext({ requestId }, () => {
      const path = new URL(req.url ?? '/', 'http://localhost').pathname;
      if (path === SLACK_EVENTS_PATH && req.method === 'POST') {
        const timestamp = Number(headerValue(req, 'x-slack-request-timestamp'));
        const nowSec = Math.floor(clock().getTime() / 1000);
        if (!Number.isFinite(timestamp) || timestamp - nowSec > MAX_CLOCK_SKEW_SECONDS) {
          logger.warn({ reason: 'timestamp_missing_or_in_future' }, 'rejected Slack request');
          res.writeHead(401);
          res.end();
          return;
        }
      }
      try {
        inner(req, res);
      } catch (error) {
        logger.error(error, 'request listener failed');
        if (!res.headersSent) sendJson(res, 500, { ok: false, error: 'internal_error', requestId });
      }
    });
  };
}

function headerValue(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function currentRequestIdFallback(): string {
  return ulid();
}
