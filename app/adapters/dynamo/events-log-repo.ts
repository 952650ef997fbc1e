import { type DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import { monotonicFactory } from 'ulid';
import { z } from 'zod';
import { isoInstant } from '../../domain/model';
import { ConflictError, ValidationError } from '../../errors';
import { decodeCursor } from './cursor';
import {
  conditionalPut,
  type Page,
  type PageOptions,
  pageLimit,
  parseStored,
  queryPage,
  queryPaged,
  storeRead,
  validateForWrite,
} from './repo-support';

/** Entries expire (DynamoDB TTL on `expiresAt`) after this many days unless the caller says otherwise. */
const DEFAULT_EVENT_TTL_DAYS = 90;
/** Keeps an entry well under DynamoDB's 400 KB item limit with room for the key and envelope. */
const MAX_DATA_BYTES = 350_000;
const PAGE_KEY = ['pk', 'sk'] as const;
const DAY_SECONDS = 86_400;

/** One audit entry as callers see it. `stream` is e.g. `campaign#<id>`, `approval#<id>`, `feedback`. */
export const EventsLogEntry = z.object({
  stream: z.string().min(1).max(200),
  /** When it was appended (ISO instant); with `eventId` it orders the stream. */
  at: isoInstant,
  eventId: z.string().min(1),
  type: z.string().min(1).max(100),
  /** Slack user id, `system`, or a webhook source. */
  actor: z.string().min(1).optional(),
  data: z.record(z.string(), z.unknown()),
  /** TTL, epoch seconds. */
  expiresAt: z.number().int().positive(),
});
export type EventsLogEntry = z.infer<typeof EventsLogEntry>;

/** What `append` takes. */
export interface AppendEventInput {
  stream: string;
  type: string;
  actor?: string;
  data: Record<string, unknown>;
  /** Days until DynamoDB may delete it (default 90). */
  ttlDays?: number;
}

/** The stored shape: the entry plus its key. `sk` = `<ISO time>#<ulid>` sorts by time, ties by id. */
const StoredEntry = EventsLogEntry.extend({ pk: z.string(), sk: z.string() });

/**
 * Append-only audit log: pk = stream, sk = `<ISO time>#<ulid>`, `expiresAt` TTL. DynamoDB deletes
 * expired items lazily (and dynalite never does), so every read filters out what has expired.
 */
export class EventsLogRepository {
  private readonly nextUlid = monotonicFactory();

  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly clock: () => Date = () => new Date(),
    /** Id generator; defaults to a monotonic ULID at the clock's time. */
    private readonly newId: () => string = () => this.nextUlid(this.clock().getTime()),
  ) {}

  /** Appends one entry (a conditional put, so an id collision can never overwrite history). */
  async append(input: AppendEventInput): Promise<EventsLogEntry> {
    const ttlDays = input.ttlDays ?? DEFAULT_EVENT_TTL_DAYS;
    if (!(ttlDays > 0 && ttlDays <= 3650)) {
      throw new ValidationError('Invalid event TTL', {
        ttlDays: 'must be more than 0 and at most 3650 days',
      });
    }
    const now = this.clock();
    let size: number;
    try {
      size = Buffer.byteLength(JSON.stringify(input.data ?? null), 'utf8');
    } catch {
      throw new ValidationError('Event data must be JSON-serialisable', {
        data: 'must be JSON-serialisable',
      });
    }
    if (size > MAX_DATA_BYTES) {
      throw new ValidationError('Event data is too large', {
        data: `must be at most ${MAX_DATA_BYTES} bytes`,
      });
    }
    const entry = validateForWrite(
      EventsLogEntry,
      {
        stream: input.stream,
        at: now.toISOString(),
        eventId: this.newId(),
        type: input.type,
        ...(input.actor !== undefined ? { actor: input.actor } : {}),
        data: input.data,
        expiresAt: Math.floor(now.getTime() / 1000) + Math.round(ttlDays * DAY_SECONDS),
      },
      'event',
    );
    await conditionalPut(this.db, {
      tableName: this.tableName,
      item: { ...entry, pk: entry.stream, sk: `${entry.at}#${entry.eventId}` },
      partitionKey: 'pk',
      condition: { kind: 'create' },
      key: `event ${entry.stream}/${entry.eventId}`,
    });
    return entry;
  }

  /**
   * A stream's unexpired entries appended after `since` and up to `until` (ISO instants), oldest
   * first, at most `limit`: one key range on the sort key (`<ISO time>#<ulid>`), so the read grows
   * with the entries in that window, not with the stream.
   */
  async listBetween(stream: string, since: string, until: string, limit = 200): Promise<EventsLogEntry[]> {
    if (stream.length === 0) throw new ValidationError('A stream is required', { stream: 'is required' });
    const nowSec = Math.floor(this.clock().getTime() / 1000);
    const out: EventsLogEntry[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const page = await queryPage(
        this.db,
        {
          TableName: this.tableName,
          // `~` sorts after every ULID character: `since` itself is excluded, `until` included.
          KeyConditionExpression: '#pk = :pk AND #sk BETWEEN :from AND :to',
          FilterExpression: '#exp > :now',
          ExpressionAttributeNames: { '#pk': 'pk', '#sk': 'sk', '#exp': 'expiresAt' },
          ExpressionAttributeValues: {
            ':pk': stream,
            ':from': `${since}#~`,
            ':to': `${until}#~`,
            ':now': nowSec,
          },
          ...(start ? { ExclusiveStartKey: start } : {}),
        },
        `events of ${stream}`,
      );
      for (const raw of page.items) {
        const {
          pk: _pk,
          sk: _sk,
          ...entry
        } = parseStored(StoredEntry, raw, `event ${stream}/${String(raw.sk)}`);
        out.push(entry);
      }
      start = page.lastEvaluatedKey;
    } while (start && out.length < limit);
    return out.slice(0, limit);
  }

  /**
   * Records an entry under a key the caller derives from the source (a webhook delivery's
   * idempotency key): one conditional put, so of any number of deliveries of the same thing exactly
   * one is `created`; the others learn it is a `duplicate`. Kept out of `list` (its sort key is
   * `once#<key>`, not a time).
   */
  async recordOnce(input: AppendEventInput & { key: string }): Promise<'created' | 'duplicate'> {
    const ttlDays = input.ttlDays ?? DEFAULT_EVENT_TTL_DAYS;
    const now = this.clock();
    const entry = validateForWrite(
      EventsLogEntry,
      {
        stream: input.stream,
        at: now.toISOString(),
        eventId: input.key,
        type: input.type,
        ...(input.actor !== undefined ? { actor: input.actor } : {}),
        data: input.data,
        expiresAt: Math.floor(now.getTime() / 1000) + Math.round(ttlDays * DAY_SECONDS),
      },
      'event',
    );
    const size = Buffer.byteLength(JSON.stringify(entry.data), 'utf8');
    if (size > MAX_DATA_BYTES) {
      throw new ValidationError('Event data is too large', {
        data: `must be at most ${MAX_DATA_BYTES} bytes`,
      });
    }
    try {
      await conditionalPut(this.db, {
        tableName: this.tableName,
        item: { ...entry, pk: entry.stream, sk: `once#${input.key}` },
        partitionKey: 'pk',
        condition: { kind: 'create' },
        key: `event ${entry.stream}/${input.key}`,
      });
      return 'created';
    } catch (error) {
      if (error instanceof ConflictError) return 'duplicate';
      throw error;
    }
  }

  /** The entry `recordOnce` stored under `key`, or undefined (strongly consistent). */
  async getOnce(stream: string, key: string): Promise<EventsLogEntry | undefined> {
    const name = `event ${stream}/${key}`;
    const out = await storeRead(name, () =>
      this.db.send(
        new GetCommand({
          TableName: this.tableName,
          Key: { pk: stream, sk: `once#${key}` },
          ConsistentRead: true,
        }),
      ),
    );
    if (!out.Item) return undefined;
    const { pk: _pk, sk: _sk, ...entry } = parseStored(StoredEntry, out.Item, name);
    return entry;
  }

  /**
   * One page of a stream's unexpired entries, oldest first unless `newestFirst`. The cursor is
   * bound to the stream (a cursor from another stream is a `ValidationError`).
   */
  async list(
    stream: string,
    options: PageOptions & { newestFirst?: boolean } = {},
  ): Promise<Page<EventsLogEntry>> {
    if (stream.length === 0) throw new ValidationError('A stream is required', { stream: 'is required' });
    const limit = pageLimit(options.limit);
    const startKey = decodeCursor(options.cursor, PAGE_KEY, { pk: stream });
    const nowSec = Math.floor(this.clock().getTime() / 1000);
    const page = await queryPaged(
      this.db,
      {
        TableName: this.tableName,
        // Entries sort by their ISO time; `recordOnce` entries (`once#…`) sort after them and are not listed.
        KeyConditionExpression: '#pk = :pk AND #sk < :once',
        FilterExpression: '#exp > :now',
        ExpressionAttributeNames: { '#pk': 'pk', '#sk': 'sk', '#exp': 'expiresAt' },
        ExpressionAttributeValues: { ':pk': stream, ':now': nowSec, ':once': 'once#' },
        ScanIndexForward: !options.newestFirst,
      },
      { limit, startKey, keyAttributes: PAGE_KEY },
      `events of ${stream}`,
    );
    const items = page.items
      .map((raw) => {
        const {
          pk: _pk,
          sk: _sk,
          ...entry
        } = parseStored(StoredEntry, raw, `event ${stream}/${String(raw.sk)}`);
        return entry;
      })
      // The filter above already drops expired entries; this keeps the rule true for any page source.
      .filter((entry) => entry.expiresAt > nowSec);
    return page.cursor ? { items, cursor: page.cursor } : { items };
  }
}
