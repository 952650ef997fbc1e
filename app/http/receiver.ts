import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import {
  type App,
  type BufferedIncomingMessage,
  type CustomRoute,
  ErrorCode,
  HTTPReceiver,
  type Logger,
} from '@slack/bolt';
import { ulid } from 'ulid';
import { withLogContext } from '../logger';
import { sendJson } from './json';
import { handleSlackRequest, headerValue } from './slack-endpoint';

export { MAX_BODY_BYTES } from './slack-endpoint';
export const SLACK_EVENTS_PATH = '/slack/events';

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

/** Bolt's HTTPReceiver that remembers the app it serves, so the Slack endpoint can hand it events. */
class AppAwareHttpReceiver extends HTTPReceiver {
  boltApp: App | undefined;
  override init(app: App): void {
    super.init(app);
    this.boltApp = app;
  }
}

/**
 * Bolt's HTTPReceiver with `processBeforeResponse: true` (on Lambda nothing may run after the
 * response) and the app's custom routes. POST /slack/events is served by `handleSlackRequest`:
 * Bolt's signature verification and request handling with the checks Bolt leaves out (size, future
 * timestamps, the shape of a verified body). Custom routes and unknown paths go through Bolt's
 * routing: an unknown path gets a JSON 404 and a failing route a JSON 500 (Bolt's
 * `dispatchErrorHandler` only runs for servers Bolt starts itself, not under serverless-http).
 * Every request runs with a request id in its logs.
 */
export function createHttpReceiver(options: ReceiverOptions): HTTPReceiver {
  const clock = options.clock ?? (() => new Date());
  const { logger } = options;
  const receiver = new AppAwareHttpReceiver({
    signingSecret: options.signingSecret,
    endpoints: [SLACK_EVENTS_PATH],
    processBeforeResponse: true,
    logger,
    customRoutes: options.customRoutes,
    dispatchErrorHandler: ({ error, response, request }) => dispatchError(error, request, response, logger),
  });
  const inner = receiver.requestListener;
  const slackDeps = {
    signingSecret: options.signingSecret,
    logger,
    clock,
    app: () => receiver.boltApp,
    customProperties: (req: BufferedIncomingMessage) => ({
      slackSignature: headerValue(req, 'x-slack-signature'),
      requestId: requestIds.get(req) ?? ulid(),
    }),
  };
  receiver.requestListener = guardedListener(inner, logger, (req, res) =>
    handleSlackRequest(req, res, slackDeps),
  );
  return receiver;
}

function guardedListener(
  inner: RequestListener,
  logger: Logger,
  slack: (req: IncomingMessage, res: ServerResponse) => Promise<void>,
): RequestListener {
  return (req: IncomingMessage, res: ServerResponse) => {
    const requestId = requestIds.get(req) ?? headerValue(req, 'x-request-id') ?? ulid();
    requestIds.set(req, requestId);
    withLogContext({ requestId }, () => {
      const path = new URL(req.url ?? '/', 'http://localhost').pathname;
      if (path === SLACK_EVENTS_PATH && req.method === 'POST') {
        slack(req, res).catch((error: unknown) => dispatchError(error, req, res, logger, requestId));
        return;
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
    logger.info({ path: req.url?.slice(0, 200), method: req.method }, 'no route');
    if (!res.headersSent) sendJson(res, 404, { ok: false, error: 'not_found' });
    return;
  }
  logger.error(error, 'request listener failed');
  if (!res.headersSent)
    sendJson(res, 500, { ok: false, error: 'internal_error', ...(requestId ? { requestId } : {}) });
}
