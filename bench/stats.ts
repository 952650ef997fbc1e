/* Statistics and formatting for bench/run.ts: percentiles, per-kind summaries, plain-text tables. */

/** What bench/run.ts measures per request kind. */
export type Kind = 'help' | 'status' | 'app_mention' | 'block_action' | 'ask';
export const KINDS: Kind[] = ['help', 'status', 'app_mention', 'block_action', 'ask'];

/** A numeric `--name value` command-line option, or `fallback`. */
export function option(name: string, fallback: number): number {
  const index = process.argv.indexOf(`--${name}`);
  const value = index >= 0 ? Number(process.argv[index + 1]) : Number.NaN;
  return Number.isFinite(value) && value > 0 ? value : fallback;
}

/** The p-th percentile (nearest rank) of values sorted ascending. */
export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank] ?? Number.NaN;
}

export function median(values: number[]): number {
  return percentile(
    [...values].sort((a, b) => a - b),
    50,
  );
}

export interface Sample {
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

export interface KindStats {
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

export function summarize(samples: Sample[]): KindStats {
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

export function fmt(ms: number): string {
  return Number.isFinite(ms) ? ms.toFixed(2) : 'n/a';
}

export function table(rows: string[][]): string {
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
