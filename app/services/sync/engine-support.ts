import type { WorkSystem } from '../../domain/model';
import {
  type Conflict,
  type FieldValue,
  MAX_KEPT_CONFLICTS,
  MAX_RECENT_EVENTS,
  openConflicts,
  type SyncRecordData,
  type SyncRef,
  type SyncState,
  sameValue,
  syncFields,
} from '../../domain/sync';
import { ConflictError, DownstreamError } from '../../errors';
import type { AppLogger } from '../../logger';
import type { AssumptionLedger } from './assumptions';
import type { CodecContext, FieldCodec, PeoplePort, SystemCodecs } from './codecs';
import type {
  BudgetGate,
  LocalRecord,
  LocalSide,
  PushScheduler,
  RemoteSide,
  SyncEvent,
  SyncNotifier,
} from './ports';
import type { StoredSyncRecord, SyncRecordStore } from './record-store';

/** Everything the engine is built from. */
export interface SyncEngineDeps {
  store: SyncRecordStore;
  local: LocalSide;
  remote: RemoteSide;
  codecs: Record<WorkSystem, SystemCodecs>;
  people: PeoplePort;
  budget?: BudgetGate | undefined;
  pushes: PushScheduler;
  notifier?: SyncNotifier | undefined;
  ledger?: AssumptionLedger | undefined;
  clock: () => Date;
  newId: () => string;
  logger: AppLogger;
  /** How long a push may stay in flight before another run may take over. Default 2 minutes. */
  inflightLeaseMs?: number;
  /** Clock difference tolerated between us and the work system when matching an echo. Default 5 s. */
  echoSkewMs?: number;
  /** The work systems this deployment syncs with (configured ones); all when absent. */
  enabledSystems?: readonly WorkSystem[] | undefined;
}

/** How long a Command Center change may stay unreported before decisions stop waiting for its call. */
const LOCAL_GRACE_MS = 15_000;

/**
 * Throws a retryable error while Command Center's record carries a change newer than any reported
 * (its change call follows the write within the same request, so this is a moment). After the grace
 * period the change is taken as it is (a code path without a change call), dated by the record.
 */
export function assertLocalAccounted(deps: SyncEngineDeps, data: SyncRecordData, local: LocalRecord): void {
  if (local.version <= data.localVersion) return;
  const age = deps.clock().getTime() - Date.parse(local.updatedAt);
  if (age >= LOCAL_GRACE_MS) return;
  throw new DownstreamError(
    `sync waits for Command Center's change of ${data.kind} ${data.taskId ?? data.campaignId} to be recorded`,
    'sync',
    true,
  );
}

/** How many times a lost conditional write is re-read and recomputed before giving up (retryable). */
export const MAX_WRITE_ROUNDS = 12;
/** How long after our own write an event carrying the value we wrote is taken for its echo. */
export const ECHO_WINDOW_MS = 2 * 60_000;
/** Clock difference tolerated between us and the work system when matching an echo. */
export const ECHO_SKEW_MS = 5_000;

export function refOf(data: Pick<SyncRecordData, 'kind' | 'campaignId' | 'taskId'>): SyncRef {
  if (data.kind === 'task') {
    if (!data.taskId) throw new Error('a task sync record without taskId');
    return { kind: 'task', campaignId: data.campaignId, taskId: data.taskId };
  }
  return { kind: 'campaign', campaignId: data.campaignId };
}

export function codecsOf(
  deps: SyncEngineDeps,
  data: Pick<SyncRecordData, 'system' | 'kind'>,
): Record<string, FieldCodec> {
  return deps.codecs[data.system][data.kind];
}

export function contextOf(deps: SyncEngineDeps, data: SyncRecordData): CodecContext {
  return { system: data.system, campaignId: data.campaignId, taskId: data.taskId, people: deps.people };
}

/** The synced fields this object has with its work system (rule and codec both known). */
export function activeFields(deps: SyncEngineDeps, data: Pick<SyncRecordData, 'system' | 'kind'>): string[] {
  const codecs = codecsOf(deps, data);
  return syncFields(data.kind).filter((field) => Object.hasOwn(codecs, field));
}

/** The agreed value of a field (null before anything was agreed). */
export function agreed(data: SyncRecordData, field: string): FieldValue {
  return data.fields[field]?.value ?? null;
}

/**
 * Fields Command Center changed since they were last agreed: its value differs from the agreed one,
 * excluding decided values still on their way into Command Center (`outbox`) and held ones.
 */
export function localChanges(deps: SyncEngineDeps, data: SyncRecordData, local: LocalRecord): string[] {
  return activeFields(deps, data).filter((field) => {
    const value = local.values[field] ?? null;
    if (Object.hasOwn(data.outbox, field) || Object.hasOwn(data.held, field) || noted(data, field, value)) {
      return false;
    }
    // Nothing agreed yet: a linked object's field waits for the first push to establish it; an
    // object the work system does not have yet sends every value it has.
    if (!data.fields[field]) return data.externalId === undefined && value !== null;
    return !sameValue(value, agreed(data, field));
  });
}

/** True when `value` of `field` is known not to map to the other side (a note says why). */
function noted(data: SyncRecordData, field: string, value: FieldValue): boolean {
  const note = data.notes[field];
  return note !== undefined && sameValue(note.value, value);
}

/** The state a record is in given its conflicts, flight and Command Center's values. */
export function stateOf(
  deps: SyncEngineDeps,
  data: SyncRecordData,
  local: LocalRecord | undefined,
): SyncState {
  if (openConflicts(data).length > 0) return 'CONFLICT';
  if (data.inflight) return 'SYNCING';
  if (data.state === 'RESOLVED') return 'RESOLVED';
  const pending = local ? localChanges(deps, data, local).length > 0 : false;
  const unestablished =
    data.externalId !== undefined && activeFields(deps, data).some((f) => !data.fields[f]);
  return pending || unestablished || (!data.externalId && data.kind === 'task') ? 'PENDING' : 'SYNCED';
}

export function withRecentEvent(data: SyncRecordData, eventKey: string): SyncRecordData {
  if (data.recentEvents.includes(eventKey)) return data;
  return { ...data, recentEvents: [...data.recentEvents, eventKey].slice(-MAX_RECENT_EVENTS) };
}

export function withConflict(data: SyncRecordData, conflict: Conflict): SyncRecordData {
  // OPEN ones are never dropped for room; older settled ones go first.
  const all = [...data.conflicts, conflict];
  while (all.length > MAX_KEPT_CONFLICTS) {
    const index = all.findIndex((c) => c.status !== 'OPEN');
    if (index < 0) break;
    all.splice(index, 1);
  }
  return { ...data, conflicts: all };
}

/** The outbox entry that writes `value` over what Command Center holds (or an earlier decided value). */
export function outboxEntry(
  data: SyncRecordData,
  field: string,
  value: FieldValue,
  current: FieldValue,
  version?: number,
) {
  const earlier = data.outbox[field];
  const replaces = earlier ? [...earlier.replaces, earlier.value] : [current];
  return { ...data.outbox, [field]: { value, replaces, ...(version !== undefined ? { version } : {}) } };
}

/** Marks DECIDED conflicts on `field` STALE (a newer change superseded them); returns them. */
export function staleConflictsOn(
  data: SyncRecordData,
  field: string,
  reason: string,
): { data: SyncRecordData; stale: Conflict[] } {
  const stale: Conflict[] = [];
  const conflicts = data.conflicts.map((conflict) => {
    if (conflict.kind !== 'field' || conflict.field !== field || conflict.status !== 'DECIDED')
      return conflict;
    const next: Conflict = { ...conflict, status: 'STALE', staleReason: reason };
    stale.push(next);
    return next;
  });
  return { data: stale.length > 0 ? { ...data, conflicts } : data, stale };
}

/**
 * Replaces `record` with `compute(current)` as one conditional write; when the write loses, re-reads
 * and computes again (bounded). `compute` returning undefined means "nothing to write".
 */
export async function mutate(
  deps: SyncEngineDeps,
  record: StoredSyncRecord,
  compute: (current: StoredSyncRecord) => SyncRecordData | undefined,
): Promise<StoredSyncRecord> {
  let current = record;
  for (let round = 0; round < MAX_WRITE_ROUNDS; round++) {
    const next = compute(current);
    if (!next) return current;
    try {
      return await deps.store.replace(current, next);
    } catch (error) {
      if (!(error instanceof ConflictError)) throw error;
      const fresh = await deps.store.get(current.objectKey);
      if (!fresh) throw error;
      current = fresh;
    }
  }
  throw new ConflictError(`sync record ${record.objectKey} kept changing`);
}

/** How long one run may hold the right to write decided values into Command Center. */
const FLUSH_LEASE_MS = 30_000;

/**
 * Writes decided external values (`outbox`) into the Command Center record, then clears them. A value
 * is written only while Command Center still holds a value it may replace: an edit made in between
 * wins and is pushed later, never silently overwritten.
 *
 * One run at a time writes (a lease in the sync record, taken with a conditional write): two runs
 * holding different snapshots of the outbox could otherwise write an older decision after a newer
 * one. The holder keeps going until the outbox is empty, so a decision made while it writes is
 * applied by it; a run that finds the lease taken leaves the work to the holder (or, if the holder
 * died, to whoever comes after the lease ran out).
 */
export async function flushOutbox(deps: SyncEngineDeps, record: StoredSyncRecord): Promise<StoredSyncRecord> {
  if (Object.keys(record.data.outbox).length === 0) return record;
  const ref = refOf(record.data);
  const opId = deps.newId();
  const held = (data: SyncRecordData) =>
    data.flushLease !== undefined &&
    data.flushLease.opId !== opId &&
    Date.parse(data.flushLease.until) > deps.clock().getTime();
  let current = await mutate(deps, record, (latest) => {
    if (Object.keys(latest.data.outbox).length === 0 || held(latest.data)) return undefined;
    if (latest.data.flushLease?.opId === opId) return undefined;
    return {
      ...latest.data,
      flushLease: { opId, until: new Date(deps.clock().getTime() + FLUSH_LEASE_MS).toISOString() },
    };
  });
  if (current.data.flushLease?.opId !== opId) return current;
  for (let round = 0; round < MAX_WRITE_ROUNDS; round++) {
    const outbox = current.data.outbox;
    let written: number | undefined;
    for (let attempt = 0; attempt < MAX_WRITE_ROUNDS; attempt++) {
      const local = await deps.local.read(ref);
      if (!local) break;
      const changes: Record<string, FieldValue> = {};
      for (const [field, entry] of Object.entries(outbox)) {
        const now = local.values[field] ?? null;
        if (sameValue(now, entry.value) || !entry.replaces.some((value) => sameValue(now, value))) continue;
        changes[field] = entry.value;
      }
      if (Object.keys(changes).length === 0) break;
      try {
        written = await deps.local.write(ref, changes, local.version);
        break;
      } catch (error) {
        if (!(error instanceof ConflictError) || attempt === MAX_WRITE_ROUNDS - 1) throw error;
      }
    }
    current = await mutate(deps, current, (latest) => {
      const remaining = Object.fromEntries(
        Object.entries(latest.data.outbox).filter(([field, entry]) => {
          const handled = outbox[field];
          return !(
            handled &&
            sameValue(handled.value, entry.value) &&
            sameValue(handled.replaces, entry.replaces)
          );
        }),
      );
      const localVersion = Math.max(latest.data.localVersion, written ?? 0);
      const done = Object.keys(remaining).length === 0;
      const { flushLease: _released, ...rest } = latest.data;
      return done
        ? { ...rest, outbox: remaining, localVersion }
        : { ...latest.data, outbox: remaining, localVersion };
    });
    if (Object.keys(current.data.outbox).length === 0) return current;
  }
  return current;
}

/** Sends a sync event to the notifier; a failing notifier is logged, never thrown. */
export async function emit(deps: SyncEngineDeps, event: SyncEvent): Promise<void> {
  if (!deps.notifier) return;
  try {
    await deps.notifier.notify(event);
  } catch (error) {
    deps.logger.warn({ err: error, event: event.type, objectKey: event.objectKey }, 'sync notifier failed');
  }
}

/**
 * A fresh record for an object not synced before. Only `known` fields get an agreed value (the values
 * the change that creates the record knows both sides shared: the fields it wrote, as they were
 * before; Workfront's oldState); every other field is established against the work system by the
 * first push (see `establish` in the inbound rules). Guessing them from Command Center's current
 * values would take an edit whose change call has not arrived yet for the agreed value, and lose it.
 */
export function newRecord(
  deps: SyncEngineDeps,
  ref: SyncRef,
  local: LocalRecord,
  known: Record<string, FieldValue> = {},
): SyncRecordData {
  const now = deps.clock().toISOString();
  const data: SyncRecordData = {
    kind: ref.kind,
    campaignId: ref.campaignId,
    ...(ref.kind === 'task' ? { taskId: ref.taskId } : {}),
    ...(local.teamId ? { teamId: local.teamId } : {}),
    system: local.system,
    ...(local.externalId ? { externalId: local.externalId } : {}),
    state: 'SYNCED',
    syncVersion: 0,
    fields: {},
    localEdits: {},
    outbox: {},
    held: {},
    echoes: {},
    externalSeenAt: {},
    conflicts: [],
    recentEvents: [],
    notes: {},
    localVersion: local.version,
  };
  if (!local.externalId) return data;
  for (const field of activeFields(deps, data)) {
    if (!Object.hasOwn(known, field)) continue;
    data.fields[field] = {
      value: known[field] ?? null,
      source: 'cc',
      at: BASELINE_AT,
      version: 0,
      syncedAt: now,
    };
  }
  return { ...data, state: stateOf(deps, data, local) };
}

/** The time of a baseline value (agreed before the record existed): older than any edit. */
export const BASELINE_AT = '1970-01-01T00:00:00.000Z';

/** True when `value` is empty (nothing to lose by filling it from the other side). */
export function isEmpty(value: unknown): boolean {
  return (
    value === null || value === undefined || value === '' || (Array.isArray(value) && value.length === 0)
  );
}
