import { type DynamoDBDocumentClient, GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { StoreError } from '../../errors';
import { isConditionalFailure } from './conditional';

/** The outcome of one reservation: a slot whose theoretical arrival time is `tat`, or no room before `limit`. */
export type Reservation = { ok: true; tat: number } | { ok: false; tat: number };

/** One day of TTL after the last use: an idle limiter item goes away by itself. */
const IDLE_TTL_SECONDS = 86_400;

/**
 * The state of a shared outbound rate limit: ONE item per service (`ratelimit#<service>` in the
 * dedupe table, which already has a TTL) holding the GCRA "theoretical arrival time" (`tat`, epoch
 * ms). Every container reserves its slots on that item with conditional updates, so the limit holds
 * across all of them. Usually one UpdateItem per call; a contended item costs a second one.
 */
export class RateLimitRepository {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  /**
   * Reserves the next slot: when the item is idle (`tat` ≤ now) the slot starts now; otherwise it is
   * queued behind the others (`tat` + interval) as long as that stays ≤ `maxTat`.
   */
  async reserve(key: string, now: number, intervalMs: number, maxTat: number): Promise<Reservation> {
    const expiresAt = Math.ceil(Math.max(now, maxTat) / 1000) + IDLE_TTL_SECONDS;
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: { key },
          UpdateExpression: 'SET #tat = :next, #exp = :exp',
          ConditionExpression: 'attribute_not_exists(#tat) OR #tat <= :now',
          ExpressionAttributeNames: { '#tat': 'tat', '#exp': 'expiresAt' },
          ExpressionAttributeValues: { ':next': now + intervalMs, ':now': now, ':exp': expiresAt },
        }),
      );
      return { ok: true, tat: now + intervalMs };
    } catch (error) {
      if (!isConditionalFailure(error))
        throw new StoreError(`rate limit reserve failed for ${key}`, { cause: error });
    }
    try {
      const out = await this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: { key },
          UpdateExpression: 'SET #tat = #tat + :interval, #exp = :exp',
          ConditionExpression: '#tat > :now AND #tat <= :max',
          ExpressionAttributeNames: { '#tat': 'tat', '#exp': 'expiresAt' },
          ExpressionAttributeValues: {
            ':interval': intervalMs,
            ':now': now,
            ':max': maxTat - intervalMs,
            ':exp': expiresAt,
          },
          ReturnValues: 'UPDATED_NEW',
        }),
      );
      const tat = Number(out.Attributes?.tat);
      if (!Number.isFinite(tat)) throw new StoreError(`rate limit item ${key} returned no tat`);
      return { ok: true, tat };
    } catch (error) {
      if (!isConditionalFailure(error)) {
        throw error instanceof StoreError
          ? error
          : new StoreError(`rate limit queue failed for ${key}`, { cause: error });
      }
    }
    // Either the queue is longer than the caller can wait, or the item went idle in between.
    return { ok: false, tat: await this.peek(key) };
  }

  /** Pushes the next slot of every container to at least `tat` (a 429's Retry-After). */
  async holdUntil(key: string, tat: number): Promise<void> {
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: { key },
          UpdateExpression: 'SET #tat = :tat, #exp = :exp',
          ConditionExpression: 'attribute_not_exists(#tat) OR #tat < :tat',
          ExpressionAttributeNames: { '#tat': 'tat', '#exp': 'expiresAt' },
          ExpressionAttributeValues: { ':tat': tat, ':exp': Math.ceil(tat / 1000) + IDLE_TTL_SECONDS },
        }),
      );
    } catch (error) {
      if (!isConditionalFailure(error))
        throw new StoreError(`rate limit hold failed for ${key}`, { cause: error });
    }
  }

  /** The current `tat` (0 when the item does not exist). */
  async peek(key: string): Promise<number> {
    try {
      const out = await this.db.send(
        new GetCommand({ TableName: this.tableName, Key: { key }, ConsistentRead: true }),
      );
      const tat = Number(out.Item?.tat ?? 0);
      return Number.isFinite(tat) ? tat : 0;
    } catch (error) {
      throw new StoreError(`rate limit read failed for ${key}`, { cause: error });
    }
  }
}
