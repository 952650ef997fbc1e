import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { APIGatewayProxyEventV2, APIGatewayProxyResultV2, Context } from 'aws-lambda';
import type { Campaign } from '../app/domain/model';
import { DEMO_USERS } from '../dev/demo-users';
import { startLocalDynamo } from '../dev/local-dynamo';
import { startSlackStandIn } from '../dev/slack-standin';
import { buildRuntime, type Runtime } from '../handlers/runtime';
import { STORE_SEND_CHANNEL } from '../handlers/store-send-timing';
import { type BundleReport, buildBundle, kb } from '../scripts/build';
import {
  appMention,
  blockActionsForm,
  eventCallbackJson,
  JSON_TYPE,
  lambdaContext,
  signedSlackEvent,
  slashCommandForm,
} from '../test/helpers/lambda-events';
import { lambdaDispatchEnv, startLambdaInvokeStandIn } from '../test/helpers/lambda-invoke-standin';
import { type AgentBenchResult, runAgentBench } from './agent';
import { type DigestBenchResult, digestBenchTable, runDigestBench } from './digest';
import { coveredMs, type RoundTrip, type Tracker, trackRoundTrips, trackStoreSends } from './instrument';
import { seedBenchData } from './seed-fallback';

/**
 * `npm run bench` — issue 2's benchmark, in one run, for handlers/http.ts's bundle and for a
 * reference minimal Bolt app (bench/reference-app.ts) bundled with the same settings:
 *   - ack latency p50/p95/p99 of in-process handler calls (≥ 2,000 each after warm-up, the two apps
 *     interleaved call by call) for `/mcc help`, `/mcc status <name>`, an `app_mention` event and a
 *     block action, against a dynalite and the Slack stand-in started here;
 *   - DynamoDB round trips before the ack and the time in them, two ways: the full `send()` of each
 *     call as the runtime reports it (handlers/store-send-timing.ts: SDK marshalling, signing,
 *     middleware, the round trip, parsing — what the feature pays per store trip) and the socket
 *     part alone (Node's HTTP diagnostics channel); the target ratio is computed net of the full
 *     `send()` time;
 *   - `/mcc ask` too, and issue 3's agent bench (bench/agent.ts): mention and `/mcc ask` acks
 *     through the real HTTP app, and a job's dispatch → first Slack update with a mocked agent;
 *   - cold init of a fresh `node` process per bundle (require + first handler call), median;
 *   - bundle sizes; ratios ours/reference against the targets.
 * Results: a table on stdout and bench/results/latest.json. Not a test: nothing here asserts.
 *
 *   - issue 9's digest bench (bench/digest.ts): build + render of a team's digest with 10,000
 *     campaigns / 100,000 tasks, then 10× the data with the same matching set (`--skip-digest`).
 *
 *   npm run bench -- --iterations 500 --cold-runs 5     a quicker run
 */

const ROOT = resolve(__dirname, '..');
const RESULTS = join(ROOT, 'bench', 'results');
const SECRET = 'bench-signing-secret-0123456789';
/** A user the Slack stand-in knows (users.info answers, so the profile cache works as in production). */
const USER = DEMO_USERS[0]?.id ?? 'U0MAYA';
const PREFIX = 'bench-';
/** Slack sends the bare type (Bolt compares it exactly; ours also accepts `; charset=utf-8`). */
const FORM = 'application/x-www-form-urlencoded';

type Handler = (event: APIGatewayProxyEventV2, context: Context) => Promise<APIGatewayProxyResultV2>;
type Kind = 'help' | 'status' | 'app_mention' | 'block_action' | 'ask';
const KINDS: Kind[] = ['help', 'status', 'app_mention', 'block_action', 'ask'];
const TARGETS = { coldInitRatio: 1.3, bundleRatio: 1.5, netLatencyRatio: 1.5, agentFirstUpdateMs: 100 };

function option(name: string, fallback: number): number {
  const index = process.argv.indexOf(`--${name}`);
  const value = index >= 0 ? Number(process.argv[index + 1]) : Number.NaN;
  return Number.isFinite(value) && value > 0 ? value : fallback;
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank] ?? Number.NaN;
}

function median(values: number[]): number {
  return percentile(
    [...values].sort((a, b) => a - b),
    50,
  );
}

interface Sample {
  totalMs: number;
  storeTrips: number;
  /** Socket time of the store round trips (request start → response end), overlaps counted once. */
  storeMs: number;
  /** Full `send()` time of the store calls (what the feature pays per trip), overlaps counted once. */
  storeSendMs: number;
  slackTrips: number;
  slackMs: number;
  lambdaTrips: number;
  /** Wall time in any outbound round trip (store, Slack, Invoke), overlaps counted once. */
  allIoMs: number;
  /** Wall time in the store calls' full `send()` plus the Slack and Invoke round trips, overlaps counted once. */
  neededIoMs: number;
  status: number;
}

interface KindStats {
  samples: number;
  statuses: Record<string, number>;
  totalMs: { p50: number; p95: number; p99: number };
  /** Latency net of the store calls' full `send()` time: what the target ratio uses. */
  netMs: { p50: number; p95: number; p99: number };
  /** Latency net of the store round trips' socket time only (the SDK's client-side work stays in). */
  netOfSocketMs: { p50: number; p95: number; p99: number };
  storeSendMs: { p50: number; p95: number };
  storeRoundTrips: { median: number; max: number };
  storeMs: { p50: number; p95: number };
  slackRoundTrips: { median: number; max: number };
  slackMs: { p50: number };
  lambdaInvokes: { median: number; max: number };
  /** Latency net of every outbound round trip: the app's own CPU time and waiting. */
  netOfAllIoMs: { p50: number; p95: number };
  /**
   * Latency net of every call the feature makes before its ack: the store calls' full `send()`, the
   * Slack calls (a mention's placeholder post) and the worker Invoke, as round trips.
   */
  netOfNeededMs: { p50: number; p95: number };
}

function summarize(samples: Sample[]): KindStats {
  const sorted = (f: (s: Sample) => number) => samples.map(f).sort((a, b) => a - b);
  const total = sorted((s) => s.totalMs);
  const net = sorted((s) => s.totalMs - s.storeSendMs);
  const netOfSocket = sorted((s) => s.totalMs - s.storeMs);
  const storeSend = sorted((s) => s.storeSendMs);
  const trips = sorted((s) => s.storeTrips);
  const store = sorted((s) => s.storeMs);
  const slackTrips = sorted((s) => s.slackTrips);
  const cpu = sorted((s) => s.totalMs - s.allIoMs);
  const needed = sorted((s) => s.totalMs - s.neededIoMs);
  const statuses: Record<string, number> = {};
  for (const s of samples) statuses[s.status] = (statuses[s.status] ?? 0) + 1;
  return {
    samples: samples.length,
    statuses,
    totalMs: { p50: percentile(total, 50), p95: percentile(total, 95), p99: percentile(total, 99) },
    netMs: { p50: percentile(net, 50), p95: percentile(net, 95), p99: percentile(net, 99) },
    netOfSocketMs: {
      p50: percentile(netOfSocket, 50),
      p95: percentile(netOfSocket, 95),
      p99: percentile(netOfSocket, 99),
    },
    storeSendMs: { p50: percentile(storeSend, 50), p95: percentile(storeSend, 95) },
    storeRoundTrips: { median: percentile(trips, 50), max: trips[trips.length - 1] ?? 0 },
    storeMs: { p50: percentile(store, 50), p95: percentile(store, 95) },
    slackRoundTrips: { median: percentile(slackTrips, 50), max: slackTrips[slackTrips.length - 1] ?? 0 },
    slackMs: {
      p50: percentile(
        sorted((s) => s.slackMs),
        50,
      ),
    },
    lambdaInvokes: {
      median: percentile(
        sorted((s) => s.lambdaTrips),
        50,
      ),
      max: Math.max(0, ...samples.map((s) => s.lambdaTrips)),
    },
    netOfAllIoMs: { p50: percentile(cpu, 50), p95: percentile(cpu, 95) },
    netOfNeededMs: { p50: percentile(needed, 50), p95: percentile(needed, 95) },
  };
}

interface ColdInit {
  requireMs: number;
  firstCallMs: number;
  totalMs: number;
  processMs: number;
}

/** Spawns `node` per run, alternating bundles so machine noise hits all of them alike. */
function measureColdInit(bundles: Record<string, string>, runs: number): Record<string, ColdInit> {
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    // As on Lambda: cloud DynamoDB (no call is made), ids known (no auth.test), info logs, and the
    // stack's wiring (worker, scheduled function), so the runtime builds the cloud dispatcher and
    // scheduler as deployed. No APP_SECRET_ID: reading it would be a network call.
    AWS_REGION: 'us-east-1',
    AWS_LAMBDA_FUNCTION_NAME: 'mcc-http',
    WORKER_FUNCTION_NAME: 'mcc-worker',
    SCHEDULED_FUNCTION_ARN: 'arn:aws:lambda:us-east-1:123456789012:function:mcc-scheduled',
    SCHEDULER_ROLE_ARN: 'arn:aws:iam::123456789012:role/mcc-scheduler',
    SLACK_SIGNING_SECRET: SECRET,
    SLACK_BOT_TOKEN: 'xoxb-000-000-coldinit',
    SLACK_BOT_ID: 'B0COLD',
    SLACK_BOT_USER_ID: 'U0COLD',
    TABLE_PREFIX: PREFIX,
    LOG_LEVEL: 'info',
  };
  const raw: Record<string, ColdInit[]> = {};
  for (let i = 0; i < runs; i += 1) {
    for (const [name, file] of Object.entries(bundles)) {
      const started = performance.now();
      const child = spawnSync(process.execPath, ['--no-warnings', join(__dirname, 'cold-init.cjs'), file], {
        env,
        encoding: 'utf8',
      });
      const processMs = performance.now() - started;
      if (child.status !== 0) throw new Error(`cold init of ${name} failed: ${child.stderr}`);
      const lastLine = child.stdout.trim().split('\n').pop() ?? '';
      const parsed = JSON.parse(lastLine) as ColdInit & { status: number };
      if (parsed.status !== 200)
        throw new Error(`cold init of ${name}: first call answered ${parsed.status}`);
      raw[name] ??= [];
      raw[name].push({ ...parsed, processMs });
    }
  }
  const out: Record<string, ColdInit> = {};
  for (const [name, list] of Object.entries(raw)) {
    out[name] = {
      requireMs: median(list.map((r) => r.requireMs)),
      firstCallMs: median(list.map((r) => r.firstCallMs)),
      totalMs: median(list.map((r) => r.totalMs)),
      processMs: median(list.map((r) => r.processMs)),
    };
  }
  return out;
}

function fmt(ms: number): string {
  return Number.isFinite(ms) ? ms.toFixed(2) : 'n/a';
}

function table(rows: string[][]): string {
  const widths = rows[0]?.map((_, i) => Math.max(...rows.map((row) => (row[i] ?? '').length))) ?? [];
  return rows
    .map((row) =>
      row
        .map((cell, i) => cell.padEnd(widths[i] ?? 0))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

async function main(): Promise<void> {
  const iterations = option('iterations', 2000);
  const warmup = option('warmup', 200);
  const coldRuns = option('cold-runs', 15);
  mkdirSync(RESULTS, { recursive: true });
  const log = (line: string) => process.stderr.write(`${line}\n`);

  // 1. Bundles. The production settings (scripts/build.ts, with the Lambda stubs for Bolt's unused
  // receivers) for ours and the reference; the same pair without the stubs, since the stubs
  // shrink the reference far more in proportion; ours with the AWS SDK left to the runtime; and
  // ours with the SDK's full default credential chain (what the Lambda credential sources save).
  log('building bundles…');
  const build = join(RESULTS, 'build');
  const variants: Record<
    string,
    { entry: string; stubs?: boolean; externalAwsSdk?: boolean; credentials?: 'lambda' | 'default' }
  > = {
    ours: { entry: 'handlers/http.ts' },
    reference: { entry: 'bench/reference-app.ts' },
    oursNoStubs: { entry: 'handlers/http.ts', stubs: false },
    referenceNoStubs: { entry: 'bench/reference-app.ts', stubs: false },
    oursExternalSdk: { entry: 'handlers/http.ts', externalAwsSdk: true },
    oursDefaultCredentials: { entry: 'handlers/http.ts', credentials: 'default' },
  };
  const bundles: Record<string, BundleReport> = {};
  for (const [name, variant] of Object.entries(variants)) {
    bundles[name] = await buildBundle(name, { ...variant, outdir: join(build, name) });
  }
  const bundleFile = (name: string) => join(ROOT, bundles[name]?.outfile ?? '');

  // 2. Cold init.
  log(`cold init: ${coldRuns} fresh processes per bundle…`);
  const cold = measureColdInit(
    Object.fromEntries(Object.keys(variants).map((name) => [name, bundleFile(name)])),
    coldRuns,
  );

  // 3. Issue 3's agent bench (its own harness: in-process jobs, a mocked Bedrock agent), before
  // this process's environment is pointed at the engines below.
  const agentIterations = option('agent-iterations', 200);
  log(`agent bench: ${agentIterations} mentions and /mcc ask, dispatch → first update…`);
  const agent: AgentBenchResult = await runAgentBench({ iterations: agentIterations });

  // 4. Engines: dynalite and the Slack stand-in, both on loopback; demo data.
  const dynamo = await startLocalDynamo({ prefix: PREFIX });
  const standin = await startSlackStandIn();
  const lambdaApi = await startLambdaInvokeStandIn();
  Object.assign(process.env, {
    // Jobs are dispatched as on Lambda (an async Invoke of the worker, answered 202 on loopback),
    // not run in this process, where they would compete with the requests being measured.
    ...lambdaDispatchEnv(lambdaApi),
    DYNAMODB_ENDPOINT: dynamo.endpoint,
    TABLE_PREFIX: PREFIX,
    SLACK_SIGNING_SECRET: SECRET,
    SLACK_API_URL: standin.apiUrl,
    LOG_LEVEL: 'info',
  });
  for (const key of ['SLACK_BOT_TOKEN', 'SLACK_BOT_ID', 'SLACK_BOT_USER_ID', 'APP_SECRET_ID'])
    delete process.env[key];
  const runtime = buildRuntime({ env: process.env, sink: () => undefined });
  const seeded = await seedBenchData(runtime);
  const target = pickStatusTarget(seeded.campaigns);
  log(`seeded with ${seeded.source}: ${seeded.campaigns.length} campaigns; /mcc status "${target.name}"`);

  // 5. Both bundles in this process (each has its own copy of Bolt & co.).
  const apps: Record<'ours' | 'reference', Handler> = {
    ours: (require(bundleFile('ours')) as { handler: Handler }).handler,
    reference: (require(bundleFile('reference')) as { handler: Handler }).handler,
  };

  const eventFor = (kind: Kind): APIGatewayProxyEventV2 => {
    switch (kind) {
      case 'help':
        return signedSlackEvent(
          slashCommandForm('help', { user_id: USER, response_url: standin.responseUrl() }),
          {
            secret: SECRET,
            contentType: FORM,
          },
        );
      case 'status':
        return signedSlackEvent(
          slashCommandForm(`status ${target.name}`, { user_id: USER, response_url: standin.responseUrl() }),
          { secret: SECRET, contentType: FORM },
        );
      case 'app_mention':
        return signedSlackEvent(
          eventCallbackJson(appMention('<@U0LOCALBOT> what launches this week?', USER)),
          {
            secret: SECRET,
            contentType: JSON_TYPE,
          },
        );
      case 'ask':
        return signedSlackEvent(
          slashCommandForm('ask what launches this week?', {
            user_id: USER,
            response_url: standin.responseUrl(),
          }),
          { secret: SECRET, contentType: FORM },
        );
      case 'block_action':
        return signedSlackEvent(
          blockActionsForm('open_campaign_link', target.campaignId, {
            user: { id: USER, username: 'local', name: 'local', team_id: 'T0LOCAL' },
            response_url: standin.responseUrl(),
          }),
          { secret: SECRET, contentType: FORM },
        );
    }
  };

  // 6. Latency, with the apps' log lines kept off the terminal (both apps pay for writing them).
  const tracker = trackRoundTrips({ store: dynamo.endpoint, slack: standin.baseUrl, lambda: lambdaApi.url });
  const sends = trackStoreSends(STORE_SEND_CHANNEL);
  const sdkOverheadMs = await measureSdkOverhead(runtime, tracker);
  log(
    `AWS SDK client-side cost per DynamoDB call (send() minus its HTTP round trip), p50: ${fmt(sdkOverheadMs)} ms`,
  );
  const realWrite = process.stdout.write.bind(process.stdout);
  let logBytes = 0;
  const muted = ((chunk: string | Uint8Array) => {
    logBytes += chunk.length;
    return true;
  }) as typeof process.stdout.write;
  const results = { ours: {} as Record<Kind, KindStats>, reference: {} as Record<Kind, KindStats> };
  const firstBodies: Record<string, string> = {};
  for (const kind of KINDS) {
    log(`latency: ${kind} — ${warmup} warm-up + ${iterations} measured calls per app…`);
    const samples: Record<'ours' | 'reference', Sample[]> = { ours: [], reference: [] };
    for (let i = 0; i < warmup + iterations; i += 1) {
      for (const name of ['ours', 'reference'] as const) {
        const event = eventFor(kind);
        const context = lambdaContext();
        tracker.take();
        sends.take();
        process.stdout.write = muted;
        const started = performance.now();
        const result = await apps[name](event, context);
        const totalMs = performance.now() - started;
        process.stdout.write = realWrite;
        const trips = tracker.take();
        const storeSends = sends.take();
        const status = typeof result === 'string' ? 0 : (result.statusCode ?? 0);
        if (i === 0 && typeof result !== 'string')
          firstBodies[`${name}:${kind}`] = (result.body ?? '').slice(0, 160);
        if (i < warmup) continue;
        const of = (t: string): RoundTrip[] => trips.filter((trip) => trip.target === t);
        samples[name].push({
          totalMs,
          status,
          storeTrips: of('store').length,
          storeMs: coveredMs(of('store')),
          storeSendMs: coveredMs(storeSends),
          slackTrips: of('slack').length,
          slackMs: coveredMs(of('slack')),
          lambdaTrips: of('lambda').length,
          allIoMs: coveredMs(trips),
          neededIoMs: coveredMs([...storeSends, ...of('slack'), ...of('lambda')]),
        });
      }
    }
    results.ours[kind] = summarize(samples.ours);
    results.reference[kind] = summarize(samples.reference);
  }
  tracker.close();
  sends.close();
  await standin.close();
  await lambdaApi.close();
  await dynamo.close();

  // 7. Report.
  const ratio = (a: number, b: number) => a / b;
  const latencyRows = [
    [
      'kind',
      'app',
      'status',
      'p50 ms',
      'p95 ms',
      'p99 ms',
      'store trips',
      'store send p50 ms',
      'store socket p50 ms',
      'net p50',
      'net p95',
      'net p99',
      'net of socket p50',
      'slack trips',
      'invokes',
      'net of all I/O p50',
      'net of all calls p50',
    ],
  ];
  for (const kind of KINDS) {
    for (const name of ['ours', 'reference'] as const) {
      const s = results[name][kind];
      latencyRows.push([
        kind,
        name,
        Object.entries(s.statuses)
          .map(([code, n]) => `${code}×${n}`)
          .join(' '),
        fmt(s.totalMs.p50),
        fmt(s.totalMs.p95),
        fmt(s.totalMs.p99),
        s.storeRoundTrips.median === s.storeRoundTrips.max
          ? String(s.storeRoundTrips.median)
          : `${s.storeRoundTrips.median} (max ${s.storeRoundTrips.max})`,
        fmt(s.storeSendMs.p50),
        fmt(s.storeMs.p50),
        fmt(s.netMs.p50),
        fmt(s.netMs.p95),
        fmt(s.netMs.p99),
        fmt(s.netOfSocketMs.p50),
        s.slackRoundTrips.median === s.slackRoundTrips.max
          ? String(s.slackRoundTrips.median)
          : `${s.slackRoundTrips.median} (max ${s.slackRoundTrips.max})`,
        String(s.lambdaInvokes.median),
        fmt(s.netOfAllIoMs.p50),
        fmt(s.netOfNeededMs.p50),
      ]);
    }
  }
  const ratios = {
    coldInit: ratio(cold.ours?.totalMs ?? Number.NaN, cold.reference?.totalMs ?? Number.NaN),
    bundle: ratio(bundles.ours?.bytes ?? Number.NaN, bundles.reference?.bytes ?? Number.NaN),
    coldInitNoStubs: ratio(
      cold.oursNoStubs?.totalMs ?? Number.NaN,
      cold.referenceNoStubs?.totalMs ?? Number.NaN,
    ),
    bundleNoStubs: ratio(
      bundles.oursNoStubs?.bytes ?? Number.NaN,
      bundles.referenceNoStubs?.bytes ?? Number.NaN,
    ),
    coldInitOursVsPlainBolt: ratio(
      cold.ours?.totalMs ?? Number.NaN,
      cold.referenceNoStubs?.totalMs ?? Number.NaN,
    ),
    netLatencyP50: Object.fromEntries(
      KINDS.map((kind) => [kind, ratio(results.ours[kind].netMs.p50, results.reference[kind].netMs.p50)]),
    ) as Record<Kind, number>,
    netOfAllIoLatencyP50: Object.fromEntries(
      KINDS.map((kind) => [
        kind,
        ratio(results.ours[kind].netOfAllIoMs.p50, results.reference[kind].netOfAllIoMs.p50),
      ]),
    ) as Record<Kind, number>,
    netOfSocketLatencyP50: Object.fromEntries(
      KINDS.map((kind) => [
        kind,
        ratio(results.ours[kind].netOfSocketMs.p50, results.reference[kind].netOfSocketMs.p50),
      ]),
    ) as Record<Kind, number>,
    netOfNeededLatencyP50: Object.fromEntries(
      KINDS.map((kind) => [
        kind,
        ratio(results.ours[kind].netOfNeededMs.p50, results.reference[kind].netOfNeededMs.p50),
      ]),
    ) as Record<Kind, number>,
    netLatencyP95: Object.fromEntries(
      KINDS.map((kind) => [kind, ratio(results.ours[kind].netMs.p95, results.reference[kind].netMs.p95)]),
    ) as Record<Kind, number>,
  };
  const verdict = (value: number, limit: number) =>
    `${value.toFixed(2)} ${value <= limit ? 'OK' : 'MISSED'} (≤ ${limit})`;

  const coldRows = [
    ['bundle', 'require ms', 'first call ms', 'require+first ms', 'process ms', 'index.js', 'gzip'],
  ];
  for (const name of Object.keys(variants)) {
    const c = cold[name];
    const b = bundles[name];
    coldRows.push([
      name,
      fmt(c?.requireMs ?? Number.NaN),
      fmt(c?.firstCallMs ?? Number.NaN),
      fmt(c?.totalMs ?? Number.NaN),
      fmt(c?.processMs ?? Number.NaN),
      kb(b?.bytes ?? 0),
      kb(b?.gzipBytes ?? 0),
    ]);
  }

  const out: string[] = [];
  out.push(
    `node ${process.version}, ${iterations} measured calls per kind and app after ${warmup} warm-up; cold init median of ${coldRuns}`,
  );
  out.push(
    `demo data: ${seeded.source}, ${seeded.campaigns.length} campaigns; status target "${target.name}"`,
  );
  out.push('');
  out.push(table(latencyRows));
  out.push('');
  out.push(table(coldRows));
  out.push('');
  out.push(
    `largest parts of ours: ${bundles.ours?.topPackages.map((p) => `${p.name} ${kb(p.bytes)}`).join(', ')}`,
  );
  out.push(
    `largest parts of reference: ${bundles.reference?.topPackages.map((p) => `${p.name} ${kb(p.bytes)}`).join(', ')}`,
  );
  out.push('');
  out.push(`cold init ratio (require + first call): ${verdict(ratios.coldInit, TARGETS.coldInitRatio)}`);
  out.push(`bundle ratio: ${verdict(ratios.bundle, TARGETS.bundleRatio)}`);
  out.push(
    `without the Lambda stubs on either side: cold init ${verdict(ratios.coldInitNoStubs, TARGETS.coldInitRatio)}, bundle ${verdict(ratios.bundleNoStubs, TARGETS.bundleRatio)}`,
  );
  out.push(
    `ours (production build) vs. the reference bundled plainly: cold init ${ratios.coldInitOursVsPlainBolt.toFixed(2)}, bundle ${(
      (bundles.ours?.bytes ?? Number.NaN) / (bundles.referenceNoStubs?.bytes ?? Number.NaN)
    ).toFixed(2)}`,
  );
  for (const kind of KINDS) {
    out.push(
      `net ack latency ratio ${kind} (net of the store calls' full send()): p50 ${verdict(ratios.netLatencyP50[kind], TARGETS.netLatencyRatio)}, p95 ${ratios.netLatencyP95[kind].toFixed(2)}; p50 net of the store sends + Slack + Invoke ${ratios.netOfNeededLatencyP50[kind].toFixed(2)}, net of socket time only ${ratios.netOfSocketLatencyP50[kind].toFixed(2)}, net of all I/O ${ratios.netOfAllIoLatencyP50[kind].toFixed(2)}; store round trips ${results.ours[kind].storeRoundTrips.median}`,
    );
  }
  const agentRow = (name: string, p: { p50: number; p95: number; p99: number }) =>
    `${name}: p50 ${fmt(p.p50)}  p95 ${fmt(p.p95)}  p99 ${fmt(p.p99)} ms`;
  out.push('');
  out.push(
    `agent (issue 3; bench/agent.ts, ${agent.iterations} iterations, HTTP app on loopback, in-process jobs):`,
  );
  out.push(agentRow('  ack: app_mention (placeholder post + persisted job)', agent.mentionAckMs));
  out.push(agentRow('  ack: /mcc ask (stored response_url + persisted job)', agent.askAckMs));
  out.push(agentRow('  dispatch → first Slack update (mocked agent)', agent.dispatchToFirstUpdateMs));
  out.push(
    `  dispatch → first update p50 ${verdict(agent.dispatchToFirstUpdateMs.p50, TARGETS.agentFirstUpdateMs)} ms`,
  );
  // Issue 9's digest bench (bench/digest.ts): its own dynalite process and data, ~6 minutes at full size.
  let digest: DigestBenchResult | undefined;
  if (!process.argv.includes('--skip-digest')) {
    log('digest bench: seeding 10,000 campaigns / 100,000 tasks, then 10× (takes a few minutes)…');
    digest = await runDigestBench({
      campaigns: option('digest-campaigns', 10_000),
      scale: option('digest-scale', 10),
      runs: option('digest-runs', 15),
      log,
    });
    out.push('', digestBenchTable(digest));
  }
  console.log(out.join('\n'));

  const latest = {
    at: new Date().toISOString(),
    node: process.version,
    iterations,
    warmup,
    coldRuns,
    demoData: { source: seeded.source, campaigns: seeded.campaigns.length, statusTarget: target.name },
    bundles,
    coldInit: cold,
    latency: results,
    ratios,
    targets: TARGETS,
    firstResponses: firstBodies,
    appLogBytes: logBytes,
    sdkOverheadMsPerCall: sdkOverheadMs,
    agent,
    digest,
  };
  writeFileSync(join(RESULTS, 'latest.json'), `${JSON.stringify(latest, null, 2)}\n`);
  log(`wrote ${join('bench', 'results', 'latest.json')}`);
}

/**
 * What a DynamoDB call costs the caller beyond its HTTP round trip (marshalling, SigV4 signing,
 * the middleware stack, parsing): `send()` time minus the round trip, for conditional PutItems
 * like the dedupe claim, through a client of the same SDK version. The latency tables subtract
 * round trips only; this says how much of the remaining "net" time is the SDK per call.
 */
async function measureSdkOverhead(runtime: Runtime, tracker: Tracker): Promise<number> {
  const overheads: number[] = [];
  for (let i = 0; i < 300; i += 1) {
    tracker.take();
    const started = performance.now();
    await runtime.repositories.dedupe.claim(`bench-sdk-overhead-${i}-${Date.now()}`, 60);
    const elapsed = performance.now() - started;
    const trips = tracker.take().filter((trip) => trip.target === 'store');
    if (i >= 50 && trips.length === 1) overheads.push(elapsed - coveredMs(trips));
  }
  return median(overheads);
}

/** A campaign whose full name is unique, so `/mcc status <name>` renders its card. */
function pickStatusTarget(campaigns: Campaign[]): Campaign {
  const counts = new Map<string, number>();
  for (const c of campaigns) counts.set(c.name.toLowerCase(), (counts.get(c.name.toLowerCase()) ?? 0) + 1);
  const unique = campaigns.filter(
    (c) => counts.get(c.name.toLowerCase()) === 1 && c.status === 'IN_PROGRESS',
  );
  const chosen = unique[0] ?? campaigns[0];
  if (!chosen) throw new Error('no campaigns to bench /mcc status against');
  return chosen;
}

if (!existsSync(join(ROOT, 'handlers', 'http.ts'))) throw new Error('handlers/http.ts is missing');
main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
