/**
 * The push: Command Center's changes written to the work system, read before write.
 */
import { type FieldValue, openConflicts, type SyncRecordData, sameValue } from '../../domain/sync';
import { DownstreamError } from '../../errors';
import { AssumptionError, reportAssumption } from './assumptions';
import { mergeWrites, UnmappedValueError } from './codecs';
import { applyExternal } from './engine-inbound';
import { decidedHolds, releaseDecidedHolds } from './engine-local';
import {
  activeFields,
  agreed,
  assertLocalAccounted,
  codecsOf,
  contextOf,
  emit,
  flushOutbox,
  localChanges,
  MAX_WRITE_ROUNDS,
  mutate,
  refOf,
  type SyncEngineDeps,
  stateOf,
} from './engine-support';
import type { LocalRecord, RemoteCall } from './ports';
import type { StoredSyncRecord } from './record-store';

/** How long a push waits for the event of a change it found in the work system before deciding on its own. */
const EVENT_GRACE_MS = 30_000;

export type PushOutcome = 'in_sync' | 'pushed' | 'created' | 'blocked' | 'not_linked' | 'gone';

/**
 * The push job: writes Command Center's changed fields to the work system. Read before write: the
 * work system's current values are compared with the agreed ones first, and a change made there
 * that no webhook has brought yet is decided by the rules before anything is overwritten. The
 * values in flight are recorded (SYNCING) before the call, so a push interrupted after the work
 * system took it is finished, not lost, by the next run. Nothing is pushed while a structural
 * conflict waits for a person.
 */
export async function push(
  deps: SyncEngineDeps,
  objectKey: string,
  call: RemoteCall = {},
): Promise<PushOutcome> {
  let outcome: PushOutcome = 'in_sync';
  // The work system's unseen changes are folded in once per run (a value the rules cannot read
  // must not keep the run from pushing the rest).
  let readBack = false;
  for (let round = 0; round < MAX_WRITE_ROUNDS; round++) {
    let record = await deps.store.get(objectKey);
    if (!record || record.data.retiredAt) return 'not_linked';
    record = await flushOutbox(deps, record);
    if (openConflicts(record.data).length > 0) return 'blocked';
    const ref = refOf(record.data);
    const local = await deps.local.read(ref);
    if (!local) return 'gone';
    const decided = await decidedHolds(deps, record.data);
    if (decided.size > 0) {
      await mutate(deps, record, (current) => releaseDecidedHolds(current.data, local, decided));
      continue;
    }
    const inflight = record.data.inflight;
    // A push in flight elsewhere is left to finish; one whose run died is taken over after the lease.
    if (
      inflight &&
      deps.clock().getTime() - Date.parse(inflight.startedAt) < (deps.inflightLeaseMs ?? 120_000)
    ) {
      throw new DownstreamError(`another push of ${objectKey} is in flight`, record.data.system, true);
    }
    const moveBack = record.data.conflicts.find(
      (c) =>
        c.kind === 'moved' && c.status === 'RESOLVED' && c.decision?.winner === 'cc' && !c.decision.appliedAt,
    );
    if (moveBack && record.data.externalId && local.projectId) {
      const from = typeof moveBack.external.value === 'string' ? moveBack.external.value : undefined;
      await deps.remote.moveTask(record.data.system, record.data.externalId, local.projectId, from, call);
      await mutate(deps, record, (current) => ({
        ...current.data,
        conflicts: current.data.conflicts.map((c) =>
          c.conflictId === moveBack.conflictId && c.decision
            ? { ...c, decision: { ...c.decision, appliedAt: deps.clock().toISOString() } }
            : c,
        ),
      }));
      continue;
    }
    if (!record.data.externalId) {
      if (record.data.kind !== 'task' || !local.projectId) return 'not_linked';
      await createRemote(deps, record, local, call);
      outcome = 'created';
      continue;
    }
    assertLocalAccounted(deps, record.data, local);
    const remote = await deps.remote.read(record.data.system, record.data.kind, record.data.externalId, call);
    if (!remote.exists) {
      await applyExternal(deps, {
        system: record.data.system,
        kind: record.data.kind,
        externalId: record.data.externalId,
        action: 'deleted',
        values: {},
        snapshot: 'current',
        at: deps.clock().toISOString(),
        eventKey: `push-read:${objectKey}:${record.version}:deleted`,
      });
      return 'blocked';
    }
    if (
      record.data.kind === 'task' &&
      remote.parentIds &&
      local.projectId &&
      !remote.parentIds.includes(local.projectId)
    ) {
      await applyExternal(deps, {
        system: record.data.system,
        kind: 'task',
        externalId: record.data.externalId,
        action: 'moved',
        values: {},
        snapshot: 'current',
        at: remote.modifiedAt ?? deps.clock().toISOString(),
        parentId: remote.parentIds[0],
        previousParentId: local.projectId,
        eventKey: `push-read:${objectKey}:${record.version}:moved`,
      });
      return 'blocked';
    }
    const unseen = readBack ? {} : await unseenExternal(deps, record.data, remote.values);
    readBack = true;
    const changedThere = Object.keys(unseen).filter((field) => record?.data.fields[field] !== undefined);
    if (changedThere.length > 0 && remote.modifiedAt) {
      // The work system changed something we have not heard about. Its own event says exactly
      // which field changed when (the read only knows when the object last changed): wait for it a
      // little rather than decide on a guess or overwrite it.
      const age = deps.clock().getTime() - Date.parse(remote.modifiedAt);
      if (age < EVENT_GRACE_MS) {
        throw new DownstreamError(
          `waiting for the ${record.data.system} event of a change to ${changedThere.join(', ')} before pushing ${objectKey}`,
          record.data.system,
          true,
        );
      }
    }
    if (Object.keys(unseen).length > 0) {
      // What the work system holds now is the truth to reconcile with, even when we wrote it last
      // (our base moved on since): no echo suppression by user here.
      const self = await deps.remote.selfUserId(record.data.system);
      const result = await applyExternal(deps, {
        system: record.data.system,
        kind: record.data.kind,
        externalId: record.data.externalId,
        action: 'changed',
        values: unseen,
        snapshot: 'current',
        at: remote.modifiedAt ?? deps.clock().toISOString(),
        by: remote.modifiedBy && remote.modifiedBy !== self ? remote.modifiedBy : undefined,
        eventKey: `push-read:${objectKey}:${record.version}`,
      });
      if (result.outcome !== 'echo' && result.outcome !== 'duplicate') continue;
    }
    const planned = await plannedWrite(deps, record.data, local);
    if (planned.notes.length > 0) {
      record = await mutate(deps, record, (current) => ({
        ...current.data,
        notes: {
          ...current.data.notes,
          ...Object.fromEntries(
            planned.notes.map((n) => [
              n.field,
              { value: local.values[n.field] ?? null, message: n.note, at: deps.clock().toISOString() },
            ]),
          ),
        },
      }));
      for (const note of planned.notes)
        await emit(deps, { type: 'note', objectKey, record: record.data, ...note });
    }
    if (Object.keys(planned.values).length === 0) {
      await mutate(deps, record, (current) => {
        // Nothing left to push: a RESOLVED object is in sync again, and edits that only put a field
        // back to its agreed value have been weighed against the work system (read above).
        const localEdits = Object.fromEntries(
          Object.entries(current.data.localEdits).filter(
            ([f, e]) => !sameValue(e.value, agreed(current.data, f)),
          ),
        );
        const state = stateOf(deps, { ...current.data, state: 'SYNCED' }, local);
        const same =
          current.data.state === state &&
          Object.keys(localEdits).length === Object.keys(current.data.localEdits).length;
        return same ? undefined : { ...current.data, state, localEdits };
      });
      return outcome;
    }
    const opId = deps.newId();
    const startedAt = deps.clock().toISOString();
    const before = record;
    record = await mutate(deps, record, (current) =>
      current.version !== before.version
        ? undefined
        : { ...current.data, state: 'SYNCING', inflight: { opId, fields: planned.values, startedAt } },
    );
    const externalId = record.data.externalId;
    if (record.data.inflight?.opId !== opId || !externalId) continue;
    try {
      await deps.remote.update(record.data.system, record.data.kind, externalId, planned.patch, call);
    } catch (error) {
      await mutate(deps, record, (current) => {
        if (current.data.inflight?.opId !== opId) return undefined;
        const { inflight: _dropped, ...rest } = current.data;
        const message = error instanceof Error ? error.message : String(error);
        return {
          ...rest,
          state: 'PENDING',
          lastError: { at: deps.clock().toISOString(), message: message.slice(0, 500) },
        };
      });
      throw error;
    }
    await finishPush(deps, record, opId, planned.external, local);
    outcome = 'pushed';
  }
  return outcome;
}

/** Fields whose value in the work system is not the agreed one (changed there, not seen yet). */
async function unseenExternal(
  deps: SyncEngineDeps,
  data: SyncRecordData,
  values: Record<string, unknown>,
): Promise<Record<string, unknown>> {
  const codecs = codecsOf(deps, data);
  const ctx = contextOf(deps, data);
  const out: Record<string, unknown> = {};
  for (const field of activeFields(deps, data)) {
    const codec = codecs[field];
    if (!codec || !Object.hasOwn(values, field) || Object.hasOwn(data.held, field)) continue;
    // Nothing agreed yet: the work system's value is compared with Command Center's by the rules.
    if (!data.fields[field]) {
      out[field] = values[field];
      continue;
    }
    try {
      if (!sameValue(values[field], await codec.toExternal(agreed(data, field), ctx)))
        out[field] = values[field];
    } catch (error) {
      if (!(error instanceof UnmappedValueError)) throw error;
    }
  }
  return out;
}

/** The values to push (Command Center's, per changed field), their work-system form and the request. */
async function plannedWrite(deps: SyncEngineDeps, data: SyncRecordData, local: LocalRecord) {
  const codecs = codecsOf(deps, data);
  const ctx = contextOf(deps, data);
  const values: Record<string, FieldValue> = {};
  const external: Record<string, unknown> = {};
  const fragments: Record<string, unknown>[] = [];
  const notes: { field: string; note: string }[] = [];
  for (const field of localChanges(deps, data, local)) {
    const codec = codecs[field];
    if (!codec) continue;
    const value = local.values[field] ?? null;
    try {
      const ext = await codec.toExternal(value, ctx);
      values[field] = value;
      external[field] = ext;
      fragments.push(codec.write(ext));
    } catch (error) {
      if (error instanceof UnmappedValueError) notes.push({ field, note: error.message });
      else if (error instanceof AssumptionError)
        await reportAssumption(deps.ledger, deps.logger, error, { field });
      else throw error;
    }
  }
  return { values, external, patch: mergeWrites(fragments), notes };
}

/** The work system took the values in flight: they become the agreed ones, and their echo is remembered. */
async function finishPush(
  deps: SyncEngineDeps,
  record: StoredSyncRecord,
  opId: string,
  external: Record<string, unknown>,
  local: LocalRecord,
): Promise<StoredSyncRecord> {
  const now = deps.clock().toISOString();
  const written = await mutate(deps, record, (current) => {
    const inflight = current.data.inflight;
    if (inflight?.opId !== opId) return undefined;
    const fields = { ...current.data.fields };
    const echoes = { ...current.data.echoes };
    const localEdits = { ...current.data.localEdits };
    const notes = { ...current.data.notes };
    for (const [field, value] of Object.entries(inflight.fields)) {
      const edit = localEdits[field];
      fields[field] = {
        value,
        source: 'cc',
        at: edit?.at ?? local.updatedAt,
        ...(edit?.by ? { by: edit.by } : {}),
        version: (fields[field]?.version ?? 0) + 1,
        syncedAt: now,
      };
      echoes[field] = [
        ...(echoes[field] ?? []),
        { value: external[field] ?? null, at: inflight.startedAt, until: now },
      ].slice(-5);
      if (edit && sameValue(edit.value, value)) delete localEdits[field];
      delete notes[field];
    }
    const { inflight: _done, lastError: _cleared, ...rest } = current.data;
    const next: SyncRecordData = {
      ...rest,
      fields,
      echoes,
      localEdits,
      notes,
      syncVersion: current.data.syncVersion + 1,
      state: 'SYNCED',
    };
    return { ...next, state: stateOf(deps, next, local) };
  });
  await emit(deps, {
    type: 'field.applied',
    objectKey: written.objectKey,
    record: written.data,
    direction: 'outbound',
    fields: record.data.inflight?.fields ?? {},
  });
  return written;
}

/** A task made in Command Center: created in its campaign's project (found first if an earlier try made it). */
async function createRemote(
  deps: SyncEngineDeps,
  record: StoredSyncRecord,
  local: LocalRecord,
  call: RemoteCall,
): Promise<void> {
  const data = record.data;
  const projectId = local.projectId;
  if (!projectId || !data.taskId) return;
  const planned = await plannedWrite(deps, { ...data, fields: {} }, local);
  const externalId = await deps.remote.createTask(
    data.system,
    { projectId, campaignId: data.campaignId, taskId: data.taskId, patch: planned.patch },
    call,
  );
  const linkedVersion = await deps.local.link(refOf(data), externalId);
  const now = deps.clock().toISOString();
  const notes = Object.fromEntries(
    planned.notes.map((n) => [n.field, { value: local.values[n.field] ?? null, message: n.note, at: now }]),
  );
  await mutate(deps, record, (current) => {
    if (current.data.externalId) return undefined;
    const fields = { ...current.data.fields };
    for (const [field, value] of Object.entries(planned.values)) {
      const edit = current.data.localEdits[field];
      fields[field] = {
        value,
        source: 'cc',
        at: edit?.at ?? local.updatedAt,
        ...(edit?.by ? { by: edit.by } : {}),
        version: 1,
        syncedAt: now,
      };
    }
    const next: SyncRecordData = {
      ...current.data,
      externalId,
      fields,
      localEdits: {},
      notes: { ...current.data.notes, ...notes },
      syncVersion: current.data.syncVersion + 1,
      localVersion: Math.max(current.data.localVersion, linkedVersion ?? 0),
    };
    return { ...next, state: stateOf(deps, next, { ...local, externalId }) };
  });
}
