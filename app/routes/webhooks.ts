import type { IncomingMessage } from 'node:http';
import type { CustomRoute } from '@slack/bolt';
import type { AppDeps } from '../deps';
import { readRawBody, sendJson } from '../http/json';
import type { WebhookRequest, WebhookResponse } from '../services/sync/intake';

/**
 * `POST /webhooks/asana` and `POST /webhooks/workfront` (DESIGN.md routes): the raw bytes are read
 * here (the Asana signature covers them exactly; capped so an oversized body is refused before it
 * is buffered) and handed to the sync intake, which authenticates, stores the delivery once and
 * enqueues its processing before this answers.
 */
const WEBHOOK_MAX_BODY_BYTES = 1_000_000;

export function webhookRoutes(deps: AppDeps): CustomRoute[] {
  return [
    route('/webhooks/asana', deps, (request) => deps.services.sync.intake.asana(request)),
    route('/webhooks/workfront', deps, (request) => deps.services.sync.intake.workfront(request)),
  ];
}

function route(
  path: string,
  deps: AppDeps,
  handle: (request: WebhookRequest) => Promise<WebhookResponse>,
): CustomRoute {
  return {
    path,
    method: ['POST'],
    handler: async (req, res) => {
      const declared = Number(header(req, 'content-length'));
      if (Number.isFinite(declared) && declared > WEBHOOK_MAX_BODY_BYTES) {
        sendJson(res, 413, { ok: false, error: 'too_large', message: 'The body is larger than 1 MB.' });
        return;
      }
      let rawBody: Buffer;
      try {
        rawBody = await readRawBody(req, WEBHOOK_MAX_BODY_BYTES);
      } catch (error) {
        if (error instanceof RangeError) {
          sendJson(res, 413, { ok: false, error: 'too_large', message: 'The body is larger than 1 MB.' });
          return;
        }
        throw error;
      }
      const headers: Record<string, string | undefined> = {};
      for (const [name, value] of Object.entries(req.headers))
        headers[name] = Array.isArray(value) ? value[0] : value;
      const url = new URL(req.url ?? path, 'http://localhost');
      const query = Object.fromEntries(url.searchParams.entries());
      const response = await handle({ headers, query, rawBody });
      if (response.status >= 500) deps.logger.warn({ path, status: response.status }, 'webhook refused');
      sendJson(res, response.status, response.body ?? {}, response.headers ?? {});
    },
  };
}

function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}
