import {
  CreateScheduleCommand,
  DeleteScheduleCommand,
  GetScheduleCommand,
  InternalServerException,
  ResourceNotFoundException,
  SchedulerClient,
  UpdateScheduleCommand,
} from '@aws-sdk/client-scheduler';
import { WebClient } from '@slack/web-api';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { WorkflowStateRepository } from '../../../../app/adapters/dynamo/workflow-state-repo';
import { EventBridgeRecurringScheduler } from '../../../../app/adapters/recurring-scheduler';
import { SlackChannelAccess } from '../../../../app/adapters/slack-digest-publisher';
import { AuthorizationError, ValidationError } from '../../../../app/errors';
import { DigestStore } from '../../../../app/services/digest/store';
import {
  DigestScheduleError,
  DigestSubscriptionService,
  digestCron,
  parseDigestTime,
  parseWeekday,
} from '../../../../app/services/digest/subscriptions';
import { type SlackStandIn, STAND_IN_BOT_TOKEN, startSlackStandIn } from '../../../../dev/slack-standin';
import { captureLogger, FakeClock } from '../../../helpers/job-fixtures';
import { startTestDb, type TestDb } from '../../../helpers/test-db';

const scheduler = mockClient(SchedulerClient);
let testDb: TestDb;
let standin: SlackStandIn;

beforeAll(async () => {
  testDb = await startTestDb(`digest-subs-${process.pid}-`);
  standin = await startSlackStandIn();
  standin.setChannels([
    { id: 'C0MKTG', name: 'marketing', memberIds: ['U0MAYA', 'U0SAM'] },
    { id: 'C0NOBOT', name: 'no-bot', isMember: false },
  ]);
});
afterAll(async () => {
  await standin.close();
  await testDb.close();
});
afterEach(() => {
  scheduler.reset();
});

/** The service as wired in production, with EventBridge Scheduler faked at the SDK boundary. */
function service(clock = new FakeClock(new Date('2026-12-03T12:00:00.000Z'))) {
  const { logger, lines } = captureLogger();
  const slack = new WebClient(STAND_IN_BOT_TOKEN, {
    slackApiUrl: standin.apiUrl,
    retryConfig: { retries: 0 },
  });
  return {
    lines,
    clock,
    subject: new DigestSubscriptionService({
      store: new DigestStore(
        new WorkflowStateRepository(testDb.db, testDb.tables.workflowState, clock.now),
        clock.now,
      ),
      scheduler: new EventBridgeRecurringScheduler({
        targetArn: 'arn:aws:lambda:us-east-1:123456789012:function:mcc-scheduled',
        roleArn: 'arn:aws:iam::123456789012:role/mcc-scheduler',
        groupName: 'mcc',
        logger,
        region: 'us-east-1',
      }),
      channels: new SlackChannelAccess(slack),
      clock: clock.now,
      logger,
    }),
  };
}

const notFound = () => new ResourceNotFoundException({ message: 'none', Message: 'none', $metadata: {} });

describe('parsing what people type', () => {
  it('reads times of day and refuses what is not one', () => {
    expect(['9', '09:00', '9:05', '9am', '12am', '12pm', '5:30 pm', '23:59'].map(parseDigestTime)).toEqual([
      '09:00',
      '09:00',
      '09:05',
      '09:00',
      '00:00',
      '12:00',
      '17:30',
      '23:59',
    ]);
    for (const bad of ['25:00', '9:75', '13pm', 'noon', '']) {
      expect(() => parseDigestTime(bad)).toThrow(ValidationError);
    }
    expect(() => parseDigestTime('25:00')).toThrow(/“25:00” is not a time of day/);
  });

  it('reads weekdays by name, abbreviation or number', () => {
    expect([parseWeekday('monday'), parseWeekday('Fri'), parseWeekday(7), parseWeekday('3')]).toEqual([
      1, 5, 7, 3,
    ]);
    expect(() => parseWeekday('someday')).toThrow(/not a day of the week/);
  });

  it('maps settings to the EventBridge schedule', () => {
    expect(digestCron({ time: '09:00', frequency: 'weekdays', timeZone: 'Europe/Berlin' })).toEqual({
      expression: 'cron(0 9 ? * MON-FRI *)',
      timeZone: 'Europe/Berlin',
    });
    expect(digestCron({ time: '07:30', frequency: 'daily', timeZone: 'UTC' }).expression).toBe(
      'cron(30 7 * * ? *)',
    );
    expect(digestCron({ time: '16:00', frequency: 'weekly', weekday: 5, timeZone: 'UTC' }).expression).toBe(
      'cron(0 16 ? * FRI *)',
    );
  });
});

describe('DigestSubscriptionService', () => {
  it('subscribes with the defaults (09:00, weekdays, the caller’s zone) and creates the schedule', async () => {
    // Prepare
    scheduler.on(GetScheduleCommand).rejects(notFound());
    scheduler.on(CreateScheduleCommand).resolves({});
    const { subject } = service();
    // Act
    const result = await subject.subscribe({
      channelId: 'C0MKTG',
      actorId: 'U0MAYA',
      actorTimeZone: 'America/New_York',
      actorLocale: 'en-US',
      slackTeamId: 'T0LOCAL',
      appId: 'A0LOCAL',
    });
    // Assess
    expect(result.created).toBe(true);
    expect(result.subscription).toMatchObject({
      channelId: 'C0MKTG',
      enabled: true,
      time: '09:00',
      frequency: 'weekdays',
      timeZone: 'America/New_York',
      locale: 'en-US',
      whenEmpty: 'quiet_line',
      scheduleName: 'digest-C0MKTG',
      createdBy: 'U0MAYA',
    });
    // Thursday 2026-12-03 12:00Z is 07:00 in New York: the next run is today at 09:00 EST.
    expect(result.nextRun).toBe('2026-12-03T14:00:00.000Z');
    expect(scheduler.commandCalls(CreateScheduleCommand)[0]?.args[0].input).toMatchObject({
      Name: 'digest-C0MKTG',
      GroupName: 'mcc',
      ScheduleExpression: 'cron(0 9 ? * MON-FRI *)',
      ScheduleExpressionTimezone: 'America/New_York',
      ClientToken: 'digest-C0MKTG-v1',
    });
    expect((await subject.settings('C0MKTG'))?.subscription.time).toBe('09:00');
  });

  it('updates: keeps what was not given, reads then replaces the schedule whole', async () => {
    scheduler.on(GetScheduleCommand).resolves({ Name: 'digest-C0MKTG', Target: { Arn: 'a', RoleArn: 'r' } });
    scheduler.on(UpdateScheduleCommand).resolves({});
    const { subject } = service();
    const result = await subject.subscribe({
      channelId: 'C0MKTG',
      actorId: 'U0SAM',
      time: '7:30am',
      frequency: 'weekly',
      weekday: 'friday',
      timeZone: 'Europe/Berlin',
    });
    expect(result.created).toBe(false);
    expect(result.subscription).toMatchObject({
      time: '07:30',
      frequency: 'weekly',
      weekday: 5,
      timeZone: 'Europe/Berlin',
      createdBy: 'U0MAYA',
      updatedBy: 'U0SAM',
      slackTeamId: 'T0LOCAL',
    });
    expect(result.nextRun).toBe('2026-12-04T06:30:00.000Z');
    expect(scheduler.commandCalls(UpdateScheduleCommand)[0]?.args[0].input).toMatchObject({
      ScheduleExpression: 'cron(30 7 ? * FRI *)',
      ScheduleExpressionTimezone: 'Europe/Berlin',
      ClientToken: 'digest-C0MKTG-v2',
    });
  });

  it('names every bad field at once and changes nothing', async () => {
    const { subject } = service();
    const before = await subject.settings('C0MKTG');
    const attempt = subject.subscribe({
      channelId: 'C0MKTG',
      actorId: 'U0MAYA',
      time: '25:00',
      timeZone: 'Mars/Olympus_Mons',
    });
    await expect(attempt).rejects.toBeInstanceOf(ValidationError);
    await expect(attempt).rejects.toMatchObject({
      fields: { time: expect.any(String), timeZone: expect.any(String) },
      message: expect.stringMatching(/25:00.*Mars\/Olympus_Mons/s),
    });
    expect(await subject.settings('C0MKTG')).toEqual(before);
    expect(scheduler.calls()).toHaveLength(0);
  });

  it('refuses a channel the bot is not in, a DM, and a caller who is not a member', async () => {
    const { subject } = service();
    await expect(subject.subscribe({ channelId: 'C0NOBOT', actorId: 'U0MAYA' })).rejects.toThrow(
      /I'm not in <#C0NOBOT>.*\/invite/,
    );
    await expect(subject.subscribe({ channelId: 'C0GONE', actorId: 'U0MAYA' })).rejects.toThrow(/can't find/);
    await expect(subject.subscribe({ channelId: 'D0MAYA', actorId: 'U0MAYA' })).rejects.toThrow(/channels/);
    await expect(subject.subscribe({ channelId: 'C0MKTG', actorId: 'U0DIEGO' })).rejects.toBeInstanceOf(
      AuthorizationError,
    );
    await expect(subject.unsubscribe('C0MKTG', 'U0DIEGO')).rejects.toBeInstanceOf(AuthorizationError);
    expect(scheduler.calls()).toHaveLength(0);
  });

  it('off keeps the settings, disabled, and deletes the schedule; on again restores them', async () => {
    scheduler.on(DeleteScheduleCommand).resolves({});
    const { subject } = service();
    const off = await subject.unsubscribe('C0MKTG', 'U0MAYA');
    expect(off).toMatchObject({ subscription: { enabled: false, time: '07:30' }, nextRun: undefined });
    expect(scheduler.commandCalls(DeleteScheduleCommand)[0]?.args[0].input).toEqual({
      Name: 'digest-C0MKTG',
      GroupName: 'mcc',
    });
    scheduler.on(GetScheduleCommand).rejects(notFound());
    scheduler.on(CreateScheduleCommand).resolves({});
    const on = await subject.subscribe({ channelId: 'C0MKTG', actorId: 'U0MAYA' });
    expect(on.subscription).toMatchObject({ enabled: true, time: '07:30', frequency: 'weekly' });
    expect(await subject.unsubscribe('C0NEVER', 'U0MAYA')).toBeUndefined();
  });

  it('a scheduler outage keeps the saved settings and says to try again', async () => {
    scheduler
      .on(GetScheduleCommand)
      .rejects(new InternalServerException({ message: 'boom', Message: 'boom', $metadata: {} }));
    const { subject, lines } = service();
    const attempt = subject.subscribe({ channelId: 'C0MKTG', actorId: 'U0MAYA', time: '08:00' });
    await expect(attempt).rejects.toBeInstanceOf(DigestScheduleError);
    await expect(attempt).rejects.toThrow(/saved, but the schedule could not be set/);
    expect((await subject.settings('C0MKTG'))?.subscription.time).toBe('08:00');
    expect(lines.some((line) => line.event === 'digest_schedule_not_saved')).toBe(true);
  });
});
