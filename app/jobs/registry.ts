import type { WebClient } from '@slack/web-api';
import { SCHEDULED_FIRE_JOB_KIND } from '../adapters/scheduler';
import { createWebClient } from '../adapters/slack';
import type { AppDeps } from '../deps';
import { DownstreamError } from '../errors';
import { createScheduledHandlers, runScheduled } from '../scheduled/registry';
import { SLACK_POST_JOB_KIND, slackPostHandler } from './slack-post';
import type { JobHandler } from './types';

/**
 * Every job kind and its handler. A capability adds its kind here (one line, its handler in its own
 * file), e.g. `'agent.turn': agentTurnHandler(deps)`, `'campaign.provision': provisionHandler(deps)`.
 *
 * `deps.slack` is the container's Web API client when the caller has one (the runtime passes itself);
 * otherwise one is built here, once.
 */
export function createJobHandlers(deps: AppDeps & { slack?: WebClient }): Record<string, JobHandler> {
  const slack = deps.slack ?? createWebClient(deps.config, deps.logger);
  return {
    [SLACK_POST_JOB_KIND]: slackPostHandler(slack),
    [SCHEDULED_FIRE_JOB_KIND]: scheduledFireHandler(deps),
  };
}

/**
 * Runs an in-process one-time schedule (see `InProcessOneTimeScheduler`) through the same
 * scheduled-handler registry as `handlers/scheduled.ts`. An unknown scheduled kind is final.
 */
function scheduledFireHandler(deps: AppDeps): JobHandler {
  const handlers = createScheduledHandlers(deps);
  return {
    async run(payload, ctx) {
      const scheduled = payload.payload;
      const kind =
        scheduled !== null && typeof scheduled === 'object' && 'kind' in scheduled
          ? scheduled.kind
          : undefined;
      if (typeof kind !== 'string' || !Object.hasOwn(handlers, kind)) {
        throw new DownstreamError(`no scheduled handler for kind "${String(kind)}"`, 'scheduler', false);
      }
      await runScheduled(handlers, scheduled, ctx.logger);
    },
  };
}
