import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { EventBridgeOneTimeScheduler } from '../../app/adapters/scheduler';
import { ScheduledKindError } from '../../app/scheduled/registry';
import { startLocalDynamo } from '../../dev/local-dynamo';
import { handler, resetForTests, runtimeForTests } from '../../handlers/scheduled';

const lambda = mockClient(LambdaClient);
let dynamo: Awaited<ReturnType<typeof startLocalDynamo>>;
const context = { awsRequestId: 'req-scheduled-1' };

beforeAll(async () => {
  dynamo = await startLocalDynamo({ prefix: 'scheduled-' });
  vi.stubEnv('SLACK_SIGNING_SECRET', 'scheduled-test-secret');
  vi.stubEnv('DYNAMODB_ENDPOINT', dynamo.endpoint);
  vi.stubEnv('TABLE_PREFIX', 'scheduled-');
  vi.stubEnv('WORKER_FUNCTION_NAME', 'mcc-worker');
  vi.stubEnv('SCHEDULED_FUNCTION_ARN', 'arn:aws:lambda:us-east-1:123456789012:function:mcc-scheduled');
  vi.stubEnv('SCHEDULER_ROLE_ARN', 'arn:aws:iam::123456789012:role/mcc-scheduler');
  vi.stubEnv('LOG_LEVEL', 'error');
  resetForTests();
});
afterAll(async () => {
  vi.unstubAllEnvs();
  await dynamo.close();
});

describe('scheduled handler', () => {
  it('runs the sweep for { kind: "jobs.sweep" }, re-dispatching a job whose dispatch was lost', async () => {
    // Prepare: the enqueue's invoke fails, so the job is stored but never reached the worker.
    const runtime = await runtimeForTests();
    vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    lambda.on(InvokeCommand).rejectsOnce(new Error('ServiceUnavailable')).resolves({ StatusCode: 202 });
    const { job } = await runtime.services.jobs.enqueue({
      kind: 'slack.post',
      payload: { channel: 'C0X', text: 'x' },
    });
    // Act
    const result = await handler({ kind: 'jobs.sweep' }, context);
    // Assess
    expect(result).toEqual({ kind: 'jobs.sweep' });
    const payloads = lambda
      .commandCalls(InvokeCommand)
      .map(
        (call) => JSON.parse(new TextDecoder().decode(call.args[0].input.Payload as Uint8Array)) as unknown,
      );
    expect(payloads).toEqual([{ jobId: job.jobId }, { jobId: job.jobId }]);
  });

  it('uses EventBridge for one-time schedules when the scheduler is configured', async () => {
    const runtime = await runtimeForTests();
    expect(runtime.services.scheduler).toBeInstanceOf(EventBridgeOneTimeScheduler);
    expect(runtime.modes).toMatchObject({ jobs: 'lambda', scheduler: 'eventbridge' });
  });

  it('throws for an unknown kind or an event without one, so the schedule retries and dead-letters it', async () => {
    // Prepare
    await runtimeForTests();
    const stdout = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    // Act
    const unknown = handler({ kind: 'no.such.kind' }, context);
    await expect(unknown).rejects.toBeInstanceOf(ScheduledKindError);
    const kindless = handler({ approvalId: 'apr_1' }, context);
    await expect(kindless).rejects.toBeInstanceOf(ScheduledKindError);
    // Assess: each is an error line with a code.
    const lines = stdout.mock.calls.map((call) => JSON.parse(String(call[0])) as Record<string, unknown>);
    expect(lines.map((l) => [l.level, l.code])).toEqual([
      ['error', 'scheduled_unknown_kind'],
      ['error', 'scheduled_event_invalid'],
    ]);
  });
});
