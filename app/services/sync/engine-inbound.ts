import { ConflictError } from '../../errors';
import { reportAssumption } from './assumptions';
import type { ExternalChange } from './change';
import { type Plan, planFields } from './engine-fields';
import { locate, structural } from './engine-locate';
import {
  assertLocalAccounted,
  emit,
  flushOutbox,
  MAX_WRITE_ROUNDS,
  mutate,
  refOf,
  type SyncEngineDeps,
  withRecentEvent,
} from './engine-support';
import type { InboundResult, LocalRecord } from './ports';

export type { InboundResult } from './ports';

import type { StoredSyncRecord } from './record-store';

/**
 * Applies one external change (DESIGN.md "Two-way sync"): a field the work system changed and
 * Command Center did not flows in; a field both changed is a conflict decided by its rule and
 * recorded; a deletion or move escalates to a person (the object goes to CONFLICT and nothing
 * changes until resolved). Our own writes echoed back, duplicates and events older than what was
 * applied are recognised and ignored. The decision is one conditional write on the sync record;
 * the values it lets in reach the Command Center record through the record's outbox.
 */
export async function applyExternal(deps: SyncEngineDeps, change: ExternalChange): Promise<InboundResult> {
  const self = await deps.remote.selfUserId(change.system);
  if (self && change.by === self) {
    // Our own write coming back: nothing to decide, and no record is made for it (an object we
    // just created is tracked by whoever created it).
    const known = await deps.store.findByTarget(change.system, change.externalId);
    if (known && !known.data.recentEvents.includes(change.eventKey))
      await markSeen(deps, known, change.eventKey);
    return { outcome: 'echo', ...(known ? { objectKey: known.objectKey } : {}), conflicts: [] };
  }
  const located = await locate(deps, change);
  if (!located) {
    deps.logger.info(
      { system: change.system, kind: change.kind, externalId: change.externalId, action: change.action },
      'sync: change to an object Command Center does not track',
    );
    return { outcome: 'unknown_object', conflicts: [] };
  }
  let { record } = located;
  const imported = located.imported;
  if (record.data.retiredAt) return { outcome: 'retired', objectKey: record.objectKey, conflicts: [] };
  if (record.data.recentEvents.includes(change.eventKey)) {
    return { outcome: 'duplicate', objectKey: record.objectKey, conflicts: [] };
  }
  if (change.action === 'deleted' || change.action === 'moved' || change.action === 'restored') {
    return structural(deps, record, change);
  }

  for (let round = 0; round < MAX_WRITE_ROUNDS; round++) {
    const ref = refOf(record.data);
    const local = await deps.local.read(ref);
    if (!local) return { outcome: 'unknown_object', objectKey: record.objectKey, conflicts: [] };
    assertLocalAccounted(deps, record.data, local);
    const plan = await planFields(deps, record.data, local, change, self);
    for (const error of plan.assumptionErrors) {
      await reportAssumption(deps.ledger, deps.logger, error, {
        objectKey: record.objectKey,
        eventKey: change.eventKey,
      });
    }
    let written: StoredSyncRecord;
    try {
      written = await deps.store.replace(record, plan.data);
    } catch (error) {
      if (!(error instanceof ConflictError)) throw error;
      const fresh = await deps.store.get(record.objectKey);
      if (!fresh) throw error;
      record = fresh;
      if (record.data.recentEvents.includes(change.eventKey)) {
        return { outcome: 'duplicate', objectKey: record.objectKey, conflicts: [] };
      }
      continue;
    }
    written = await flushOutbox(deps, written);
    await afterInbound(deps, written, plan, local, change);
    const changed = Object.keys(plan.applied).length > 0 || plan.conflicts.length > 0 || plan.held;
    return {
      outcome: imported ? 'imported' : changed ? 'applied' : 'no_change',
      objectKey: written.objectKey,
      conflicts: plan.conflicts,
    };
  }
  throw new ConflictError(`sync record ${record.objectKey} kept changing while applying ${change.eventKey}`);
}

/** Side effects after the decision is stored: budget approval, the push, notifications. */
async function afterInbound(
  deps: SyncEngineDeps,
  record: StoredSyncRecord,
  plan: Plan,
  local: LocalRecord,
  change: ExternalChange,
): Promise<void> {
  let current = record;
  if (plan.held && deps.budget) {
    const approvalId = await deps.budget.requestApproval({
      campaignId: current.data.campaignId,
      budgetCents: plan.held.budgetCents,
      system: current.data.system,
      externalUser: plan.held.edit.by,
    });
    if (approvalId) {
      current = await attachApproval(deps, current, approvalId);
    }
    await emit(deps, {
      type: 'budget.held',
      objectKey: current.objectKey,
      record: current.data,
      budgetCents: plan.held.budgetCents,
      approvalId,
    });
  }
  if (Object.keys(plan.applied).length > 0) {
    await emit(deps, {
      type: 'field.applied',
      objectKey: current.objectKey,
      record: current.data,
      direction: 'inbound',
      fields: plan.applied,
      by: change.by,
    });
  }
  for (const conflict of plan.conflicts) {
    await emit(deps, {
      type: 'conflict.recorded',
      objectKey: current.objectKey,
      record: current.data,
      conflict,
      objectName: local.name,
    });
  }
  for (const conflict of plan.stale) {
    await emit(deps, {
      type: 'conflict.stale',
      objectKey: current.objectKey,
      record: current.data,
      conflict,
      objectName: local.name,
    });
  }
  for (const { field, note } of plan.notes) {
    await emit(deps, { type: 'note', objectKey: current.objectKey, record: current.data, field, note });
  }
  if (current.data.state === 'PENDING' || current.data.state === 'RESOLVED') {
    await deps.pushes.schedulePush(current.objectKey, `v${current.version}`);
  }
}

async function attachApproval(
  deps: SyncEngineDeps,
  record: StoredSyncRecord,
  approvalId: string,
): Promise<StoredSyncRecord> {
  return mutate(deps, record, (current) => {
    const held = current.data.held.budgetCents;
    if (!held || held.approvalId === approvalId) return undefined;
    return { ...current.data, held: { ...current.data.held, budgetCents: { ...held, approvalId } } };
  });
}

async function markSeen(
  deps: SyncEngineDeps,
  record: StoredSyncRecord,
  eventKey: string,
): Promise<StoredSyncRecord> {
  return mutate(deps, record, (current) =>
    current.data.recentEvents.includes(eventKey) ? undefined : withRecentEvent(current.data, eventKey),
  );
}
