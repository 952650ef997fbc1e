import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { WebClient } from '@slack/web-api';
import { CampaignRepository } from '../adapters/dynamo/campaign-repo';
import { DedupeRepository } from '../adapters/dynamo/dedupe-repo';
import { EventsLogRepository } from '../adapters/dynamo/events-log-repo';
import { SyncStateRepository } from '../adapters/dynamo/sync-state-repo';
import type { TableNames } from '../adapters/dynamo/tables';
import { TaskRepository } from '../adapters/dynamo/task-repo';
import { TeamRepository } from '../adapters/dynamo/team-repo';
import { WorkflowStateRepository } from '../adapters/dynamo/workflow-state-repo';
import type { Config } from '../config';
import type { AppLogger } from '../logger';

/** What the services are built from. Everything is passed in, so tests can pass fakes or local engines. */
export interface ServiceDeps {
  config: Config;
  logger: AppLogger;
  db: DynamoDBDocumentClient;
  tables: TableNames;
  clock: () => Date;
  /** Web API client for work outside a listener (jobs, schedules); built once per container. */
  slack: WebClient;
}

/**
 * The domain services and repositories the listeners, routes and handlers use. Services never
 * import Bolt; they take and return plain data.
 */
export interface Services {
  dedupe: DedupeRepository;
  campaigns: CampaignRepository;
  tasks: TaskRepository;
  teams: TeamRepository;
  eventsLog: EventsLogRepository;
  workflowState: WorkflowStateRepository;
  syncState: SyncStateRepository;
}

export function createServices(deps: ServiceDeps): Services {
  const { db, tables, clock } = deps;
  return {
    dedupe: new DedupeRepository(db, tables.dedupe, clock),
    campaigns: new CampaignRepository(db, tables.campaigns, clock),
    tasks: new TaskRepository(db, tables.tasks, clock),
    teams: new TeamRepository(db, tables.teams),
    eventsLog: new EventsLogRepository(db, tables.eventsLog, clock),
    workflowState: new WorkflowStateRepository(db, tables.workflowState, clock),
    syncState: new SyncStateRepository(db, tables.syncState, clock),
  };
}
