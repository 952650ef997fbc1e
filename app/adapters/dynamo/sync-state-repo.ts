import { type DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import { z } from 'zod';
import { isoInstant } from '../../domain/model';
import { StoreError, ValidationError } from '../../errors';
import {
  assertExpectedVersion,
  conditionalPut,
  parseStored,
  queryAll,
  storeRead,
  validateForWrite,
} from './repo-support';

const TARGET_INDEX = 'target-index';

/** Where a synced object lives outside: e.g. `{ system: 'workfront', externalId: '64f…' }`. */
export interface SyncTarget {
  /** Lower-case system name (`workfront`, `asana`, …). */
  system: string;
  externalId: string;
}

/** A stored sync record: the caller's typed `data` (sync versions, per-field versions, state…) plus the envelope. */
export interface SyncStateRecord<T> {
  /** Our side, e.g. `campaign#cmp-001` or `task#cmp-001/cmp-001-t01`. */
  objectKey: string;
  target?: SyncTarget;
  data: T;
  version: number;
  updatedAt: string;
}

const SyncTargetSchema = z.object({
  system: z.string().regex(/^[a-z][a-z0-9-]*$/, 'must be a lower-case system name'),
  externalId: z.string().min(1).max(200),
});

const Envelope = z.object({
  objectKey: z.string().min(1),
  system: z.string().optional(),
  externalId: z.string().optional(),
  data: z.unknown(),
  version: z.number().int().positive(),
  updatedAt: isoInstant,
});

/** `target-index` partition key: one external object ↔ one sync record. */
export function targetKey(target: SyncTarget): string {
  return `${target.system}#${target.externalId}`;
}

/**
 * A small generic, typed, versioned store over `sync-state`, keyed by our `objectKey`, findable
 * from the external side through `target-index` (`targetKey` = `<system>#<externalId>`). The Sync
 * capability owns the shape of `data` and passes its zod schema. `put` without `expectedVersion`
 * creates; with it, replaces only that version (`ConflictError` otherwise).
 */
export class SyncStateRepository {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  /** The record for `objectKey`, or `undefined`. */
  async get<S extends z.ZodType>(
    objectKey: string,
    schema: S,
  ): Promise<SyncStateRecord<z.output<S>> | undefined> {
    const name = `sync state ${objectKey}`;
    const out = await storeRead(name, () =>
      this.db.send(new GetCommand({ TableName: this.tableName, Key: { objectKey } })),
    );
    return out.Item ? toRecord(out.Item, schema, name) : undefined;
  }

  /**
   * The record linked to an external object (e.g. from a Workfront or Asana webhook), or
   * `undefined`. GSIs are eventually consistent: a record written a moment ago may not show yet.
   * Two records claiming one target is a data fault (`StoreError`), never a silent pick.
   */
  async findByTarget<S extends z.ZodType>(
    target: SyncTarget,
    schema: S,
  ): Promise<SyncStateRecord<z.output<S>> | undefined> {
    const parsedTarget = validateForWrite(SyncTargetSchema, target, 'sync target');
    const key = targetKey(parsedTarget);
    const raw = await queryAll(
      this.db,
      {
        TableName: this.tableName,
        IndexName: TARGET_INDEX,
        KeyConditionExpression: '#target = :target',
        ExpressionAttributeNames: { '#target': 'targetKey' },
        ExpressionAttributeValues: { ':target': key },
      },
      `sync state for ${key}`,
    );
    if (raw.length > 1) {
      const owners = raw.map((item) => String(item.objectKey)).join(', ');
      throw new StoreError(`Several sync records claim ${key}: ${owners}`);
    }
    const [item] = raw;
    return item ? toRecord(item, schema, `sync state ${String(item.objectKey)}`) : undefined;
  }

  /**
   * Creates (no `expectedVersion`: version 1) or replaces (`expectedVersion`: writes +1) the record.
   * `ValidationError` when `data` or `target` is invalid (nothing written).
   */
  async put<S extends z.ZodType>(
    input: { objectKey: string; target?: SyncTarget; data: z.input<S> },
    schema: S,
    expectedVersion?: number,
  ): Promise<SyncStateRecord<z.output<S>>> {
    const name = `sync state ${input.objectKey}`;
    if (input.objectKey.length === 0) {
      throw new ValidationError('An object key is required', { objectKey: 'is required' });
    }
    if (expectedVersion !== undefined) assertExpectedVersion(expectedVersion, name);
    const target = input.target ? validateForWrite(SyncTargetSchema, input.target, 'sync target') : undefined;
    const record: SyncStateRecord<z.output<S>> = {
      objectKey: input.objectKey,
      ...(target ? { target } : {}),
      data: validateForWrite(schema, input.data, name),
      version: expectedVersion === undefined ? 1 : expectedVersion + 1,
      updatedAt: this.clock().toISOString(),
    };
    await conditionalPut(this.db, {
      tableName: this.tableName,
      item: {
        objectKey: record.objectKey,
        ...(target
          ? { system: target.system, externalId: target.externalId, targetKey: targetKey(target) }
          : {}),
        data: record.data,
        version: record.version,
        updatedAt: record.updatedAt,
      },
      partitionKey: 'objectKey',
      condition: expectedVersion === undefined ? { kind: 'create' } : { kind: 'version', expectedVersion },
      key: name,
    });
    return record;
  }
}

function toRecord<S extends z.ZodType>(raw: unknown, schema: S, name: string): SyncStateRecord<z.output<S>> {
  const envelope = parseStored(Envelope, raw, name);
  return {
    objectKey: envelope.objectKey,
    ...(envelope.system && envelope.externalId
      ? { target: { system: envelope.system, externalId: envelope.externalId } }
      : {}),
    data: parseStored(schema, envelope.data, name),
    version: envelope.version,
    updatedAt: envelope.updatedAt,
  };
}
