import { type DynamoDBDocumentClient, GetCommand, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { Approval } from '../../domain/approval';
import type { ApprovalStatus } from '../../domain/model';
import { ConflictError, StoreError } from '../../errors';
import { isConditionalFailure } from './conditional';

/**
 * The `approvals` table. One item per request holds its decision, stage, message and history, so a
 * transition is one conditional PutItem (no transactions needed; dynalite has none).
 */
export class ApprovalRepository {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  /** Stores a new request; `ConflictError` when the id exists. */
  async create(approval: Approval): Promise<Approval> {
    const item = Approval.parse(approval);
    try {
      await this.db.send(
        new PutCommand({
          TableName: this.tableName,
          Item: item,
          ConditionExpression: 'attribute_not_exists(approvalId)',
        }),
      );
      return item;
    } catch (error) {
      if (isConditionalFailure(error)) throw new ConflictError(`approval ${item.approvalId} exists`);
      throw new StoreError('could not store the approval', { cause: error });
    }
  }

  /** Strongly consistent read: decisions are taken on the latest version. */
  async get(approvalId: string): Promise<Approval | undefined> {
    const out = await this.db.send(
      new GetCommand({ TableName: this.tableName, Key: { approvalId }, ConsistentRead: true }),
    );
    return out.Item ? Approval.parse(out.Item) : undefined;
  }

  /**
   * Replaces the item with `next` (version = expected + 1) in ONE conditional write. With
   * `requireStatus`, the write also requires the stored status (e.g. `PENDING`), which is what makes a
   * decision exactly-once: of any number of concurrent deciders, one write wins and the rest get
   * `ConflictError`.
   */
  async update(
    next: Approval,
    expectedVersion: number,
    options: { requireStatus?: ApprovalStatus } = {},
  ): Promise<Approval> {
    const item = Approval.parse({ ...next, version: expectedVersion + 1 });
    const statusCondition = options.requireStatus ? ' AND #status = :status' : '';
    try {
      await this.db.send(
        new PutCommand({
          TableName: this.tableName,
          Item: item,
          ConditionExpression: `#version = :expected${statusCondition}`,
          ExpressionAttributeNames: {
            '#version': 'version',
            ...(options.requireStatus ? { '#status': 'status' } : {}),
          },
          ExpressionAttributeValues: {
            ':expected': expectedVersion,
            ...(options.requireStatus ? { ':status': options.requireStatus } : {}),
          },
        }),
      );
      return item;
    } catch (error) {
      if (isConditionalFailure(error)) {
        throw new ConflictError(`approval ${item.approvalId} changed (expected version ${expectedVersion})`);
      }
      throw new StoreError('could not update the approval', { cause: error });
    }
  }

  /** Requests in one status, oldest first (`status-index`), following every page up to `limit`. */
  async listByStatus(status: ApprovalStatus, limit = 200): Promise<Approval[]> {
    return this.queryAll(
      {
        IndexName: 'status-index',
        KeyConditionExpression: '#status = :status',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ':status': status },
      },
      limit,
    );
  }

  /** A team's requests in one status (`team-status-index`), oldest first by id order of the index. */
  async listByTeamStatus(teamId: string, status: ApprovalStatus, limit = 200): Promise<Approval[]> {
    const items = await this.queryAll(
      {
        IndexName: 'team-status-index',
        KeyConditionExpression: 'teamId = :teamId AND #status = :status',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ':teamId': teamId, ':status': status },
      },
      limit,
    );
    return items.sort((a, b) => a.createdAt.localeCompare(b.createdAt));
  }

  /**
   * A team's requests decided after `since` and up to `until` (ISO instants), oldest decision first
   * (`team-decided-index`: only decided requests carry `decidedAt`, so pending ones are never read).
   */
  async listByTeamDecided(teamId: string, since: string, until: string, limit = 200): Promise<Approval[]> {
    return this.queryAll(
      {
        IndexName: 'team-decided-index',
        KeyConditionExpression: 'teamId = :teamId AND decidedAt BETWEEN :since AND :until',
        ExpressionAttributeValues: { ':teamId': teamId, ':since': since, ':until': until },
      },
      limit,
    ).then((items) => items.filter((item) => item.decidedAt !== since));
  }

  /** Every request for one campaign, oldest first (`campaign-index`). */
  async listByCampaign(campaignId: string, limit = 200): Promise<Approval[]> {
    return this.queryAll(
      {
        IndexName: 'campaign-index',
        KeyConditionExpression: 'campaignId = :campaignId',
        ExpressionAttributeValues: { ':campaignId': campaignId },
      },
      limit,
    );
  }

  private async queryAll(
    input: {
      IndexName: string;
      KeyConditionExpression: string;
      ExpressionAttributeNames?: Record<string, string>;
      ExpressionAttributeValues: Record<string, unknown>;
    },
    limit: number,
  ): Promise<Approval[]> {
    const items: Approval[] = [];
    let cursor: Record<string, unknown> | undefined;
    do {
      const out = await this.db.send(
        new QueryCommand({
          TableName: this.tableName,
          ...input,
          ScanIndexForward: true,
          ...(cursor ? { ExclusiveStartKey: cursor } : {}),
        }),
      );
      for (const raw of out.Items ?? []) items.push(Approval.parse(raw));
      cursor = out.LastEvaluatedKey;
    } while (cursor && items.length < limit);
    return items.slice(0, limit);
  }
}
