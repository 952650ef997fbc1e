import type { EventsLogRepository } from '../../adapters/dynamo/events-log-repo';
import type { SyncStateRepository } from '../../adapters/dynamo/sync-state-repo';
import { DownstreamError, ValidationError } from '../../errors';
import type { AppLogger } from '../../logger';
import { AssumptionError, type AssumptionLedger, reportAssumption } from './assumptions';
import type { ExternalChange } from './change';
import type { CustomFieldMap, SystemCodecs } from './codecs';
import type { SyncEngine } from './engine';
import { deliveryStream } from './intake';
import { asanaAction, groupAsanaEvents, normalizeWorkfront, type WorkfrontActivity } from './normalize';
import { AsanaEvent, type DecodedWorkfrontEvent } from './payloads';
import type { InboundResult, RemoteCall } from './ports';
import type { SyncRecordStore } from './record-store';
import { contentKey } from './signatures';

/**
 * The `sync.delivery` job: one stored webhook delivery, normalised and applied event by event.
 * Idempotent (the engine recognises events it applied), so the job runner's retries and a replay
 * are safe. A retryable failure (a 429, a timeout) retries the whole delivery; an event that fails
 * for good (a 4xx, a vendor shape we do not understand) is logged with its reason and counted, the
 * rest are applied, and the job then fails so that the delivery shows as failed and can be replayed.
 */
export interface DeliveryProcessorDeps {
  eventsLog: Pick<EventsLogRepository, 'getOnce' | 'append'>;
  engine: SyncEngine;
  store: Pick<SyncRecordStore, 'findByTarget'>;
  counters: Pick<SyncStateRepository, 'increment'>;
  codecs: SystemCodecs;
  workfrontCustom: CustomFieldMap;
  ledger?: AssumptionLedger | undefined;
  clock: () => Date;
  logger: AppLogger;
}

export interface DeliveryOutcome {
  events: number;
  applied: number;
  conflicts: number;
  ignored: number;
  failed: { eventKey: string; error: string }[];
}

export class SyncDeliveryProcessor {
  constructor(private readonly deps: DeliveryProcessorDeps) {}

  async process(source: 'asana' | 'workfront', key: string, call: RemoteCall = {}): Promise<DeliveryOutcome> {
    const entry = await this.deps.eventsLog.getOnce(deliveryStream(source), key);
    if (!entry) {
      // Written before the job was enqueued; missing means it expired (14 days) or was never kept.
      throw new DownstreamError(`delivery ${source}/${key} is not in the events log`, 'sync', false);
    }
    const outcome: DeliveryOutcome = { events: 0, applied: 0, conflicts: 0, ignored: 0, failed: [] };
    if (source === 'workfront') await this.workfront(entry.data, key, outcome);
    else await this.asana(entry.data, key, outcome, call);
    const now = this.deps.clock().toISOString();
    await this.deps.counters
      .increment(
        `source#${source}`,
        {
          deliveries: 1,
          events: outcome.events,
          applied: outcome.applied,
          conflicts: outcome.conflicts,
          failures: outcome.failed.length,
        },
        {
          lastDeliveryAt: now,
          ...(outcome.failed.length > 0
            ? { lastFailureAt: now, lastError: outcome.failed[0]?.error ?? '' }
            : {}),
        },
      )
      .catch((error: unknown) =>
        this.deps.logger.warn({ err: error, source }, 'sync source counters not updated'),
      );
    if (outcome.failed.length > 0) {
      throw new DownstreamError(
        `${outcome.failed.length} of ${outcome.events} ${source} events could not be applied: ${outcome.failed[0]?.error}`,
        'sync',
        false,
      );
    }
    return outcome;
  }

  private async workfront(
    data: Record<string, unknown>,
    key: string,
    outcome: DeliveryOutcome,
  ): Promise<void> {
    const event = data.event as DecodedWorkfrontEvent | undefined;
    if (!event || typeof event !== 'object')
      throw new ValidationError(`delivery ${key} holds no Workfront event`);
    outcome.events = 1;
    const normalized = normalizeWorkfront(event, key, this.deps.codecs, this.deps.workfrontCustom);
    if ('ignored' in normalized) {
      outcome.ignored += 1;
      return;
    }
    if ('activity' in normalized) {
      await this.activity(normalized.activity);
      outcome.applied += 1;
      return;
    }
    await this.apply(normalized.change, outcome);
  }

  private async asana(
    data: Record<string, unknown>,
    key: string,
    outcome: DeliveryOutcome,
    call: RemoteCall,
  ): Promise<void> {
    const parsed = AsanaEvent.array().safeParse(data.events);
    if (!parsed.success) throw new ValidationError(`delivery ${key} holds no Asana events`);
    const { groups, other } = groupAsanaEvents(parsed.data);
    outcome.events = parsed.data.length;
    outcome.ignored += other;
    for (const group of groups) {
      const eventKey = `as-${contentKey(group.events)}`;
      const intent = asanaAction(group);
      const base = {
        system: 'asana' as const,
        kind: group.kind,
        externalId: group.gid,
        snapshot: 'current' as const,
        at: intent.at,
        by: intent.by,
        eventKey,
      };
      try {
        if (intent.action === 'deleted' || intent.action === 'restored') {
          await this.apply({ ...base, action: intent.action, values: {} }, outcome);
          continue;
        }
        // Compact events carry no values: the resource as it is now says what changed.
        const state = await this.deps.engine.deps.remote.read('asana', group.kind, group.gid, call);
        if (!state.exists) {
          await this.apply({ ...base, action: 'deleted', values: {} }, outcome);
          continue;
        }
        const movedOut =
          intent.action === 'moved' &&
          intent.removedFrom &&
          !(state.parentIds ?? []).includes(intent.removedFrom);
        const change: ExternalChange = {
          ...base,
          action: movedOut ? 'moved' : intent.action === 'moved' ? 'changed' : intent.action,
          values: movedOut ? {} : state.values,
          ...(state.ref ? { ref: state.ref } : {}),
          ...(state.name ? { name: state.name } : {}),
          ...(state.parentIds?.[0] ? { parentId: state.parentIds[0] } : {}),
          ...(movedOut ? { previousParentId: intent.removedFrom } : {}),
        };
        await this.apply(change, outcome);
      } catch (error) {
        await this.failed(eventKey, error, outcome);
      }
    }
  }

  private async apply(change: ExternalChange, outcome: DeliveryOutcome): Promise<InboundResult | undefined> {
    try {
      const result = await this.deps.engine.applyExternal(change);
      if (result.outcome === 'applied' || result.outcome === 'imported' || result.outcome === 'escalated')
        outcome.applied += 1;
      else outcome.ignored += 1;
      outcome.conflicts += result.conflicts.length;
      return result;
    } catch (error) {
      await this.failed(change.eventKey, error, outcome);
      return undefined;
    }
  }

  private async failed(eventKey: string, error: unknown, outcome: DeliveryOutcome): Promise<void> {
    // Retryable: the whole delivery runs again later (what was applied is recognised then).
    if (error instanceof DownstreamError && error.retryable) throw error;
    if (error instanceof AssumptionError) {
      await reportAssumption(this.deps.ledger, this.deps.logger, error, { eventKey });
    } else {
      this.deps.logger.error(
        { err: error, event: 'sync_event_failed', eventKey },
        'sync event could not be applied',
      );
    }
    const message = error instanceof Error ? error.message : String(error);
    outcome.failed.push({ eventKey, error: message.slice(0, 300) });
  }

  /** A note, document or issue in Workfront: recorded on the campaign it belongs to, when known. */
  private async activity(activity: WorkfrontActivity): Promise<void> {
    const owner = activity.parentId
      ? await this.deps.store.findByTarget('workfront', activity.parentId)
      : undefined;
    if (!owner) {
      this.deps.logger.info(
        { objCode: activity.objCode, id: activity.id },
        'Workfront activity on an object Command Center does not track',
      );
      return;
    }
    await this.deps.eventsLog.append({
      stream: `campaign#${owner.data.campaignId}`,
      type: 'sync.activity',
      actor: 'workfront',
      data: { ...activity, objectKey: owner.objectKey },
    });
  }
}
