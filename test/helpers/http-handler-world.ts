import { DynamoDBClient, ScanCommand } from '@aws-sdk/client-dynamodb';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { afterAll, beforeAll, beforeEach, vi } from 'vitest';
import { TABLES } from '../../app/adapters/dynamo/tables';
import { type LocalDynamo, startLocalDynamo } from '../../dev/local-dynamo';
import { handler, resetForTests } from '../../handlers/http';
import { lambdaContext } from './lambda-events';
import {
  type LambdaInvokeStandIn,
  lambdaDispatchEnv,
  startLambdaInvokeStandIn,
} from './lambda-invoke-standin';
import { type RecorderOptions, type SlackRecorder, startSlackRecorder } from './slack-recorder';

/** What the HTTP Lambda handler talks to in a test: dynalite, a recording Slack API and a Lambda Invoke stand-in. */
export interface HttpHandlerWorld {
  dynamo: LocalDynamo;
  slack: SlackRecorder;
  lambdaApi: LambdaInvokeStandIn;
  prefix: string;
  /** Stops the stand-ins, gives back the process.env seen at start and drops the handler's cached runtime. */
  close(): Promise<void>;
}

/** Starts the stand-ins for handlers/http.ts, with tables under `prefix`. */
export async function startHttpHandlerWorld(
  prefix: string,
  slackOptions: RecorderOptions = {},
): Promise<HttpHandlerWorld> {
  const savedEnv = { ...process.env };
  const dynamo = await startLocalDynamo({ prefix });
  const lambdaApi = await startLambdaInvokeStandIn();
  const slack = await startSlackRecorder(slackOptions);
  return {
    dynamo,
    slack,
    lambdaApi,
    prefix,
    async close() {
      await slack.close();
      await lambdaApi.close();
      await dynamo.close();
      process.env = savedEnv;
      resetForTests();
    },
  };
}

/**
 * Points the HTTP handler at `world`: removes every SLACK_* variable, sets the store, Slack API and
 * Lambda-dispatch variables (jobs go out as an async Invoke, so none runs in this process after a
 * response), then `vars` (undefined deletes), and drops the cached runtime so the next call reads them.
 */
export function useHttpHandlerEnv(world: HttpHandlerWorld, vars: Record<string, string | undefined>): void {
  for (const key of Object.keys(process.env)) if (key.startsWith('SLACK_')) delete process.env[key];
  Object.assign(process.env, {
    DYNAMODB_ENDPOINT: world.dynamo.endpoint,
    TABLE_PREFIX: world.prefix,
    SLACK_API_URL: world.slack.apiUrl,
    ...lambdaDispatchEnv(world.lambdaApi),
  });
  for (const [key, value] of Object.entries(vars)) {
    if (value === undefined) delete process.env[key];
    else process.env[key] = value;
  }
  resetForTests();
}

export const SECRET = 'test-signing-secret-8f3a9c';
export const PREFIX = 'http-test-';

/**
 * The handlers/http.ts tests' set-up: the world started once per file, the environment reset and
 * the app's log lines captured before each test, and the steps the tests share. Call at the top of
 * a test file.
 */
export function useHttpHandlerTest() {
  let world: HttpHandlerWorld;
  let slack: SlackRecorder;
  let lambdaApi: LambdaInvokeStandIn;
  let scanClient: DynamoDBClient;
  let logLines: string[] = [];

  async function call(event: APIGatewayProxyEventV2): Promise<APIGatewayProxyStructuredResultV2> {
    const result = await handler(event, lambdaContext());
    if (typeof result === 'string') throw new Error('expected a structured result');
    return result;
  }

  /** Items in every table: "no side effect" means this does not change. */
  async function storeItemCount(): Promise<number> {
    const counts = await Promise.all(
      Object.values(TABLES).map(async (def) => {
        const out = await scanClient.send(
          new ScanCommand({ TableName: `${PREFIX}${def.name}`, Select: 'COUNT' }),
        );
        return out.Count ?? 0;
      }),
    );
    return counts.reduce((a, b) => a + b, 0);
  }

  async function dedupeKeys(): Promise<string[]> {
    const out = await scanClient.send(new ScanCommand({ TableName: `${PREFIX}${TABLES.dedupe.name}` }));
    return (out.Items ?? []).map((item) => item.key?.S ?? '');
  }

  function nowSec(): number {
    return Math.floor(Date.now() / 1000);
  }

  function useEnv(extra: Record<string, string | undefined> = {}): void {
    useHttpHandlerEnv(world, { SLACK_SIGNING_SECRET: SECRET, LOG_LEVEL: 'info', ...extra });
  }

  beforeAll(async () => {
    world = await startHttpHandlerWorld(PREFIX);
    ({ slack, lambdaApi } = world);
    scanClient = new DynamoDBClient({
      region: 'us-east-1',
      endpoint: world.dynamo.endpoint,
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    });
  });

  afterAll(async () => {
    scanClient.destroy();
    await world.close();
  });

  beforeEach(() => {
    logLines = [];
    // The app logs JSON lines to stdout; keep them for assertions and out of the test output.
    vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      logLines.push(String(chunk));
      return true;
    });
    slack.reset();
    useEnv();
  });

  return {
    get world(): HttpHandlerWorld {
      return world;
    },
    get slack(): SlackRecorder {
      return slack;
    },
    get lambdaApi(): LambdaInvokeStandIn {
      return lambdaApi;
    },
    get logLines(): string[] {
      return logLines;
    },
    call,
    storeItemCount,
    dedupeKeys,
    nowSec,
    useEnv,
  };
}
