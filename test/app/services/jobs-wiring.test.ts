import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JobRepository } from '../../../app/adapters/dynamo/job-repo';
import { InProcessJobDispatcher } from '../../../app/adapters/job-dispatch';
import { InProcessOneTimeScheduler, SCHEDULED_FIRE_JOB_KIND } from '../../../app/adapters/scheduler';
import { SLACK_POST_JOB_KIND } from '../../../app/jobs/slack-post';
import { JOBS_SWEEP_KIND } from '../../../app/scheduled/registry';
import { jobIdFor } from '../../../app/services/jobs';
import { startInProcessSweep, waitForInProcessJobs } from '../../../app/services/jobs-wiring';
import { startLocalDynamo } from '../../../dev/local-dynamo';
import { buildRuntime, type Runtime } from '../../../handlers/runtime';
import { type SlackRecorder, startSlackRecorder } from '../../helpers/slack-recorder';

let dynamo: Awaited<ReturnType<typeof startLocalDynamo>>;
let slack: SlackRecorder;
let runtime: Runtime;

beforeAll(async () => {
  dynamo = await startLocalDynamo({ prefix: 'wiring-' });
  slack = await startSlackRecorder();
  runtime = buildRuntime({
    env: {
      SLACK_SIGNING_SECRET: 'wiring-secret',
      DYNAMODB_ENDPOINT: dynamo.endpoint,
      TABLE_PREFIX: 'wiring-',
      SLACK_API_URL: slack.apiUrl,
      LOG_LEVEL: 'error',
    },
    sink: () => {},
  });
});
afterAll(async () => {
  if (runtime.services.jobs.dispatcher instanceof InProcessJobDispatcher)
    runtime.services.jobs.dispatcher.close();
  await slack.close();
  await dynamo.close();
});

describe('jobs and scheduler as the runtime wires them locally (npm start)', () => {
  it('uses the in-process dispatcher and scheduler when no cloud wiring is configured', () => {
    expect(runtime.services.jobs.dispatcher).toBeInstanceOf(InProcessJobDispatcher);
    expect(runtime.services.scheduler).toBeInstanceOf(InProcessOneTimeScheduler);
    expect(runtime.modes).toMatchObject({ jobs: 'in-process', scheduler: 'in-process' });
  });

  it('runs an enqueued job in this process with the registered handlers', async () => {
    // Act
    const { job } = await runtime.services.jobs.enqueue({
      kind: SLACK_POST_JOB_KIND,
      payload: { channel: 'C0TEAM', text: 'Budget approved' },
    });
    await waitForInProcessJobs(runtime.services.jobs);
    // Assess
    expect(slack.calls('chat.postMessage')).toHaveLength(1);
    expect(await runtime.services.jobs.get(job.jobId)).toMatchObject({ status: 'SUCCEEDED' });
  });

  it('fires a one-time schedule that is due through the scheduled registry (here: the built-in sweep)', async () => {
    // Act
    await runtime.services.scheduler.scheduleOnce({
      name: 'sweep-now',
      at: new Date(Date.now() - 1_000),
      payload: { kind: JOBS_SWEEP_KIND },
      clientToken: 'sweep-now',
    });
    await waitForInProcessJobs(runtime.services.jobs);
    // Assess
    expect(await runtime.services.jobs.get(jobIdFor(SCHEDULED_FIRE_JOB_KIND, 'sweep-now'))).toMatchObject({
      status: 'SUCCEEDED',
    });
  });

  it('start runs a sweep at once, so a job stored before a restart (never dispatched) runs', async () => {
    // Prepare: a job written straight to the store, as if the process died before dispatching it.
    const repo = new JobRepository(runtime.db, runtime.tables.jobs);
    const now = new Date().toISOString();
    await repo.create({
      jobId: 'job_left_over',
      kind: SLACK_POST_JOB_KIND,
      status: 'QUEUED',
      payload: { channel: 'C0TEAM', text: 'left over' },
      attempts: 0,
      maxAttempts: 5,
      nextAttemptAt: now,
      createdAt: now,
      updatedAt: now,
      version: 1,
    });
    // Act
    const stop = startInProcessSweep(runtime.services.scheduler);
    await stop();
    await waitForInProcessJobs(runtime.services.jobs);
    // Assess
    expect(await runtime.services.jobs.get('job_left_over')).toMatchObject({
      status: 'SUCCEEDED',
      attempts: 1,
    });
  });
});
