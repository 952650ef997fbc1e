import { mkdirSync } from 'node:fs';
import { hostname } from 'node:os';
import { SocketModeReceiver } from '@slack/bolt';
import { ulid } from 'ulid';
import { dynamoProbe } from '../app/adapters/dynamo/probe';
import { InProcessJobDispatcher } from '../app/adapters/job-dispatch';
import { resvgRasterizer } from '../app/adapters/png-rasterizer';
import { createApp } from '../app/create-app';
import { createJobHandlers } from '../app/jobs/registry';
import { createRoutes } from '../app/routes';
import { startInProcessSweep } from '../app/services/jobs-wiring';
import { withTimeout } from '../app/timeout';
import { startAsanaStandIn } from '../dev/asana-standin';
import {
  LOCAL_SIGNING_SECRET,
  LOCAL_WORKFRONT_WEBHOOK_TOKEN,
  localStandInPort,
} from '../dev/local-constants';
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
    env.WORKFRONT_WEBHOOK_TOKEN ??= LOCAL_WORKFRONT_WEBHOOK_TOKEN;
    closers.push(workfront.close);
  }
  if (!env.ASANA_ACCESS_TOKEN) {
    const asana = await startAsanaStandIn();
    env.ASANA_BASE_URL = asana.baseUrl;
    env.ASANA_ACCESS_TOKEN = asana.accessToken;
    env.ASANA_WORKSPACE_GID = asana.workspaceGid;
    closers.push(asana.close);
  }
  // Where the work systems send webhooks (Asana registrations name it); locally this process.
  env.PUBLIC_BASE_URL ??= `http://localhost:${env.PORT ?? 3000}`;
  env.APPROVALS_CHANNEL ??= realSlack ? undefined : 'C0APPROVAL';
  env.APPROVERS_LEADERSHIP ??= realSlack ? undefined : 'S0LEADERS';
  env.APPROVERS_VP ??= realSlack ? undefined : 'S0VPS';

  const runtime = buildRuntime({
    env,
    // The slot is the port on this host: only one live process can have bound it, so once this one
    // has, jobs held by another incarnation of the slot belong to a process that died.
    jobInstance: { slot: `local:${hostname()}:${env.PORT ?? '3000'}`, incarnation: ulid() },
    // `npm start` runs digests in-process and draws their timeline picture too.
    jobHandlers: (built) => createJobHandlers(built, { rasterizer: resvgRasterizer }),
    ...(socketMode ? { modes: { transport: 'socket-mode' as const } } : {}),
  });
  const { logger, services, clock, config } = runtime;
  // Demo data and its approval requests only without a real workspace: its people, groups and
  // channels do not exist there.
  if (!realSlack) {
    const seeded = await seedDemoData(runtime.repositories, { clock });
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

  let stopTransport: () => Promise<void>;
  if (socketMode) {
    const receiver = new SocketModeReceiver({
      appToken: config.slack.appToken ?? '',
      logger,
      customRoutes: createRoutes({ ...runtime, probeStore: dynamoProbe(runtime.db, runtime.tables.dedupe) }),
      installerOptions: { port: config.port },
    });
    const app = createApp({ ...runtime, receiver });
    await app.start();
    stopTransport = () => app.stop().then(() => undefined);
  } else {
    const { receiver } = buildHttpApp(runtime);
    await receiver.start(config.port);
    stopTransport = () => receiver.stop();
  }
  // The port is ours now: take back at once the jobs a killed predecessor held (their leases would
  // otherwise hold for 90 s, then wait for a sweep), before the sweep starts.
  const { recovered } = await services.jobs.recoverAbandoned();
  if (recovered > 0) logger.info({ recovered }, 'jobs of the previous run taken back');
  const stopSweep = startInProcessSweep(services.scheduler, services.recurringScheduler, logger);
  const dispatcher = services.jobs.dispatcher;

  logger.info(
    { port: config.port, pid: process.pid, modes: runtime.modes, slackApiUrl: config.slack.apiUrl },
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

  // Stops on SIGTERM and SIGINT: the port first (no new requests), then the sweep, running jobs
  // (bounded) and the local engines. A second signal while stopping is expected, not a request to
  // hurry: Ctrl-C reaches this process from the terminal and again relayed by npm.
  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'Command Center stopping');
    const graceful = (async () => {
      await stopTransport().catch((error: unknown) => logger.warn(error, 'stopping the transport failed'));
      await stopSweep();
      if (dispatcher instanceof InProcessJobDispatcher) {
        await withTimeout(dispatcher.idle(), JOB_DRAIN_MS, () => undefined);
        dispatcher.close();
      }
      for (const close of closers.reverse()) await close().catch(() => undefined);
      return 'stopped' as const;
    })();
    void withTimeout(graceful, SHUTDOWN_LIMIT_MS, () => 'timed_out' as const).then((outcome) => {
      if (outcome === 'stopped') logger.info({ signal }, 'Command Center stopped');
      else
        logger.warn(
          { signal, limitMs: SHUTDOWN_LIMIT_MS },
          'Command Center stopped before everything closed',
        );
      process.exit(outcome === 'stopped' ? 0 : 1);
    });
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

/** How long running in-process jobs get to finish on shutdown, and the limit on the whole stop. */
const JOB_DRAIN_MS = 5_000;
const SHUTDOWN_LIMIT_MS = 10_000;

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
