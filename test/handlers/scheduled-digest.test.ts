import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { addDays, todayIn } from '../../app/domain/calendar';
import { latestOccurrence } from '../../app/domain/schedule-cron';
import { DigestStore } from '../../app/services/digest/store';
import { digestCron } from '../../app/services/digest/subscriptions';
import { startLocalDynamo } from '../../dev/local-dynamo';
import { type SlackStandIn, startSlackStandIn } from '../../dev/slack-standin';
import { handler, resetForTests, runtimeForTests } from '../../handlers/scheduled';
import { aCampaign, aTeam } from '../helpers/campaign-fixtures';

/**
 * `digest.run` through the scheduled Lambda entry, as EventBridge Scheduler delivers it, against
 * dynalite and the Slack stand-in. The wall clock is the clock here (as on Lambda), so the run and
 * the data are placed relative to it.
 */
let dynamo: Awaited<ReturnType<typeof startLocalDynamo>>;
let standin: SlackStandIn;
const context = { awsRequestId: 'req-digest-1' };
const ZONE = 'Europe/Berlin';
const SUBSCRIPTION = { time: '06:15', frequency: 'daily' as const, timeZone: ZONE };

beforeAll(async () => {
  dynamo = await startLocalDynamo({ prefix: 'sched-digest-' });
  standin = await startSlackStandIn();
  standin.setChannels([{ id: 'C0TEAM', name: 'team' }]);
  vi.stubEnv('SLACK_SIGNING_SECRET', 'scheduled-digest-secret');
  vi.stubEnv('DYNAMODB_ENDPOINT', dynamo.endpoint);
  vi.stubEnv('TABLE_PREFIX', 'sched-digest-');
  vi.stubEnv('SLACK_API_URL', standin.apiUrl);
  vi.stubEnv('LOG_LEVEL', 'warn');
  resetForTests();
});
afterAll(async () => {
  vi.unstubAllEnvs();
  await standin.close();
  await dynamo.close();
});

describe('scheduled handler: digest.run', () => {
  it('posts the digest with its timeline picture; the sweep and a redelivery post nothing more', async () => {
    // Prepare
    vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    const runtime = await runtimeForTests();
    const now = new Date();
    const due = latestOccurrence(digestCron(SUBSCRIPTION), now);
    if (!due) throw new Error('a daily schedule always has a latest run');
    const today = todayIn(ZONE, due);
    await runtime.repositories.teams.create(
      aTeam({ teamId: 'team-t', name: 'Team', slackChannelId: 'C0TEAM' }),
    );
    await runtime.repositories.campaigns.create(
      aCampaign({
        campaignId: 'cmp-t',
        name: 'Launch soon',
        teamId: 'team-t',
        launchDate: addDays(today, 2),
      }),
    );
    await new DigestStore(runtime.repositories.workflowState, runtime.clock).putSubscription({
      channelId: 'C0TEAM',
      enabled: true,
      ...SUBSCRIPTION,
      locale: 'en-US',
      whenEmpty: 'quiet_line',
      scheduleName: 'digest-C0TEAM',
      createdBy: 'U0MAYA',
      updatedBy: 'U0MAYA',
      createdAt: new Date(due.getTime() - 86_400_000).toISOString(),
      updatedAt: new Date(due.getTime() - 86_400_000).toISOString(),
    });
    // Act: EventBridge's delivery (the scheduled time filled into the input), then a redelivery.
    const event = {
      kind: 'digest.run',
      channelId: 'C0TEAM',
      scheduledTime: due.toISOString().replace('.000', ''),
    };
    const first = await handler(event, context);
    await handler(event, context);
    await handler({ kind: 'jobs.sweep' }, context);
    // Assess
    expect(first).toEqual({ kind: 'digest.run' });
    const top = standin.messages('C0TEAM').filter((m) => !m.thread_ts || m.thread_ts === m.ts);
    expect(top).toHaveLength(1);
    expect(top[0]?.metadata).toMatchObject({ event_payload: { run_key: `digest#C0TEAM#${today}` } });
    expect(JSON.stringify(top[0]?.blocks)).toContain('Launch soon');
    const [file] = standin.files();
    expect(file?.threadTs).toBe(top[0]?.ts);
    expect(file?.bytes?.subarray(1, 4).toString()).toBe('PNG');
    expect(file?.alt_txt).toContain('Launch soon');
  }, 30_000);

  it('serves an invocation whose time placeholder was not filled in as the latest due run', async () => {
    const stdout = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    await handler(
      { kind: 'digest.run', channelId: 'C0TEAM', scheduledTime: '<aws.scheduler.scheduled-time>' },
      context,
    );
    const lines = stdout.mock.calls.map((call) => String(call[0]));
    expect(lines.some((line) => line.includes('digest_scheduled_time_missing'))).toBe(true);
    // The latest due run is the one already posted: still one message.
    expect(standin.messages('C0TEAM').filter((m) => !m.thread_ts || m.thread_ts === m.ts)).toHaveLength(1);
  });

  it('refuses a malformed digest event loudly', async () => {
    vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    await expect(handler({ kind: 'digest.run', channelId: 'not-a-channel' }, context)).rejects.toThrow();
  });
});
