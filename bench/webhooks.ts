import { createHmac } from 'node:crypto';
import { AsanaClient } from '../app/adapters/asana';
import { contentKey } from '../app/services/sync/signatures';
import { createSyncWorker } from '../app/services/sync/worker';
import { startAsanaStandIn } from '../dev/asana-standin';
import { startHarness } from '../test/helpers/harness';
import { lambdaDispatchEnv, startLambdaInvokeStandIn } from '../test/helpers/lambda-invoke-standin';
import type { Percentiles } from './agent';

/**
 * Issue 8's part of `npm run bench` (runnable alone: `npx tsx bench/webhooks.ts`): webhook intake
 * through the real HTTP app on loopback (dynalite, jobs dispatched as on Lambda to a loopback Invoke
 * API, so nothing runs behind the measurement):
 * - request → 2xx of `POST /webhooks/workfront` (one event) and `POST /webhooks/asana` (a batch of
 *   3), each including what the intake does before answering: authenticate (constant-time token /
 *   HMAC), parse, the delivery record (one conditional put in the events log) and its job (one
 *   conditional put + the Invoke). Target: p99 ≤ 25 ms locally.
 * - a 1,000-event Asana batch: its request → 2xx (stored in two parts of 500), and then its
 *   processing by the delivery job (grouped per task, each task fetched once under the shared
 *   150/min Asana limit, applied by the engine) as events per second.
 */
export interface WebhookBenchResult {
  iterations: number;
  workfrontAckMs: Percentiles;
  asanaAckMs: Percentiles;
  batch: {
    events: number;
    ackMs: number[];
    eventsPerSecondAtIntake: number;
    processMs: number;
    tasks: number;
    eventsPerSecondProcessed: number;
  };
}

function percentiles(values: number[]): Percentiles {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (p: number) =>
    sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? Number.NaN;
  const round = (n: number) => Math.round(n * 100) / 100;
  return { p50: round(at(50)), p95: round(at(95)), p99: round(at(99)) };
}

const TOKEN = 'bench-workfront-token';

export async function runWebhookBench(options: { iterations?: number } = {}): Promise<WebhookBenchResult> {
  const iterations = options.iterations ?? 1000;
  const lambda = await startLambdaInvokeStandIn();
  const asana = await startAsanaStandIn();
  const saved = { ...process.env };
  // The Lambda client reads its endpoint from the process environment.
  Object.assign(process.env, lambdaDispatchEnv(lambda));
  const h = await startHarness({
    env: {
      ...lambdaDispatchEnv(lambda),
      WORKFRONT_WEBHOOK_TOKEN: TOKEN,
      ASANA_BASE_URL: asana.baseUrl,
      ASANA_ACCESS_TOKEN: asana.accessToken,
      ASANA_WORKSPACE_GID: asana.workspaceGid,
      LOG_LEVEL: 'error',
    },
  });
  try {
    const { hooks } = h.runtime.services.sync;
    const secret = 'bench-asana-hook-secret';
    await hooks.begin({ hookId: 'bench', resourceGid: '1' });
    await hooks.acceptHandshake('bench', secret);
    const post = async (path: string, body: string, headers: Record<string, string>) => {
      const start = performance.now();
      const response = await fetch(`${h.baseUrl}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body,
      });
      await response.arrayBuffer();
      const elapsed = performance.now() - start;
      if (response.status !== 200) throw new Error(`${path} answered ${response.status}`);
      return elapsed;
    };
    const wf = (i: number) =>
      JSON.stringify({
        eventType: 'UPDATE',
        subscriptionId: 'bench',
        eventTime: { epochSecond: 1_796_000_000 + i, nano: i },
        newState: { ID: `task-${i}`, objCode: 'TASK', name: `Task ${i}`, status: 'INP' },
        oldState: { ID: `task-${i}`, objCode: 'TASK', name: `Task ${i}`, status: 'NEW' },
      });
    const asanaEvent = (i: number, gid: string) => ({
      user: { gid: '1400000000000001', resource_type: 'user' },
      created_at: new Date(Date.UTC(2027, 0, 1) + i).toISOString(),
      action: 'changed',
      resource: { gid, resource_type: 'task', resource_subtype: 'default_task' },
      parent: null,
      change: { field: 'name', action: 'changed' },
    });
    const signed = (body: string) => ({
      'x-hook-signature': createHmac('sha256', secret).update(body).digest('hex'),
    });
    for (let i = 0; i < 50; i++) {
      await post('/webhooks/workfront', wf(10_000_000 + i), { authorization: `Bearer ${TOKEN}` });
    }
    const workfront: number[] = [];
    const asanaAcks: number[] = [];
    for (let i = 0; i < iterations; i++) {
      workfront.push(await post('/webhooks/workfront', wf(i), { authorization: `Bearer ${TOKEN}` }));
      const body = JSON.stringify({
        events: [0, 1, 2].map((k) => asanaEvent(i * 3 + k, String(1_500_000 + i))),
      });
      asanaAcks.push(await post('/webhooks/asana?hook=bench', body, signed(body)));
    }

    // A 1,000-event batch about 20 real tasks of the stand-in.
    const client = new AsanaClient({ baseUrl: asana.baseUrl, accessToken: asana.accessToken });
    const project = await client.createProject({ name: 'Bench project', workspace: asana.workspaceGid });
    const gids: string[] = [];
    for (let t = 0; t < 20; t++)
      gids.push((await client.createTask({ name: `Bench task ${t}`, projects: [project.gid] })).gid);
    const batches = [0, 1, 2, 3, 4].map((run) =>
      Array.from({ length: 1_000 }, (_, i) => asanaEvent(run * 1_000_000 + i, gids[i % gids.length] ?? '')),
    );
    const ackMs: number[] = [];
    for (const events of batches) {
      const body = JSON.stringify({ events });
      ackMs.push(await post('/webhooks/asana?hook=bench', body, signed(body)));
    }
    const worker = createSyncWorker({
      repositories: h.runtime.repositories,
      config: h.runtime.config,
      clock: h.runtime.clock,
      logger: h.runtime.logger,
      jobs: h.runtime.services.jobs,
      approvals: h.runtime.services.approvals,
    });
    const key = `as-${contentKey(batches[0])}`;
    const start = performance.now();
    await worker.deliveries.process('asana', `${key}-p1`, { deadline: new Date(Date.now() + 120_000) });
    await worker.deliveries.process('asana', `${key}-p2`, { deadline: new Date(Date.now() + 120_000) });
    const processMs = performance.now() - start;
    const medianAck = [...ackMs].sort((a, b) => a - b)[2] ?? Number.NaN;
    return {
      iterations,
      workfrontAckMs: percentiles(workfront),
      asanaAckMs: percentiles(asanaAcks),
      batch: {
        events: 1_000,
        ackMs: ackMs.map((ms) => Math.round(ms * 10) / 10),
        eventsPerSecondAtIntake: Math.round(1_000 / (medianAck / 1_000)),
        processMs: Math.round(processMs),
        tasks: gids.length,
        eventsPerSecondProcessed: Math.round(1_000 / (processMs / 1_000)),
      },
    };
  } finally {
    await h.close();
    await asana.close();
    await lambda.close();
    for (const key of Object.keys(process.env)) if (!(key in saved)) delete process.env[key];
    Object.assign(process.env, saved);
  }
}

export function webhookReport(result: WebhookBenchResult): string[] {
  const row = (name: string, p: Percentiles) =>
    `  ${name.padEnd(44)} p50 ${String(p.p50).padStart(7)}  p95 ${String(p.p95).padStart(7)}  p99 ${String(p.p99).padStart(7)} ms`;
  const b = result.batch;
  return [
    `webhook intake (issue 8; bench/webhooks.ts, ${result.iterations} requests each, HTTP app on loopback, jobs dispatched to a loopback Invoke API):`,
    row('POST /webhooks/workfront (1 event) → 2xx', result.workfrontAckMs),
    row('POST /webhooks/asana (3 events) → 2xx', result.asanaAckMs),
    `  target p99 ≤ 25 ms: workfront ${result.workfrontAckMs.p99 <= 25 ? 'met' : 'missed'}, asana ${result.asanaAckMs.p99 <= 25 ? 'met' : 'missed'}`,
    `  1,000-event Asana batch → 2xx: ${b.ackMs.join(' / ')} ms (≈ ${b.eventsPerSecondAtIntake.toLocaleString('en-US')} events/s accepted)`,
    `  its processing (grouped into ${b.tasks} tasks, each fetched once under the shared 150/min limit): ${b.processMs} ms (≈ ${b.eventsPerSecondProcessed.toLocaleString('en-US')} events/s)`,
  ];
}

if (require.main === module) {
  const index = process.argv.indexOf('--iterations');
  const iterations = index >= 0 ? Number(process.argv[index + 1]) : undefined;
  runWebhookBench(iterations && iterations > 0 ? { iterations } : {})
    .then((result) => {
      for (const line of webhookReport(result)) console.log(line);
    })
    .catch((error: unknown) => {
      console.error(error);
      process.exit(1);
    });
}
