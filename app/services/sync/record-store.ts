import type { OpenConflictMarker, SyncStateRepository } from '../../adapters/dynamo/sync-state-repo';
import type { WorkSystem } from '../../domain/model';
import { type Conflict, openConflicts, SyncRecordData } from '../../domain/sync';

/** A sync record as stored: its key, data and version (every change is conditional on it). */
export interface StoredSyncRecord {
  objectKey: string;
  data: SyncRecordData;
  version: number;
}

/**
 * The sync records. `create` fails with `ConflictError` when the key exists; `replace` when the
 * record moved past `record.version`. Both keep `target-index` and `open-conflict-index` in step
 * with the data (the external id, and the marker of OPEN conflicts a person must decide).
 */
export interface SyncRecordStore {
  get(objectKey: string): Promise<StoredSyncRecord | undefined>;
  findByTarget(system: WorkSystem, externalId: string): Promise<StoredSyncRecord | undefined>;
  create(objectKey: string, data: SyncRecordData): Promise<StoredSyncRecord>;
  replace(record: StoredSyncRecord, next: SyncRecordData): Promise<StoredSyncRecord>;
  /** A team's records with an OPEN conflict (`open-conflict-index`), oldest first. Eventually consistent. */
  listOpen(teamId: string, limit?: number): Promise<StoredSyncRecord[]>;
}

const SYSTEM_NAMES: Record<WorkSystem, string> = { workfront: 'Workfront', asana: 'Asana' };

/**
 * The marker a record carries while it holds OPEN conflicts (the digest and App Home read it per
 * team, without the record's data): the team, the oldest one's time, and one line that says what
 * happened. Undefined when nothing waits for a person, or the record has no team.
 */
export function openConflictMarker(data: SyncRecordData): OpenConflictMarker | undefined {
  const open = openConflicts(data);
  const [first] = [...open].sort((a, b) => a.detectedAt.localeCompare(b.detectedAt));
  if (!first || !data.teamId) return undefined;
  const more = open.length > 1 ? ` (and ${open.length - 1} more)` : '';
  return {
    teamId: data.teamId,
    since: first.detectedAt,
    summary: `${describe(data, first)}${more}`.slice(0, 500),
  };
}

function describe(data: SyncRecordData, conflict: Conflict): string {
  const name = typeof data.fields.name?.value === 'string' ? data.fields.name.value : undefined;
  const object =
    data.kind === 'task'
      ? `Task${name ? ` “${name}”` : ` ${data.taskId ?? ''}`}`
      : `The project of campaign${name ? ` “${name}”` : ` ${data.campaignId}`}`;
  const system = SYSTEM_NAMES[data.system];
  if (conflict.kind === 'deleted') return `${object} was deleted in ${system}`;
  if (conflict.kind === 'moved') return `${object} was moved to another project in ${system}`;
  return `${object}: ${conflict.field ?? 'a field'} changed on both sides`;
}

/** The sync-state table through its repository. */
export class DynamoSyncRecordStore implements SyncRecordStore {
  constructor(private readonly repo: SyncStateRepository) {}

  async get(objectKey: string): Promise<StoredSyncRecord | undefined> {
    const found = await this.repo.get(objectKey, SyncRecordData);
    return found ? { objectKey, data: found.data, version: found.version } : undefined;
  }

  async findByTarget(system: WorkSystem, externalId: string): Promise<StoredSyncRecord | undefined> {
    const found = await this.repo.findByTarget({ system, externalId }, SyncRecordData);
    return found ? { objectKey: found.objectKey, data: found.data, version: found.version } : undefined;
  }

  async create(objectKey: string, data: SyncRecordData): Promise<StoredSyncRecord> {
    const stored = await this.repo.put(this.item(objectKey, data), SyncRecordData);
    return { objectKey, data: stored.data, version: stored.version };
  }

  async replace(record: StoredSyncRecord, next: SyncRecordData): Promise<StoredSyncRecord> {
    const stored = await this.repo.put(this.item(record.objectKey, next), SyncRecordData, record.version);
    return { objectKey: record.objectKey, data: stored.data, version: stored.version };
  }

  async listOpen(teamId: string, limit = 200): Promise<StoredSyncRecord[]> {
    const marked = await this.repo.listOpenConflicts(teamId, limit);
    // The index holds the marker only; the records themselves are read strongly consistent.
    const records = await Promise.all(marked.map((m) => this.get(m.objectKey)));
    return records.filter((r): r is StoredSyncRecord => r !== undefined);
  }

  private item(objectKey: string, data: SyncRecordData) {
    const openConflict = openConflictMarker(data);
    // A retired record lets go of its external id, so a new link to the same object is possible.
    const target =
      data.externalId && !data.retiredAt ? { system: data.system, externalId: data.externalId } : undefined;
    return { objectKey, data, ...(target ? { target } : {}), ...(openConflict ? { openConflict } : {}) };
  }
}
