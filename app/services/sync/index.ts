import { ulid } from 'ulid';
import type { CampaignRepository } from '../../adapters/dynamo/campaign-repo';
import type { DedupeRepository } from '../../adapters/dynamo/dedupe-repo';
import type { EventsLogRepository } from '../../adapters/dynamo/events-log-repo';
import type { SyncStateRepository } from '../../adapters/dynamo/sync-state-repo';
import type { TaskRepository } from '../../adapters/dynamo/task-repo';
import type { Config } from '../../config';
import type { Campaign, Task, WorkSystem } from '../../domain/model';
import { type Conflict, type FieldValue, type SyncRef, syncFields, syncObjectKey } from '../../domain/sync';
import type { AppLogger } from '../../logger';
import type { ApprovalService } from '../approvals';
import { AsanaHookStore } from './asana-hooks';
import { PolicyBudgetGate } from './budget-gate';
import { type CustomFieldMap, createCodecs, parseCustomFieldMap } from './codecs';
import { SyncEngine } from './engine';
import type { SyncHook } from './hook';
import { type DeliveryEnqueuer, SyncIntakeService } from './intake';
import { RepositoryLocalSide } from './local-side';
import { PeopleDirectory } from './people';
import type { RemoteSide, SyncNotifier } from './ports';
import { DynamoSyncRecordStore, type StoredSyncRecord } from './record-store';
import { assumptionLedger, combineNotifiers, eventsLogNotifier, jobPushScheduler } from './wiring';

export { DELIVERY_JOB_KIND } from './intake';
export { PUSH_JOB_KIND } from './wiring';
export const ASANA_WATCH_JOB_KIND = 'sync.asana.watch';

export interface SyncServiceDeps {
  config: Pick<Config, 'sync' | 'approvals' | 'workfront' | 'asana'>;
  repo: SyncStateRepository;
  eventsLog: EventsLogRepository;
  campaigns: CampaignRepository;
  tasks: TaskRepository;
  dedupe: Pick<DedupeRepository, 'claim'>;
  jobs: DeliveryEnqueuer;
  /** Late-bound: approvals are built after this service (they call its hook). */
  approvals: () => ApprovalService;
  clock: () => Date;
  logger: AppLogger;
  /** The work systems; absent on the HTTP side (no clients there). */
  remote?: RemoteSide | undefined;
  /** Extra listeners for sync events (phase 2: conflict messages in Slack). */
  notifiers?: SyncNotifier[] | undefined;
}

/** The remote side where there is none (the HTTP function): anything that needs it fails loudly. */
const NO_REMOTE: RemoteSide = {
  read: () => Promise.reject(new Error('no work-system clients in this process')),
  update: () => Promise.reject(new Error('no work-system clients in this process')),
  createTask: () => Promise.reject(new Error('no work-system clients in this process')),
  moveTask: () => Promise.reject(new Error('no work-system clients in this process')),
  selfUserId: async () => undefined,
};

/**
 * Two-way sync with Workfront and Asana (issue 8): webhook intake, the engine, the change hook,
 * conflicts and their resolution. The work-system calls themselves run in jobs (app/jobs/sync.ts),
 * built with `remote`; this service's own methods only touch DynamoDB and enqueue jobs, so it
 * fits in a request.
 */
export class SyncService implements SyncHook {
  readonly intake: SyncIntakeService;
  readonly engine: SyncEngine;
  readonly hooks: AsanaHookStore;
  readonly people: PeopleDirectory;
  readonly store: DynamoSyncRecordStore;
  readonly custom: Record<WorkSystem, CustomFieldMap>;

  constructor(private readonly deps: SyncServiceDeps) {
    const { repo, clock, logger } = deps;
    this.custom = {
      workfront: parseCustomFieldMap(deps.config.sync.workfrontCustomFields, 'WORKFRONT_CUSTOM_FIELDS'),
      asana: parseCustomFieldMap(deps.config.sync.asanaCustomFields, 'ASANA_CUSTOM_FIELDS'),
    };
    this.store = new DynamoSyncRecordStore(repo);
    this.hooks = new AsanaHookStore(repo, clock);
    this.people = new PeopleDirectory(repo, clock);
    const ledger = assumptionLedger(repo, clock);
    const notifier = eventsLogNotifier(deps.eventsLog);
    const extra = deps.notifiers ?? [];
    this.engine = new SyncEngine({
      store: this.store,
      local: new RepositoryLocalSide({
        campaigns: deps.campaigns,
        tasks: deps.tasks,
        store: this.store,
        clock,
      }),
      remote: deps.remote ?? NO_REMOTE,
      codecs: createCodecs(this.custom),
      people: this.people,
      budget: new PolicyBudgetGate({
        campaigns: deps.campaigns,
        approvals: lazyApprovals(deps.approvals),
        thresholds: {
          approvalThresholdCents: deps.config.approvals.thresholdCents,
          vpThresholdCents: deps.config.approvals.vpThresholdCents,
        },
        people: this.people,
        claims: deps.dedupe,
        logger,
      }),
      pushes: jobPushScheduler(deps.jobs),
      notifier: extra.length === 0 ? notifier : combineNotifiers([notifier, ...extra], logger),
      ledger,
      clock,
      newId: ulid,
      logger,
      // Only the work systems this deployment is configured for sync (no job is made for the others).
      enabledSystems: [
        ...(deps.config.workfront ? (['workfront'] as const) : []),
        ...(deps.config.asana ? (['asana'] as const) : []),
      ],
    });
    this.intake = new SyncIntakeService({
      eventsLog: deps.eventsLog,
      jobs: deps.jobs,
      hooks: this.hooks,
      workfrontToken: deps.config.sync.workfrontWebhookToken,
      ledger,
      logger,
    });
  }

  async taskChanged(task: Task, meta: { by: string; before?: Task | undefined }): Promise<void> {
    const ref: SyncRef = { kind: 'task', campaignId: task.campaignId, taskId: task.taskId };
    await this.changed(
      ref,
      taskValues(task),
      meta.before ? taskValues(meta.before) : undefined,
      task,
      meta.by,
    );
  }

  async campaignChanged(
    campaign: Campaign,
    meta: { by: string; before?: Campaign | undefined },
  ): Promise<void> {
    const ref: SyncRef = { kind: 'campaign', campaignId: campaign.campaignId };
    const before = meta.before ? campaignValues(meta.before) : undefined;
    await this.changed(ref, campaignValues(campaign), before, campaign, meta.by);
  }

  /**
   * Provisioning created the project and tasks from Command Center's values: those are the agreed
   * baseline; what it did not write (assignees, the budget, custom fields) is null there, so the
   * first push fills it in. For an Asana project, its webhook is registered (a job).
   */
  async afterProvisioning(campaignId: string): Promise<void> {
    const campaign = await this.deps.campaigns.get(campaignId);
    if (!campaign?.externalProjectId) return;
    const written = campaignValues(campaign);
    await this.engine.track(
      { kind: 'campaign', campaignId },
      {
        name: written.name ?? null,
        description: written.description ?? null,
        status: written.status ?? null,
      },
    );
    for (const task of await this.deps.tasks.listByCampaign(campaignId)) {
      if (!task.externalId) continue;
      await this.engine.track(
        { kind: 'task', campaignId, taskId: task.taskId },
        { name: task.name, status: 'NOT_STARTED', dueDate: task.dueDate ?? null, ownerSlackId: null },
      );
    }
    if (campaign.workSystem === 'asana' || (!campaign.workSystem && campaign.type === 'event')) {
      await this.deps.jobs.enqueue({
        kind: ASANA_WATCH_JOB_KIND,
        payload: { campaignId },
        idempotencyKey: `${ASANA_WATCH_JOB_KIND}:${campaignId}`,
      });
    }
  }

  /** A person's decision on a conflict (phase 2's buttons call this; authorisation is theirs). */
  resolve(conflictId: string, choice: unknown, by: string) {
    return this.engine.resolve(conflictId, choice, by);
  }

  /**
   * Conflicts a person may act on: OPEN ones, and field conflicts DECIDED by their rule that a person
   * may still override (until a newer change makes them STALE). Of one campaign (its records read by
   * key: the campaign's and each task's), or of a team (the records its `open-conflict-index` marker
   * lists: OPEN ones only there, plus whatever else those records hold).
   */
  async listConflicts(
    scope: { campaignId: string } | { teamId: string },
  ): Promise<{ record: StoredSyncRecord; conflict: Conflict }[]> {
    let records: StoredSyncRecord[];
    if ('teamId' in scope) {
      records = await this.store.listOpen(scope.teamId);
    } else {
      const tasks = await this.deps.tasks.listByCampaign(scope.campaignId);
      const keys = [
        syncObjectKey({ kind: 'campaign', campaignId: scope.campaignId }),
        ...tasks.map((t) => syncObjectKey({ kind: 'task', campaignId: t.campaignId, taskId: t.taskId })),
      ];
      const found = await Promise.all(keys.map((key) => this.store.get(key)));
      records = found.filter((r): r is StoredSyncRecord => r !== undefined);
    }
    return records.flatMap((record) =>
      record.data.conflicts
        .filter((conflict) => conflict.status === 'OPEN' || conflict.status === 'DECIDED')
        .map((conflict) => ({ record, conflict })),
    );
  }

  private async changed(
    ref: SyncRef,
    values: Record<string, FieldValue>,
    before: Record<string, FieldValue> | undefined,
    record: { updatedAt: string; version: number },
    by: string,
  ): Promise<void> {
    const fields = before
      ? Object.fromEntries(
          Object.entries(values).filter(
            ([field, value]) => JSON.stringify(before[field]) !== JSON.stringify(value),
          ),
        )
      : values;
    try {
      await this.engine.localChanged(ref, {
        by,
        at: record.updatedAt,
        version: record.version,
        fields,
        before,
      });
    } catch (error) {
      this.deps.logger.error(
        { err: error, event: 'sync_hook_failed', ref },
        'sync: a Command Center change could not be recorded for sync (it is found again by the next sync of the object)',
      );
    }
  }
}

function lazyApprovals(get: () => ApprovalService) {
  return {
    request: (...args: Parameters<ApprovalService['request']>) => get().request(...args),
    pendingFor: (campaignId: string) => get().pendingFor(campaignId),
    get: (approvalId: string) => get().get(approvalId),
    assertConfigured: (...args: Parameters<ApprovalService['assertConfigured']>) =>
      get().assertConfigured(...args),
  };
}

function taskValues(task: Task): Record<string, FieldValue> {
  return pick(
    {
      name: task.name,
      status: task.status,
      ownerSlackId: task.ownerSlackId ?? null,
      dueDate: task.dueDate ?? null,
    },
    syncFields('task'),
  );
}

function campaignValues(c: Campaign): Record<string, FieldValue> {
  return pick(
    {
      name: c.name,
      description: c.description ?? null,
      status: c.status,
      budgetCents: c.budgetCents,
      launchDate: c.launchDate,
      tier: c.tier,
      audience: c.audience ?? null,
      channels: c.channels,
    },
    syncFields('campaign'),
  );
}

function pick(values: Record<string, FieldValue>, fields: string[]): Record<string, FieldValue> {
  return Object.fromEntries(
    fields.filter((f) => Object.hasOwn(values, f)).map((f) => [f, values[f] ?? null]),
  );
}
