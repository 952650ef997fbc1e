import type { CustomRoute } from '@slack/bolt';
import type { AppDeps } from '../deps';
import { sendJson } from '../http/json';

/**
 * `GET /healthz`: 200 `{ ok: true, … }` when the store answers, 503 otherwise, and in which mode
 * each part runs. Never includes configuration values.
 */
export function healthRoute(deps: AppDeps & { probeStore?: () => Promise<void> }): CustomRoute {
  return {
    path: '/healthz',
    method: ['GET'],
    handler: async (_req, res) => {
      const started = Date.now();
      let store: 'ok' | 'unreachable' = 'ok';
      try {
        await (deps.probeStore ?? (async () => undefined))();
      } catch (error) {
        store = 'unreachable';
        deps.logger.error(error, 'health probe: store unreachable');
      }
      const ok = store === 'ok';
      sendJson(res, ok ? 200 : 503, {
        ok,
        modes: deps.modes,
        checks: { store, storeLatencyMs: Date.now() - started },
        time: deps.clock().toISOString(),
      });
    },
  };
}
