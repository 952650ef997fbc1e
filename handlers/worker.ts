import type { Context } from 'aws-lambda';
import { z } from 'zod';
import { ValidationError } from '../app/errors';
import { withLogContext } from '../app/logger';
import type { RunOutcome } from '../app/services/jobs';
import { lazyInit } from './lazy-init';
import { buildRuntime, type Runtime } from './runtime';
import { environmentWithSecrets } from './secrets';

/** What the dispatcher sends: the job id only (the job, and any secret, is read here). */
const WorkerEvent = z.object({ jobId: z.string().min(1).max(200) });

/** Time kept back from Lambda's own timeout so the job's outcome is stored before the function is stopped. */
const SAFETY_MARGIN_MS = 5_000;

/** Lazy, memoised init: the secret is read and the runtime built on the first invocation of a container. */
async function init(): Promise<Runtime> {
  const env = await environmentWithSecrets(process.env);
  return buildRuntime({ env });
}

const container = lazyInit(init);

/**
 * Worker Lambda entry, invoked asynchronously with `{ jobId }`: claims and runs that job.
 *
 * A job's own failure is not thrown (the job service stores it and schedules its retry), so
 * Lambda's async-invoke retries are not spent on it; a malformed event, or the store being
 * unreachable, is thrown. Two arguments (Lambda's Node.js 24 runtime rejects callbacks).
 */
export async function handler(
  event: unknown,
  context: Pick<Context, 'awsRequestId' | 'getRemainingTimeInMillis'>,
): Promise<{ jobId: string; outcome: RunOutcome }> {
  const runtime = await container.get();
  return withLogContext({ requestId: context.awsRequestId }, async () => {
    const parsed = WorkerEvent.safeParse(event);
    if (!parsed.success) {
      const error = new ValidationError('worker event must be { jobId }');
      runtime.logger.error({ code: 'worker_event_invalid' }, error);
      throw error;
    }
    const { jobId } = parsed.data;
    const deadline = new Date(
      runtime.clock().getTime() + Math.max(0, context.getRemainingTimeInMillis() - SAFETY_MARGIN_MS),
    );
    const outcome = await runtime.services.jobs.run(jobId, { deadline });
    runtime.logger.info({ jobId, outcome }, 'worker finished');
    return { jobId, outcome };
  });
}

/** For tests: the runtime this container built (builds it on first use). */
export async function runtimeForTests(): Promise<Runtime> {
  return container.get();
}

/** For tests: forget the memoised runtime so the next call builds it again from the environment. */
export function resetForTests(): void {
  container.reset();
}
