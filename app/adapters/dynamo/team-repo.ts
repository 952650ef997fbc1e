import { type DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import { Team } from '../../domain/model';
import {
  assertExpectedVersion,
  conditionalPut,
  parseStored,
  queryAll,
  storeRead,
  validateForWrite,
} from './repo-support';

const ALL_INDEX = 'all-index';
/** Constant partition of `all-index`: lists every team without a Scan (teams are few). */
const TEAM_ENTITY = 'team';

/**
 * Teams, keyed by `teamId`. `list()` queries `all-index` on the storage-only `entity = 'team'`
 * attribute (sorted by name); `entity` never leaves the repository.
 */
export class TeamRepository {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  /** The team, or `undefined`. */
  async get(teamId: string): Promise<Team | undefined> {
    const key = `team ${teamId}`;
    const out = await storeRead(key, () =>
      this.db.send(new GetCommand({ TableName: this.tableName, Key: { teamId } })),
    );
    return out.Item ? parseStored(Team, out.Item, key) : undefined;
  }

  /** Every team, by name. */
  async list(): Promise<Team[]> {
    const raw = await queryAll(
      this.db,
      {
        TableName: this.tableName,
        IndexName: ALL_INDEX,
        KeyConditionExpression: '#entity = :entity',
        ExpressionAttributeNames: { '#entity': 'entity' },
        ExpressionAttributeValues: { ':entity': TEAM_ENTITY },
      },
      'all teams',
    );
    return raw.map((item) => parseStored(Team, item, `team ${String(item.teamId)}`));
  }

  /** Stores a new team at version 1. `ValidationError` (nothing written) or `ConflictError` if it exists. */
  async create(team: Team): Promise<Team> {
    const item = validateForWrite(Team, { ...team, version: 1 }, 'team');
    await conditionalPut(this.db, {
      tableName: this.tableName,
      item: { ...item, entity: TEAM_ENTITY },
      partitionKey: 'teamId',
      condition: { kind: 'create' },
      key: `team ${item.teamId}`,
    });
    return item;
  }

  /** Replaces the team if it is still at `expectedVersion`; `ConflictError` otherwise. */
  async update(next: Team, expectedVersion: number): Promise<Team> {
    const key = `team ${next.teamId}`;
    assertExpectedVersion(expectedVersion, key);
    const item = validateForWrite(Team, { ...next, version: expectedVersion + 1 }, 'team');
    await conditionalPut(this.db, {
      tableName: this.tableName,
      item: { ...item, entity: TEAM_ENTITY },
      partitionKey: 'teamId',
      condition: { kind: 'version', expectedVersion },
      key,
    });
    return item;
  }
}
