import type { Context } from 'aws-lambda';
import { resvgRasterizer } from '../app/adapters/png-rasterizer';
import { withLogContext } from '../app/logger';
import { createScheduledHandlers, runScheduled } from '../app/scheduled/registry';
import type { ScheduledHandler } from '../app/scheduled/types';
import { lazyInit } from './lazy-init';
import { buildRuntime, type Runtime } from './runtime';
import { environmentWithSecrets } from './secrets';

async function init(): Promise<{ runtime: Runtime; handlers: Record<string, ScheduledHandler> }> {
  const env = await environmentWithSecrets(process.env);
  const runtime = buildRuntime({ env });
  // Only this function draws the digest's timeline picture (its bundle ships the wasm and font).
  return { runtime, handlers: createScheduledHandlers(runtime, { rasterizer: resvgRasterizer }) };
}

const container = lazyInit(init);

/**
 * Scheduled Lambda entry. EventBridge Scheduler delivers a schedule's `Input` JSON as the event:
 * `{ "kind": "jobs.sweep" }` from the recurring `rate(5 minutes)` schedule (created by the CDK
 * stack; it also recovers missed digests), a one-time schedule's payload (`{ "kind":
 * "approval.remind", … }`) or a digest schedule's (`{ "kind": "digest.run", "channelId",
 * "scheduledTime" }`). The handler is
 * picked by `kind` (`app/scheduled/registry.ts`); an unknown kind is logged and thrown, so the
 * schedule's retry policy and DLQ see it. Two arguments (Lambda's Node.js 24 runtime rejects callbacks).
 */
export async function handler(
  event: unknown,
  context: Pick<Context, 'awsRequestId'>,
): Promise<{ kind: string }> {
  const { runtime, handlers } = await container.get();
  return withLogContext({ requestId: context.awsRequestId }, async () => {
    const kind = await runScheduled(handlers, event, runtime.logger);
    runtime.logger.info({ kind }, 'scheduled work finished');
    return { kind };
  });
}

/** For tests: the runtime this container built (builds it on first use). */
export async function runtimeForTests(): Promise<Runtime> {
  return (await container.get()).runtime;
}

/** For tests: forget the memoised runtime so the next call builds it again from the environment. */
export function resetForTests(): void {
  container.reset();
}
