import { DeleteCommand, type DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import { StoreError } from '../../errors';
import { isConditionalFailure } from './conditional';

/**
 * Idempotency keys. `claim` is one conditional PutItem: the first caller wins, every later caller
 * (a Slack retry, a replayed request, a webhook redelivery) learns it is a duplicate.
 * Items expire by TTL; since TTL deletion is lazy, an expired item is treated as absent.
 */
export class DedupeRepository {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  /** Returns true when this call claimed `key` first, false for a duplicate. */
  async claim(
    key: string,
    ttlSeconds: number,
    attributes: Record<string, string | number> = {},
  ): Promise<boolean> {
    const nowSec = Math.floor(this.clock().getTime() / 1000);
    try {
      await this.db.send(
        new PutCommand({
          TableName: this.tableName,
          Item: {
            ...attributes,
            key,
            expiresAt: nowSec + ttlSeconds,
            claimedAt: new Date(nowSec * 1000).toISOString(),
          },
          ConditionExpression: 'attribute_not_exists(#k) OR #exp < :now',
          ExpressionAttributeNames: { '#k': 'key', '#exp': 'expiresAt' },
          ExpressionAttributeValues: { ':now': nowSec },
        }),
      );
      return true;
    } catch (error) {
      if (isConditionalFailure(error)) return false;
      throw new StoreError(`dedupe claim failed for ${key.slice(0, 40)}`, { cause: error });
    }
  }

  /** Gives a key back after the work it guarded failed, so the sender's retry is not mistaken for a duplicate. */
  async release(key: string): Promise<void> {
    await this.db.send(new DeleteCommand({ TableName: this.tableName, Key: { key } }));
  }
}
