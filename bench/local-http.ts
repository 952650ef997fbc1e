import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { LOCAL_SIGNING_SECRET } from '../dev/local-constants';
import { signSlackRequest } from '../dev/slack-signature';
import { childProcessEnv } from '../test/helpers/child-env';
import { slashCommandForm } from '../test/helpers/lambda-events';
import { fmt, option, percentile } from './stats';

/**
 * `npm start`'s own HTTP latency (issue 7 item 8): a signed `/mcc help` POSTed to `/slack/events`
 * over loopback with a kept-alive connection, request → full response, against the reference Bolt
 * app (bench/reference-server.ts) served the same way. Both are child processes started here
 * (`npm start` exactly as a user runs it: dynalite, the stand-ins, demo data, its logs going to a
 * pipe that is read and dropped); the requests alternate between them. Part of `npm run bench`, or
 * alone: `npx tsx bench/local-http.ts [--local-iterations N]`.
 */
export interface LocalHttpResult {
  iterations: number;
  ours: { p50: number; p95: number; p99: number };
  reference: { p50: number; p95: number; p99: number };
}

const ROOT = join(__dirname, '..');

export async function runLocalHttpBench(options: {
  iterations: number;
  warmup?: number;
}): Promise<LocalHttpResult> {
  const oursPort = 3300 + Math.floor(Math.random() * 200);
  const refPort = oursPort + 400;
  const children: ChildProcess[] = [];
  try {
    children.push(start(['--import', 'tsx', 'handlers/local.ts'], oursPort));
    const reference = start(['--import', 'tsx', 'bench/reference-server.ts'], refPort);
    children.push(reference);
    // Bolt's bare request listener throws on a path it does not serve: wait for its line instead.
    const referenceListening = new Promise<void>((resolve, reject) => {
      reference.stdout?.on('data', (chunk: Buffer) => {
        if (chunk.toString().includes('listening')) resolve();
      });
      reference.on('exit', (code) => reject(new Error(`the reference server exited (${code})`)));
    });
    await Promise.all([ready(`http://127.0.0.1:${oursPort}/healthz`), referenceListening]);
    const urls = {
      ours: `http://127.0.0.1:${oursPort}/slack/events`,
      reference: `http://127.0.0.1:${refPort}/slack/events`,
    };
    const samples: Record<'ours' | 'reference', number[]> = { ours: [], reference: [] };
    const warmup = options.warmup ?? 200;
    for (let i = 0; i < warmup + options.iterations; i += 1) {
      for (const name of ['ours', 'reference'] as const) {
        const body = slashCommandForm('help', { user_id: 'U0MAYA' });
        const started = performance.now();
        const response = await fetch(urls[name], {
          method: 'POST',
          headers: {
            'content-type': 'application/x-www-form-urlencoded',
            ...signSlackRequest(body, LOCAL_SIGNING_SECRET),
          },
          body,
        });
        await response.arrayBuffer();
        const elapsed = performance.now() - started;
        if (response.status !== 200) throw new Error(`${name} answered ${response.status} to /mcc help`);
        if (i >= warmup) samples[name].push(elapsed);
      }
    }
    return {
      iterations: options.iterations,
      ours: percentiles(samples.ours),
      reference: percentiles(samples.reference),
    };
  } finally {
    for (const child of children) child.kill('SIGTERM');
  }
}

function percentiles(values: number[]): { p50: number; p95: number; p99: number } {
  const sorted = [...values].sort((a, b) => a - b);
  return { p50: percentile(sorted, 50), p95: percentile(sorted, 95), p99: percentile(sorted, 99) };
}

function start(args: string[], port: number): ChildProcess {
  const child = spawn(process.execPath, args, {
    cwd: ROOT,
    env: childProcessEnv({ PORT: String(port), SLACK_SIGNING_SECRET: LOCAL_SIGNING_SECRET }),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.resume();
  child.stderr?.resume();
  return child;
}

async function ready(url: string): Promise<void> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    try {
      await (await fetch(url)).arrayBuffer();
      return;
    } catch (error) {
      if (Date.now() > deadline) throw new Error(`${url} did not come up within 60 s`, { cause: error });
      await new Promise((r) => setTimeout(r, 250));
    }
  }
}

/** The lines `npm run bench` prints for it. */
export function localHttpReport(result: LocalHttpResult): string[] {
  const row = (name: string, p: { p50: number; p95: number; p99: number }) =>
    `  ${name.padEnd(44)} p50 ${fmt(p.p50).padStart(7)}  p95 ${fmt(p.p95).padStart(7)}  p99 ${fmt(p.p99).padStart(7)} ms`;
  return [
    `npm start over HTTP (bench/local-http.ts, ${result.iterations} signed /mcc help each, alternating, loopback keep-alive):`,
    row('npm start', result.ours),
    row('reference Bolt app (bench/reference-server.ts)', result.reference),
    `  ratio p50 ${(result.ours.p50 / result.reference.p50).toFixed(2)}`,
  ];
}

if (require.main === module) {
  runLocalHttpBench({ iterations: option('local-iterations', 1000) }).then(
    (result) => {
      console.log(localHttpReport(result).join('\n'));
      process.exit(0);
    },
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
}
