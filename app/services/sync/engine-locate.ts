/**
 * Which sync record an external change belongs to (creating it, or importing a task someone made in
 * the work system), and structural changes (deleted, moved), which always go to a person.
 */
import { type Conflict, type FieldValue, type SyncRef, syncObjectKey } from '../../domain/sync';
import { ConflictError } from '../../errors';
import { AssumptionError, reportAssumption } from './assumptions';
import { type ExternalChange, importedTaskId } from './change';
import { UnmappedValueError } from './codecs';
import {
  emit,
  mutate,
  newRecord,
  refOf,
  type SyncEngineDeps,
  stateOf,
  withConflict,
  withRecentEvent,
} from './engine-support';
import type { InboundResult, LocalRecord } from './ports';
import type { StoredSyncRecord } from './record-store';

/**
 * A deletion or a move is never applied by the engine: it records an OPEN conflict for a person and
 * the object waits in CONFLICT. A second report of the same structural change adds nothing; an
 * Asana undelete makes an open deletion conflict STALE.
 */
export async function structural(
  deps: SyncEngineDeps,
  start: StoredSyncRecord,
  change: ExternalChange,
): Promise<InboundResult> {
  const local = await deps.local.read(refOf(start.data));
  const now = deps.clock().toISOString();
  const recorded: Conflict[] = [];
  const staled: Conflict[] = [];
  const written = await mutate(deps, start, (current) => {
    recorded.length = 0;
    staled.length = 0;
    let data = withRecentEvent(current.data, change.eventKey);
    if (change.action === 'restored') {
      const conflicts = data.conflicts.map((c) => {
        if (c.kind !== 'deleted' || c.status !== 'OPEN') return c;
        const next: Conflict = { ...c, status: 'STALE', staleReason: 'restored in the work system' };
        staled.push(next);
        return next;
      });
      data = { ...data, conflicts };
      return { ...data, state: stateOf(deps, data, local) };
    }
    const kind = change.action === 'deleted' ? 'deleted' : 'moved';
    if (data.conflicts.some((c) => c.kind === kind && c.status === 'OPEN')) return data;
    const conflict: Conflict = {
      conflictId: `${current.objectKey}~${deps.newId()}`,
      kind,
      rule: 'person',
      cc: {
        value: kind === 'moved' ? (change.previousParentId ?? null) : (local?.name ?? null),
        at: local?.updatedAt ?? now,
      },
      external: {
        value: kind === 'moved' ? (change.parentId ?? null) : null,
        at: change.at,
        ...(change.by ? { by: change.by } : {}),
      },
      status: 'OPEN',
      detectedAt: now,
    };
    recorded.push(conflict);
    data = withConflict(data, conflict);
    return { ...data, state: 'CONFLICT' };
  });
  for (const conflict of recorded) {
    await emit(deps, {
      type: 'conflict.recorded',
      objectKey: written.objectKey,
      record: written.data,
      conflict,
      objectName: local?.name ?? written.objectKey,
    });
  }
  for (const conflict of staled) {
    await emit(deps, {
      type: 'conflict.stale',
      objectKey: written.objectKey,
      record: written.data,
      conflict,
      objectName: local?.name ?? written.objectKey,
    });
  }
  if (staled.length > 0 && (written.data.state === 'PENDING' || written.data.state === 'RESOLVED')) {
    await deps.pushes.schedulePush(written.objectKey, `v${written.version}`);
  }
  return {
    outcome: recorded.length > 0 ? 'escalated' : staled.length > 0 ? 'applied' : 'no_change',
    objectKey: written.objectKey,
    conflicts: recorded,
  };
}

/**
 * The record a change belongs to: by its external id (target-index), else by our reference on the
 * object, else (a task created in a linked project) a Command Center task imported for it. A record
 * is created on first sight, taking Command Center's values as agreed.
 */
export async function locate(
  deps: SyncEngineDeps,
  change: ExternalChange,
): Promise<{ record: StoredSyncRecord; imported: boolean } | undefined> {
  const byTarget = await deps.store.findByTarget(change.system, change.externalId);
  if (byTarget) return { record: byTarget, imported: false };
  let ref: SyncRef | undefined = change.ref && change.ref.kind === change.kind ? change.ref : undefined;
  if (!ref && deps.local.campaignForProject) {
    if (change.kind === 'campaign') {
      const campaignId = await deps.local.campaignForProject(change.system, change.externalId);
      if (campaignId) ref = { kind: 'campaign', campaignId };
    } else if (change.parentId) {
      const campaignId = await deps.local.campaignForProject(change.system, change.parentId);
      if (campaignId)
        ref = { kind: 'task', campaignId, taskId: importedTaskId(change.system, change.externalId) };
    }
  }
  if (!ref) return undefined;
  const objectKey = syncObjectKey(ref);
  const existing = await deps.store.get(objectKey);
  if (existing) return { record: existing, imported: false };
  let local = await deps.local.read(ref);
  let imported = false;
  if (!local && ref.kind === 'task' && ref.taskId === importedTaskId(change.system, change.externalId)) {
    if (change.action === 'deleted' || change.action === 'moved') return undefined;
    const values = await importValues(deps, change, ref);
    if (!values) return undefined;
    await deps.local.importTask(ref.campaignId, ref.taskId, {
      system: change.system,
      externalId: change.externalId,
      values,
    });
    local = await deps.local.read(ref);
    imported = true;
  }
  if (!local || (local.externalId && local.externalId !== change.externalId)) return undefined;
  const linked = local.externalId ? local : { ...local, externalId: change.externalId };
  const data = newRecord(deps, ref, linked, await previousValues(deps, change, ref, local));
  try {
    return { record: await deps.store.create(objectKey, data), imported };
  } catch (error) {
    if (!(error instanceof ConflictError)) throw error;
    const raced = await deps.store.get(objectKey);
    if (!raced) throw error;
    return { record: raced, imported: false };
  }
}

/**
 * The agreed values of an object seen for the first time: Command Center's, except the fields the
 * change says what they were before (Workfront's oldState), which the work system and Command Center
 * shared until this change (so a Command Center edit not yet recorded still shows as one).
 */
async function previousValues(
  deps: SyncEngineDeps,
  change: ExternalChange,
  ref: SyncRef,
  local: LocalRecord,
): Promise<Record<string, FieldValue>> {
  if (!change.previous) return {};
  const codecs = deps.codecs[change.system][ref.kind];
  const ctx = {
    system: change.system,
    campaignId: ref.campaignId,
    taskId: ref.kind === 'task' ? ref.taskId : undefined,
    people: deps.people,
  };
  const values: Record<string, FieldValue> = {};
  for (const [field, before] of Object.entries(change.previous)) {
    const codec = codecs[field];
    if (!codec) continue;
    try {
      values[field] = await codec.toLocal(before, ctx, local.values[field] ?? null);
    } catch (error) {
      if (!(error instanceof UnmappedValueError) && !(error instanceof AssumptionError)) throw error;
    }
  }
  return values;
}

/** Command Center values for a task someone created in the work system (unmappable ones left out). */
async function importValues(
  deps: SyncEngineDeps,
  change: ExternalChange,
  ref: SyncRef,
): Promise<Record<string, FieldValue> | undefined> {
  const codecs = deps.codecs[change.system].task;
  const ctx = {
    system: change.system,
    campaignId: ref.campaignId,
    taskId: ref.kind === 'task' ? ref.taskId : undefined,
    people: deps.people,
  };
  const values: Record<string, FieldValue> = {};
  for (const [field, codec] of Object.entries(codecs)) {
    if (!Object.hasOwn(change.values, field)) continue;
    try {
      values[field] = await codec.toLocal(change.values[field], ctx, undefined);
    } catch (error) {
      if (error instanceof AssumptionError)
        await reportAssumption(deps.ledger, deps.logger, error, { externalId: change.externalId });
      else if (!(error instanceof UnmappedValueError)) throw error;
    }
  }
  return typeof values.name === 'string' && values.name !== '' ? values : undefined;
}
