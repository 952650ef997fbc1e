/**
 * The sync engine's ports in memory, for property tests that run thousands of interleavings: a sync
 * record store with real versioned conditional writes (and the real zod schema on every write),
 * Command Center's records, and a work system that emits Workfront-shaped change events (old/new
 * diffed, event-time snapshots) for every change, ours included. Every port call passes through
 * `gate`, so fast-check's scheduler can interleave concurrent operations at each await.
 */
import type { WorkSystem } from '../../app/domain/model';
import { type FieldValue, SyncRecordData, type SyncRef, syncObjectKey } from '../../app/domain/sync';
import { ConflictError } from '../../app/errors';
import { AppLogger } from '../../app/logger';
import { createCodecs, type PeoplePort } from '../../app/services/sync/codecs';
import { SyncEngine } from '../../app/services/sync/engine';
import type { LocalRecord, LocalSide } from '../../app/services/sync/ports';
import {
  openConflictMarker,
  type StoredSyncRecord,
  type SyncRecordStore,
} from '../../app/services/sync/record-store';

import { type Gate, openGate } from './sync-memory-gate';
import { MemoryRemote } from './sync-memory-remote';

export type { Gate } from './sync-memory-gate';

const clone = <T>(value: T): T => structuredClone(value);

class MemoryStore implements SyncRecordStore {
  readonly records = new Map<string, StoredSyncRecord>();
  constructor(private readonly gate: Gate = openGate) {}

  async get(objectKey: string) {
    const found = this.records.get(objectKey);
    return this.gate('store.get', found ? clone(found) : undefined);
  }
  async findByTarget(system: WorkSystem, externalId: string) {
    const found = [...this.records.values()].find(
      (r) => r.data.system === system && r.data.externalId === externalId && !r.data.retiredAt,
    );
    return this.gate('store.find', found ? clone(found) : undefined);
  }
  async create(objectKey: string, data: SyncRecordData) {
    await this.gate('store.create', undefined);
    if (this.records.has(objectKey)) throw new ConflictError(`${objectKey} exists`);
    const stored = { objectKey, data: SyncRecordData.parse(data), version: 1 };
    this.records.set(objectKey, clone(stored));
    return stored;
  }
  async replace(record: StoredSyncRecord, next: SyncRecordData) {
    await this.gate('store.replace', undefined);
    const current = this.records.get(record.objectKey);
    if (!current || current.version !== record.version) throw new ConflictError(`${record.objectKey} moved`);
    const stored = {
      objectKey: record.objectKey,
      data: SyncRecordData.parse(next),
      version: record.version + 1,
    };
    this.records.set(record.objectKey, clone(stored));
    return clone(stored);
  }
  async listOpen(teamId: string) {
    return [...this.records.values()].filter((r) => openConflictMarker(r.data)?.teamId === teamId).map(clone);
  }
}

interface LocalEntry extends LocalRecord {
  ref: SyncRef;
}

/** Command Center's campaigns and tasks. */
class MemoryLocal implements LocalSide {
  readonly entries = new Map<string, LocalEntry>();
  writes = 0;
  constructor(
    private readonly gate: Gate = openGate,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  put(ref: SyncRef, record: Omit<LocalRecord, 'version' | 'updatedAt'> & Partial<LocalRecord>): void {
    this.entries.set(syncObjectKey(ref), {
      ref,
      version: 1,
      updatedAt: this.clock().toISOString(),
      ...record,
    });
  }
  /** A person edits Command Center (not through the engine); returns the new version. */
  edit(ref: SyncRef, field: string, value: FieldValue): number {
    const entry = this.entries.get(syncObjectKey(ref));
    if (!entry) throw new Error('no such local record');
    entry.values = { ...entry.values, [field]: value };
    entry.version += 1;
    entry.updatedAt = this.clock().toISOString();
    return entry.version;
  }
  value(ref: SyncRef, field: string): FieldValue {
    return this.entries.get(syncObjectKey(ref))?.values[field] ?? null;
  }
  async read(ref: SyncRef) {
    const entry = this.entries.get(syncObjectKey(ref));
    return this.gate('local.read', entry ? clone(entry) : undefined);
  }
  async write(ref: SyncRef, changes: Record<string, FieldValue>, expectedVersion: number) {
    await this.gate('local.write', undefined);
    const entry = this.entries.get(syncObjectKey(ref));
    if (!entry || entry.version !== expectedVersion) throw new ConflictError('local moved');
    entry.values = { ...entry.values, ...changes };
    entry.version += 1;
    entry.updatedAt = this.clock().toISOString();
    this.writes += 1;
    return entry.version;
  }
  async link(ref: SyncRef, externalId: string) {
    const entry = this.entries.get(syncObjectKey(ref));
    if (!entry) return undefined;
    entry.externalId = externalId;
    entry.version += 1;
    return entry.version;
  }
  async importTask(
    campaignId: string,
    taskId: string,
    input: { system: WorkSystem; externalId: string; values: Record<string, FieldValue> },
  ) {
    const ref: SyncRef = { kind: 'task', campaignId, taskId };
    if (this.entries.has(syncObjectKey(ref))) return;
    const campaign = this.entries.get(syncObjectKey({ kind: 'campaign', campaignId }));
    this.put(ref, {
      values: input.values,
      name: String(input.values.name),
      system: input.system,
      externalId: input.externalId,
      projectId: campaign?.externalId,
    });
  }
  async campaignForProject(system: WorkSystem, projectId: string) {
    const found = [...this.entries.values()].find(
      (e) => e.ref.kind === 'campaign' && e.system === system && e.externalId === projectId,
    );
    return found?.ref.campaignId;
  }
}

export const mappedPeople: PeoplePort = {
  async externalUserFor(_system, slackUserId) {
    return `wf-${slackUserId}`;
  },
  async slackUserFor(_system, externalUserId) {
    return externalUserId.startsWith('wf-') ? externalUserId.slice(3) : undefined;
  },
};

export interface MemoryWorld {
  /** Resolves once provisioning's baseline is tracked (unless `untracked`). */
  ready: Promise<void>;
  store: MemoryStore;
  local: MemoryLocal;
  remote: MemoryRemote;
  engine: SyncEngine;
  pushes: Set<string>;
  now(): Date;
  tick(ms?: number): void;
}

/** A world with one campaign (project `proj-1`) and its task `t1` (Workfront task `wf-t1`), in sync. */
export function memoryWorld(
  options: { gate?: Gate; self?: string | undefined; start?: string; untracked?: boolean } = {},
): MemoryWorld {
  let now = new Date(options.start ?? '2027-01-04T09:00:00.000Z');
  const clock = () => new Date(now.getTime());
  const gate = options.gate ?? openGate;
  const store = new MemoryStore(gate);
  const local = new MemoryLocal(gate, clock);
  const remote = new MemoryRemote(gate, clock, 'self' in options ? options.self : 'bot');
  const pushes = new Set<string>();
  let ids = 0;
  const engine = new SyncEngine({
    store,
    local,
    remote,
    codecs: createCodecs({ workfront: {}, asana: {} }),
    people: mappedPeople,
    pushes: { schedulePush: async (objectKey) => void pushes.add(objectKey) },
    clock,
    // One clock for both sides here: no skew to tolerate.
    echoSkewMs: 0,
    newId: () => `id${String(++ids).padStart(6, '0')}`,
    logger: new AppLogger({ level: 'error', sink: () => {} }),
  });
  local.put(
    { kind: 'campaign', campaignId: 'c1' },
    {
      values: { name: 'Launch', status: 'IN_PROGRESS' },
      name: 'Launch',
      system: 'workfront',
      externalId: 'proj-1',
    },
  );
  local.put(
    { kind: 'task', campaignId: 'c1', taskId: 't1' },
    {
      values: { name: 'Brief', status: 'NOT_STARTED', ownerSlackId: 'U0A', dueDate: '2027-01-10' },
      name: 'Brief',
      system: 'workfront',
      externalId: 'wf-t1',
      projectId: 'proj-1',
    },
  );
  remote.add('proj-1', 'campaign', { name: 'Launch', status: 'CUR' }, undefined, {
    kind: 'campaign',
    campaignId: 'c1',
  });
  remote.add(
    'wf-t1',
    'task',
    { name: 'Brief', status: 'NEW', ownerSlackId: 'wf-U0A', dueDate: '2027-01-10' },
    'proj-1',
    TASK_REF,
  );
  return {
    ready: options.untracked
      ? Promise.resolve()
      : Promise.all([
          engine.track({ kind: 'campaign', campaignId: 'c1' }, { name: 'Launch', status: 'IN_PROGRESS' }),
          engine.track(TASK_REF, {
            name: 'Brief',
            status: 'NOT_STARTED',
            ownerSlackId: 'U0A',
            dueDate: '2027-01-10',
          }),
        ]).then(() => undefined),
    store,
    local,
    remote,
    engine,
    pushes,
    now: clock,
    tick: (ms = 1000) => {
      now = new Date(now.getTime() + ms);
    },
  };
}

export const TASK_REF: SyncRef = { kind: 'task', campaignId: 'c1', taskId: 't1' };
export const TASK_KEY = syncObjectKey(TASK_REF);
