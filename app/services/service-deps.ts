import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { WebClient } from '@slack/web-api';
import type { TableNames } from '../adapters/dynamo/tables';
import type { Config } from '../config';
import type { AppLogger } from '../logger';
import type { ApprovalPublisher } from './approval-ports';
import type { JobInstance } from './jobs';

/** What the services are built from. Everything is passed in, so tests can pass fakes or local engines. */
export interface ServiceDeps {
  config: Config;
  logger: AppLogger;
  db: DynamoDBDocumentClient;
  tables: TableNames;
  clock: () => Date;
  /** Web API client for work outside a listener (jobs, schedules); built once per container. */
  slack: WebClient;
  /**
   * Posts and updates approval messages. The Slack one (`app/outbound/slack-approval-publisher.ts`)
   * renders with blocks/, so the runtime builds it on the app side and passes it in: the approvals
   * service asks for a domain-level message ("post this request", "tell the requester") and
   * never sees Block Kit.
   */
  approvalPublisher: ApprovalPublisher;
  /** Who this process is in job leases (`npm start` names its slot; default: a unique one). */
  jobInstance?: JobInstance | undefined;
}
