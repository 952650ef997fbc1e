import { DeleteCommand, type DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import { z } from 'zod';
import { isoInstant } from '../../domain/model';
import { ConflictError, StoreError, ValidationError } from '../../errors';
import { isConditionalFailure } from './conditional';
import {
  assertExpectedVersion,
  conditionalPut,
  parseStored,
  queryAll,
  queryPage,
  storeRead,
  validateForWrite,
} from './repo-support';

/** Key of a workflow-state record, e.g. `{ pk: 'workflow#cmp-001', sk: 'step#provision' }`. */
export interface StateKey {
  pk: string;
  sk: string;
}

/** A stored record: the caller's typed `data` plus the envelope every state change needs. */
export interface StateRecord<T> extends StateKey {
  data: T;
  version: number;
  updatedAt: string;
  /** DynamoDB TTL (epoch seconds) when the record was written with one; readers treat a past value as absent. */
  expiresAt?: number | undefined;
}

const Envelope = z.object({
  pk: z.string().min(1),
  sk: z.string().min(1),
  data: z.unknown(),
  version: z.number().int().positive(),
  updatedAt: isoInstant,
  expiresAt: z.number().int().positive().optional(),
});

/**
 * A small generic, typed, versioned store over `workflow-state` (pk/sk): a campaign workflow's
 * steps, the agent's conversations. The caller owns the shape of `data` and passes its zod schema,
 * used before every write and after every read. `put` without `expectedVersion` creates (fails
 * with `ConflictError` if the record exists); with it, replaces only that version.
 */
export class WorkflowStateRepository {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  /** The record at `key`, or `undefined`. */
  async get<S extends z.ZodType>(key: StateKey, schema: S): Promise<StateRecord<z.output<S>> | undefined> {
    const name = describe(key);
    const out = await storeRead(name, () =>
      this.db.send(new GetCommand({ TableName: this.tableName, Key: { pk: key.pk, sk: key.sk } })),
    );
    return out.Item ? toRecord(out.Item, schema, name) : undefined;
  }

  /** Every record under one partition (e.g. all steps of a workflow), in `sk` order. */
  async list<S extends z.ZodType>(pk: string, schema: S): Promise<StateRecord<z.output<S>>[]> {
    if (pk.length === 0) throw new ValidationError('A key is required', { pk: 'is required' });
    const raw = await queryAll(
      this.db,
      {
        TableName: this.tableName,
        KeyConditionExpression: '#pk = :pk',
        ExpressionAttributeNames: { '#pk': 'pk' },
        ExpressionAttributeValues: { ':pk': pk },
      },
      `workflow state ${pk}`,
    );
    return raw.map((item) => toRecord(item, schema, `workflow state ${pk}/${String(item.sk)}`));
  }

  /** The record with the greatest `sk` starting with `skPrefix` in one partition (one item read), or `undefined`. */
  async latest<S extends z.ZodType>(
    pk: string,
    skPrefix: string,
    schema: S,
  ): Promise<StateRecord<z.output<S>> | undefined> {
    const page = await queryPage(
      this.db,
      {
        TableName: this.tableName,
        KeyConditionExpression: '#pk = :pk AND begins_with(#sk, :prefix)',
        ExpressionAttributeNames: { '#pk': 'pk', '#sk': 'sk' },
        ExpressionAttributeValues: { ':pk': pk, ':prefix': skPrefix },
        ScanIndexForward: false,
        Limit: 1,
      },
      `workflow state ${pk}/${skPrefix}…`,
    );
    const [item] = page.items;
    return item ? toRecord(item, schema, `workflow state ${pk}/${String(item.sk)}`) : undefined;
  }

  /**
   * Creates (no `expectedVersion`: version 1) or replaces (`expectedVersion`: writes +1) the
   * record. `ValidationError` when `data` fails `schema` (nothing written); `ConflictError` when
   * the condition is lost. `options.expiresAt` sets the table's TTL attribute (DynamoDB deletes the
   * item some time after it; the local engine never does, so readers compare it themselves).
   */
  async put<S extends z.ZodType>(
    key: StateKey,
    data: z.input<S>,
    schema: S,
    expectedVersion?: number,
    options?: { expiresAt?: Date },
  ): Promise<StateRecord<z.output<S>>> {
    const name = describe(key);
    if (key.pk.length === 0 || key.sk.length === 0) {
      throw new ValidationError(`Invalid key for ${name}`, { key: 'pk and sk are required' });
    }
    if (expectedVersion !== undefined) assertExpectedVersion(expectedVersion, name);
    const record: StateRecord<z.output<S>> = {
      pk: key.pk,
      sk: key.sk,
      data: validateForWrite(schema, data, name),
      version: expectedVersion === undefined ? 1 : expectedVersion + 1,
      updatedAt: this.clock().toISOString(),
      ...(options?.expiresAt ? { expiresAt: Math.floor(options.expiresAt.getTime() / 1000) } : {}),
    };
    await conditionalPut(this.db, {
      tableName: this.tableName,
      item: { ...record },
      partitionKey: 'pk',
      condition: expectedVersion === undefined ? { kind: 'create' } : { kind: 'version', expectedVersion },
      key: name,
    });
    return record;
  }
  /**
   * Deletes the record; with `expectedVersion`, only while it is still at that version
   * (`ConflictError` otherwise). Deleting a record that does not exist succeeds without it.
   */
  async delete(key: StateKey, expectedVersion?: number): Promise<void> {
    const name = describe(key);
    if (expectedVersion !== undefined) assertExpectedVersion(expectedVersion, name);
    try {
      await this.db.send(
        new DeleteCommand({
          TableName: this.tableName,
          Key: { pk: key.pk, sk: key.sk },
          ...(expectedVersion !== undefined
            ? {
                ConditionExpression: '#version = :expected',
                ExpressionAttributeNames: { '#version': 'version' },
                ExpressionAttributeValues: { ':expected': expectedVersion },
              }
            : {}),
        }),
      );
    } catch (error) {
      if (isConditionalFailure(error)) {
        throw new ConflictError(`${name} is missing or was changed since version ${expectedVersion}`, {
          cause: error,
        });
      }
      throw new StoreError(`Delete failed for ${name}`, { cause: error });
    }
  }
}

function describe(key: StateKey): string {
  return `workflow state ${key.pk}/${key.sk}`;
}

function toRecord<S extends z.ZodType>(raw: unknown, schema: S, name: string): StateRecord<z.output<S>> {
  const envelope = parseStored(Envelope, raw, name);
  return {
    pk: envelope.pk,
    sk: envelope.sk,
    data: parseStored(schema, envelope.data, name),
    version: envelope.version,
    updatedAt: envelope.updatedAt,
    ...(envelope.expiresAt !== undefined ? { expiresAt: envelope.expiresAt } : {}),
  };
}
