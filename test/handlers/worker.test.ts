import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { ValidationError } from '../../app/errors';
import { SLACK_POST_JOB_KIND } from '../../app/jobs/slack-post';
import { startLocalDynamo } from '../../dev/local-dynamo';
import { handler, resetForTests, runtimeForTests } from '../../handlers/worker';
import { type SlackRecorder, startSlackRecorder } from '../helpers/slack-recorder';

const lambda = mockClient(LambdaClient);
let dynamo: Awaited<ReturnType<typeof startLocalDynamo>>;
let slack: SlackRecorder;
let rateLimited = false;

const context = (remainingMs = 120_000) => ({
  awsRequestId: 'req-worker-1',
  getRemainingTimeInMillis: () => remainingMs,
});

beforeAll(async () => {
  dynamo = await startLocalDynamo({ prefix: 'worker-' });
  slack = await startSlackRecorder({
    override: () => (rateLimited ? { status: 429, body: { ok: false, error: 'ratelimited' } } : undefined),
  });
  vi.stubEnv('SLACK_SIGNING_SECRET', 'worker-test-secret');
  vi.stubEnv('DYNAMODB_ENDPOINT', dynamo.endpoint);
  vi.stubEnv('TABLE_PREFIX', 'worker-');
  vi.stubEnv('SLACK_API_URL', slack.apiUrl);
  vi.stubEnv('WORKER_FUNCTION_NAME', 'mcc-worker');
  vi.stubEnv('LOG_LEVEL', 'error');
  resetForTests();
});
afterAll(async () => {
  vi.unstubAllEnvs();
  await slack.close();
  await dynamo.close();
});
beforeEach(() => {
  lambda.reset();
  lambda.on(InvokeCommand).resolves({ StatusCode: 202 });
  slack.reset();
  rateLimited = false;
});

/** The job id the enqueue handed to Lambda (the only thing in the invoke payload). */
function invokedJobIds(): string[] {
  return lambda
    .commandCalls(InvokeCommand)
    .map(
      (call) =>
        (JSON.parse(new TextDecoder().decode(call.args[0].input.Payload as Uint8Array)) as { jobId: string })
          .jobId,
    );
}

describe('worker handler', () => {
  it('runs the job it is invoked with: enqueue → async invoke { jobId } → worker → Slack', async () => {
    // Prepare
    const runtime = await runtimeForTests();
    const { job } = await runtime.services.jobs.enqueue({
      kind: SLACK_POST_JOB_KIND,
      payload: { channel: 'C0TEAM', text: 'Workfront project created' },
    });
    // Act
    const result = await handler({ jobId: invokedJobIds()[0] }, context());
    // Assess
    expect(invokedJobIds()).toEqual([job.jobId]);
    expect(result).toEqual({ jobId: job.jobId, outcome: 'succeeded' });
    expect(slack.calls('chat.postMessage')).toHaveLength(1);
    expect(await runtime.services.jobs.get(job.jobId)).toMatchObject({ status: 'SUCCEEDED', attempts: 1 });
  });

  it('stores a retry (no invoke: the sweep dispatches it when due) when Slack rate-limits', async () => {
    // Prepare
    const runtime = await runtimeForTests();
    const { job } = await runtime.services.jobs.enqueue({
      kind: SLACK_POST_JOB_KIND,
      payload: { channel: 'C0TEAM', text: 'hello' },
    });
    rateLimited = true;
    // Act
    const result = await handler({ jobId: job.jobId }, context());
    // Assess
    expect(result.outcome).toBe('retry_scheduled');
    expect(invokedJobIds()).toEqual([job.jobId]);
    expect(await runtime.services.jobs.get(job.jobId)).toMatchObject({ status: 'QUEUED', attempts: 1 });
  });

  it('fails a job of an unknown kind', async () => {
    const runtime = await runtimeForTests();
    const { job } = await runtime.services.jobs.enqueue({ kind: 'nobody.handles.this', payload: {} });
    const stdout = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    const result = await handler({ jobId: job.jobId }, context());
    expect(result.outcome).toBe('failed');
    expect(stdout.mock.calls.some((call) => String(call[0]).includes('"code":"job_unknown_kind"'))).toBe(
      true,
    );
  });

  it('skips a job another invocation already ran', async () => {
    const runtime = await runtimeForTests();
    const { job } = await runtime.services.jobs.enqueue({
      kind: SLACK_POST_JOB_KIND,
      payload: { channel: 'C0TEAM', text: 'once' },
    });
    const results = await Promise.all([
      handler({ jobId: job.jobId }, context()),
      handler({ jobId: job.jobId }, context()),
    ]);
    expect(results.map((r) => r.outcome).sort()).toEqual(['skipped', 'succeeded']);
    expect(slack.calls('chat.postMessage')).toHaveLength(1);
  });

  it('rejects an event that is not { jobId }', async () => {
    await runtimeForTests();
    vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    await expect(handler({ job: 'x' }, context())).rejects.toBeInstanceOf(ValidationError);
    await expect(handler(undefined, context())).rejects.toBeInstanceOf(ValidationError);
  });
});
