import type { App } from '@slack/bolt';
import type { AppDeps } from '../../deps';
import { appMention } from './app-mention';
import { directMessage } from './direct-message';

/**
 * Every Events API listener. Events are acked by Bolt before any middleware runs; the global dedupe
 * middleware drops Slack's retries (same `event_id`) before they get here.
 */
export function registerEvents(app: App, deps: AppDeps): void {
  app.event('app_mention', appMention(deps));
  app.event('message', directMessage(deps));
}
