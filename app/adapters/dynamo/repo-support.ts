import {
  type DynamoDBDocumentClient,
  PutCommand,
  QueryCommand,
  type QueryCommandInput,
} from '@aws-sdk/lib-dynamodb';
import type { z } from 'zod';
import { ConflictError, StoreError, ValidationError } from '../../errors';
import { isConditionalFailure } from './conditional';
import { encodeCursor, type PageKey } from './cursor';

/**
 * Shared plumbing for the repositories: zod on both sides of the store, versioned conditional
 * puts, and key-based queries that follow `LastEvaluatedKey`. There is deliberately no Scan helper.
 */

/** Default and maximum page sizes for paginated listings. */
const DEFAULT_PAGE_SIZE = 25;
const MAX_PAGE_SIZE = 100;

/** Options of a paginated listing. `cursor` is the opaque value a previous page returned. */
export interface PageOptions {
  limit?: number;
  cursor?: string;
}

/** One page of a listing; `cursor` is present only when there may be more. */
export interface Page<T> {
  items: T[];
  cursor?: string;
}

/**
 * Validates a value before it is written. The message names what was being written; `fields`
 * maps each offending path (e.g. `budgetCents`, `channels.0`) to zod's message.
 */
export function validateForWrite<S extends z.ZodType>(schema: S, value: unknown, what: string): z.output<S> {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const fields: Record<string, string> = {};
  for (const issue of parsed.error.issues) {
    const path = issue.path.map(String).join('.') || '(item)';
    fields[path] ??= issue.message;
  }
  throw new ValidationError(`Invalid ${what}: ${Object.keys(fields).join(', ')}`, fields);
}

/**
 * Parses an item read from the store. A stored item that no longer fits its schema is a data
 * problem, reported as a `StoreError` naming the key, instead of a TypeError deep in a listener.
 */
export function parseStored<S extends z.ZodType>(schema: S, raw: unknown, key: string): z.output<S> {
  const parsed = schema.safeParse(raw);
  if (parsed.success) return parsed.data;
  const detail = parsed.error.issues
    .slice(0, 5)
    .map((issue) => `${issue.path.map(String).join('.') || '(item)'}: ${issue.message}`)
    .join('; ');
  throw new StoreError(`Malformed stored item ${key}: ${detail}`, { cause: parsed.error });
}

/** What a conditional put requires: the item must be new, or still be at `expectedVersion`. */
export type WriteCondition = { kind: 'create' } | { kind: 'version'; expectedVersion: number };

/**
 * One conditional PutItem. `create` requires the key to be absent (`partitionKey` names the
 * table's partition key attribute); `version` requires the stored `version` to equal the expected
 * one, which also fails when the item is gone. A lost condition is a `ConflictError`; any other
 * failure a `StoreError`. `key` names the item in messages.
 */
export async function conditionalPut(
  db: DynamoDBDocumentClient,
  input: {
    tableName: string;
    item: Record<string, unknown>;
    partitionKey: string;
    condition: WriteCondition;
    key: string;
  },
): Promise<void> {
  const { condition } = input;
  const command =
    condition.kind === 'create'
      ? new PutCommand({
          TableName: input.tableName,
          Item: input.item,
          ConditionExpression: 'attribute_not_exists(#pk)',
          ExpressionAttributeNames: { '#pk': input.partitionKey },
        })
      : new PutCommand({
          TableName: input.tableName,
          Item: input.item,
          ConditionExpression: '#version = :expected',
          ExpressionAttributeNames: { '#version': 'version' },
          ExpressionAttributeValues: { ':expected': condition.expectedVersion },
        });
  try {
    await db.send(command);
  } catch (error) {
    if (isConditionalFailure(error)) {
      throw new ConflictError(
        condition.kind === 'create'
          ? `${input.key} already exists`
          : `${input.key} is missing or was changed since version ${condition.expectedVersion}`,
        { cause: error },
      );
    }
    throw new StoreError(`Write failed for ${input.key}`, { cause: error });
  }
}

/** Validates an expected version argument (a caller bug, not user input, but cheap to catch). */
export function assertExpectedVersion(expectedVersion: number, key: string): void {
  if (!Number.isInteger(expectedVersion) || expectedVersion < 1) {
    throw new ValidationError(`Invalid expected version for ${key}`, {
      version: 'must be a positive integer',
    });
  }
}

/** Validates a page size: 1…MAX_PAGE_SIZE, default DEFAULT_PAGE_SIZE. */
export function pageLimit(limit: number | undefined): number {
  if (limit === undefined) return DEFAULT_PAGE_SIZE;
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_PAGE_SIZE) {
    throw new ValidationError(`Invalid page size ${limit}`, {
      limit: `must be an integer from 1 to ${MAX_PAGE_SIZE}`,
    });
  }
  return limit;
}

/** Runs one Query page. Non-conditional failures become a `StoreError` naming `what`. */
export async function queryPage(
  db: DynamoDBDocumentClient,
  input: QueryCommandInput,
  what: string,
): Promise<{ items: Record<string, unknown>[]; lastEvaluatedKey?: Record<string, unknown> }> {
  try {
    const out = await db.send(new QueryCommand(input));
    return {
      items: out.Items ?? [],
      ...(out.LastEvaluatedKey ? { lastEvaluatedKey: out.LastEvaluatedKey } : {}),
    };
  } catch (error) {
    throw new StoreError(`Query failed for ${what}`, { cause: error });
  }
}

/** Runs a Query to the end, following `LastEvaluatedKey` (each page is at most 1 MB). */
export async function queryAll(
  db: DynamoDBDocumentClient,
  input: QueryCommandInput,
  what: string,
): Promise<Record<string, unknown>[]> {
  const items: Record<string, unknown>[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const page = await queryPage(db, start ? { ...input, ExclusiveStartKey: start } : input, what);
    items.push(...page.items);
    start = page.lastEvaluatedKey;
  } while (start);
  return items;
}

/** Wraps a read so SDK failures surface as a `StoreError` naming the key. */
export async function storeRead<T>(key: string, read: () => Promise<T>): Promise<T> {
  try {
    return await read();
  } catch (error) {
    throw new StoreError(`Read failed for ${key}`, { cause: error });
  }
}

/**
 * One page of `limit` items, with a cursor only when more items exist. It reads `limit + 1` items
 * (looping when a FilterExpression thins a page out) so the last page never carries a cursor to an
 * empty page, which would show a "Show more" button that shows nothing. The cursor is built from
 * the last returned item's `keyAttributes` (table key + index key), exactly what DynamoDB would
 * have put in `LastEvaluatedKey` had it stopped there.
 */
export async function queryPaged(
  db: DynamoDBDocumentClient,
  input: QueryCommandInput,
  page: { limit: number; startKey: PageKey | undefined; keyAttributes: readonly string[] },
  what: string,
): Promise<{ items: Record<string, unknown>[]; cursor?: string }> {
  const items: Record<string, unknown>[] = [];
  let start: Record<string, unknown> | undefined = page.startKey;
  do {
    const wanted = page.limit + 1 - items.length;
    const result = await queryPage(
      db,
      { ...input, Limit: wanted, ...(start ? { ExclusiveStartKey: start } : {}) },
      what,
    );
    items.push(...result.items);
    start = result.lastEvaluatedKey;
  } while (start && items.length <= page.limit);
  if (items.length <= page.limit) return { items };
  const shown = items.slice(0, page.limit);
  const last = shown[shown.length - 1] ?? {};
  const key: Record<string, unknown> = {};
  for (const name of page.keyAttributes) key[name] = last[name];
  const cursor = encodeCursor(key);
  return cursor ? { items: shown, cursor } : { items: shown };
}
