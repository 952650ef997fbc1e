import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { APIGatewayProxyEventV2, APIGatewayProxyResultV2, Context } from 'aws-lambda';
import type { Campaign } from '../app/domain/model';
import { DEMO_USERS } from '../dev/demo-users';
import { startLocalDynamo } from '../dev/local-dynamo';
import { startSlackStandIn } from '../dev/slack-standin';
import { buildRuntime, type Runtime } from '../handlers/runtime';
import { STORE_SEND_CHANNEL } from '../handlers/store-send-timing';
import { type BundleReport, buildBundle } from '../scripts/build';
import { lambdaContext } from '../test/helpers/lambda-events';
import { lambdaDispatchEnv, startLambdaInvokeStandIn } from '../test/helpers/lambda-invoke-standin';
import { type AgentBenchResult, runAgentBench } from './agent';
import { type DigestBenchResult, digestBenchTable, runDigestBench } from './digest';
import { benchEvent } from './events';
import { coveredMs, type RoundTrip, type Tracker, trackRoundTrips, trackStoreSends } from './instrument';
import { type LocalHttpResult, localHttpReport, runLocalHttpBench } from './local-http';
import { measureColdInit } from './measure-cold-init';
import { benchReport, TARGETS } from './report';
import { seedBenchData } from './seed-fallback';
import { fmt, KINDS, type Kind, type KindStats, median, option, type Sample, summarize } from './stats';
import { runWebhookBench, type WebhookBenchResult, webhookReport } from './webhooks';

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
 * The parts: events.ts (signed requests), stats.ts, measure-cold-init.ts, report.ts.
 *
 *   npm run bench -- --iterations 500 --cold-runs 5     a quicker run
 */

const ROOT = resolve(__dirname, '..');
const RESULTS = join(ROOT, 'bench', 'results');
const SECRET = 'bench-signing-secret-0123456789';
/** A user the Slack stand-in knows (users.info answers, so the profile cache works as in production). */
const USER = DEMO_USERS[0]?.id ?? 'U0MAYA';
const PREFIX = 'bench-';

type Handler = (event: APIGatewayProxyEventV2, context: Context) => Promise<APIGatewayProxyResultV2>;

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
    { secret: SECRET, tablePrefix: PREFIX },
  );

  // 3. Issue 3's agent bench (its own harness: in-process jobs, a mocked Bedrock agent), before
  // this process's environment is pointed at the engines below.
  const agentIterations = option('agent-iterations', 200);
  log(`agent bench: ${agentIterations} mentions and /mcc ask, dispatch → first update…`);
  const agent: AgentBenchResult = await runAgentBench({ iterations: agentIterations });
  // Issue 8's webhook intake (its own harness: jobs dispatched to a loopback Invoke API).
  const webhookIterations = option('webhook-iterations', 1000);
  log(`webhook bench: ${webhookIterations} Workfront and Asana deliveries, a 1,000-event Asana batch…`);
  const webhooks: WebhookBenchResult = await runWebhookBench({ iterations: webhookIterations });

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
        const event = benchEvent(kind, {
          secret: SECRET,
          user: USER,
          statusTarget: target,
          responseUrl: () => standin.responseUrl(),
        });
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
  const { text, ratios } = benchReport({
    iterations,
    warmup,
    coldRuns,
    seeded,
    target,
    variantNames: Object.keys(variants),
    bundles,
    cold,
    results,
    agent,
  });
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
  }
  // Issue 7's `npm start` over HTTP: /mcc help against the reference served the same way.
  log('npm start over HTTP: signed /mcc help against the reference Bolt app…');
  const localHttp: LocalHttpResult = await runLocalHttpBench({
    iterations: option('local-iterations', 1000),
  });
  const webhookText = webhookReport(webhooks).join('\n');
  console.log(
    [
      text,
      localHttpReport(localHttp).join('\n'),
      webhookText,
      ...(digest ? [digestBenchTable(digest)] : []),
    ].join('\n\n'),
  );

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
    webhooks,
    localHttp,
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
