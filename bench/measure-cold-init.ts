import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { median } from './stats';

/* Cold init of a bundle: a fresh `node` process per run (bench/cold-init.cjs), medians per bundle. */

export interface ColdInit {
  requireMs: number;
  firstCallMs: number;
  totalMs: number;
  processMs: number;
}

/** Spawns `node` per run, alternating bundles so machine noise hits all of them alike. */
export function measureColdInit(
  bundles: Record<string, string>,
  runs: number,
  settings: { secret: string; tablePrefix: string },
): Record<string, ColdInit> {
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
    SLACK_SIGNING_SECRET: settings.secret,
    SLACK_BOT_TOKEN: 'xoxb-000-000-coldinit',
    SLACK_BOT_ID: 'B0COLD',
    SLACK_BOT_USER_ID: 'U0COLD',
    TABLE_PREFIX: settings.tablePrefix,
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
