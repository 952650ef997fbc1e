import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { InProcessJobDispatcher, LambdaJobDispatcher } from '../../../app/adapters/job-dispatch';
import { DownstreamError } from '../../../app/errors';
import { captureLogger } from '../../helpers/job-fixtures';

const lambda = mockClient(LambdaClient);

afterEach(() => {
  lambda.reset();
});

describe('LambdaJobDispatcher', () => {
  it('invokes the worker asynchronously with the job id only', async () => {
    // Prepare
    lambda.on(InvokeCommand).resolves({ StatusCode: 202 });
    const dispatcher = new LambdaJobDispatcher({
      functionName: 'mcc-worker',
      logger: captureLogger().logger,
      region: 'us-east-1',
    });
    // Act
    await dispatcher.dispatch('job_01ABC');
    // Assess
    const calls = lambda.commandCalls(InvokeCommand);
    expect(calls).toHaveLength(1);
    const input = calls[0]?.args[0].input;
    expect(input?.FunctionName).toBe('mcc-worker');
    expect(input?.InvocationType).toBe('Event');
    expect(JSON.parse(new TextDecoder().decode(input?.Payload as Uint8Array))).toEqual({
      jobId: 'job_01ABC',
    });
  });

  it('invokes nothing for a delayed dispatch (the sweep picks the job up when due)', async () => {
    lambda.on(InvokeCommand).resolves({ StatusCode: 202 });
    const dispatcher = new LambdaJobDispatcher({
      functionName: 'mcc-worker',
      logger: captureLogger().logger,
    });
    await dispatcher.dispatch('job_01ABC', { delayMs: 2_000 });
    expect(lambda.commandCalls(InvokeCommand)).toHaveLength(0);
  });

  it('throws a retryable DownstreamError when the invoke fails or is not accepted', async () => {
    // Prepare
    const dispatcher = new LambdaJobDispatcher({
      functionName: 'mcc-worker',
      logger: captureLogger().logger,
    });
    lambda
      .on(InvokeCommand)
      .rejectsOnce(new Error('TooManyRequestsException'))
      .resolvesOnce({ StatusCode: 500 });
    // Act
    const first = dispatcher.dispatch('job_1');
    const second = first.catch(() => undefined).then(() => dispatcher.dispatch('job_2'));
    // Assess
    await expect(first).rejects.toMatchObject({ service: 'lambda', retryable: true });
    await expect(second).rejects.toBeInstanceOf(DownstreamError);
  });
});

describe('InProcessJobDispatcher', () => {
  it('runs the job on a later tick, and idle() waits for it and for jobs it dispatches', async () => {
    // Prepare: job a dispatches job b while it runs.
    const ran: string[] = [];
    let dispatcher: InProcessJobDispatcher | undefined;
    dispatcher = new InProcessJobDispatcher({
      logger: captureLogger().logger,
      run: async (jobId) => {
        ran.push(jobId);
        if (jobId === 'a') await dispatcher?.dispatch('b');
      },
    });
    // Act
    await dispatcher.dispatch('a');
    const ranSynchronously = [...ran];
    await dispatcher.idle();
    // Assess
    expect(ranSynchronously).toEqual([]);
    expect(ran).toEqual(['a', 'b']);
  });

  it('logs a failed run instead of throwing', async () => {
    const { logger, lines } = captureLogger();
    const dispatcher = new InProcessJobDispatcher({
      logger,
      run: async () => {
        throw new Error('store unreachable');
      },
    });
    await dispatcher.dispatch('job_x');
    await dispatcher.idle();
    expect(lines.find((l) => l.event === 'job_dispatch_run_failed')).toMatchObject({
      jobId: 'job_x',
      level: 'error',
    });
  });

  it('keeps delayed runs on a timer, leaves ones beyond its horizon to the sweep, and close() clears them', async () => {
    // Prepare
    const ran: string[] = [];
    const dispatcher = new InProcessJobDispatcher({
      logger: captureLogger().logger,
      maxTimerMs: 60_000,
      run: async (jobId) => {
        ran.push(jobId);
      },
    });
    // Act
    await dispatcher.dispatch('soon', { delayMs: 30_000 });
    await dispatcher.dispatch('far', { delayMs: 120_000 });
    await dispatcher.idle();
    const pending = dispatcher.pendingDelayed();
    dispatcher.close();
    await dispatcher.dispatch('after-close');
    await dispatcher.idle();
    // Assess
    expect(pending).toEqual(['soon']);
    expect(dispatcher.pendingDelayed()).toEqual([]);
    expect(ran).toEqual([]);
  });
});
