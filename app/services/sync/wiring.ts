import type { EventsLogRepository } from '../../adapters/dynamo/events-log-repo';
import type { SyncStateRepository } from '../../adapters/dynamo/sync-state-repo';
import type { AppLogger } from '../../logger';
import type { AssumptionLedger, AssumptionName } from './assumptions';
import type { DeliveryEnqueuer } from './intake';
import type { PushScheduler, SyncEvent, SyncNotifier } from './ports';

/** The job kind of a push (app/jobs/sync.ts runs it). */
export const PUSH_JOB_KIND = 'sync.push';

/** Pushes as durable jobs, one per record version (duplicates of the same version coalesce). */
export function jobPushScheduler(jobs: DeliveryEnqueuer): PushScheduler {
  return {
    async schedulePush(objectKey, dedupeKey) {
      await jobs.enqueue({
        kind: PUSH_JOB_KIND,
        payload: { objectKey },
        idempotencyKey: `${PUSH_JOB_KIND}:${objectKey}:${dedupeKey}`,
        // Backoff 2 s … 4 min: rides out a work system's 5xx, a 429 and a wait for an event.
        maxAttempts: 8,
      });
    },
  };
}

/** Counts contradicted vendor assumptions in sync-state (`assumption#<name>`: count, last seen, last detail). */
export function assumptionLedger(
  repo: Pick<SyncStateRepository, 'increment'>,
  clock: () => Date,
): AssumptionLedger {
  return {
    async count(assumption: AssumptionName, detail: string) {
      await repo.increment(
        `assumption#${assumption}`,
        { count: 1 },
        { lastAt: clock().toISOString(), lastDetail: detail.slice(0, 500) },
      );
    },
  };
}

/**
 * Sync events into the campaign's audit trail (`campaign#<id>` in the events log): decisions,
 * conflicts (with everything a conflict message needs), held budgets and notes. Phase 2 adds a
 * Slack notifier beside this one (conflict messages); `combineNotifiers` runs both.
 */
export function eventsLogNotifier(eventsLog: Pick<EventsLogRepository, 'append'>): SyncNotifier {
  return {
    async notify(event: SyncEvent) {
      const { record, objectKey } = event;
      const common = { objectKey, kind: record.kind, taskId: record.taskId ?? null, system: record.system };
      const data: Record<string, unknown> =
        event.type === 'conflict.recorded' ||
        event.type === 'conflict.resolved' ||
        event.type === 'conflict.stale'
          ? { ...common, objectName: event.objectName, conflict: event.conflict }
          : event.type === 'field.applied'
            ? { ...common, direction: event.direction, fields: event.fields, by: event.by ?? null }
            : event.type === 'budget.held'
              ? { ...common, budgetCents: event.budgetCents, approvalId: event.approvalId ?? null }
              : { ...common, field: event.field, note: event.note };
      await eventsLog.append({
        stream: `campaign#${record.campaignId}`,
        type: `sync.${event.type}`,
        actor: 'sync',
        data,
      });
    },
  };
}

/** Runs several notifiers; one failing does not stop the others. */
export function combineNotifiers(notifiers: SyncNotifier[], logger: AppLogger): SyncNotifier {
  return {
    async notify(event) {
      await Promise.all(
        notifiers.map((n) =>
          n
            .notify(event)
            .catch((error: unknown) =>
              logger.warn({ err: error, event: event.type }, 'sync notifier failed'),
            ),
        ),
      );
    },
  };
}
