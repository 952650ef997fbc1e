import type { CreateTableCommandInput } from '@aws-sdk/client-dynamodb';

/**
 * Every table, its keys and indexes: the one definition used by the local engine, the tests and
 * the CDK stack (`infra/constructs/tables.ts`, compared by `test/infra/tables.test.ts`). Table names
 * are `${TABLE_PREFIX}${name}`.
 *
 * Access patterns (no Scan on any request path):
 * - campaigns: by id; by status (`status-index`, sorted by launch date); by team (`team-index`).
 * - tasks: a campaign's tasks (partition); a person's tasks (`owner-index`, by due date).
 * - teams: by id; all teams (`all-index` on the constant `entity`).
 * - approvals: by id; pending ones (`status-index`); a campaign's (`campaign-index`).
 * - jobs: by id; due jobs for the sweep (`status-index`, by next attempt time).
 * - dedupe: idempotency keys (Slack event ids, request signatures, webhook deliveries), with TTL.
 * - events-log: append-only audit of what happened, with TTL.
 * - workflow-state: a campaign workflow's steps and the agent's conversations.
 * - sync-state: per synced object, versions and conflicts; `target-index` finds it from the external id.
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
    indexes: [{ name: 'owner-index', partitionKey: 'ownerSlackId', sortKey: 'ownerDueKey' }],
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
    indexes: [{ name: 'target-index', partitionKey: 'targetKey' }],
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
