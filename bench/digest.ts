import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { ApprovalRepository } from '../app/adapters/dynamo/approval-repo';
import { CampaignRepository } from '../app/adapters/dynamo/campaign-repo';
import { createDocumentClient } from '../app/adapters/dynamo/client';
import { EventsLogRepository } from '../app/adapters/dynamo/events-log-repo';
import { SyncStateRepository } from '../app/adapters/dynamo/sync-state-repo';
import { tableNames } from '../app/adapters/dynamo/tables';
import { TaskRepository } from '../app/adapters/dynamo/task-repo';
import { TeamRepository } from '../app/adapters/dynamo/team-repo';
import { resvgRasterizer } from '../app/adapters/png-rasterizer';
import { todayIn } from '../app/domain/calendar';
import { buildDigestContent, type DigestSources } from '../app/services/digest/content';
import { digestMessage } from '../blocks/digest';
import { timelineDrawing } from '../blocks/digest-timeline';
import { createTables } from '../dev/local-dynamo';
import {
  BENCH_CHANNEL,
  BENCH_TEAM,
  seedMatching,
  seedNonMatching,
  startDynaliteProcess,
} from './digest-data';
import { coveredMs, type RoundTrip } from './instrument';

/**
 * Issue 9's benchmark (`npm run bench`, or alone: `npx tsx bench/digest.ts`): builds and renders
 * the digest of a team with 10,000 campaigns and 100,000 tasks in dynalite, reporting the time and
 * the items DynamoDB read (ScannedCount of every Query, one per GetItem); then adds nine times as
 * much data that the digest must not read (campaigns finished long ago with their done tasks,
 * campaigns far in the future with open tasks due later, old decisions and budget changes), so the
 * table holds 100,000 campaigns and 1,000,000 tasks with the same matching set, and measures again.
 * Target: time and items read within 1.2× between the two.
 *
 * "Build and render" = every read of `buildDigestContent` + the Block Kit message + the timeline
 * SVG. The PNG rasterisation is constant work (one picture, whatever the table) and is reported
 * once, apart. The clock is fixed (Thursday 2026-12-03, 09:00 in New York), so runs compare. The
 * two sizes are two dynalite processes, measured alternately (same load on the machine for both).
 *
 *   npx tsx bench/digest.ts --digest-campaigns 1000 --digest-scale 10 --digest-runs 5   a quicker run
 */

const NOW = new Date('2026-12-03T14:00:00.000Z');
const ZONE = 'America/New_York';
const SINCE = '2026-12-02T14:00:00.000Z';
const PREFIX = 'bench-digest-';
const TARGET_RATIO = 1.2;
const WARMUP_RUNS = 3;

interface DigestBenchScale {
  campaigns: number;
  tasks: number;
  /** Median over the runs: wall time of build + render. */
  medianMs: number;
  p95Ms: number;
  /** Median of the same, less the time at least one store call was in flight: our own work. */
  ownMedianMs: number;
  /**
   * Control: median latency of one GetItem of the same small item, at this table size. What the
   * local engine itself costs per request (DynamoDB's does not depend on table size; dynalite's
   * grows with its in-memory data and heap).
   */
  enginePointReadMs: number;
  itemsRead: number;
  requests: number;
  counts: Record<string, number>;
  blocks: number;
}

export interface DigestBenchResult {
  base: DigestBenchScale;
  scaled: DigestBenchScale;
  scale: number;
  ratio: { time: number; ownTime: number; itemsRead: number; enginePointRead: number };
  target: number;
  pictureMs: number;
  seedSeconds: number;
}

function option(name: string, fallback: number): number {
  const index = process.argv.indexOf(`--${name}`);
  const value = index >= 0 ? Number(process.argv[index + 1]) : Number.NaN;
  return Number.isFinite(value) && value > 0 ? value : fallback;
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return (
    sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? Number.NaN
  );
}

/** One engine with its data, and the counters its client keeps. */
interface Engine {
  sources: DigestSources;
  team: TeamRepository;
  totals: { campaigns: number; tasks: number };
  meter: { itemsRead: number; requests: number; trips: RoundTrip[] };
  close(): void;
}

/**
 * A dynalite process holding the team's matching set plus `campaigns` in all (each with its tasks),
 * read through the real repositories. Every item a read returns or evaluates is counted at the
 * client (ScannedCount of a Query, one per GetItem), with no change to the code under test.
 */
async function prepareEngine(campaigns: number, label: string, log: (line: string) => void): Promise<Engine> {
  const dynamo = await startDynaliteProcess();
  await createTables(dynamo.endpoint, PREFIX);
  const db = createDocumentClient({ region: 'us-east-1', endpoint: dynamo.endpoint });
  const tables = tableNames(PREFIX);
  const meter = { itemsRead: 0, requests: 0, trips: [] as RoundTrip[] };
  db.middlewareStack.add(
    (next) => async (args) => {
      const trip: RoundTrip = { target: 'store', start: performance.now(), end: Number.NaN };
      meter.trips.push(trip);
      const out = await next(args);
      trip.end = performance.now();
      const body = out.output as { ScannedCount?: number; Item?: unknown };
      meter.requests += 1;
      if (typeof body.ScannedCount === 'number') meter.itemsRead += body.ScannedCount;
      else if (body.Item !== undefined) meter.itemsRead += 1;
      return out;
    },
    { step: 'initialize', name: 'benchItemsRead' },
  );
  const today = todayIn(ZONE, NOW);
  const team = new TeamRepository(db, tables.teams);
  await team.create({
    teamId: BENCH_TEAM,
    name: 'Bench team',
    slackChannelId: BENCH_CHANNEL,
    timezone: ZONE,
    version: 1,
  });
  const matching = await seedMatching(db, tables, today, SINCE);
  const totals = { campaigns: matching.campaigns, tasks: matching.tasks };
  const rest = campaigns - matching.campaigns;
  // In slices, so progress shows and memory stays flat.
  for (let done = 0; done < rest; done += 5_000) {
    const wrote = await seedNonMatching(db, tables, today, Math.min(5_000, rest - done), done);
    totals.campaigns += wrote.campaigns;
    totals.tasks += wrote.tasks;
    log(
      `  ${label}: ${totals.campaigns.toLocaleString('en-US')} campaigns, ${totals.tasks.toLocaleString('en-US')} tasks`,
    );
  }
  const clock = () => new Date(NOW.getTime());
  return {
    sources: {
      teams: team,
      campaigns: new CampaignRepository(db, tables.campaigns, clock),
      tasks: new TaskRepository(db, tables.tasks, clock),
      approvals: new ApprovalRepository(db, tables.approvals),
      activity: new EventsLogRepository(db, tables.eventsLog, clock),
      conflicts: new SyncStateRepository(db, tables.syncState, clock),
    },
    team,
    totals,
    meter,
    close: () => {
      db.destroy();
      dynamo.close();
    },
  };
}

const SCOPE = {
  channelId: BENCH_CHANNEL,
  localDate: todayIn(ZONE, NOW),
  timeZone: ZONE,
  locale: 'en-US',
  scheduledTime: NOW.toISOString(),
  late: false,
  since: SINCE,
  asOf: NOW.toISOString(),
};

/** One build + render on an engine: wall time, our own time, what was read. */
async function once(engine: Engine) {
  engine.meter.itemsRead = 0;
  engine.meter.requests = 0;
  engine.meter.trips = [];
  const start = performance.now();
  const content = await buildDigestContent(engine.sources, SCOPE);
  const message = digestMessage(content, NOW);
  timelineDrawing(content);
  const elapsed = performance.now() - start;
  return {
    elapsed,
    own: elapsed - coveredMs(engine.meter.trips),
    itemsRead: engine.meter.itemsRead,
    requests: engine.meter.requests,
    counts: content.counts,
    blocks: message.blocks.length,
    content,
  };
}

/**
 * Runs the benchmark; `log` gets progress lines. Both table sizes live in their own dynalite
 * process at once and the measured runs alternate between them, so both see the same machine load.
 */
export async function runDigestBench(
  options: { campaigns?: number; scale?: number; runs?: number; log?: (line: string) => void } = {},
): Promise<DigestBenchResult> {
  const baseCampaigns = options.campaigns ?? 10_000;
  const scale = options.scale ?? 10;
  const runs = options.runs ?? 15;
  const log = options.log ?? (() => undefined);
  const seedStart = performance.now();
  const base = await prepareEngine(baseCampaigns, '1×', log);
  let scaled: Engine | undefined;
  try {
    scaled = await prepareEngine(baseCampaigns * scale, `${scale}×`, log);
    const seedSeconds = (performance.now() - seedStart) / 1000;
    // Let the engines finish collecting what seeding left behind before timing them.
    await new Promise((resolve) => setTimeout(resolve, 5_000));
    const samples = new Map<Engine, Awaited<ReturnType<typeof once>>[]>([
      [base, []],
      [scaled, []],
    ]);
    for (let i = 0; i < runs + WARMUP_RUNS; i++) {
      for (const engine of i % 2 === 0 ? [base, scaled] : [scaled, base]) {
        const sample = await once(engine);
        // The first runs warm the connection pool, the JIT and dynalite: not counted.
        if (i >= WARMUP_RUNS) samples.get(engine)?.push(sample);
      }
    }
    const summary = async (engine: Engine): Promise<DigestBenchScale> => {
      const list = samples.get(engine) ?? [];
      const pointReads: number[] = [];
      for (let i = 0; i < 60; i++) {
        const start = performance.now();
        await engine.team.get(BENCH_TEAM);
        if (i >= 10) pointReads.push(performance.now() - start);
      }
      const last = list[list.length - 1];
      return {
        ...engine.totals,
        medianMs: percentile(
          list.map((s) => s.elapsed),
          50,
        ),
        p95Ms: percentile(
          list.map((s) => s.elapsed),
          95,
        ),
        ownMedianMs: percentile(
          list.map((s) => s.own),
          50,
        ),
        enginePointReadMs: percentile(pointReads, 50),
        itemsRead: last?.itemsRead ?? 0,
        requests: last?.requests ?? 0,
        counts: last?.counts ?? {},
        blocks: last?.blocks ?? 0,
      };
    };
    const one = await summary(base);
    const ten = await summary(scaled);
    const drawing = timelineDrawing((await once(scaled)).content);
    const svg = drawing?.svg ?? '<svg xmlns="http://www.w3.org/2000/svg" width="1" height="1"/>';
    await resvgRasterizer.toPng(svg);
    const pictureStart = performance.now();
    await resvgRasterizer.toPng(svg);
    const pictureMs = performance.now() - pictureStart;
    return {
      base: one,
      scaled: ten,
      scale,
      ratio: {
        time: ten.medianMs / one.medianMs,
        ownTime: ten.ownMedianMs / one.ownMedianMs,
        itemsRead: ten.itemsRead / one.itemsRead,
        enginePointRead: ten.enginePointReadMs / one.enginePointReadMs,
      },
      target: TARGET_RATIO,
      pictureMs,
      seedSeconds,
    };
  } finally {
    base.close();
    scaled?.close();
  }
}

/** The result as a table. */
export function digestBenchTable(result: DigestBenchResult): string {
  const ms = (value: number) => `${value.toFixed(1).padStart(7)} ms`;
  const row = (label: string, s: DigestBenchScale) =>
    `${label.padEnd(5)} ${s.campaigns.toLocaleString('en-US').padStart(9)} ${s.tasks.toLocaleString('en-US').padStart(11)}  ${ms(s.medianMs)} ${ms(s.p95Ms)} ${ms(s.ownMedianMs)} ${ms(s.enginePointReadMs)}  ${String(s.itemsRead).padStart(5)}  ${String(s.requests).padStart(5)}  ${String(s.blocks).padStart(6)}`;
  const ok = (ratio: number) => (ratio <= result.target ? 'ok' : 'OVER');
  return [
    'digest (issue 9, bench/digest.ts): build + render for one team, the same matching set at two table sizes',
    `${'data'.padEnd(5)} ${'campaigns'.padStart(9)} ${'tasks'.padStart(11)}  ${'median'.padStart(10)} ${'p95'.padStart(10)} ${'own'.padStart(10)} ${'engine GET'.padStart(10)}  ${'read'.padStart(5)}  ${'calls'.padStart(5)}  ${'blocks'.padStart(6)}`,
    row('1×', result.base),
    row(`${result.scale}×`, result.scaled),
    `ratio ${result.scale}×/1×: items read ${result.ratio.itemsRead.toFixed(2)} (${ok(result.ratio.itemsRead)}), time ${result.ratio.time.toFixed(2)} (${ok(result.ratio.time)}); target ≤ ${result.target}`,
    `  context: own time (wall time less the time a store call was in flight: our code, ~10–20 ms, noisy) ${result.ratio.ownTime.toFixed(2)}×; dynalite's own latency for one GetItem ${result.ratio.enginePointRead.toFixed(2)}× (the local engine's cost per call may grow with its size; DynamoDB's does not)`,
    `matching: ${JSON.stringify(result.scaled.counts)}; timeline PNG ${result.pictureMs.toFixed(0)} ms (constant, not in the ratio); seeding ${result.seedSeconds.toFixed(0)} s`,
  ].join('\n');
}

async function main(): Promise<void> {
  const result = await runDigestBench({
    campaigns: option('digest-campaigns', 10_000),
    scale: option('digest-scale', 10),
    runs: option('digest-runs', 15),
    log: (line) => process.stderr.write(`${line}\n`),
  });
  const results = join(resolve(__dirname), 'results');
  mkdirSync(results, { recursive: true });
  writeFileSync(join(results, 'digest.json'), JSON.stringify(result, null, 2));
  process.stdout.write(`${digestBenchTable(result)}\n`);
}

if (require.main === module) {
  main().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
