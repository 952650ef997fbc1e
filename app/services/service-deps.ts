import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { WebClient } from '@slack/web-api';
import type { TableNames } from '../adapters/dynamo/tables';
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
