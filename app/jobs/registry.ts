import type { WebClient } from '@slack/web-api';
import {
  InProcessRecurringScheduler,
  SCHEDULED_RECURRING_JOB_KIND,
} from '../adapters/in-process-recurring-scheduler';
import type { SvgRasterizer } from '../adapters/png-rasterizer';
import { SCHEDULED_FIRE_JOB_KIND } from '../adapters/scheduler';
import { createWebClient } from '../adapters/slack';
import type { AppDeps } from '../deps';
import { createSlackCampaignAnnouncer } from '../outbound/slack-campaign-announcer';
import { createScheduledHandlers } from '../scheduled/registry';
import type { Repositories } from '../services';
import { createCampaignProvisioning } from '../services/campaign-provisioning';
import type { JobHandler } from '../services/job-types';
import { agentJobHandlers } from './agent';
import { approvalJobHandlers } from './approvals';
import { CAMPAIGN_PROVISION_JOB_KIND, campaignProvisionHandler } from './campaign-provision';
import { recurringFireHandler, scheduledFireHandler } from './scheduled-fire';
import { SLACK_POST_JOB_KIND, slackPostHandler } from './slack-post';
import { slackRespondHandler } from './slack-respond';
import { SLACK_RESPOND_JOB_KIND } from './slack-respond-payload';
import { syncJobHandlers } from './sync';

/**
 * Every job kind and its handler. A capability adds its kind here (one line, its handler in its own
 * file), e.g. `'agent.turn': agentTurnHandler(deps)`, `'campaign.provision': provisionHandler(deps)`.
 *
 * `deps.slack` is the container's Web API client when the caller has one (the runtime passes itself);
 * otherwise one is built here, once. Services only the jobs use (provisioning, the agent) are built
 * here too, from `deps.repositories`, so an entry that runs no jobs (handlers/http.ts) does not
 * bundle them. This is the worker's composition root: handlers use services, never repositories.
 */
export function createJobHandlers(
  deps: AppDeps & { slack?: WebClient; repositories: Repositories },
  options: { rasterizer?: SvgRasterizer | undefined } = {},
): Record<string, JobHandler> {
  const slack = deps.slack ?? createWebClient(deps.config, deps.logger);
  const provisioning = createCampaignProvisioning({
    ...deps,
    announcer: createSlackCampaignAnnouncer(slack, deps.logger, deps.services.posts),
  });
  // In-process schedules (`npm start`) run the scheduled handlers here; the caller passes the
  // picture rasteriser when this process may draw (never the worker bundle).
  const scheduled = createScheduledHandlers(deps, options);
  const recurring = deps.services.recurringScheduler;
  return {
    [SLACK_POST_JOB_KIND]: slackPostHandler(slack, deps.services.posts),
    [SLACK_RESPOND_JOB_KIND]: slackRespondHandler(deps, slack),
    [SCHEDULED_FIRE_JOB_KIND]: scheduledFireHandler(scheduled),
    [SCHEDULED_RECURRING_JOB_KIND]: recurringFireHandler(
      recurring instanceof InProcessRecurringScheduler ? recurring : undefined,
      scheduled,
    ),
    [CAMPAIGN_PROVISION_JOB_KIND]: campaignProvisionHandler(deps, slack, provisioning),
    // approval.publish, approval.finalize
    ...approvalJobHandlers(deps),
    // agent.turn, agent.resume
    ...agentJobHandlers(deps, slack),
    // sync.delivery, sync.push, sync.asana.watch
    ...syncJobHandlers(deps, slack),
  };
}
