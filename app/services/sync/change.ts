import type { WorkSystem } from '../../domain/model';
import type { SyncObjectKind, SyncRef } from '../../domain/sync';

/**
 * One change in a work system, normalised from a Workfront delivery (old/new state diffed) or an
 * Asana event (completed by fetching the resource): the internal change record the engine applies.
 */
export interface ExternalChange {
  system: WorkSystem;
  kind: SyncObjectKind;
  externalId: string;
  /**
   * `changed` fields; `created` in the work system; `deleted`, `moved` (to another project) and
   * `restored` (an Asana undelete) are structural.
   */
  action: 'changed' | 'created' | 'deleted' | 'moved' | 'restored';
  /** Synced fields it carries, in the work system's representation (see codecs.ts). */
  values: Record<string, unknown>;
  /**
   * The same fields before the change, when the source says (Workfront's oldState): the agreed
   * values of an object seen for the first time.
   */
  previous?: Record<string, unknown> | undefined;
  /**
   * `event`: the values as of the event (Workfront's newState; ordered by `at`, older ones ignored);
   * `current`: the resource fetched now (Asana), always the latest truth.
   */
  snapshot: 'event' | 'current';
  /** When it happened in the work system (ISO). */
  at: string;
  /** The work-system user who made it, when known. */
  by?: string | undefined;
  /** A task's project now, and before (a move). */
  parentId?: string | undefined;
  previousParentId?: string | undefined;
  /** Our reference carried by the object (Workfront `extRefID`, our notes marker in Asana). */
  ref?: SyncRef | undefined;
  name?: string | undefined;
  /** Stable per source event: the same event delivered twice has the same key. */
  eventKey: string;
}

/** The Command Center task id of a task created in a work system (deterministic, so duplicates meet). */
export function importedTaskId(system: WorkSystem, externalId: string): string {
  return `${system === 'asana' ? 'as' : 'wf'}-${externalId}`;
}

/** Parses our reference: `<campaignId>` (a project) or `<campaignId>:<taskId>` (a task). */
export function parseReference(reference: string | undefined | null): SyncRef | undefined {
  if (!reference) return undefined;
  const match = /^([A-Za-z0-9_-]{1,80})(?::([A-Za-z0-9_-]{1,80}))?$/.exec(reference.trim());
  if (!match?.[1]) return undefined;
  return match[2]
    ? { kind: 'task', campaignId: match[1], taskId: match[2] }
    : { kind: 'campaign', campaignId: match[1] };
}

/** Finds our `[mcc:<reference>]` marker in Asana notes. */
export function markerReference(notes: unknown): SyncRef | undefined {
  if (typeof notes !== 'string') return undefined;
  const match = /\[mcc:([A-Za-z0-9_:-]{1,170})\]/.exec(notes);
  return parseReference(match?.[1]);
}
