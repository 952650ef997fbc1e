import type { FieldValue, SyncRef } from '../../domain/sync';
import type { ExternalChange } from './change';
import { applyExternal, type InboundResult } from './engine-inbound';
import { type LocalChangeMeta, localChanged, track } from './engine-local';
import { type PushOutcome, push } from './engine-push';
import { type ResolveResult, resolveConflict } from './engine-resolve';
import type { SyncEngineDeps } from './engine-support';
import type { RemoteCall } from './ports';

export type { InboundResult, LocalChangeMeta, PushOutcome, ResolveResult, SyncEngineDeps };

/**
 * The two-way sync engine (DESIGN.md "Two-way sync"). Everything it decides is one conditional write
 * on the object's sync record; everything slow (the work-system calls) runs in jobs.
 *
 * - `track` — provisioning gave both systems the same values: start syncing from them.
 * - `localChanged` — Command Center changed an object: record who/when, PENDING, schedule the push.
 * - `push` — the push job: read the work system, fold in what it changed, write ours, SYNCED.
 * - `applyExternal` — a normalised Workfront/Asana change: apply, decide conflicts by rule, escalate
 *   structural changes, ignore echoes and duplicates.
 * - `resolve` — a person's decision on a conflict: one conditional write, then the push.
 */
export class SyncEngine {
  constructor(readonly deps: SyncEngineDeps) {}

  track(
    ref: SyncRef,
    agreedValues: Record<string, FieldValue>,
  ): Promise<'tracked' | 'already_tracked' | 'not_linked'> {
    return track(this.deps, ref, agreedValues);
  }

  localChanged(ref: SyncRef, meta: LocalChangeMeta): Promise<'pending' | 'in_sync' | 'not_linked'> {
    return localChanged(this.deps, ref, meta);
  }

  push(objectKey: string, call: RemoteCall = {}): Promise<PushOutcome> {
    return push(this.deps, objectKey, call);
  }

  applyExternal(change: ExternalChange): Promise<InboundResult> {
    return applyExternal(this.deps, change);
  }

  resolve(conflictId: string, choice: unknown, by: string): Promise<ResolveResult> {
    return resolveConflict(this.deps, conflictId, choice, by);
  }
}
