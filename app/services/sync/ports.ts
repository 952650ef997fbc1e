import type { WorkSystem } from '../../domain/model';
import type { Conflict, FieldValue, SyncObjectKind, SyncRecordData, SyncRef } from '../../domain/sync';

/**
 * What the sync engine needs from the world, as small ports: Command Center's records, the work
 * systems, people, the budget policy, jobs and whoever wants to hear about conflicts. The services'
 * composition wires them to the repositories and clients; the property tests wire them to memory.
 */

/** A Command Center object as the engine sees it: its synced fields and its version. */
export interface LocalRecord {
  values: Record<string, FieldValue>;
  version: number;
  updatedAt: string;
  /** For conflict messages. */
  name: string;
  /** The campaign's team: whose digest and App Home list the object's open conflicts. */
  teamId?: string | undefined;
  /** The work system it lives in and its id there, when linked. */
  system: WorkSystem;
  externalId?: string | undefined;
  /** Tasks: the campaign's project in the work system (where a new task is created). */
  projectId?: string | undefined;
}

/** Command Center's side (campaigns and tasks). */
export interface LocalSide {
  read(ref: SyncRef): Promise<LocalRecord | undefined>;
  /** Writes synced fields, conditional on `expectedVersion`; `ConflictError` when it moved. Returns the new version. */
  write(ref: SyncRef, changes: Record<string, FieldValue>, expectedVersion: number): Promise<number>;
  /** Stores the work system's id on a task created there by a push; returns the new version. */
  link(ref: SyncRef, externalId: string): Promise<number | undefined>;
  /** Creates a Command Center task for a task someone created in a linked project (idempotent). */
  importTask(
    campaignId: string,
    taskId: string,
    input: { system: WorkSystem; externalId: string; values: Record<string, FieldValue> },
  ): Promise<void>;
  /** The campaign whose project is `projectId` in `system`, if any (a task event's parent). */
  campaignForProject?(system: WorkSystem, projectId: string): Promise<string | undefined>;
}

/** A work-system object's current state: values in the work system's representation, per synced field. */
export interface RemoteState {
  exists: boolean;
  values: Record<string, unknown>;
  /** The projects a task is in (Asana tasks may be in several; a Workfront task is in one). */
  parentIds?: string[] | undefined;
  modifiedAt?: string | undefined;
  modifiedBy?: string | undefined;
  /** Our reference on it (`extRefID`, or the notes marker), when it carries one. */
  ref?: SyncRef | undefined;
  name?: string | undefined;
}

export interface RemoteCall {
  deadline?: Date;
}

/** One work system's side. Every method throws `DownstreamError` (retryable or not) on failure. */
export interface RemoteSide {
  read(system: WorkSystem, kind: SyncObjectKind, externalId: string, call: RemoteCall): Promise<RemoteState>;
  update(
    system: WorkSystem,
    kind: SyncObjectKind,
    externalId: string,
    patch: Record<string, unknown>,
    call: RemoteCall,
  ): Promise<void>;
  /**
   * Creates a task in `projectId` carrying our reference, or returns the id of the one an earlier,
   * interrupted attempt created (found by that reference first).
   */
  createTask(
    system: WorkSystem,
    input: { projectId: string; campaignId: string; taskId: string; patch: Record<string, unknown> },
    call: RemoteCall,
  ): Promise<string>;
  /** Puts a moved task back into its project (a person chose to keep Command Center's structure). */
  moveTask(
    system: WorkSystem,
    externalId: string,
    projectId: string,
    fromProjectId: string | undefined,
    call: RemoteCall,
  ): Promise<void>;
  /** The work-system user our own writes are made as (echo suppression), when known. */
  selfUserId(system: WorkSystem): Promise<string | undefined>;
}

/** The budget policy for an external budget change (DESIGN.md: a raise past the approved amount asks again). */
export interface BudgetGate {
  /** `allow` applies it; `needs_approval` holds it and asks. */
  evaluate(campaignId: string, budgetCents: number): Promise<'allow' | 'needs_approval'>;
  /** Files (or finds) the approval request; returns its id. Idempotent per campaign and value. */
  requestApproval(input: {
    campaignId: string;
    budgetCents: number;
    system: WorkSystem;
    externalUser: string | undefined;
  }): Promise<string | undefined>;
  /** The approval's status, or undefined when it does not exist. */
  status(
    approvalId: string,
  ): Promise<'PENDING' | 'APPROVED' | 'REJECTED' | 'EXPIRED' | 'CANCELLED' | undefined>;
}

/** Enqueues the push job of an object (durable; coalesced per record version). */
export interface PushScheduler {
  schedulePush(objectKey: string, dedupeKey: string): Promise<void>;
}

/** A change the engine made, for the audit trail and for conflict messages (phase 2 posts them). */
export type SyncEvent =
  | {
      type: 'conflict.recorded';
      objectKey: string;
      record: SyncRecordData;
      conflict: Conflict;
      objectName: string;
    }
  | {
      type: 'conflict.resolved';
      objectKey: string;
      record: SyncRecordData;
      conflict: Conflict;
      objectName: string;
    }
  | {
      type: 'conflict.stale';
      objectKey: string;
      record: SyncRecordData;
      conflict: Conflict;
      objectName: string;
    }
  | {
      type: 'field.applied';
      objectKey: string;
      record: SyncRecordData;
      direction: 'inbound' | 'outbound';
      fields: Record<string, FieldValue>;
      by?: string | undefined;
    }
  | {
      type: 'budget.held';
      objectKey: string;
      record: SyncRecordData;
      budgetCents: number;
      approvalId?: string | undefined;
    }
  | { type: 'note'; objectKey: string; record: SyncRecordData; field: string; note: string };

/** Hears every sync event (the events log; phase 2 adds Slack messages). Failures are logged, not thrown. */
export interface SyncNotifier {
  notify(event: SyncEvent): Promise<void>;
}

/** What applying one external change came to. */
type InboundOutcome =
  | 'applied'
  | 'no_change'
  | 'duplicate'
  | 'echo'
  | 'escalated'
  | 'imported'
  | 'retired'
  | 'unknown_object';

export interface InboundResult {
  outcome: InboundOutcome;
  objectKey?: string;
  conflicts: Conflict[];
}
