/**
 * Command Center's side: tracking an object provisioning created, recording Command Center's changes
 * (who, when, which version), and releasing a budget held for approval once it is decided.
 */
import {
  type Edit,
  type FieldValue,
  type SyncRecordData,
  type SyncRef,
  sameValue,
  syncObjectKey,
} from '../../domain/sync';
import { ConflictError } from '../../errors';
import {
  agreed,
  emit,
  localChanges,
  mutate,
  newRecord,
  type SyncEngineDeps,
  staleConflictsOn,
  stateOf,
} from './engine-support';
import type { LocalRecord } from './ports';

/**
 * Who changed Command Center and when. `fields` are the values this change wrote (a field a newer
 * change has already overwritten keeps that change's time); `before` is the object as it was (the
 * baseline of its first sync).
 */
export interface LocalChangeMeta {
  by: string;
  at: string;
  /** The Command Center record's version this change wrote (the engine waits for unreported ones). */
  version?: number | undefined;
  fields?: Record<string, FieldValue> | undefined;
  before?: Record<string, FieldValue> | undefined;
}

/**
 * Command Center changed an object (a task's status, assignee or due date, a new task, an approved
 * budget…): records who and when per changed field, moves the object to PENDING and schedules its
 * push. Cheap (two reads, one conditional write, one job enqueue), so it runs inside the caller's
 * request. An object whose campaign is not in a work system yet is left alone.
 */
export async function localChanged(
  deps: SyncEngineDeps,
  ref: SyncRef,
  meta: LocalChangeMeta,
): Promise<'pending' | 'in_sync' | 'not_linked'> {
  const local = await deps.local.read(ref);
  if (!local) return 'not_linked';
  if (deps.enabledSystems && !deps.enabledSystems.includes(local.system)) return 'not_linked';
  if (ref.kind === 'campaign' && !local.externalId) return 'not_linked';
  if (ref.kind === 'task' && !local.externalId && !local.projectId) return 'not_linked';
  const objectKey = syncObjectKey(ref);
  let record = await deps.store.get(objectKey);
  if (!record) {
    try {
      record = await deps.store.create(objectKey, newRecord(deps, ref, local, knownBefore(meta)));
    } catch (error) {
      if (!(error instanceof ConflictError)) throw error;
      record = await deps.store.get(objectKey);
      if (!record) throw error;
    }
  }
  if (record.data.retiredAt) return 'not_linked';
  const stale: { field: string; conflicts: ReturnType<typeof staleConflictsOn>['stale'] }[] = [];
  const decided = await decidedHolds(deps, record.data);
  const written = await mutate(deps, record, (current) => {
    stale.length = 0;
    let data = releaseDecidedHolds(current.data, local, decided);
    // A field this change wrote with nothing agreed yet: what it replaced was the agreed value.
    const known = knownBefore(meta);
    const missing = Object.keys(known).filter(
      (field) => !data.fields[field] && data.externalId !== undefined,
    );
    if (missing.length > 0) {
      const seeded = newRecord(deps, ref, { ...local, externalId: data.externalId }, known).fields;
      data = {
        ...data,
        fields: {
          ...data.fields,
          ...Object.fromEntries(missing.filter((f) => seeded[f]).map((f) => [f, seeded[f]])),
        },
      } as SyncRecordData;
    }
    const edited = localChanges(deps, data, local);
    const localEdits: Record<string, Edit> = {};
    for (const field of edited) {
      const value = local.values[field] ?? null;
      const earlier = data.localEdits[field];
      const ours =
        !meta.fields || (Object.hasOwn(meta.fields, field) && sameValue(meta.fields[field], value));
      if (earlier && sameValue(earlier.value, value) && (earlier.by !== undefined || !ours || !meta.fields)) {
        localEdits[field] = earlier;
        continue;
      }
      // Another change wrote this value: its own call records it (until then, the record's time).
      localEdits[field] = ours
        ? {
            value,
            at: meta.at,
            by: meta.by,
            ...(meta.version !== undefined ? { version: meta.version } : {}),
          }
        : { value, at: local.updatedAt, version: local.version };
      const staled = staleConflictsOn(data, field, 'changed again in Command Center');
      data = staled.data;
      stale.push({ field, conflicts: staled.stale });
    }
    // Recorded edits that are still Command Center's value stay (an edit back to the agreed value
    // among them).
    for (const [field, edit] of Object.entries(data.localEdits)) {
      if (!localEdits[field] && sameValue(edit.value, local.values[field] ?? null)) localEdits[field] = edit;
    }
    // A change that put a field back to its agreed value is still an edit, made at `meta.at`: a
    // concurrent change in the work system must meet it as a conflict, not win by default.
    for (const [field, value] of Object.entries(meta.fields ?? {})) {
      if (edited.includes(field) || !data.fields[field] || !sameValue(local.values[field] ?? null, value))
        continue;
      if (sameValue(agreed(data, field), value)) {
        localEdits[field] = {
          value,
          at: meta.at,
          by: meta.by,
          ...(meta.version !== undefined ? { version: meta.version } : {}),
        };
      }
    }
    const localVersion = Math.max(data.localVersion, meta.version ?? local.version);
    const next: SyncRecordData = { ...data, localEdits, localVersion };
    next.state = stateOf(deps, next, local);
    if (sameValue(next, current.data)) return undefined;
    return next;
  });
  for (const { conflicts } of stale) {
    for (const conflict of conflicts) {
      await emit(deps, {
        type: 'conflict.stale',
        objectKey,
        record: written.data,
        conflict,
        objectName: local.name,
      });
    }
  }
  if (written.data.state === 'PENDING' || written.data.state === 'RESOLVED') {
    await deps.pushes.schedulePush(objectKey, `v${written.version}`);
    return 'pending';
  }
  return 'in_sync';
}

/**
 * Starts syncing an object both systems have just been given the same values for (provisioning
 * created the project or task from them): those values are the agreed baseline, exactly. Fields the
 * creation did not write (an assignee, a budget) are given as null, so Command Center's value is
 * pushed by the first push. Idempotent: an object already tracked is left as it is.
 */
export async function track(
  deps: SyncEngineDeps,
  ref: SyncRef,
  agreedValues: Record<string, FieldValue>,
): Promise<'tracked' | 'already_tracked' | 'not_linked'> {
  const local = await deps.local.read(ref);
  if (!local?.externalId) return 'not_linked';
  if (deps.enabledSystems && !deps.enabledSystems.includes(local.system)) return 'not_linked';
  const objectKey = syncObjectKey(ref);
  const existing = await deps.store.get(objectKey);
  if (existing) {
    // An event got here first (before the creation finished): fill in what it could not know.
    const seeded = newRecord(deps, ref, local, agreedValues);
    const written = await mutate(deps, existing, (current) => {
      const missing = Object.keys(seeded.fields).filter((field) => !current.data.fields[field]);
      const linked = current.data.externalId ?? local.externalId;
      if (
        missing.length === 0 &&
        current.data.localVersion >= local.version &&
        current.data.externalId === linked
      )
        return undefined;
      const next: SyncRecordData = {
        ...current.data,
        ...(linked ? { externalId: linked } : {}),
        fields: {
          ...Object.fromEntries(missing.map((f) => [f, seeded.fields[f]])),
          ...current.data.fields,
        } as SyncRecordData['fields'],
        localVersion: Math.max(current.data.localVersion, local.version),
      };
      return { ...next, state: stateOf(deps, next, local) };
    });
    if (written.data.state === 'PENDING') await deps.pushes.schedulePush(objectKey, `v${written.version}`);
    return 'already_tracked';
  }
  const data = newRecord(deps, ref, local, agreedValues);
  try {
    const created = await deps.store.create(objectKey, data);
    if (created.data.state === 'PENDING') await deps.pushes.schedulePush(objectKey, `v${created.version}`);
    return 'tracked';
  } catch (error) {
    if (error instanceof ConflictError) return 'already_tracked';
    throw error;
  }
}

/** The values a change replaced, for the fields it wrote (only those are known to have been agreed). */
function knownBefore(meta: LocalChangeMeta): Record<string, FieldValue> {
  if (!meta.before || !meta.fields) return {};
  const before = meta.before;
  return Object.fromEntries(
    Object.keys(meta.fields)
      .filter((f) => Object.hasOwn(before, f))
      .map((f) => [f, before[f] ?? null]),
  );
}

/**
 * An external budget held for approval is released once its approval is decided: approved (Command
 * Center now has it) → agreed as it is; otherwise the work system still shows the unapproved value,
 * which becomes the agreed value so that Command Center's budget differs from it and is pushed back.
 * Holds with an undecided or unknown approval stay.
 */
export function releaseDecidedHolds(
  data: SyncRecordData,
  local: LocalRecord,
  decided?: Set<string>,
): SyncRecordData {
  const held = data.held.budgetCents;
  if (!held || !decided?.has('budgetCents')) return data;
  const { budgetCents: _released, ...rest } = data.held;
  const now = held.since;
  const value = local.values.budgetCents ?? null;
  const base = data.fields.budgetCents;
  const agreedValue = sameValue(value, held.value) ? value : held.value;
  return {
    ...data,
    held: rest,
    fields: {
      ...data.fields,
      budgetCents: {
        value: agreedValue,
        source: data.system,
        at: held.edit.at,
        ...(held.edit.by ? { by: held.edit.by } : {}),
        version: (base?.version ?? 0) + 1,
        syncedAt: now,
      },
    },
  };
}

/** Which held fields' approvals are decided (asks the budget gate). */
export async function decidedHolds(deps: SyncEngineDeps, data: SyncRecordData): Promise<Set<string>> {
  const out = new Set<string>();
  const held = data.held.budgetCents;
  if (held?.approvalId && deps.budget) {
    const status = await deps.budget.status(held.approvalId);
    if (status && status !== 'PENDING') out.add('budgetCents');
  }
  return out;
}
