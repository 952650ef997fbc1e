import type { APIGatewayProxyEventV2, APIGatewayProxyResultV2, Context } from 'aws-lambda';
import serverless from 'serverless-http';
import { SLACK_EVENTS_PATH, setRequestId } from '../app/http/receiver';
import type { AppLogger } from '../app/logger';
import { lazyInit } from './lazy-init';
import { buildHttpApp, buildRuntimeCore } from './runtime-core';
import { environmentWithSecrets } from './secrets';

type ServerlessHandler = (
  event: APIGatewayProxyEventV2,
  context: Context,
) => Promise<APIGatewayProxyResultV2>;

/**
 * Lazy, memoised init: the secret is read and the app built on the first invocation of a container.
 *
 * No job handlers: on Lambda this function only enqueues (config requires WORKER_FUNCTION_NAME
 * there, and every job goes to the worker by an async Invoke), so the handlers and what only they
 * import (Bedrock, `marked`, the Workfront/Asana clients…) are left out of this bundle. Run outside
 * Lambda without a worker, an enqueued job is left QUEUED (not claimed) for a process that has the
 * handlers (`npm start` builds the full runtime instead).
 */
async function init(): Promise<{ serve: ServerlessHandler; logger: AppLogger }> {
  const env = await environmentWithSecrets(process.env);
  const runtime = buildRuntimeCore({ env });
  if (runtime.modes.jobs === 'in-process') {
    runtime.logger.warn(
      { event: 'http_entry_without_job_handlers' },
      'handlers/http.ts runs no jobs; without WORKER_FUNCTION_NAME they stay queued',
    );
  }
  const { receiver } = buildHttpApp(runtime);
  const wrapped = serverless(receiver.requestListener, {
    request: (request: unknown, _event: unknown, context: Context) => {
      setRequestId(request as import('node:http').IncomingMessage, context.awsRequestId);
    },
  });
  return { serve: wrapped as unknown as ServerlessHandler, logger: runtime.logger };
}

const container = lazyInit(init);

/**
 * API Gateway HTTP API (payload v2) entry: Slack at /slack/events, the webhooks and /healthz,
 * all served by the one HTTP app. Two arguments (Lambda's Node.js 24 runtime rejects callbacks).
 */
export async function handler(
  event: APIGatewayProxyEventV2,
  context: Context,
): Promise<APIGatewayProxyResultV2> {
  // Slack's 3 s include a cold start, so the clock starts before init.
  const started = Date.now();
  const { serve, logger } = await container.get();
  const result = await serve(event, context);
  if (event.rawPath === SLACK_EVENTS_PATH) logger.metric('ackLatency', Date.now() - started);
  return result;
}

/** For tests: forget the memoised app so the next call builds it again from the environment. */
export function resetForTests(): void {
  container.reset();
}
