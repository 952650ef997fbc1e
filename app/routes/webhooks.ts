import type { CustomRoute } from '@slack/bolt';
import type { AppDeps } from '../deps';
import { sendJson } from '../http/json';

/**
 * Placeholder for the Workfront and Asana webhook intakes until the Sync capability lands:
 * answers 501 with a clear JSON error, stores nothing.
 */
export function notImplementedWebhook(path: string, system: string, deps: AppDeps): CustomRoute {
  return {
    path,
    method: ['POST'],
    handler: (_req, res) => {
      deps.logger.warn({ path }, `${system} webhook received before the sync intake exists`);
      sendJson(res, 501, {
        ok: false,
        error: 'not_implemented',
        message: `The ${system} webhook intake is not implemented yet; nothing was stored.`,
      });
    },
  };
}
