import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { App, HTTPReceiver } from '@slack/bolt';
import type { WebClient } from '@slack/web-api';
import { createDocumentClient } from '../app/adapters/dynamo/client';
import { dynamoProbe } from '../app/adapters/dynamo/probe';
import { type TableNames, tableNames } from '../app/adapters/dynamo/tables';
import { createWebClient } from '../app/adapters/slack';
import { type Config, loadConfig, slackMode } from '../app/config';
import { createApp } from '../app/create-app';
import type { AppDeps, RuntimeModes } from '../app/deps';
import { createHttpReceiver } from '../app/http/receiver';
import { AppLogger } from '../app/logger';
import { SlackApprovalPublisher } from '../app/outbound/slack-approval-publisher';
import { createRoutes } from '../app/routes';
import { createRepositories, createServices, type Repositories } from '../app/services';
import type { JobHandler } from '../app/services/job-types';
import type { JobInstance } from '../app/services/jobs';
import { createPostLedgers } from '../app/services/post-ledger';
import { reportStoreSendTimings } from './store-send-timing';

export interface Runtime extends AppDeps {
  db: DynamoDBDocumentClient;
  tables: TableNames;
  slack: WebClient;
  /** For composition (job registry, seeding, tests) only: listeners and routes get `services`. */
  repositories: Repositories;
}

export interface RuntimeOptions {
  env?: Record<string, string | undefined>;
  clock?: () => Date;
  /** Log sink (tests capture lines). */
  sink?: (line: string) => void;
  modes?: Partial<RuntimeModes>;
  /**
   * The job handlers this process runs, built from the finished runtime (they use its services).
   * None when absent: the HTTP Lambda only enqueues (its jobs go to the worker function), so the
   * handlers — and the Bedrock client, `marked`, the work-system clients they import — stay out of
   * its bundle. `handlers/runtime.ts`'s `buildRuntime` passes all of them.
   */
  jobHandlers?: (runtime: Runtime) => Record<string, JobHandler>;
  /** Who this process is in job leases (`npm start`: its host and port; see `JobInstance`). */
  jobInstance?: JobInstance;
}

/**
 * Builds configuration, logger, store client and services: everything but the transport and,
 * unless `options.jobHandlers` is given, the job handlers. No network I/O happens here (no
 * `auth.test`, no store call), so cold start stays short. Import this module (not
 * `handlers/runtime.ts`) from an entry whose bundle must not carry the job handlers.
 */
export function buildRuntimeCore(options: RuntimeOptions = {}): Runtime {
  const config: Config = loadConfig(options.env ?? process.env);
  const clock = options.clock ?? (() => new Date());
  const logger = new AppLogger({
    level: config.logLevel,
    secrets: config.secrets,
    ...(config.metricsNamespace ? { metricsNamespace: config.metricsNamespace } : {}),
    ...(options.sink ? { sink: options.sink } : {}),
    clock,
  });
  const db = createDocumentClient({ region: config.dynamo.region, endpoint: config.dynamo.endpoint });
  reportStoreSendTimings(db);
  const tables = tableNames(config.dynamo.tablePrefix);
  const slack = createWebClient(config, logger);
  const repositories = createRepositories({ db, tables, clock });
  const approvalPublisher = new SlackApprovalPublisher(
    slack,
    logger,
    createPostLedgers(repositories.workflowState, clock),
  );
  const services = createServices({
    config,
    logger,
    db,
    tables,
    clock,
    slack,
    approvalPublisher,
    repositories,
    jobInstance: options.jobInstance,
  });
  const modes: RuntimeModes = {
    dynamodb: config.dynamo.endpoint ? 'local' : 'cloud',
    agent: config.bedrock ? 'bedrock' : 'offline',
    slack: slackMode(config),
    transport: 'http',
    jobs: config.cloud.workerFunctionName ? 'lambda' : 'in-process',
    scheduler: config.cloud.scheduledFunctionArn ? 'eventbridge' : 'in-process',
    ...options.modes,
  };
  const runtime: Runtime = { config, logger, db, tables, slack, repositories, services, clock, modes };
  // Job handlers are built from the finished runtime (they use its services), so they come last.
  if (options.jobHandlers) services.jobs.setHandlers(options.jobHandlers(runtime));
  return runtime;
}

/** The HTTP app: Bolt on the HTTP receiver, serving /slack/events and the custom routes. */
export function buildHttpApp(runtime: Runtime): { app: App; receiver: HTTPReceiver } {
  const routes = createRoutes({ ...runtime, probeStore: dynamoProbe(runtime.db, runtime.tables.dedupe) });
  const receiver = createHttpReceiver({
    signingSecret: runtime.config.slack.signingSecret,
    logger: runtime.logger,
    customRoutes: routes,
    // Signature freshness is about real time (Bolt checks staleness against the wall clock), not
    // the domain clock tests may move, so the future-timestamp guard uses the wall clock too.
  });
  // `createApp` gives Bolt LOG_LEVEL as its `logLevel`, so Bolt keeps the logger's level.
  const app = createApp({ ...runtime, receiver });
  return { app, receiver };
}
