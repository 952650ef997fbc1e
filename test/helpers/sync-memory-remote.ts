import type { WorkSystem } from '../../app/domain/model';
import type { SyncObjectKind, SyncRef } from '../../app/domain/sync';
import type { ExternalChange } from '../../app/services/sync/change';
import type { RemoteSide, RemoteState } from '../../app/services/sync/ports';
import { type Gate, openGate } from './sync-memory-gate';

const clone = <T>(value: T): T => structuredClone(value);

interface RemoteObject {
  kind: SyncObjectKind;
  /** Our reference on it (Workfront `extRefID`), as provisioning writes it. */
  ref?: SyncRef | undefined;
  values: Record<string, unknown>;
  parentId?: string | undefined;
  deleted: boolean;
  modifiedAt: string;
  modifiedBy: string;
}

/** Workfront task write keys → the engine's field names (the memory work system stores by field). */
const WRITE_KEYS: Record<string, string> = {
  name: 'name',
  status: 'status',
  assignedToID: 'ownerSlackId',
  plannedCompletionDate: 'dueDate',
  description: 'description',
  budget: 'budgetCents',
};

/** A Workfront-like work system: every change (ours too) queues an event carrying old→new diffs. */
export class MemoryRemote implements RemoteSide {
  readonly objects = new Map<string, RemoteObject>();
  readonly events: ExternalChange[] = [];
  readonly updates: { externalId: string; patch: Record<string, unknown>; at: string }[] = [];
  private eventCount = 0;
  private nextId = 1;
  constructor(
    private readonly gate: Gate = openGate,
    private readonly clock: () => Date = () => new Date(),
    readonly self: string | undefined = 'bot',
    readonly system: WorkSystem = 'workfront',
  ) {}

  add(
    id: string,
    kind: SyncObjectKind,
    values: Record<string, unknown>,
    parentId?: string,
    ref?: SyncRef,
  ): void {
    this.objects.set(id, {
      kind,
      ref,
      values: { ...values },
      parentId,
      deleted: false,
      modifiedAt: this.clock().toISOString(),
      modifiedBy: 'setup',
    });
  }

  /** A person changes the work system; returns false when nothing changed (no event is sent). */
  humanEdit(id: string, field: string, value: unknown, by = 'wf-user'): boolean {
    const object = this.objects.get(id);
    if (!object || object.deleted) return false;
    if (JSON.stringify(object.values[field] ?? null) === JSON.stringify(value)) return false;
    this.change(id, object, { [field]: value }, by);
    return true;
  }

  humanDelete(id: string): void {
    const object = this.objects.get(id);
    if (!object || object.deleted) return;
    object.deleted = true;
    this.queue({ id, kind: object.kind, action: 'deleted', values: {}, by: 'wf-user', ref: object.ref });
  }

  humanMove(id: string, toProject: string): void {
    const object = this.objects.get(id);
    if (!object || object.deleted || object.parentId === toProject) return;
    const from = object.parentId;
    object.parentId = toProject;
    this.queue({
      id,
      kind: object.kind,
      action: 'moved',
      values: {},
      by: 'wf-user',
      parentId: toProject,
      previousParentId: from,
      ref: object.ref,
    });
  }

  private change(id: string, object: RemoteObject, values: Record<string, unknown>, by: string) {
    const previous = Object.fromEntries(
      Object.keys(values).map((field) => [field, object.values[field] ?? null]),
    );
    object.values = { ...object.values, ...values };
    object.modifiedAt = this.clock().toISOString();
    object.modifiedBy = by;
    this.queue({
      id,
      kind: object.kind,
      action: 'changed',
      values,
      previous,
      by,
      parentId: object.parentId,
      ref: object.ref,
    });
  }

  private queue(input: {
    id: string;
    kind: SyncObjectKind;
    action: ExternalChange['action'];
    values: Record<string, unknown>;
    previous?: Record<string, unknown>;
    by: string;
    parentId?: string | undefined;
    previousParentId?: string | undefined;
    ref?: SyncRef | undefined;
  }) {
    this.eventCount += 1;
    this.events.push({
      system: this.system,
      kind: input.kind,
      externalId: input.id,
      action: input.action,
      values: input.values,
      ...(input.previous ? { previous: input.previous } : {}),
      snapshot: 'event',
      at: this.clock().toISOString(),
      by: input.by,
      ...(input.parentId ? { parentId: input.parentId } : {}),
      ...(input.previousParentId ? { previousParentId: input.previousParentId } : {}),
      ...(input.ref ? { ref: input.ref } : {}),
      eventKey: `evt-${this.eventCount}`,
    });
  }

  async read(_system: WorkSystem, _kind: SyncObjectKind, externalId: string): Promise<RemoteState> {
    const object = this.objects.get(externalId);
    const state: RemoteState =
      !object || object.deleted
        ? { exists: false, values: {} }
        : {
            exists: true,
            values: clone(object.values),
            parentIds: object.parentId ? [object.parentId] : undefined,
            modifiedAt: object.modifiedAt,
            modifiedBy: object.modifiedBy,
          };
    return this.gate('remote.read', state);
  }
  async update(
    _system: WorkSystem,
    _kind: SyncObjectKind,
    externalId: string,
    patch: Record<string, unknown>,
  ) {
    await this.gate('remote.update', undefined);
    const object = this.objects.get(externalId);
    if (!object || object.deleted) throw new Error('404 not found');
    const values: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(patch)) {
      const field = WRITE_KEYS[key];
      if (field && JSON.stringify(object.values[field] ?? null) !== JSON.stringify(value))
        values[field] = value;
    }
    this.updates.push({ externalId, patch, at: this.clock().toISOString() });
    if (Object.keys(values).length > 0) this.change(externalId, object, values, this.self ?? 'bot');
  }
  async createTask(_system: WorkSystem, input: { projectId: string; patch: Record<string, unknown> }) {
    await this.gate('remote.create', undefined);
    const id = `new-${this.nextId++}`;
    const values: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(input.patch)) {
      const field = WRITE_KEYS[key];
      if (field) values[field] = value;
    }
    this.objects.set(id, {
      kind: 'task',
      values,
      parentId: input.projectId,
      deleted: false,
      modifiedAt: this.clock().toISOString(),
      modifiedBy: this.self ?? 'bot',
    });
    return id;
  }
  async moveTask(_system: WorkSystem, externalId: string, projectId: string) {
    const object = this.objects.get(externalId);
    if (object) object.parentId = projectId;
  }
  async selfUserId() {
    return this.self;
  }
}

/** Slack `U…` ↔ `wf-U…`: everyone is mapped. */
