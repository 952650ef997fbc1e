import type { CreateTableCommandInput } from '@aws-sdk/client-dynamodb';

/**
 * Every table, its keys and indexes: the one definition used by the local engine, the tests and
 * the CDK stack (`infra/constructs/tables.ts`, compared by `test/infra/tables.test.ts`). Table names
 * are `${TABLE_PREFIX}${name}`.
 *
 * Access patterns (no Scan on any request path):
 * - campaigns: by id; by status (`status-index`, sorted by launch date); by team (`team-index`,
 *   by launch date: the digest's "launching in the next 7 days" is one range on it).
 * - tasks: a campaign's tasks (partition); a person's tasks (`owner-index`, by due date); a team's
 *   open tasks with a due date (`team-open-due-index`, sparse: only open tasks carry its key, so the
 *   digest's overdue list reads the overdue ones and nothing else).
 * - teams: by id; all teams (`all-index` on the constant `entity`).
 * - approvals: by id; pending ones (`status-index`); a campaign's (`campaign-index`); a team's by
 *   status (`team-status-index`) and a team's decided ones by decision time (`team-decided-index`,
 *   sparse on `decidedAt`) for the digest.
 * - jobs: by id; due jobs for the sweep (`status-index`, by next attempt time).
 * - dedupe: idempotency keys (Slack event ids, request signatures, webhook deliveries), with TTL.
 * - events-log: append-only audit of what happened, with TTL.
 * - workflow-state: a campaign workflow's steps and the agent's conversations.
 * - sync-state: per synced object, versions and conflicts; `target-index` finds it from the external id;
 *   `open-conflict-index` (sparse) a team's records with a conflict waiting for a person. Also
 *   Asana webhook secrets (`asana-hook#…`), people links and sync counters (`source#…`, `assumption#…`).
 * - workflow-state also holds the digest subscriptions (`digest#subscriptions`) and runs
 *   (`digest#<channel>` / `run#<local date>`), and the in-process recurring schedules.
 */
export interface TableDef {
  name: string;
  partitionKey: string;
  sortKey?: string;
  indexes: { name: string; partitionKey: string; sortKey?: string }[];
  ttlAttribute?: string;
}

export const TABLES = {
  campaigns: {
    name: 'campaigns',
    partitionKey: 'campaignId',
    indexes: [
      { name: 'status-index', partitionKey: 'status', sortKey: 'launchDate' },
      { name: 'team-index', partitionKey: 'teamId', sortKey: 'launchDate' },
    ],
  },
  tasks: {
    name: 'tasks',
    partitionKey: 'campaignId',
    sortKey: 'taskId',
    // Sorted on a storage-only `ownerDueKey` (`<dueDate or 9999-12-31>#<campaignId>#<taskId>`, written by
    // TaskRepository) rather than on the optional `dueDate`, so owned tasks without a due date stay in the index.
    indexes: [
      { name: 'owner-index', partitionKey: 'ownerSlackId', sortKey: 'ownerDueKey' },
      // Storage-only keys written by TaskRepository while a task is open and has a due date:
      // `openTeamId` (its campaign's team) and `openDueKey` (`<dueDate>#<campaignId>#<taskId>`).
      { name: 'team-open-due-index', partitionKey: 'openTeamId', sortKey: 'openDueKey' },
    ],
  },
  teams: {
    name: 'teams',
    partitionKey: 'teamId',
    indexes: [{ name: 'all-index', partitionKey: 'entity', sortKey: 'name' }],
  },
  approvals: {
    name: 'approvals',
    partitionKey: 'approvalId',
    indexes: [
      { name: 'status-index', partitionKey: 'status', sortKey: 'createdAt' },
      { name: 'campaign-index', partitionKey: 'campaignId', sortKey: 'createdAt' },
      { name: 'team-status-index', partitionKey: 'teamId', sortKey: 'status' },
      { name: 'team-decided-index', partitionKey: 'teamId', sortKey: 'decidedAt' },
    ],
  },
  jobs: {
    name: 'jobs',
    partitionKey: 'jobId',
    indexes: [{ name: 'status-index', partitionKey: 'status', sortKey: 'nextAttemptAt' }],
    // Finished jobs get `expiresAt` (JobRepository.finish), so they do not pile up.
    ttlAttribute: 'expiresAt',
  },
  dedupe: { name: 'dedupe', partitionKey: 'key', indexes: [], ttlAttribute: 'expiresAt' },
  eventsLog: {
    name: 'events-log',
    partitionKey: 'pk',
    sortKey: 'sk',
    indexes: [],
    ttlAttribute: 'expiresAt',
  },
  // TTL on `expiresAt`: the agent's conversations, pending actions and asks expire; workflow steps do not set it.
  workflowState: {
    name: 'workflow-state',
    partitionKey: 'pk',
    sortKey: 'sk',
    indexes: [],
    ttlAttribute: 'expiresAt',
  },
  syncState: {
    name: 'sync-state',
    partitionKey: 'objectKey',
    indexes: [
      { name: 'target-index', partitionKey: 'targetKey' },
      // Storage-only keys written while a record has a conflict a person must resolve.
      { name: 'open-conflict-index', partitionKey: 'openConflictTeamId', sortKey: 'openConflictSince' },
    ],
  },
} as const satisfies Record<string, TableDef>;

export type TableKey = keyof typeof TABLES;
export type TableNames = Record<TableKey, string>;

export function tableNames(prefix: string): TableNames {
  const out = {} as TableNames;
  for (const key of Object.keys(TABLES) as TableKey[]) out[key] = `${prefix}${TABLES[key].name}`;
  return out;
}

/** CreateTable input for one table (on-demand billing, every key attribute a string). */
export function createTableInput(def: TableDef, prefix: string): CreateTableCommandInput {
  const attributes = new Set<string>([def.partitionKey]);
  if (def.sortKey) attributes.add(def.sortKey);
  for (const index of def.indexes) {
    attributes.add(index.partitionKey);
    if (index.sortKey) attributes.add(index.sortKey);
  }
  return {
    TableName: `${prefix}${def.name}`,
    BillingMode: 'PAY_PER_REQUEST',
    AttributeDefinitions: [...attributes].map((name) => ({ AttributeName: name, AttributeType: 'S' })),
    KeySchema: [
      { AttributeName: def.partitionKey, KeyType: 'HASH' },
      ...(def.sortKey ? [{ AttributeName: def.sortKey, KeyType: 'RANGE' as const }] : []),
    ],
    ...(def.indexes.length > 0
      ? {
          GlobalSecondaryIndexes: def.indexes.map((index) => ({
            IndexName: index.name,
            KeySchema: [
              { AttributeName: index.partitionKey, KeyType: 'HASH' as const },
              ...(index.sortKey ? [{ AttributeName: index.sortKey, KeyType: 'RANGE' as const }] : []),
            ],
            Projection: { ProjectionType: 'ALL' as const },
          })),
        }
      : {}),
  };
}
