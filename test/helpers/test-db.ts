import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { createDocumentClient } from '../../app/adapters/dynamo/client';
import { type TableNames, tableNames } from '../../app/adapters/dynamo/tables';
import type { Campaign, Task } from '../../app/domain/model';
import { startLocalDynamo } from '../../dev/local-dynamo';

/** A dynalite instance on a random port, a document client for it, and every command name it was sent. */
export interface TestDb {
  db: DynamoDBDocumentClient;
  tables: TableNames;
  /** Command names (`QueryCommand`, `PutCommand`, …) in the order they were sent. */
  commands: string[];
  close(): Promise<void>;
}

/** Starts dynalite with every table under a unique `prefix`, recording commands through a client middleware. */
export async function startTestDb(prefix: string): Promise<TestDb> {
  const local = await startLocalDynamo({ prefix });
  const db = createDocumentClient({ region: 'us-east-1', endpoint: local.endpoint });
  const commands: string[] = [];
  db.middlewareStack.add(
    (next, context) => async (args) => {
      commands.push(String(context.commandName));
      return next(args);
    },
    { step: 'initialize', name: 'testCommandRecorder' },
  );
  return {
    db,
    tables: tableNames(prefix),
    commands,
    close: async () => {
      db.destroy();
      await local.close();
    },
  };
}

/** A settable clock. */
export function testClock(start: string): {
  clock: () => Date;
  set(iso: string): void;
  advanceDays(days: number): void;
} {
  let now = new Date(start);
  return {
    clock: () => new Date(now.getTime()),
    set: (iso) => {
      now = new Date(iso);
    },
    advanceDays: (days) => {
      now = new Date(now.getTime() + days * 86_400_000);
    },
  };
}

/** A valid campaign with overrides. */
export function campaignFixture(overrides: Partial<Campaign> = {}): Campaign {
  return {
    campaignId: 'cmp-test-1',
    name: 'Spring Launch',
    type: 'standard',
    tier: 2,
    status: 'DRAFT',
    ownerSlackId: 'U0MAYA',
    teamId: 'team-brand',
    budgetCents: 500_000,
    launchDate: '2026-04-01',
    channels: ['email'],
    createdBy: 'U0MAYA',
    createdAt: '2026-03-01T10:00:00.000Z',
    updatedAt: '2026-03-01T10:00:00.000Z',
    version: 1,
    ...overrides,
  };
}

/** A valid task with overrides. */
export function taskFixture(overrides: Partial<Task> = {}): Task {
  return {
    campaignId: 'cmp-test-1',
    taskId: 't01',
    teamId: 'team-brand',
    name: 'Creative brief',
    ownerSlackId: 'U0MAYA',
    dueDate: '2026-03-10',
    status: 'NOT_STARTED',
    milestone: false,
    dependsOn: [],
    workSystem: 'workfront',
    updatedAt: '2026-03-01T10:00:00.000Z',
    version: 1,
    ...overrides,
  };
}

/** Follows a paginated listing to the end, returning every page. */
export async function collectPages<T>(
  fetchPage: (cursor: string | undefined) => Promise<{ items: T[]; cursor?: string }>,
): Promise<{ items: T[]; cursor?: string }[]> {
  const pages: { items: T[]; cursor?: string }[] = [];
  let cursor: string | undefined;
  do {
    const page = await fetchPage(cursor);
    pages.push(page);
    cursor = page.cursor;
    if (pages.length > 100) throw new Error('pagination did not terminate');
  } while (cursor);
  return pages;
}
