import { type DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import { OPEN_TASK_STATUSES, Task } from '../../domain/model';
import { ValidationError } from '../../errors';
import {
  assertExpectedVersion,
  conditionalPut,
  parseStored,
  queryAll,
  queryPage,
  storeRead,
  validateForWrite,
} from './repo-support';

const OWNER_INDEX = 'owner-index';
const TEAM_OPEN_DUE_INDEX = 'team-open-due-index';
/** Sorts undated tasks after every dated one in a person's list. */
const NO_DUE_DATE = '9999-12-31';

/** The storage-only sort key of `owner-index`: due date first, then the task's key for a stable order. */
function ownerDueKey(task: Pick<Task, 'dueDate' | 'campaignId' | 'taskId'>): string {
  return `${task.dueDate ?? NO_DUE_DATE}#${task.campaignId}#${task.taskId}`;
}

/**
 * The stored item of a task: the task plus its storage-only index keys — `ownerDueKey` when it has
 * an owner (`owner-index`), and `openTeamId`/`openDueKey` while it is open and has a due date
 * (`team-open-due-index`). A task that is done, cancelled or undated carries no key, so it leaves
 * that sparse index. (Exported for bulk loaders such as the digest benchmark, so they store exactly this.)
 */
export function taskStorageItem(task: Task): Record<string, unknown> {
  return {
    ...task,
    ...(task.ownerSlackId ? { ownerDueKey: ownerDueKey(task) } : {}),
    ...(task.dueDate && OPEN_TASK_STATUSES.has(task.status)
      ? { openTeamId: task.teamId, openDueKey: `${task.dueDate}#${task.campaignId}#${task.taskId}` }
      : {}),
  };
}

/**
 * Tasks, keyed by (`campaignId`, `taskId`), so a campaign's tasks are one partition. A person's
 * tasks come from `owner-index` (sorted by due date, undated last). Storage-only attributes
 * (`ownerDueKey`) never leave the repository. Every write is conditional on the version.
 */
export class TaskRepository {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  /** The task, or `undefined`. */
  async get(campaignId: string, taskId: string): Promise<Task | undefined> {
    const key = `task ${campaignId}/${taskId}`;
    const out = await storeRead(key, () =>
      this.db.send(new GetCommand({ TableName: this.tableName, Key: { campaignId, taskId } })),
    );
    return out.Item ? parseStored(Task, out.Item, key) : undefined;
  }

  /** Stores a new task at version 1. `ValidationError` (nothing written) or `ConflictError` if it exists. */
  async create(task: Task): Promise<Task> {
    const item = validateForWrite(Task, { ...task, version: 1 }, 'task');
    await conditionalPut(this.db, {
      tableName: this.tableName,
      item: this.toItem(item),
      partitionKey: 'campaignId',
      condition: { kind: 'create' },
      key: `task ${item.campaignId}/${item.taskId}`,
    });
    return item;
  }

  /**
   * Replaces the task if it is still at `expectedVersion`; writes `expectedVersion + 1` and
   * `updatedAt` from the clock. `ConflictError` when it changed or vanished meanwhile.
   */
  async update(next: Task, expectedVersion: number): Promise<Task> {
    const key = `task ${next.campaignId}/${next.taskId}`;
    assertExpectedVersion(expectedVersion, key);
    const item = validateForWrite(
      Task,
      { ...next, version: expectedVersion + 1, updatedAt: this.clock().toISOString() },
      'task',
    );
    await conditionalPut(this.db, {
      tableName: this.tableName,
      item: this.toItem(item),
      partitionKey: 'campaignId',
      condition: { kind: 'version', expectedVersion },
      key,
    });
    return item;
  }

  /** Every task of a campaign, in task-id order. */
  async listByCampaign(campaignId: string): Promise<Task[]> {
    if (campaignId.length === 0) {
      throw new ValidationError('A campaign id is required', { campaignId: 'is required' });
    }
    const raw = await queryAll(
      this.db,
      {
        TableName: this.tableName,
        KeyConditionExpression: '#campaign = :campaign',
        ExpressionAttributeNames: { '#campaign': 'campaignId' },
        ExpressionAttributeValues: { ':campaign': campaignId },
      },
      `tasks of campaign ${campaignId}`,
    );
    return raw.map((item) => parseStored(Task, item, `task ${campaignId}/${String(item.taskId)}`));
  }

  /** Every task owned by a Slack user, by due date (undated last), whatever its status. */
  async listByOwner(slackUserId: string): Promise<Task[]> {
    if (slackUserId.length === 0) {
      throw new ValidationError('A Slack user id is required', { ownerSlackId: 'is required' });
    }
    const raw = await queryAll(
      this.db,
      {
        TableName: this.tableName,
        IndexName: OWNER_INDEX,
        KeyConditionExpression: '#owner = :owner',
        ExpressionAttributeNames: { '#owner': 'ownerSlackId' },
        ExpressionAttributeValues: { ':owner': slackUserId },
      },
      `tasks of ${slackUserId}`,
    );
    return raw.map((item) =>
      parseStored(Task, item, `task ${String(item.campaignId)}/${String(item.taskId)}`),
    );
  }

  /**
   * A team's open tasks due before `before` (`YYYY-MM-DD`, exclusive), earliest due first, at most
   * `limit` (`team-open-due-index`). Only open tasks with a due date are in that index, so the read
   * is proportional to what matches, whatever the size of the table. Eventually consistent (a GSI).
   */
  async listOpenDueBefore(teamId: string, before: string, limit = 1000): Promise<Task[]> {
    if (teamId.length === 0) throw new ValidationError('A team id is required', { teamId: 'is required' });
    const out: Task[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const page = await queryPage(
        this.db,
        {
          TableName: this.tableName,
          IndexName: TEAM_OPEN_DUE_INDEX,
          KeyConditionExpression: '#team = :team AND #due < :before',
          ExpressionAttributeNames: { '#team': 'openTeamId', '#due': 'openDueKey' },
          ExpressionAttributeValues: { ':team': teamId, ':before': before },
          Limit: Math.min(limit - out.length, 500),
          ...(start ? { ExclusiveStartKey: start } : {}),
        },
        `open tasks of team ${teamId} due before ${before}`,
      );
      for (const item of page.items) {
        out.push(parseStored(Task, item, `task ${String(item.campaignId)}/${String(item.taskId)}`));
      }
      start = page.lastEvaluatedKey;
    } while (start && out.length < limit);
    return out;
  }

  private toItem(task: Task): Record<string, unknown> {
    return taskStorageItem(task);
  }
}
