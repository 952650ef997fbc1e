import {
  DeleteCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { ulid } from 'ulid';
import { StoreError } from '../../errors';
import { isConditionalFailure } from './conditional';

/**
 * The outcome of claiming one delivery (`claimDelivery`):
 * - `claimed`: this caller runs it, and then `complete`s (or `release`s) it with its `token`;
 * - `in_progress`: another caller claimed it and has neither finished nor run out of time;
 * - `completed`: it ran before (within the key's TTL).
 */
export type DeliveryClaim = { status: 'claimed'; token: string } | { status: 'in_progress' | 'completed' };

export interface DeliveryClaimOptions {
  /** How long the claim holds while the work runs; after that a retry may take it over. */
  inProgressSeconds: number;
  /** How long a completed delivery is remembered (and the item kept, by TTL). */
  ttlSeconds: number;
}

const IN_PROGRESS = 'INPROGRESS';
const COMPLETED = 'COMPLETED';

/**
 * Idempotency keys. `claim` is one conditional PutItem: the first caller wins, every later caller
 * (a replayed request, a name being created twice) learns it is a duplicate.
 *
 * Deliveries (`claimDelivery` → `complete` | `release`) follow Powertools' idempotency records: the
 * claim is INPROGRESS with its own short expiry, then COMPLETED with the long TTL. A caller that
 * dies mid-way (a crash, a Lambda timeout) leaves an INPROGRESS claim that lapses, so the sender's
 * retry runs instead of being taken for a duplicate for a day. Conditional writes only (no
 * transactions). Items expire by TTL; since TTL deletion is lazy, an expired item counts as absent.
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
    const nowSec = this.nowSec();
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

  /**
   * Claims one delivery of `key` for `inProgressSeconds`: free, expired, or INPROGRESS past its own
   * expiry (its holder died) → claimed. Items written by `claim` (no status) count as completed.
   */
  async claimDelivery(key: string, options: DeliveryClaimOptions): Promise<DeliveryClaim> {
    const nowSec = this.nowSec();
    const token = ulid();
    try {
      await this.db.send(
        new PutCommand({
          TableName: this.tableName,
          Item: {
            key,
            status: IN_PROGRESS,
            token,
            inProgressUntil: nowSec + options.inProgressSeconds,
            expiresAt: nowSec + options.ttlSeconds,
            claimedAt: new Date(nowSec * 1000).toISOString(),
          },
          ConditionExpression:
            'attribute_not_exists(#k) OR #exp < :now OR (#st = :inProgress AND #until < :now)',
          ExpressionAttributeNames: {
            '#k': 'key',
            '#exp': 'expiresAt',
            '#st': 'status',
            '#until': 'inProgressUntil',
          },
          ExpressionAttributeValues: { ':now': nowSec, ':inProgress': IN_PROGRESS },
        }),
      );
      return { status: 'claimed', token };
    } catch (error) {
      if (!isConditionalFailure(error))
        throw new StoreError(`dedupe claim failed for ${key.slice(0, 40)}`, { cause: error });
    }
    // Lost the condition: learn why (the local engine cannot return the item with the failure).
    const held = await this.db
      .send(new GetCommand({ TableName: this.tableName, Key: { key }, ConsistentRead: true }))
      .catch((error: unknown) => {
        throw new StoreError(`dedupe read failed for ${key.slice(0, 40)}`, { cause: error });
      });
    return { status: held.Item?.status === IN_PROGRESS ? 'in_progress' : 'completed' };
  }

  /**
   * Marks a delivery done: remembered for `ttlSeconds` from now. Returns false when the claim was
   * no longer this caller's (it lapsed and a retry took it over), so the caller can say so.
   */
  async complete(key: string, token: string, ttlSeconds: number): Promise<boolean> {
    const nowSec = this.nowSec();
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: { key },
          UpdateExpression: 'SET #st = :completed, #exp = :exp, completedAt = :at REMOVE #until',
          ConditionExpression: '#tok = :token',
          ExpressionAttributeNames: {
            '#st': 'status',
            '#exp': 'expiresAt',
            '#until': 'inProgressUntil',
            '#tok': 'token',
          },
          ExpressionAttributeValues: {
            ':completed': COMPLETED,
            ':exp': nowSec + ttlSeconds,
            ':at': new Date(nowSec * 1000).toISOString(),
            ':token': token,
          },
        }),
      );
      return true;
    } catch (error) {
      if (isConditionalFailure(error)) return false;
      throw new StoreError(`dedupe complete failed for ${key.slice(0, 40)}`, { cause: error });
    }
  }

  /**
   * Gives a key back after the work it guarded failed, so the sender's retry is not mistaken for a
   * duplicate. With `token`, only this caller's claim is deleted (not one a retry has since taken).
   */
  async release(key: string, token?: string): Promise<void> {
    try {
      await this.db.send(
        new DeleteCommand({
          TableName: this.tableName,
          Key: { key },
          ...(token === undefined
            ? {}
            : {
                ConditionExpression: '#tok = :token',
                ExpressionAttributeNames: { '#tok': 'token' },
                ExpressionAttributeValues: { ':token': token },
              }),
        }),
      );
    } catch (error) {
      if (token !== undefined && isConditionalFailure(error)) return;
      throw error;
    }
  }

  private nowSec(): number {
    return Math.floor(this.clock().getTime() / 1000);
  }
}
