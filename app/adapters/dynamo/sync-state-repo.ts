import { type DynamoDBDocumentClient, GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
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
const OPEN_CONFLICT_INDEX = 'open-conflict-index';

/** Where a synced object lives outside: e.g. `{ system: 'workfront', externalId: '64f…' }`. */
export interface SyncTarget {
  /** Lower-case system name (`workfront`, `asana`, …). */
  system: string;
  externalId: string;
}

/**
 * Set on a record while it holds a conflict a person must resolve (a deleted or moved object): the
 * campaign's team, since when, and a one-line summary (and the conflict message's link when there is
 * one). It keys the sparse `open-conflict-index`, which the digest and App Home read per team; the
 * Sync engine sets it with every `put` while the conflict is open and leaves it out once resolved.
 */
export interface OpenConflictMarker {
  teamId: string;
  /** ISO instant the (oldest) open conflict was detected. */
  since: string;
  /** Plain text, e.g. `Task “Legal review” was deleted in Workfront`. */
  summary: string;
  link?: string;
}

/** A stored sync record: the caller's typed `data` (sync versions, per-field versions, state…) plus the envelope. */
export interface SyncStateRecord<T> {
  /** Our side, e.g. `campaign#cmp-001` or `task#cmp-001/cmp-001-t01`. */
  objectKey: string;
  target?: SyncTarget;
  openConflict?: OpenConflictMarker;
  data: T;
  version: number;
  updatedAt: string;
}

/** One open conflict as a team's readers see it (without the Sync engine's record data). */
export interface OpenConflictSummary extends OpenConflictMarker {
  objectKey: string;
  target?: SyncTarget;
}

const SyncTargetSchema = z.object({
  system: z.string().regex(/^[a-z][a-z0-9-]*$/, 'must be a lower-case system name'),
  externalId: z.string().min(1).max(200),
});

const OpenConflictSchema = z.object({
  teamId: z.string().min(1),
  since: isoInstant,
  summary: z.string().min(1).max(500),
  link: z.url().optional(),
});

const Envelope = z.object({
  objectKey: z.string().min(1),
  system: z.string().optional(),
  externalId: z.string().optional(),
  openConflictTeamId: z.string().optional(),
  openConflictSince: z.string().optional(),
  openConflictSummary: z.string().optional(),
  openConflictLink: z.string().optional(),
  data: z.unknown(),
  version: z.number().int().positive(),
  updatedAt: isoInstant,
});

/** `target-index` partition key: one external object ↔ one sync record. */
function targetKey(target: SyncTarget): string {
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
      // Strongly consistent: the sync engine decides from this read, then writes conditionally.
      this.db.send(new GetCommand({ TableName: this.tableName, Key: { objectKey }, ConsistentRead: true })),
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
   * A team's records with an open conflict, oldest first, at most `limit` (`open-conflict-index`:
   * only records carrying the marker are in it). Reads the envelope only, never the Sync engine's data.
   */
  async listOpenConflicts(teamId: string, limit = 200): Promise<OpenConflictSummary[]> {
    if (teamId.length === 0) throw new ValidationError('A team id is required', { teamId: 'is required' });
    const raw = await queryAll(
      this.db,
      {
        TableName: this.tableName,
        IndexName: OPEN_CONFLICT_INDEX,
        KeyConditionExpression: '#team = :team',
        ExpressionAttributeNames: { '#team': 'openConflictTeamId' },
        ExpressionAttributeValues: { ':team': teamId },
        Limit: limit,
      },
      `open conflicts of team ${teamId}`,
    );
    return raw.slice(0, limit).flatMap((item) => {
      const envelope = parseStored(Envelope, item, `sync state ${String(item.objectKey)}`);
      const marker = conflictOf(envelope);
      if (!marker) return [];
      return [
        {
          ...marker,
          objectKey: envelope.objectKey,
          ...(envelope.system && envelope.externalId
            ? { target: { system: envelope.system, externalId: envelope.externalId } }
            : {}),
        },
      ];
    });
  }

  /**
   * Creates (no `expectedVersion`: version 1) or replaces (`expectedVersion`: writes +1) the record.
   * `ValidationError` when `data` or `target` is invalid (nothing written).
   */
  async put<S extends z.ZodType>(
    input: { objectKey: string; target?: SyncTarget; openConflict?: OpenConflictMarker; data: z.input<S> },
    schema: S,
    expectedVersion?: number,
  ): Promise<SyncStateRecord<z.output<S>>> {
    const name = `sync state ${input.objectKey}`;
    if (input.objectKey.length === 0) {
      throw new ValidationError('An object key is required', { objectKey: 'is required' });
    }
    if (expectedVersion !== undefined) assertExpectedVersion(expectedVersion, name);
    const target = input.target ? validateForWrite(SyncTargetSchema, input.target, 'sync target') : undefined;
    const openConflict = input.openConflict
      ? validateForWrite(OpenConflictSchema, input.openConflict, 'open conflict')
      : undefined;
    const record: SyncStateRecord<z.output<S>> = {
      objectKey: input.objectKey,
      ...(target ? { target } : {}),
      ...(openConflict ? { openConflict } : {}),
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
        ...(openConflict
          ? {
              openConflictTeamId: openConflict.teamId,
              openConflictSince: openConflict.since,
              openConflictSummary: openConflict.summary,
              ...(openConflict.link ? { openConflictLink: openConflict.link } : {}),
            }
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

  /**
   * Adds to counters on a plain counter item (`objectKey` = `key`, created on first use) and sets
   * `last` fields: one atomic UpdateItem, so concurrent containers never lose a count.
   */
  async increment(
    key: string,
    counters: Record<string, number>,
    last: Record<string, string> = {},
  ): Promise<void> {
    const names: Record<string, string> = {};
    const values: Record<string, unknown> = {};
    const adds: string[] = [];
    const sets: string[] = [];
    Object.entries(counters).forEach(([name, by], i) => {
      names[`#c${i}`] = name;
      values[`:c${i}`] = by;
      adds.push(`#c${i} :c${i}`);
    });
    Object.entries(last).forEach(([name, value], i) => {
      names[`#l${i}`] = name;
      values[`:l${i}`] = value;
      sets.push(`#l${i} = :l${i}`);
    });
    const expression = [
      adds.length ? `ADD ${adds.join(', ')}` : '',
      sets.length ? `SET ${sets.join(', ')}` : '',
    ]
      .filter(Boolean)
      .join(' ');
    if (!expression) return;
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: { objectKey: key },
          UpdateExpression: expression,
          ExpressionAttributeNames: names,
          ExpressionAttributeValues: values,
        }),
      );
    } catch (error) {
      throw new StoreError(`Counter update failed for ${key}`, { cause: error });
    }
  }

  /** A counter item's raw attributes (for status views and tests). */
  async counters(key: string): Promise<Record<string, unknown> | undefined> {
    const out = await storeRead(`counters ${key}`, () =>
      this.db.send(
        new GetCommand({ TableName: this.tableName, Key: { objectKey: key }, ConsistentRead: true }),
      ),
    );
    return out.Item;
  }
}

/** The marker an envelope carries, if any. */
function conflictOf(envelope: z.output<typeof Envelope>): OpenConflictMarker | undefined {
  if (!envelope.openConflictTeamId || !envelope.openConflictSince || !envelope.openConflictSummary) {
    return undefined;
  }
  return {
    teamId: envelope.openConflictTeamId,
    since: envelope.openConflictSince,
    summary: envelope.openConflictSummary,
    ...(envelope.openConflictLink ? { link: envelope.openConflictLink } : {}),
  };
}

function toRecord<S extends z.ZodType>(raw: unknown, schema: S, name: string): SyncStateRecord<z.output<S>> {
  const envelope = parseStored(Envelope, raw, name);
  return {
    objectKey: envelope.objectKey,
    ...(envelope.system && envelope.externalId
      ? { target: { system: envelope.system, externalId: envelope.externalId } }
      : {}),
    ...(conflictOf(envelope) ? { openConflict: conflictOf(envelope) } : {}),
    data: parseStored(schema, envelope.data, name),
    version: envelope.version,
    updatedAt: envelope.updatedAt,
  };
}
