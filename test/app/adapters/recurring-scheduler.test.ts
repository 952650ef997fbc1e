import {
  ConflictException,
  CreateScheduleCommand,
  DeleteScheduleCommand,
  GetScheduleCommand,
  ResourceNotFoundException,
  SchedulerClient,
  ThrottlingException,
  UpdateScheduleCommand,
} from '@aws-sdk/client-scheduler';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { WorkflowStateRepository } from '../../../app/adapters/dynamo/workflow-state-repo';
import {
  InProcessRecurringScheduler,
  SCHEDULED_RECURRING_JOB_KIND,
} from '../../../app/adapters/in-process-recurring-scheduler';
import { InProcessJobDispatcher } from '../../../app/adapters/job-dispatch';
import {
  EventBridgeRecurringScheduler,
  SCHEDULED_TIME_PLACEHOLDER,
} from '../../../app/adapters/recurring-scheduler';
import { JobPayloadError } from '../../../app/domain/payload-guard';
import { CronScheduleError } from '../../../app/domain/schedule-cron';
import { DownstreamError } from '../../../app/errors';
import { recurringFireHandler } from '../../../app/jobs/scheduled-fire';
import { JobService, jobIdFor } from '../../../app/services/jobs';
import { captureLogger, FakeClock, startJobStore } from '../../helpers/job-fixtures';

const scheduler = mockClient(SchedulerClient);
const TARGET = 'arn:aws:lambda:us-east-1:123456789012:function:mcc-scheduled';
const ROLE = 'arn:aws:iam::123456789012:role/mcc-scheduler';
const NINE_WEEKDAYS = { expression: 'cron(0 9 ? * MON-FRI *)', timeZone: 'America/New_York' };

afterEach(() => {
  scheduler.reset();
});

function cloud() {
  const { logger } = captureLogger();
  return new EventBridgeRecurringScheduler({
    targetArn: TARGET,
    roleArn: ROLE,
    groupName: 'mcc-schedules',
    logger,
    region: 'us-east-1',
  });
}

const notFound = () =>
  new ResourceNotFoundException({ message: 'no schedule', Message: 'no schedule', $metadata: {} });

describe('EventBridgeRecurringScheduler', () => {
  it('creates a cron schedule in the zone, in the group, with a ClientToken and the run time in its input', async () => {
    // Prepare
    scheduler.on(GetScheduleCommand).rejects(notFound());
    scheduler.on(CreateScheduleCommand).resolves({ ScheduleArn: 'arn:s' });
    // Act
    const outcome = await cloud().upsert({
      name: 'digest-C0MKTG',
      schedule: NINE_WEEKDAYS,
      payload: { kind: 'digest.run', channelId: 'C0MKTG' },
      clientToken: 'digest-C0MKTG-v1',
      description: 'Daily digest for #marketing',
    });
    // Assess
    expect(outcome).toBe('created');
    expect(scheduler.commandCalls(GetScheduleCommand)[0]?.args[0].input).toEqual({
      Name: 'digest-C0MKTG',
      GroupName: 'mcc-schedules',
    });
    const input = scheduler.commandCalls(CreateScheduleCommand)[0]?.args[0].input;
    expect(input).toMatchObject({
      Name: 'digest-C0MKTG',
      GroupName: 'mcc-schedules',
      ScheduleExpression: 'cron(0 9 ? * MON-FRI *)',
      ScheduleExpressionTimezone: 'America/New_York',
      FlexibleTimeWindow: { Mode: 'OFF' },
      State: 'ENABLED',
      ActionAfterCompletion: 'NONE',
      ClientToken: 'digest-C0MKTG-v1',
      Target: { Arn: TARGET, RoleArn: ROLE, RetryPolicy: { MaximumRetryAttempts: 20 } },
    });
    expect(JSON.parse(input?.Target?.Input ?? '')).toEqual({
      kind: 'digest.run',
      channelId: 'C0MKTG',
      scheduledTime: SCHEDULED_TIME_PLACEHOLDER,
    });
  });

  it('updates by reading the schedule and replacing it whole, keeping fields it does not own', async () => {
    // Prepare: an operator added a dead-letter queue and a KMS key to the stored schedule.
    scheduler.on(GetScheduleCommand).resolves({
      Name: 'digest-C0MKTG',
      GroupName: 'mcc-schedules',
      ScheduleExpression: 'cron(0 9 ? * MON-FRI *)',
      ScheduleExpressionTimezone: 'America/New_York',
      KmsKeyArn: 'arn:aws:kms:us-east-1:123456789012:key/k',
      Target: {
        Arn: TARGET,
        RoleArn: ROLE,
        DeadLetterConfig: { Arn: 'arn:aws:sqs:us-east-1:123456789012:dlq' },
        Input: '{}',
      },
    });
    scheduler.on(UpdateScheduleCommand).resolves({ ScheduleArn: 'arn:s' });
    // Act
    const outcome = await cloud().upsert({
      name: 'digest-C0MKTG',
      schedule: { expression: 'cron(30 7 * * ? *)', timeZone: 'Europe/Berlin' },
      payload: { kind: 'digest.run', channelId: 'C0MKTG' },
      clientToken: 'digest-C0MKTG-v2',
    });
    // Assess
    expect(outcome).toBe('updated');
    expect(scheduler.commandCalls(CreateScheduleCommand)).toHaveLength(0);
    expect(scheduler.commandCalls(UpdateScheduleCommand)[0]?.args[0].input).toMatchObject({
      Name: 'digest-C0MKTG',
      GroupName: 'mcc-schedules',
      ScheduleExpression: 'cron(30 7 * * ? *)',
      ScheduleExpressionTimezone: 'Europe/Berlin',
      FlexibleTimeWindow: { Mode: 'OFF' },
      State: 'ENABLED',
      ClientToken: 'digest-C0MKTG-v2',
      KmsKeyArn: 'arn:aws:kms:us-east-1:123456789012:key/k',
      Target: {
        Arn: TARGET,
        RoleArn: ROLE,
        DeadLetterConfig: { Arn: 'arn:aws:sqs:us-east-1:123456789012:dlq' },
      },
    });
  });

  it('replaces a schedule created concurrently between its read and its create', async () => {
    scheduler
      .on(GetScheduleCommand)
      .rejectsOnce(notFound())
      .resolves({ Name: 'digest-C0MKTG', Target: { Arn: TARGET, RoleArn: ROLE } });
    scheduler
      .on(CreateScheduleCommand)
      .rejects(new ConflictException({ message: 'exists', Message: 'exists', $metadata: {} }));
    scheduler.on(UpdateScheduleCommand).resolves({});
    const outcome = await cloud().upsert({
      name: 'digest-C0MKTG',
      schedule: NINE_WEEKDAYS,
      payload: { kind: 'digest.run' },
      clientToken: 't',
    });
    expect(outcome).toBe('updated');
    expect(scheduler.commandCalls(UpdateScheduleCommand)).toHaveLength(1);
  });

  it('deletes the schedule; a missing one is fine; other failures are loud and say if a retry may help', async () => {
    scheduler
      .on(DeleteScheduleCommand)
      .resolvesOnce({})
      .rejectsOnce(notFound())
      .rejectsOnce(new ThrottlingException({ message: 'slow down', Message: 'slow down', $metadata: {} }));
    const subject = cloud();
    await subject.remove('digest-C0MKTG');
    await subject.remove('digest-C0MKTG');
    const third = subject.remove('digest-C0MKTG');
    await expect(third).rejects.toBeInstanceOf(DownstreamError);
    await expect(third).rejects.toMatchObject({ retryable: true, service: 'scheduler' });
    expect(scheduler.commandCalls(DeleteScheduleCommand)[0]?.args[0].input).toEqual({
      Name: 'digest-C0MKTG',
      GroupName: 'mcc-schedules',
    });
  });

  it('refuses a bad expression, an unknown zone or a secret in the payload before calling AWS', async () => {
    const subject = cloud();
    const base = { name: 'digest-x', payload: { kind: 'digest.run' }, clientToken: 't' };
    await expect(
      subject.upsert({ ...base, schedule: { expression: 'cron(0 9 * * MON *)', timeZone: 'UTC' } }),
    ).rejects.toBeInstanceOf(CronScheduleError);
    await expect(
      subject.upsert({ ...base, schedule: { expression: 'cron(0 9 * * ? *)', timeZone: 'Nowhere/City' } }),
    ).rejects.toBeInstanceOf(CronScheduleError);
    await expect(
      subject.upsert({ ...base, schedule: NINE_WEEKDAYS, payload: { kind: 'k', token: 'xoxb-1-2-3' } }),
    ).rejects.toBeInstanceOf(JobPayloadError);
    expect(scheduler.calls()).toHaveLength(0);
  });
});

describe('InProcessRecurringScheduler', () => {
  let store: Awaited<ReturnType<typeof startJobStore>>;
  beforeAll(async () => {
    store = await startJobStore('recurring-');
  });
  afterAll(async () => {
    await store.close();
  });

  /** The local wiring: runs are jobs, fired through the recurring job handler into the scheduled handlers. */
  function local(clock: FakeClock) {
    const { logger } = captureLogger();
    let jobs: JobService | undefined;
    const dispatcher = new InProcessJobDispatcher({ logger, run: async (id) => jobs?.run(id) });
    // Timers would fire on the wall clock; the test plays them on its own clock instead.
    dispatcher.close();
    jobs = new JobService({ repo: store.repo, dispatcher, logger, clock: clock.now });
    const subject = new InProcessRecurringScheduler({
      queue: jobs,
      store: new WorkflowStateRepository(store.db, store.tables.workflowState, clock.now),
      logger,
      clock: clock.now,
    });
    const fired: Record<string, unknown>[] = [];
    jobs.setHandlers({
      [SCHEDULED_RECURRING_JOB_KIND]: recurringFireHandler(subject, {
        'digest.run': async (payload) => {
          fired.push(payload);
        },
      }),
    });
    return { jobs, subject, fired };
  }

  /** The run job for schedule/generation/time. */
  const runJob = (name: string, generation: number, iso: string) =>
    jobIdFor(SCHEDULED_RECURRING_JOB_KIND, `${name}@${generation}@${iso}`);

  it('fires at 09:00 local on both sides of a DST change, each run arming the next, with scheduledTime', async () => {
    // Prepare: Friday 2026-10-30 in New York (EDT); the switch to EST is on Sunday 2026-11-01.
    const clock = new FakeClock(new Date('2026-10-30T12:00:00.000Z'));
    const { jobs, subject, fired } = local(clock);
    await subject.upsert({
      name: 'digest-C0NY',
      schedule: NINE_WEEKDAYS,
      payload: { kind: 'digest.run', channelId: 'C0NY' },
      clientToken: 't',
    });
    // Act: play the clock to each run and run its job.
    clock.set(new Date('2026-10-30T13:00:00.000Z'));
    const friday = await jobs.run(runJob('digest-C0NY', 1, '2026-10-30T13:00:00.000Z'));
    clock.set(new Date('2026-11-02T14:00:00.000Z'));
    const monday = await jobs.run(runJob('digest-C0NY', 1, '2026-11-02T14:00:00.000Z'));
    // Assess: 09:00 EDT = 13:00Z, 09:00 EST = 14:00Z; the Tuesday run is armed.
    expect([friday, monday]).toEqual(['succeeded', 'succeeded']);
    expect(fired).toEqual([
      { kind: 'digest.run', channelId: 'C0NY', scheduledTime: '2026-10-30T13:00:00.000Z' },
      { kind: 'digest.run', channelId: 'C0NY', scheduledTime: '2026-11-02T14:00:00.000Z' },
    ]);
    expect(await jobs.get(runJob('digest-C0NY', 1, '2026-11-03T14:00:00.000Z'))).toMatchObject({
      status: 'QUEUED',
      nextAttemptAt: '2026-11-03T14:00:00.000Z',
    });
  });

  it('skips a 02:30 run on the Berlin spring-forward day, like EventBridge', async () => {
    const clock = new FakeClock(new Date('2026-03-27T12:00:00.000Z'));
    const { jobs, subject, fired } = local(clock);
    await subject.upsert({
      name: 'digest-C0BER',
      schedule: { expression: 'cron(30 2 * * ? *)', timeZone: 'Europe/Berlin' },
      payload: { kind: 'digest.run' },
      clientToken: 't',
    });
    clock.set(new Date('2026-03-28T01:30:00.000Z'));
    await jobs.run(runJob('digest-C0BER', 1, '2026-03-28T01:30:00.000Z'));
    // The next run armed is Monday 02:30 CEST (00:30Z), not Sunday (which has no 02:30).
    expect(await jobs.get(runJob('digest-C0BER', 1, '2026-03-30T00:30:00.000Z'))).toMatchObject({
      status: 'QUEUED',
    });
    expect(fired).toHaveLength(1);
  });

  it('an update replaces the armed run; a removed schedule never fires again', async () => {
    // Prepare
    const clock = new FakeClock(new Date('2026-12-03T12:00:00.000Z'));
    const { jobs, subject, fired } = local(clock);
    const input = { name: 'digest-C0UPD', payload: { kind: 'digest.run' }, clientToken: 't' };
    expect(await subject.upsert({ ...input, schedule: NINE_WEEKDAYS })).toBe('created');
    // Act
    expect(
      await subject.upsert({ ...input, schedule: { expression: 'cron(0 8 * * ? *)', timeZone: 'UTC' } }),
    ).toBe('updated');
    // Assess: the first run (Fri 09:00 New York) is gone; the new one is Fri 08:00 UTC.
    expect(await jobs.get(runJob('digest-C0UPD', 1, '2026-12-03T14:00:00.000Z'))).toBeUndefined();
    const armed = runJob('digest-C0UPD', 2, '2026-12-04T08:00:00.000Z');
    expect(await jobs.get(armed)).toMatchObject({ status: 'QUEUED' });
    // Act: remove it, then let its time come.
    await subject.remove('digest-C0UPD');
    await subject.remove('digest-C0UPD');
    clock.set(new Date('2026-12-04T08:00:00.000Z'));
    // Assess
    expect(await jobs.get(armed)).toBeUndefined();
    expect(fired).toEqual([]);
  });

  it('a run armed before a change stands down when it fires (stale generation)', async () => {
    const clock = new FakeClock(new Date('2026-12-03T12:00:00.000Z'));
    const { subject, fired } = local(clock);
    await subject.upsert({
      name: 'digest-C0STALE',
      schedule: NINE_WEEKDAYS,
      payload: { kind: 'digest.run' },
      clientToken: 't',
    });
    await subject.upsert({
      name: 'digest-C0STALE',
      schedule: NINE_WEEKDAYS,
      payload: { kind: 'digest.run', v: 2 },
      clientToken: 't',
    });
    const outcome = await subject.fire(
      { schedule: 'digest-C0STALE', generation: 1, scheduledTime: '2026-12-03T14:00:00.000Z' },
      async (payload) => {
        fired.push(payload);
      },
    );
    expect(outcome).toBe('stale');
    expect(fired).toEqual([]);
  });

  it('after days down, the overdue run fires once and arms the next future run, not a backlog', async () => {
    // Prepare: armed for Thu 2026-12-03 09:00 New York; the process comes back on Mon 12-07 at noon.
    const clock = new FakeClock(new Date('2026-12-03T12:00:00.000Z'));
    const { jobs, subject, fired } = local(clock);
    await subject.upsert({
      name: 'digest-C0DOWN',
      schedule: NINE_WEEKDAYS,
      payload: { kind: 'digest.run' },
      clientToken: 't',
    });
    clock.set(new Date('2026-12-07T17:00:00.000Z'));
    // Act: what start()'s sweep would do: run what is due.
    const outcome = await jobs.run(runJob('digest-C0DOWN', 1, '2026-12-03T14:00:00.000Z'));
    await subject.start();
    const rearmedAgain = await subject.start();
    // Assess: it ran with its own (old) scheduledTime — the digest marks it late; next is Tue 09:00.
    expect(outcome).toBe('succeeded');
    expect(fired).toEqual([{ kind: 'digest.run', scheduledTime: '2026-12-03T14:00:00.000Z' }]);
    expect(await jobs.get(runJob('digest-C0DOWN', 1, '2026-12-08T14:00:00.000Z'))).toMatchObject({
      status: 'QUEUED',
    });
    expect(await jobs.get(runJob('digest-C0DOWN', 1, '2026-12-04T14:00:00.000Z'))).toBeUndefined();
    // start() arms only what has no queued run: a second call finds nothing to do.
    expect(rearmedAgain).toBe(0);
  });
});
