import { type DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import { CAMPAIGN_STATUSES, Campaign, CampaignStatus } from '../../domain/model';
import { ValidationError } from '../../errors';
import { decodeCursor } from './cursor';
import {
  assertExpectedVersion,
  conditionalPut,
  type Page,
  type PageOptions,
  pageLimit,
  parseStored,
  queryAll,
  queryPage,
  queryPaged,
  storeRead,
  validateForWrite,
} from './repo-support';

const STATUS_INDEX = 'status-index';
const TEAM_INDEX = 'team-index';
/** What `LastEvaluatedKey` holds on each index: the table key plus the index key. */
const STATUS_PAGE_KEY = ['campaignId', 'status', 'launchDate'] as const;
const TEAM_PAGE_KEY = ['campaignId', 'teamId', 'launchDate'] as const;

/**
 * Campaigns, keyed by `campaignId`. Listings use `status-index` and `team-index` (both sorted by
 * launch date, earliest first); there is no Scan. Every write is conditional on the version.
 */
export class CampaignRepository {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  /** The campaign, or `undefined` when there is none with this id. */
  async get(campaignId: string): Promise<Campaign | undefined> {
    const key = `campaign ${campaignId}`;
    const out = await storeRead(key, () =>
      this.db.send(new GetCommand({ TableName: this.tableName, Key: { campaignId } })),
    );
    return out.Item ? parseStored(Campaign, out.Item, key) : undefined;
  }

  /**
   * Stores a new campaign at version 1 (whatever `version` the argument carries); timestamps are
   * kept as given. Throws `ValidationError` (nothing written) or `ConflictError` if the id exists.
   */
  async create(campaign: Campaign): Promise<Campaign> {
    const item = validateForWrite(Campaign, { ...campaign, version: 1 }, 'campaign');
    await conditionalPut(this.db, {
      tableName: this.tableName,
      item,
      partitionKey: 'campaignId',
      condition: { kind: 'create' },
      key: `campaign ${item.campaignId}`,
    });
    return item;
  }

  /**
   * Replaces the campaign if it is still at `expectedVersion`; writes version `expectedVersion + 1`
   * and `updatedAt` from the clock. Throws `ConflictError` when it changed (or vanished) meanwhile.
   */
  async update(next: Campaign, expectedVersion: number): Promise<Campaign> {
    const key = `campaign ${next.campaignId}`;
    assertExpectedVersion(expectedVersion, key);
    const item = validateForWrite(
      Campaign,
      { ...next, version: expectedVersion + 1, updatedAt: this.clock().toISOString() },
      'campaign',
    );
    await conditionalPut(this.db, {
      tableName: this.tableName,
      item,
      partitionKey: 'campaignId',
      condition: { kind: 'version', expectedVersion },
      key,
    });
    return item;
  }

  /** One page of campaigns in `status`, by launch date. */
  async listByStatus(status: CampaignStatus, options: PageOptions = {}): Promise<Page<Campaign>> {
    const parsedStatus = CampaignStatus.safeParse(status);
    if (!parsedStatus.success) {
      throw new ValidationError(`Unknown campaign status ${String(status)}`, {
        status: `must be one of ${CAMPAIGN_STATUSES.join(', ')}`,
      });
    }
    return this.indexPage(
      STATUS_INDEX,
      STATUS_PAGE_KEY,
      'status',
      status,
      options,
      `campaigns with status ${status}`,
    );
  }

  /** One page of a team's campaigns (every status), by launch date. */
  async listByTeam(teamId: string, options: PageOptions = {}): Promise<Page<Campaign>> {
    if (teamId.length === 0) throw new ValidationError('A team id is required', { teamId: 'is required' });
    return this.indexPage(
      TEAM_INDEX,
      TEAM_PAGE_KEY,
      'teamId',
      teamId,
      options,
      `campaigns of team ${teamId}`,
    );
  }

  /** One page of one index partition (`attribute = value`), with a cursor bound to that partition. */
  private async indexPage(
    indexName: string,
    pageKey: typeof STATUS_PAGE_KEY | typeof TEAM_PAGE_KEY,
    attribute: 'status' | 'teamId',
    value: string,
    options: PageOptions,
    what: string,
  ): Promise<Page<Campaign>> {
    const limit = pageLimit(options.limit);
    const startKey = decodeCursor(options.cursor, pageKey, { [attribute]: value });
    const page = await queryPaged(
      this.db,
      {
        TableName: this.tableName,
        IndexName: indexName,
        KeyConditionExpression: '#key = :value',
        ExpressionAttributeNames: { '#key': attribute },
        ExpressionAttributeValues: { ':value': value },
      },
      { limit, startKey, keyAttributes: pageKey },
      what,
    );
    return this.toPage(page);
  }

  /**
   * A team's campaigns launching from `from` to `to` (inclusive, `YYYY-MM-DD`), by launch date, every
   * status (`team-index` range: reads only those days, whatever else the team has). At most `limit`.
   */
  async listByTeamLaunching(teamId: string, from: string, to: string, limit = 1000): Promise<Campaign[]> {
    if (teamId.length === 0) throw new ValidationError('A team id is required', { teamId: 'is required' });
    const out: Campaign[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const page = await queryPage(
        this.db,
        {
          TableName: this.tableName,
          IndexName: TEAM_INDEX,
          KeyConditionExpression: '#team = :team AND #launch BETWEEN :from AND :to',
          ExpressionAttributeNames: { '#team': 'teamId', '#launch': 'launchDate' },
          ExpressionAttributeValues: { ':team': teamId, ':from': from, ':to': to },
          Limit: Math.min(limit - out.length, 500),
          ...(start ? { ExclusiveStartKey: start } : {}),
        },
        `campaigns of team ${teamId} launching ${from}…${to}`,
      );
      for (const raw of page.items)
        out.push(parseStored(Campaign, raw, `campaign ${String(raw.campaignId)}`));
      start = page.lastEvaluatedKey;
    } while (start && out.length < limit);
    return out;
  }

  /**
   * Every campaign: one `status-index` query per status, in parallel, each followed to its last
   * page. Sorted by launch date, then id. For the digest, search and the agent's context, where
   * the whole portfolio (hundreds of items) is needed; not for unbounded growth.
   */
  async listAll(): Promise<Campaign[]> {
    const perStatus = await Promise.all(
      CAMPAIGN_STATUSES.map((status) =>
        queryAll(
          this.db,
          {
            TableName: this.tableName,
            IndexName: STATUS_INDEX,
            KeyConditionExpression: '#status = :status',
            ExpressionAttributeNames: { '#status': 'status' },
            ExpressionAttributeValues: { ':status': status },
          },
          `campaigns with status ${status}`,
        ),
      ),
    );
    return perStatus
      .flat()
      .map((raw) => parseStored(Campaign, raw, `campaign ${String(raw.campaignId)}`))
      .sort((a, b) => a.launchDate.localeCompare(b.launchDate) || a.campaignId.localeCompare(b.campaignId));
  }

  private toPage(page: { items: Record<string, unknown>[]; cursor?: string }): Page<Campaign> {
    const items = page.items.map((raw) => parseStored(Campaign, raw, `campaign ${String(raw.campaignId)}`));
    return page.cursor ? { items, cursor: page.cursor } : { items };
  }
}
