import {
  ConflictException,
  CreateScheduleCommand,
  DeleteScheduleCommand,
  ResourceNotFoundException,
  SchedulerClient,
  ValidationException,
} from '@aws-sdk/client-scheduler';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { InProcessJobDispatcher } from '../../../app/adapters/job-dispatch';
import {
  atExpression,
  EventBridgeOneTimeScheduler,
  eventBridgeTarget,
  InProcessOneTimeScheduler,
  SCHEDULED_FIRE_JOB_KIND,
  scheduleClientToken,
  scheduleName,
} from '../../../app/adapters/scheduler';
import { JobPayloadError } from '../../../app/domain/payload-guard';
import { ConfigError, DownstreamError } from '../../../app/errors';
import { scheduledFireHandler } from '../../../app/jobs/scheduled-fire';
import { JobService, jobIdFor } from '../../../app/services/jobs';
import { captureLogger, FakeClock, startJobStore } from '../../helpers/job-fixtures';

const scheduler = mockClient(SchedulerClient);
const TARGET = 'arn:aws:lambda:us-east-1:123456789012:function:mcc-scheduled';
const ROLE = 'arn:aws:iam::123456789012:role/mcc-scheduler';

afterEach(() => {
  scheduler.reset();
});

function cloudScheduler(clock = new FakeClock()) {
  const { logger, lines } = captureLogger();
  return {
    lines,
    clock,
    subject: new EventBridgeOneTimeScheduler({
      targetArn: TARGET,
      roleArn: ROLE,
      groupName: 'mcc',
      logger,
      clock: clock.now,
      region: 'us-east-1',
    }),
  };
}

describe('schedule names, tokens and expressions', () => {
  it('keeps a valid name and hashes an invalid or long one into 64 allowed characters', () => {
    const long = `approval-remind-${'x'.repeat(80)}`;
    expect(scheduleName('approval-remind-01J9Z.A_b')).toBe('approval-remind-01J9Z.A_b');
    expect(scheduleName('approval:remind/01 J9')).toMatch(/^[0-9a-zA-Z_.-]{1,64}$/);
    expect(scheduleName(long)).toHaveLength(64);
    expect(scheduleName(long)).not.toBe(scheduleName(`${long}y`));
    expect(scheduleName('a:b')).not.toBe(scheduleName('a/b'));
    expect(scheduleClientToken('remind.01J9')).toMatch(/^[a-zA-Z0-9_-]{1,64}$/);
  });

  it('writes at() in UTC to the second', () => {
    expect(atExpression(new Date('2026-03-04T17:05:09.123Z'))).toBe('at(2026-03-04T17:05:09)');
  });
});

describe('EventBridgeOneTimeScheduler', () => {
  it('creates a one-time schedule that deletes itself, targets the scheduled function and carries the payload', async () => {
    // Prepare
    scheduler.on(CreateScheduleCommand).resolves({ ScheduleArn: 'arn:schedule' });
    const { subject } = cloudScheduler();
    // Act
    await subject.scheduleOnce({
      name: 'approval-remind-apr_01',
      at: new Date('2026-03-03T09:00:00.000Z'),
      payload: { kind: 'approval.remind', approvalId: 'apr_01' },
      clientToken: 'remind-apr_01',
    });
    // Assess
    const input = scheduler.commandCalls(CreateScheduleCommand)[0]?.args[0].input;
    expect(input).toMatchObject({
      Name: 'approval-remind-apr_01',
      GroupName: 'mcc',
      ScheduleExpression: 'at(2026-03-03T09:00:00)',
      ScheduleExpressionTimezone: 'UTC',
      FlexibleTimeWindow: { Mode: 'OFF' },
      ActionAfterCompletion: 'DELETE',
      ClientToken: 'remind-apr_01',
      Target: { Arn: TARGET, RoleArn: ROLE },
    });
    expect(JSON.parse(input?.Target?.Input ?? '')).toEqual({ kind: 'approval.remind', approvalId: 'apr_01' });
    expect(input?.Target?.RetryPolicy?.MaximumRetryAttempts).toBeGreaterThan(0);
  });

  it('moves a time already past to a minute from now', async () => {
    scheduler.on(CreateScheduleCommand).resolves({});
    const { subject, clock } = cloudScheduler();
    await subject.scheduleOnce({
      name: 'late',
      at: new Date(clock.now().getTime() - 3_600_000),
      payload: { kind: 'approval.expire' },
      clientToken: 'late',
    });
    const expected = atExpression(new Date(clock.now().getTime() + 60_000));
    expect(scheduler.commandCalls(CreateScheduleCommand)[0]?.args[0].input.ScheduleExpression).toBe(expected);
  });

  it('treats ConflictException (the name exists) as already scheduled', async () => {
    scheduler.on(CreateScheduleCommand).rejects(
      new ConflictException({
        message: 'Schedule already exists',
        Message: 'Schedule already exists',
        $metadata: {},
      }),
    );
    const { subject, lines } = cloudScheduler();
    await expect(
      subject.scheduleOnce({
        name: 'dup',
        at: new Date('2026-03-03T09:00:00Z'),
        payload: { kind: 'k' },
        clientToken: 't',
      }),
    ).resolves.toBeUndefined();
    expect(lines.some((l) => l.event === 'schedule_exists')).toBe(true);
  });

  it('fails loudly on any other error', async () => {
    scheduler
      .on(CreateScheduleCommand)
      .rejects(
        new ValidationException({ message: 'bad expression', Message: 'bad expression', $metadata: {} }),
      );
    const { subject } = cloudScheduler();
    const attempt = subject.scheduleOnce({
      name: 'bad',
      at: new Date('2026-03-03T09:00:00Z'),
      payload: { kind: 'k' },
      clientToken: 't',
    });
    await expect(attempt).rejects.toBeInstanceOf(DownstreamError);
    await expect(attempt).rejects.toMatchObject({ service: 'scheduler', retryable: false });
  });

  it('refuses a payload carrying a secret before calling AWS', async () => {
    const { subject } = cloudScheduler();
    const attempt = subject.scheduleOnce({
      name: 'x',
      at: new Date('2026-03-03T09:00:00Z'),
      payload: { kind: 'k', botToken: 'xoxb-123-456' },
      clientToken: 't',
    });
    await expect(attempt).rejects.toBeInstanceOf(JobPayloadError);
    expect(scheduler.commandCalls(CreateScheduleCommand)).toHaveLength(0);
  });

  it('cancels with DeleteSchedule, and a missing schedule is fine', async () => {
    scheduler
      .on(DeleteScheduleCommand)
      .resolvesOnce({})
      .rejectsOnce(new ResourceNotFoundException({ message: 'gone', Message: 'gone', $metadata: {} }))
      .rejectsOnce(new Error('AccessDenied'));
    const { subject } = cloudScheduler();
    await subject.cancel('approval-remind-apr_01');
    await subject.cancel('approval-remind-apr_01');
    await expect(subject.cancel('approval-remind-apr_01')).rejects.toBeInstanceOf(DownstreamError);
    expect(scheduler.commandCalls(DeleteScheduleCommand)[0]?.args[0].input).toEqual({
      Name: 'approval-remind-apr_01',
      GroupName: 'mcc',
    });
  });

  it('requires both the target ARN and the role ARN', () => {
    expect(
      eventBridgeTarget({ scheduledFunctionArn: undefined, schedulerRoleArn: undefined }),
    ).toBeUndefined();
    expect(eventBridgeTarget({ scheduledFunctionArn: TARGET, schedulerRoleArn: ROLE })).toEqual({
      targetArn: TARGET,
      roleArn: ROLE,
    });
    expect(() => eventBridgeTarget({ scheduledFunctionArn: TARGET, schedulerRoleArn: undefined })).toThrow(
      ConfigError,
    );
  });
});

describe('InProcessOneTimeScheduler', () => {
  let store: Awaited<ReturnType<typeof startJobStore>>;
  beforeAll(async () => {
    store = await startJobStore('sched-');
  });
  afterAll(async () => {
    await store.close();
  });

  /** The local wiring: schedules are jobs, run by the in-process dispatcher through the scheduled registry. */
  function local(fired: Record<string, unknown>[], clock = new FakeClock()) {
    const { logger } = captureLogger();
    let jobs: JobService | undefined;
    const dispatcher = new InProcessJobDispatcher({ logger, run: async (id) => jobs?.run(id) });
    jobs = new JobService({ repo: store.repo, dispatcher, logger, clock: clock.now });
    jobs.setHandlers({
      [SCHEDULED_FIRE_JOB_KIND]: scheduledFireHandler({
        'approval.remind': async (payload) => {
          fired.push(payload);
        },
      }),
    });
    return { jobs, dispatcher, clock, subject: new InProcessOneTimeScheduler({ queue: jobs, logger }) };
  }

  it('stores the schedule and fires it through the scheduled handlers once due', async () => {
    // Prepare
    const fired: Record<string, unknown>[] = [];
    const { jobs, dispatcher, clock, subject } = local(fired);
    const at = new Date(clock.now().getTime() + 3_600_000);
    // Act
    await subject.scheduleOnce({
      name: 'approval-remind-apr_1',
      at,
      payload: { kind: 'approval.remind', approvalId: 'apr_1' },
      clientToken: 'x',
    });
    await subject.scheduleOnce({
      name: 'approval-remind-apr_1',
      at,
      payload: { kind: 'approval.remind', approvalId: 'apr_1' },
      clientToken: 'x',
    });
    const stored = await jobs.get(jobIdFor(SCHEDULED_FIRE_JOB_KIND, 'approval-remind-apr_1'));
    const armed = dispatcher.pendingDelayed();
    // The real timer is an hour away; stop it and play its part on the fake clock.
    dispatcher.close();
    const early = await jobs.run(stored?.jobId ?? '');
    clock.advance(3_600_000);
    const due = await jobs.run(stored?.jobId ?? '');
    // Assess
    expect(stored).toMatchObject({
      status: 'QUEUED',
      nextAttemptAt: at.toISOString(),
      kind: SCHEDULED_FIRE_JOB_KIND,
    });
    expect(armed).toEqual([stored?.jobId]);
    expect([early, due]).toEqual(['skipped', 'succeeded']);
    expect(fired).toEqual([{ kind: 'approval.remind', approvalId: 'apr_1' }]);
    expect((await jobs.get(stored?.jobId ?? ''))?.status).toBe('SUCCEEDED');
  });

  it('fires a time already past at once, and lets a fired name be scheduled again', async () => {
    // Prepare
    const fired: Record<string, unknown>[] = [];
    const { dispatcher, clock, subject } = local(fired);
    const input = {
      name: 'approval-remind-apr_2',
      at: new Date(clock.now().getTime() - 60_000),
      payload: { kind: 'approval.remind', approvalId: 'apr_2' },
      clientToken: 'y',
    };
    // Act
    await subject.scheduleOnce(input);
    await dispatcher.idle();
    await subject.scheduleOnce(input);
    await dispatcher.idle();
    // Assess
    expect(fired).toHaveLength(2);
  });

  it('cancels a pending schedule; cancelling an unknown name is fine', async () => {
    // Prepare
    const fired: Record<string, unknown>[] = [];
    const { jobs, dispatcher, clock, subject } = local(fired);
    await subject.scheduleOnce({
      name: 'approval-expire-apr_3',
      at: new Date(clock.now().getTime() + 60_000),
      payload: { kind: 'approval.remind', approvalId: 'apr_3' },
      clientToken: 'z',
    });
    dispatcher.close();
    // Act
    await subject.cancel('approval-expire-apr_3');
    await subject.cancel('never-scheduled');
    clock.advance(120_000);
    // Assess
    expect(await jobs.get(jobIdFor(SCHEDULED_FIRE_JOB_KIND, 'approval-expire-apr_3'))).toBeUndefined();
    expect(fired).toEqual([]);
  });

  it('ends a schedule whose kind nobody handles as failed, without retries', async () => {
    const { jobs, dispatcher, clock, subject } = local([]);
    await subject.scheduleOnce({
      name: 'odd',
      at: clock.now(),
      payload: { kind: 'nobody.handles' },
      clientToken: 'o',
    });
    await dispatcher.idle();
    expect(await jobs.get(jobIdFor(SCHEDULED_FIRE_JOB_KIND, 'odd'))).toMatchObject({
      status: 'FAILED',
      attempts: 1,
    });
  });

  it('start() sweeps at once, so schedules that fell due while the process was down fire', async () => {
    // Prepare: a schedule stored by an earlier process, due now, with no timer armed.
    const fired: Record<string, unknown>[] = [];
    const earlier = local([]);
    earlier.dispatcher.close();
    await earlier.subject.scheduleOnce({
      name: 'approval-remind-apr_4',
      at: new Date(earlier.clock.now().getTime() + 30_000),
      payload: { kind: 'approval.remind', approvalId: 'apr_4' },
      clientToken: 'w',
    });
    const clock = new FakeClock();
    clock.advance(31_000);
    const { dispatcher, subject } = local(fired, clock);
    // Act
    subject.start();
    await subject.stop();
    await dispatcher.idle();
    // Assess
    expect(fired).toContainEqual({ kind: 'approval.remind', approvalId: 'apr_4' });
  });
});
