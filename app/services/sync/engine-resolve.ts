import {
  type Conflict,
  type FieldValue,
  openConflicts,
  ResolutionChoice,
  type SyncRecordData,
  sameValue,
} from '../../domain/sync';
import { ConflictError, ValidationError } from '../../errors';
import { emit, flushOutbox, outboxEntry, refOf, type SyncEngineDeps, stateOf } from './engine-support';
import type { LocalRecord } from './ports';
import type { StoredSyncRecord } from './record-store';

export type ResolveResult =
  | { outcome: 'resolved'; conflict: Conflict; objectKey: string; objectName: string }
  | { outcome: 'stale' | 'already_resolved'; conflict: Conflict; objectKey: string; objectName: string }
  | { outcome: 'not_found' };

/** The sync record a conflict id belongs to (ids are `<objectKey>~<unique>`). */
function objectKeyOfConflict(conflictId: string): string | undefined {
  const index = conflictId.lastIndexOf('~');
  return index > 0 ? conflictId.slice(0, index) : undefined;
}

/**
 * A person decides a conflict: Keep Command Center, Accept the work system's value, or a merged
 * value (field conflicts only). ONE conditional write on the sync record carries the decision (so of
 * many concurrent clicks one wins; the rest learn it was already resolved, or had gone stale), then
 * the decided value reaches Command Center through the outbox and the work system through the push
 * job. Authorisation (owner, team or admin) is the caller's: this only records `by`.
 *
 * Structural conflicts: a deleted task kept → created again in the work system; accepted → the
 * Command Center task is CANCELLED and no longer synced. A deleted project kept → the campaign stays,
 * unlinked (recreating a project is a person's job); accepted → the campaign is CANCELLED and
 * unlinked. A moved task kept → moved back into its campaign's project; accepted → CANCELLED here.
 */
export async function resolveConflict(
  deps: SyncEngineDeps,
  conflictId: string,
  rawChoice: unknown,
  by: string,
): Promise<ResolveResult> {
  const parsed = ResolutionChoice.safeParse(rawChoice);
  if (!parsed.success) {
    throw new ValidationError('Choose keep_cc, accept_external or a merged value.', { choice: 'invalid' });
  }
  const choice = parsed.data;
  const objectKey = objectKeyOfConflict(conflictId);
  if (!objectKey) return { outcome: 'not_found' };
  let record = await deps.store.get(objectKey);
  if (!record) return { outcome: 'not_found' };
  for (let round = 0; round < 8; round++) {
    const conflict = record.data.conflicts.find((c) => c.conflictId === conflictId);
    if (!conflict) return { outcome: 'not_found' };
    const local = await deps.local.read(refOf(record.data));
    const objectName = local?.name ?? objectKey;
    if (conflict.status === 'STALE') return { outcome: 'stale', conflict, objectKey, objectName };
    if (conflict.status === 'RESOLVED')
      return { outcome: 'already_resolved', conflict, objectKey, objectName };
    if (choice.kind === 'merged' && conflict.kind !== 'field') {
      throw new ValidationError('A deletion or move is kept or accepted; it has no merged value.', {
        choice: 'merged',
      });
    }
    const now = deps.clock().toISOString();
    const next = decide(deps, record.data, conflict, choice, by, now, local);
    let written: StoredSyncRecord;
    try {
      written = await deps.store.replace(record, next.data);
    } catch (error) {
      if (!(error instanceof ConflictError)) throw error;
      const fresh = await deps.store.get(objectKey);
      if (!fresh) throw error;
      record = fresh;
      continue;
    }
    written = await flushOutbox(deps, written);
    await emit(deps, {
      type: 'conflict.resolved',
      objectKey,
      record: written.data,
      conflict: next.conflict,
      objectName,
    });
    if (!written.data.retiredAt) await deps.pushes.schedulePush(objectKey, `resolve:${conflictId}`);
    return { outcome: 'resolved', conflict: next.conflict, objectKey, objectName };
  }
  throw new ConflictError(`sync record ${objectKey} kept changing while resolving ${conflictId}`);
}

function decide(
  deps: SyncEngineDeps,
  data: SyncRecordData,
  conflict: Conflict,
  choice: ResolutionChoice,
  by: string,
  now: string,
  local: LocalRecord | undefined,
): { data: SyncRecordData; conflict: Conflict } {
  const winner = choice.kind === 'keep_cc' ? 'cc' : choice.kind === 'accept_external' ? 'external' : 'merged';
  const value: FieldValue =
    choice.kind === 'merged' ? choice.value : winner === 'cc' ? conflict.cc.value : conflict.external.value;
  const resolved: Conflict = { ...conflict, status: 'RESOLVED', decision: { winner, value, by, at: now } };
  let next: SyncRecordData = {
    ...data,
    conflicts: data.conflicts.map((c) => (c.conflictId === conflict.conflictId ? resolved : c)),
  };
  const current = (field: string) => local?.values[field] ?? null;
  const setLocal = (field: string, target: FieldValue) => {
    if (sameValue(current(field), target)) return;
    next = { ...next, outbox: outboxEntry(next, field, target, current(field)) };
  };
  if (conflict.kind === 'field' && conflict.field) {
    const field = conflict.field;
    setLocal(field, value);
    if (!sameValue(next.fields[field]?.value ?? null, value)) {
      next = { ...next, localEdits: { ...next.localEdits, [field]: { value, at: now, by } } };
    }
  } else if (conflict.kind === 'deleted' && winner === 'cc' && data.kind === 'task') {
    // Created again by the push (as a task made in Command Center is).
    const { externalId: _gone, ...rest } = next;
    next = { ...rest, fields: {}, localEdits: {}, echoes: {}, externalSeenAt: {} };
  } else if (winner === 'external' || data.kind === 'campaign' || conflict.kind === 'deleted') {
    // Accepting a deletion or move ends the link (the object is cancelled here); keeping a deleted
    // project keeps the campaign, unlinked.
    if (winner === 'external') setLocal('status', 'CANCELLED');
    next = { ...next, retiredAt: now };
  }
  const others = openConflicts(next).length > 0;
  next = { ...next, state: others ? 'CONFLICT' : next.retiredAt ? 'SYNCED' : 'RESOLVED' };
  if (
    !others &&
    !next.retiredAt &&
    local &&
    stateOf(deps, { ...next, state: 'SYNCED' }, local) === 'SYNCED' &&
    Object.keys(next.outbox).length === 0 &&
    conflict.kind === 'field'
  ) {
    // Nothing to push or apply: resolved and in sync at once.
    next = { ...next, state: 'SYNCED' };
  }
  return { data: next, conflict: resolved };
}
