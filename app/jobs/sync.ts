import type { WebClient } from '@slack/web-api';
import { z } from 'zod';
import type { AppDeps } from '../deps';
import { escapeMrkdwn } from '../domain/text';
import { DownstreamError, isUserFacing } from '../errors';
import type { JobHandler } from '../services/job-types';
import { ASANA_WATCH_JOB_KIND, DELIVERY_JOB_KIND, PUSH_JOB_KIND } from '../services/sync';
import { createSyncWorker, type SyncWorker, type SyncWorkerRepositories } from '../services/sync/worker';

const DeliveryPayload = z.object({ source: z.enum(['asana', 'workfront']), key: z.string().min(1) });
const PushPayload = z.object({ objectKey: z.string().min(1) });
const WatchPayload = z.object({ campaignId: z.string().min(1) });

const workers = new WeakMap<object, SyncWorker>();

/** The job registry's deps: the app's, plus the container's repositories (the worker's composition root). */
type SyncJobDeps = AppDeps & { repositories: SyncWorkerRepositories };

/** The container's sync worker (clients with the shared rate limits), built once per services object. */
function syncWorker(deps: SyncJobDeps): SyncWorker {
  const cached = workers.get(deps.services);
  if (cached) return cached;
  const worker = createSyncWorker({
    repositories: deps.repositories,
    config: deps.config,
    clock: deps.clock,
    logger: deps.logger,
    jobs: deps.services.jobs,
    approvals: deps.services.approvals,
  });
  workers.set(deps.services, worker);
  return worker;
}

/**
 * Sync's jobs (issue 8):
 * - `sync.delivery` `{ source, key }`: a stored webhook delivery, normalised and applied;
 * - `sync.push` `{ objectKey }`: Command Center's changes written to the work system (read before
 *   write, shared rate limit, 429 Retry-After; 5xx and network errors retried with jittered backoff
 *   by the job runner). When it fails for good (a 4xx, retries spent) the person who made the
 *   change — or the campaign's owner — is told in a DM what failed and that Command Center keeps it;
 * - `sync.asana.watch` `{ campaignId }`: registers the webhook of the campaign's Asana project.
 */
export function syncJobHandlers(
  deps: SyncJobDeps,
  slack: Pick<WebClient, 'chat'>,
): Record<string, JobHandler> {
  return {
    [DELIVERY_JOB_KIND]: {
      async run(payload, ctx) {
        const parsed = DeliveryPayload.safeParse(payload);
        if (!parsed.success) throw new DownstreamError('sync.delivery needs { source, key }', 'jobs', false);
        const outcome = await syncWorker(deps).deliveries.process(parsed.data.source, parsed.data.key, {
          deadline: ctx.deadline,
        });
        ctx.logger.info({ ...parsed.data, ...outcome, failed: outcome.failed.length }, 'sync.delivery done');
      },
    },
    [PUSH_JOB_KIND]: {
      async run(payload, ctx) {
        const parsed = PushPayload.safeParse(payload);
        if (!parsed.success) throw new DownstreamError('sync.push needs { objectKey }', 'jobs', false);
        const outcome = await syncWorker(deps).sync.engine.push(parsed.data.objectKey, {
          deadline: ctx.deadline,
        });
        ctx.logger.info({ objectKey: parsed.data.objectKey, outcome }, 'sync.push done');
      },
      async onFinalFailure(payload, error, ctx) {
        const parsed = PushPayload.safeParse(payload);
        if (!parsed.success) return;
        const sync = syncWorker(deps).sync;
        const record = await sync.store.get(parsed.data.objectKey);
        if (!record) return;
        const campaign = await deps.repositories.campaigns.get(record.data.campaignId);
        if (!campaign) return;
        const who =
          Object.values(record.data.localEdits).find((e) => e.by?.startsWith('U'))?.by ??
          campaign.ownerSlackId;
        const system = record.data.system === 'asana' ? 'Asana' : 'Workfront';
        const what =
          record.data.kind === 'task'
            ? `task ${escapeMrkdwn(record.data.taskId ?? '')} of *${escapeMrkdwn(campaign.name)}*`
            : `*${escapeMrkdwn(campaign.name)}*`;
        // The work system's own message (a 4xx) or ours is shown; anything else is summarised. A
        // user-facing message is mrkdwn already (it escaped what it quotes); the work system's is not.
        const reason = isUserFacing(error)
          ? error.message
          : error instanceof DownstreamError && !error.retryable
            ? escapeMrkdwn(error.message)
            : `${system} kept failing after ${ctx.attempt} attempts`;
        await slack.chat.postMessage({
          channel: who,
          text: `:warning: I couldn't update ${what} in ${system}: ${reason}\nCommand Center keeps the change; ${system} does not have it yet. Fix the cause in ${system} (or ask an admin), then change it again to retry. Reference: \`${ctx.job.jobId}\`.`,
          unfurl_links: false,
        });
      },
    },
    [ASANA_WATCH_JOB_KIND]: {
      async run(payload, ctx) {
        const parsed = WatchPayload.safeParse(payload);
        if (!parsed.success)
          throw new DownstreamError('sync.asana.watch needs { campaignId }', 'jobs', false);
        const outcome = await syncWorker(deps).watchAsanaProject(parsed.data.campaignId, {
          deadline: ctx.deadline,
        });
        ctx.logger.info({ campaignId: parsed.data.campaignId, outcome }, 'sync.asana.watch done');
      },
    },
  };
}
