import { type LocalDynamo, startLocalDynamo } from '../../dev/local-dynamo';
import { resetForTests } from '../../handlers/http';
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
