import { mkdirSync } from 'node:fs';
import { SocketModeReceiver } from '@slack/bolt';
import { createApp } from '../app/create-app';
import { createRoutes } from '../app/routes';
import { dynamoProbe } from '../app/routes/health';
import { startInProcessSweep } from '../app/services/jobs';
import { startAsanaStandIn } from '../dev/asana-standin';
import { LOCAL_SIGNING_SECRET, localStandInPort } from '../dev/local-constants';
import { startLocalDynamo } from '../dev/local-dynamo';
import { seedDemoData } from '../dev/seed';
import { seedDemoApprovals } from '../dev/seed-approvals';
import { startSlackStandIn } from '../dev/slack-standin';
import { startWorkfrontStandIn } from '../dev/workfront-standin';
import { describeMissing, missingWorkspaceSettings } from '../dev/workspace-settings';
import { buildHttpApp, buildRuntime } from './runtime';

/**
 * `npm start`: the whole bot on this machine with no cloud account and no Slack workspace.
 *
 * - DynamoDB: dynalite on loopback, in memory (or on disk under DATA_DIR), every table created;
 *   demo data when the store is empty. Set DYNAMODB_ENDPOINT to use another engine.
 * - Slack: a Web API stand-in on loopback, unless SLACK_BOT_TOKEN is set; with SLACK_APP_TOKEN
 *   too, the bot connects to that real workspace over Socket Mode.
 * - Workfront / Asana: loopback stand-ins unless WORKFRONT_BASE_URL / ASANA_ACCESS_TOKEN are set.
 * - Agent: offline unless BEDROCK_AGENT_ID / BEDROCK_AGENT_ALIAS_ID are set.
 * - Jobs and schedules: in-process, with the same semantics as the worker and EventBridge.
 */
async function main(): Promise<void> {
  const env: Record<string, string | undefined> = { ...process.env };
  const closers: (() => Promise<void>)[] = [];
  const realSlack = Boolean(env.SLACK_BOT_TOKEN);
  const socketMode = realSlack && Boolean(env.SLACK_APP_TOKEN);
  if (!realSlack) env.SLACK_SIGNING_SECRET ??= LOCAL_SIGNING_SECRET;
  // Socket Mode needs no signing secret; the config still requires one, so give it a placeholder.
  if (socketMode) env.SLACK_SIGNING_SECRET ??= 'unused-in-socket-mode';

  const prefix = env.TABLE_PREFIX ?? 'mcc-';
  if (!env.DYNAMODB_ENDPOINT) {
    if (env.DATA_DIR) mkdirSync(env.DATA_DIR, { recursive: true });
    const dynamo = await startLocalDynamo({ prefix, ...(env.DATA_DIR ? { dataDir: env.DATA_DIR } : {}) });
    env.DYNAMODB_ENDPOINT = dynamo.endpoint;
    closers.push(dynamo.close);
  }
  if (!realSlack && !env.SLACK_API_URL) {
    const standin = await startSlackStandIn({ port: localStandInPort(env) });
    env.SLACK_API_URL = standin.apiUrl;
    closers.push(standin.close);
  }
  if (!env.WORKFRONT_BASE_URL) {
    const workfront = await startWorkfrontStandIn();
    env.WORKFRONT_BASE_URL = workfront.baseUrl;
    env.WORKFRONT_API_KEY = workfront.apiKey;
    closers.push(workfront.close);
  }
  if (!env.ASANA_ACCESS_TOKEN) {
    const asana = await startAsanaStandIn();
    env.ASANA_BASE_URL = asana.baseUrl;
    env.ASANA_ACCESS_TOKEN = asana.accessToken;
    env.ASANA_WORKSPACE_GID = asana.workspaceGid;
    closers.push(asana.close);
  }
  env.APPROVALS_CHANNEL ??= realSlack ? undefined : 'C0APPROVAL';
  env.APPROVERS_LEADERSHIP ??= realSlack ? undefined : 'S0LEADERS';
  env.APPROVERS_VP ??= realSlack ? undefined : 'S0VPS';

  const runtime = buildRuntime({
    env,
    ...(socketMode ? { modes: { transport: 'socket-mode' as const } } : {}),
  });
  const { logger, services, clock, config } = runtime;
  // Demo data and its approval requests only without a real workspace: its people, groups and
  // channels do not exist there.
  if (!realSlack) {
    const seeded = await seedDemoData(services, { clock });
    if (seeded.seeded) logger.info({ ...seeded }, 'demo data seeded');
    // The demo's PENDING_APPROVAL campaigns get real requests (once; skipped when they have one).
    const approvals = await seedDemoApprovals(runtime);
    if (approvals.requested.length > 0) logger.info({ ...approvals }, 'demo approval requests created');
  } else {
    const missing = missingWorkspaceSettings(env);
    if (missing.length > 0) {
      logger.warn({ missing: missing.map((m) => m.name) }, 'real workspace: settings still needed');
      process.stdout.write(`\n  Real workspace (no demo data). Still needed:\n${describeMissing(missing)}\n`);
    }
  }

  if (socketMode) {
    const receiver = new SocketModeReceiver({
      appToken: config.slack.appToken ?? '',
      logger,
      customRoutes: createRoutes({ ...runtime, probeStore: dynamoProbe(runtime.db, runtime.tables.dedupe) }),
      installerOptions: { port: config.port },
    });
    const app = createApp({ ...runtime, receiver });
    await app.start();
  } else {
    const { receiver } = buildHttpApp(runtime);
    await receiver.start(config.port);
  }
  const stopSweep = startInProcessSweep(services.scheduler);

  logger.info(
    { port: config.port, modes: runtime.modes, slackApiUrl: config.slack.apiUrl },
    'Command Center is running',
  );
  process.stdout.write(
    [
      '',
      `  Command Center on http://localhost:${config.port}  (health: /healthz)`,
      `  modes: ${Object.entries(runtime.modes)
        .map(([k, v]) => `${k}=${v}`)
        .join(' ')}`,
      socketMode
        ? '  connected to your workspace over Socket Mode: try /mcc help in Slack'
        : `  try it:  npx tsx scripts/try.ts "/mcc help"   (or "/mcc status spring launch", "@mcc what launches this week?")`,
      '',
    ].join('\n'),
  );

  const shutdown = async () => {
    await stopSweep();
    for (const close of closers.reverse()) await close().catch(() => undefined);
    process.exit(0);
  };
  process.once('SIGINT', () => void shutdown());
  process.once('SIGTERM', () => void shutdown());
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
