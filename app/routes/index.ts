import type { CustomRoute } from '@slack/bolt';
import type { AppDeps } from '../deps';
import { healthRoute } from './health';
import { webhookRoutes } from './webhooks';

/** The app's non-Slack HTTP routes (served by the same receiver as /slack/events). */
export function createRoutes(deps: AppDeps & { probeStore?: () => Promise<void> }): CustomRoute[] {
  return [healthRoute(deps), ...webhookRoutes(deps)];
}
