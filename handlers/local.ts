import { mkdirSync } from 'node:fs';
import { startLocalDynamo } from '../dev/local-dynamo';
import { buildHttpApp, buildRuntime } from './runtime';

/**
 * `npm start`: the whole bot on this machine with no cloud account and no Slack workspace.
 * Starts the embedded DynamoDB engine, then the HTTP app on PORT.
 */
async function main(): Promise<void> {
  const env: Record<string, string | undefined> = { ...process.env };
  env.SLACK_SIGNING_SECRET ??= 'local-signing-secret';
  const prefix = env.TABLE_PREFIX ?? 'mcc-';
  if (!env.DYNAMODB_ENDPOINT) {
    if (env.DATA_DIR) mkdirSync(env.DATA_DIR, { recursive: true });
    const dynamo = await startLocalDynamo({ prefix, ...(env.DATA_DIR ? { dataDir: env.DATA_DIR } : {}) });
    env.DYNAMODB_ENDPOINT = dynamo.endpoint;
  }
  const runtime = buildRuntime({ env });
  const { receiver } = buildHttpApp(runtime);
  await receiver.start(runtime.config.port);
  runtime.logger.info(
    { port: runtime.config.port, modes: runtime.modes },
    `Command Center listening on http://localhost:${runtime.config.port}`,
  );
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
