import { ulid } from 'ulid';
import { createSharedRateLimiters } from '../../adapters/rate-limiter';
import type { Config } from '../../config';
import { DownstreamError } from '../../errors';
import type { AppLogger } from '../../logger';
import type { Repositories } from '..';
import type { ApprovalService } from '../approvals';
import { createWorkSystemClients } from '../work-system-ops';
import { SyncService } from '.';
import { createCodecs, parseCustomFieldMap } from './codecs';
import { SyncDeliveryProcessor } from './deliveries';
import type { DeliveryEnqueuer } from './intake';
import type { RemoteCall, SyncNotifier } from './ports';
import { assumptionLedger } from './wiring';
import { WorkSystemRemote } from './work-systems';

/**
 * The sync pieces only the worker runs (the work-system clients, with the rate limits shared by
 * every container): the engine with its remote side, the delivery processor and the Asana webhook
 * registration. Built by the job registry, so the HTTP function's bundle carries no client.
 */
export interface SyncWorker {
  sync: SyncService;
  deliveries: SyncDeliveryProcessor;
  /** Registers (or re-registers) the webhook of a campaign's Asana project. */
  watchAsanaProject(
    campaignId: string,
    call: RemoteCall,
  ): Promise<'registered' | 'already_active' | 'not_asana'>;
}

/** The repositories the worker's sync pieces are built on (the container's). */
export type SyncWorkerRepositories = Pick<
  Repositories,
  'syncState' | 'eventsLog' | 'campaigns' | 'tasks' | 'dedupe' | 'rateLimits'
>;

export function createSyncWorker(deps: {
  repositories: SyncWorkerRepositories;
  config: Config;
  clock: () => Date;
  logger: AppLogger;
  jobs: DeliveryEnqueuer;
  approvals: ApprovalService;
  notifiers?: SyncNotifier[];
}): SyncWorker {
  const { config, clock, logger } = deps;
  const { syncState: repo, eventsLog, campaigns, tasks, dedupe, rateLimits } = deps.repositories;
  const clients = createWorkSystemClients(config, createSharedRateLimiters(rateLimits));
  const workfront = clients.workfront;
  const asana = clients.asana?.client;
  const custom = {
    workfront: parseCustomFieldMap(config.sync.workfrontCustomFields, 'WORKFRONT_CUSTOM_FIELDS'),
    asana: parseCustomFieldMap(config.sync.asanaCustomFields, 'ASANA_CUSTOM_FIELDS'),
  };
  const codecs = createCodecs(custom);
  const remote = new WorkSystemRemote({
    workfront,
    asana,
    codecs,
    custom,
    workfrontApiUserId: config.sync.workfrontApiUserId,
  });
  const sync = new SyncService({
    config,
    repo,
    eventsLog,
    campaigns,
    tasks,
    dedupe,
    jobs: deps.jobs,
    approvals: () => deps.approvals,
    clock,
    logger,
    notifiers: deps.notifiers,
    remote,
  });
  const deliveries = new SyncDeliveryProcessor({
    eventsLog,
    engine: sync.engine,
    store: sync.store,
    counters: repo,
    codecs: codecs.workfront,
    workfrontCustom: custom.workfront,
    ledger: assumptionLedger(repo, clock),
    clock,
    logger,
  });
  return {
    sync,
    deliveries,
    async watchAsanaProject(campaignId, call) {
      const campaign = await campaigns.get(campaignId);
      if (!campaign?.externalProjectId || campaign.workSystem !== 'asana') return 'not_asana';
      const current = await sync.hooks.forProject(campaign.externalProjectId);
      if (current?.status === 'ACTIVE') return 'already_active';
      if (!asana) throw new DownstreamError('Asana is not configured (ASANA_ACCESS_TOKEN).', 'asana', false);
      const base = config.sync.publicBaseUrl;
      if (!base) {
        throw new DownstreamError(
          'PUBLIC_BASE_URL is not set, so Asana has no address to send this project’s changes to.',
          'asana',
          false,
        );
      }
      const hookId = ulid().toLowerCase();
      await sync.hooks.begin({ hookId, resourceGid: campaign.externalProjectId, campaignId });
      const webhook = await asana.createWebhook(
        campaign.externalProjectId,
        `${base}/webhooks/asana?hook=${encodeURIComponent(hookId)}`,
        call,
      );
      await sync.hooks.completed(hookId, webhook.gid);
      logger.info({ campaignId, hookId, webhookGid: webhook.gid }, 'Asana webhook registered');
      return 'registered';
    },
  };
}
