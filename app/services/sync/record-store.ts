import type { SyncStateRepository } from '../../adapters/dynamo/sync-state-repo';
import type { WorkSystem } from '../../domain/model';
import { SyncRecordData } from '../../domain/sync';

/** A sync record as stored: its key, data and version (every change is conditional on it). */
export interface StoredSyncRecord {
  objectKey: string;
  data: SyncRecordData;
  version: number;
}

/**
 * The sync records. `create` fails with `ConflictError` when the key exists; `replace` when the
 * record moved past `record.version`. Both keep `target-index` and `conflict-index` in step with
 * the data (the external id, and whether any conflict is OPEN or DECIDED).
 */
export interface SyncRecordStore {
  get(objectKey: string): Promise<StoredSyncRecord | undefined>;
  findByTarget(system: WorkSystem, externalId: string): Promise<StoredSyncRecord | undefined>;
  create(objectKey: string, data: SyncRecordData): Promise<StoredSyncRecord>;
  replace(record: StoredSyncRecord, next: SyncRecordData): Promise<StoredSyncRecord>;
  /** Records with conflicts a person may act on (optionally of one campaign). Eventually consistent. */
  listWithConflicts(campaignId?: string): Promise<StoredSyncRecord[]>;
}

/** Where a record sorts in `conflict-index`, or undefined when it has nothing for a person. */
export function conflictSortKey(objectKey: string, data: SyncRecordData): string | undefined {
  const attention = data.conflicts.some((c) => c.status === 'OPEN' || c.status === 'DECIDED');
  return attention ? `${data.campaignId}#${objectKey}` : undefined;
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

  async listWithConflicts(campaignId?: string): Promise<StoredSyncRecord[]> {
    const found = await this.repo.listFlagged(SyncRecordData, campaignId ? { prefix: `${campaignId}#` } : {});
    return found.map((r) => ({ objectKey: r.objectKey, data: r.data, version: r.version }));
  }

  private item(objectKey: string, data: SyncRecordData) {
    const sort = conflictSortKey(objectKey, data);
    // A retired record lets go of its external id, so a new link to the same object is possible.
    const target =
      data.externalId && !data.retiredAt ? { system: data.system, externalId: data.externalId } : undefined;
    return { objectKey, data, ...(target ? { target } : {}), ...(sort ? { conflictSort: sort } : {}) };
  }
}
