import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ApprovalRepository } from '../../../../app/adapters/dynamo/approval-repo';
import { SCHEDULED_RECURRING_JOB_KIND } from '../../../../app/adapters/in-process-recurring-scheduler';
import { resvgRasterizer } from '../../../../app/adapters/png-rasterizer';
import { slackErrorCode } from '../../../../app/adapters/slack';
import { SlackDigestPublisher } from '../../../../app/adapters/slack-digest-publisher';
import type { DigestSubscription } from '../../../../app/domain/digest';
import { digestOutput } from '../../../../app/scheduled/digests';
import { teamActivityStream } from '../../../../app/services/campaign-command-ports';
import type { DigestPublisher } from '../../../../app/services/digest/ports';
import { DigestRunBusyError, DigestRunner } from '../../../../app/services/digest/runner';
import { DigestStore } from '../../../../app/services/digest/store';
import { jobIdFor } from '../../../../app/services/jobs';
import { startLocalDynamo } from '../../../../dev/local-dynamo';
import { type SlackStandIn, startSlackStandIn } from '../../../../dev/slack-standin';
import { buildRuntime, type Runtime } from '../../../../handlers/runtime';
import { anApproval } from '../../../helpers/approvals/records';
import { aCampaign, aTask, aTeam } from '../../../helpers/campaign-fixtures';
import { FakeClock } from '../../../helpers/job-fixtures';

/**
 * The digest runner against dynalite and the Slack stand-in, wired as in production
 * (`buildRuntime`): what is posted, exactly once, crash-safe, late, recovered, and within limits.
 */

const PREFIX = `digest-run-${process.pid}-`;
// Thursday 2026-12-03, 09:00 in New York (EST) = 14:00Z: the weekday digest's run.
const RUN = '2026-12-03T14:00:00.000Z';
const clock = new FakeClock(new Date('2026-12-03T14:00:20.000Z'));
let standin: SlackStandIn;
let runtime: Runtime;
let closeDynamo: () => Promise<void>;
const logs: string[] = [];

function subscription(channelId: string, overrides: Partial<DigestSubscription> = {}): DigestSubscription {
  return {
    channelId,
    enabled: true,
    time: '09:00',
    frequency: 'weekdays',
    timeZone: 'America/New_York',
    locale: 'en-US',
    whenEmpty: 'quiet_line',
    slackTeamId: 'T0LOCAL',
    appId: 'A0LOCAL',
    scheduleName: `digest-${channelId}`,
    createdBy: 'U0MAYA',
    updatedBy: 'U0MAYA',
    createdAt: '2026-11-01T10:00:00.000Z',
    updatedAt: '2026-11-01T10:00:00.000Z',
    ...overrides,
  };
}

const store = () => new DigestStore(runtime.repositories.workflowState, runtime.clock);
const output = () => digestOutput(resvgRasterizer);
const messagesIn = (channel: string) =>
  standin.messages(channel).filter((m) => !m.thread_ts || m.thread_ts === m.ts);

beforeAll(async () => {
  const dynamo = await startLocalDynamo({ prefix: PREFIX });
  closeDynamo = dynamo.close;
  standin = await startSlackStandIn({ clock: clock.now });
  standin.setChannels([
    { id: 'C0BRAND', name: 'brand' },
    { id: 'C0QUIET', name: 'quiet' },
    { id: 'C0SKIP', name: 'skip' },
    { id: 'C0GONE', name: 'bot-removed', isMember: false },
    { id: 'C0CRASH', name: 'crash' },
    { id: 'C0LATE', name: 'late' },
    { id: 'C0MISSED', name: 'missed' },
    { id: 'C0NOPIC', name: 'no-picture' },
    { id: 'C0LOCAL', name: 'local', memberIds: ['U0MAYA'] },
  ]);
  runtime = buildRuntime({
    env: {
      SLACK_SIGNING_SECRET: 'digest-test-secret',
      DYNAMODB_ENDPOINT: dynamo.endpoint,
      TABLE_PREFIX: PREFIX,
      SLACK_API_URL: standin.apiUrl,
      LOG_LEVEL: 'info',
    },
    clock: clock.now,
    sink: (line) => logs.push(line),
  });
  const { repositories } = runtime;
  for (const [teamId, channel] of [
    ['team-brand', 'C0BRAND'],
    ['team-quiet', 'C0QUIET'],
    ['team-skip', 'C0SKIP'],
    ['team-gone', 'C0GONE'],
  ] as const) {
    await repositories.teams.create(
      aTeam({ teamId, name: `Team ${teamId.slice(5)}`, slackChannelId: channel }),
    );
  }
  // Brand: launches (one at risk, one far away, one cancelled), an overdue task, a pending and a
  // decided approval, a budget change, an open sync conflict.
  await repositories.campaigns.create(
    aCampaign({
      campaignId: 'cmp-soon',
      name: 'Spring <Launch> & co',
      teamId: 'team-brand',
      launchDate: '2026-12-04',
    }),
  );
  await repositories.campaigns.create(
    aCampaign({
      campaignId: 'cmp-week',
      name: 'Holiday email',
      teamId: 'team-brand',
      launchDate: '2026-12-09',
    }),
  );
  await repositories.campaigns.create(
    aCampaign({
      campaignId: 'cmp-later',
      name: 'Q1 webinar',
      teamId: 'team-brand',
      launchDate: '2026-12-14',
    }),
  );
  await repositories.campaigns.create(
    aCampaign({
      campaignId: 'cmp-off',
      name: 'Cancelled promo',
      teamId: 'team-brand',
      launchDate: '2026-12-05',
      status: 'CANCELLED',
    }),
  );
  await repositories.campaigns.create(
    aCampaign({ campaignId: 'cmp-far', name: 'Summer', teamId: 'team-brand', launchDate: '2027-06-01' }),
  );
  await repositories.tasks.create(
    aTask({
      campaignId: 'cmp-soon',
      taskId: 't1',
      teamId: 'team-brand',
      name: 'Legal review',
      dueDate: '2026-11-30',
      ownerSlackId: 'U0SAM',
    }),
  );
  await repositories.tasks.create(
    aTask({
      campaignId: 'cmp-soon',
      taskId: 't2',
      teamId: 'team-brand',
      name: 'Banner',
      dueDate: '2026-12-04',
    }),
  );
  await repositories.tasks.create(
    aTask({
      campaignId: 'cmp-week',
      taskId: 't1',
      teamId: 'team-brand',
      name: 'Copy',
      dueDate: '2026-12-07',
      status: 'DONE',
    }),
  );
  const approvalRepo = new ApprovalRepository(runtime.db, runtime.tables.approvals);
  await approvalRepo.create(
    anApproval({ approvalId: 'apr_PEND1', teamId: 'team-brand', campaignName: 'Spring <Launch> & co' }),
  );
  await approvalRepo.create(
    anApproval({
      approvalId: 'apr_DONE1',
      teamId: 'team-brand',
      status: 'APPROVED',
      decidedBy: 'U0LEAD',
      decidedAt: '2026-12-03T10:00:00.000Z',
    }),
  );
  clock.set(new Date('2026-12-03T11:00:00.000Z'));
  await repositories.eventsLog.append({
    stream: teamActivityStream('team-brand'),
    type: 'budget.changed',
    actor: 'U0MAYA',
    data: { campaignId: 'cmp-week', campaignName: 'Holiday email', fromCents: 500_000, toCents: 450_000 },
  });
  clock.set(new Date('2026-12-03T14:00:20.000Z'));
  await repositories.syncState.put(
    {
      objectKey: 'task#cmp-soon#t9',
      openConflict: {
        teamId: 'team-brand',
        since: '2026-12-02T09:00:00.000Z',
        summary: 'Task “Print” was deleted in Workfront',
      },
      data: {},
    },
    z.object({}),
  );
  await repositories.teams.create(
    aTeam({ teamId: 'team-nopic', name: 'No picture', slackChannelId: 'C0NOPIC' }),
  );
  await repositories.campaigns.create(
    aCampaign({ campaignId: 'cmp-nopic', teamId: 'team-nopic', launchDate: '2026-12-10' }),
  );
  for (const channel of ['C0BRAND', 'C0QUIET', 'C0GONE', 'C0LATE', 'C0MISSED', 'C0NOPIC']) {
    await store().putSubscription(subscription(channel));
  }
  await store().putSubscription(subscription('C0SKIP', { whenEmpty: 'skip' }));
}, 30_000);

afterAll(async () => {
  await standin.close();
  await closeDynamo();
});

describe('DigestRunner', () => {
  it('posts the channel’s digest once, with every topic, its metadata and the timeline in the thread', async () => {
    // Act
    const first = await runtime.services.digests.run(
      { channelId: 'C0BRAND', scheduledTime: RUN, trigger: 'schedule' },
      output(),
    );
    const again = await runtime.services.digests.run(
      { channelId: 'C0BRAND', scheduledTime: RUN, trigger: 'schedule' },
      output(),
    );
    // Assess
    expect(first).toMatchObject({
      outcome: 'posted',
      runKey: 'digest#C0BRAND#2026-12-03',
      late: false,
      picture: 'uploaded',
    });
    expect(again).toEqual({ outcome: 'duplicate', runKey: 'digest#C0BRAND#2026-12-03' });
    const [message, ...others] = messagesIn('C0BRAND');
    expect(others).toEqual([]);
    expect(message?.metadata).toEqual({
      event_type: 'mcc_digest',
      event_payload: {
        run_key: 'digest#C0BRAND#2026-12-03',
        channel_id: 'C0BRAND',
        local_date: '2026-12-03',
      },
    });
    expect(message?.text).toBe(
      'Digest for Thu, Dec 3, 2026: 2 launches in the next 7 days, 1 campaign at risk, 1 overdue task, 1 request waiting on approval, 1 open sync conflict, 2 changes since the last digest.',
    );
    const text = JSON.stringify(message?.blocks);
    expect(text).toContain('Spring &lt;Launch&gt; &amp; co');
    expect(text).not.toContain('Cancelled promo');
    expect(text).not.toContain('Summer');
    expect(text).toContain('Legal review');
    expect(text).toContain('Task “Print” was deleted in Workfront');
    expect(text).toContain('Budget of *Holiday email* $5,000 → $4,500');
    expect(text).toContain('approval_approve');
    // The picture: a PNG reply in the digest's thread, with alt text listing the launches.
    const [file] = standin.files();
    expect(file).toMatchObject({
      completed: true,
      channel: 'C0BRAND',
      threadTs: message?.ts,
      uploadedAs: 'raw',
    });
    expect(file?.bytes?.subarray(1, 4).toString()).toBe('PNG');
    expect(file?.alt_txt).toContain('Q1 webinar on Dec 14');
    expect(file?.alt_txt).toContain('Spring <Launch> & co on Dec 4 (at risk)');
  }, 20_000);

  it('two invocations at once post once: the second is told to retry later', async () => {
    const results = await Promise.allSettled([
      runtime.services.digests.run(
        { channelId: 'C0QUIET', scheduledTime: RUN, trigger: 'schedule' },
        output(),
      ),
      runtime.services.digests.run(
        { channelId: 'C0QUIET', scheduledTime: RUN, trigger: 'schedule' },
        output(),
      ),
    ]);
    const posted = results.filter((r) => r.status === 'fulfilled' && r.value.outcome === 'posted');
    const busy = results.filter((r) => r.status === 'rejected' && r.reason instanceof DigestRunBusyError);
    const duplicate = results.filter((r) => r.status === 'fulfilled' && r.value.outcome === 'duplicate');
    expect(posted).toHaveLength(1);
    expect(busy.length + duplicate.length).toBe(1);
    expect(messagesIn('C0QUIET')).toHaveLength(1);
    // Empty digest, quiet line mode: one short line.
    expect(messagesIn('C0QUIET')[0]?.text).toBe('Digest for Thu, Dec 3, 2026: all quiet.');
  });

  it('an attempt that dies after posting is found by its metadata: the retry records it and posts nothing', async () => {
    // Prepare: a publisher that posts, then "crashes" before the run is recorded.
    const real = new SlackDigestPublisher(runtime.slack);
    const crashing: DigestPublisher = {
      ...real,
      findPosted: real.findPosted.bind(real),
      uploadPicture: real.uploadPicture.bind(real),
      post: async (...args) => {
        await real.post(...args);
        throw new Error('process killed after chat.postMessage');
      },
    };
    const runner = (publisher: DigestPublisher) =>
      new DigestRunner({
        store: store(),
        sources: {
          teams: runtime.repositories.teams,
          campaigns: runtime.repositories.campaigns,
          tasks: runtime.repositories.tasks,
          approvals: new ApprovalRepository(runtime.db, runtime.tables.approvals),
          activity: runtime.repositories.eventsLog,
        },
        publisher,
        slackErrorCode,
        clock: clock.now,
        logger: runtime.logger,
      });
    await store().putSubscription(subscription('C0CRASH'));
    // Act
    await expect(
      runner(crashing).run({ channelId: 'C0CRASH', scheduledTime: RUN, trigger: 'schedule' }, output()),
    ).rejects.toThrow(/process killed/);
    clock.advance(3 * 60_000); // past the lease
    const retry = await runner(real).run(
      { channelId: 'C0CRASH', scheduledTime: RUN, trigger: 'schedule' },
      output(),
    );
    // Assess
    expect(retry).toMatchObject({ outcome: 'recovered', runKey: 'digest#C0CRASH#2026-12-03' });
    expect(messagesIn('C0CRASH')).toHaveLength(1);
    expect((await store().run('C0CRASH', '2026-12-03'))?.data).toMatchObject({
      state: 'posted',
      attempts: 2,
    });
    clock.set(new Date('2026-12-03T14:00:20.000Z'));
  });

  it('an empty digest is skipped when the channel asked for that, and recorded', async () => {
    const result = await runtime.services.digests.run(
      { channelId: 'C0SKIP', scheduledTime: RUN, trigger: 'schedule' },
      output(),
    );
    expect(result).toEqual({ outcome: 'skipped_empty', runKey: 'digest#C0SKIP#2026-12-03' });
    expect(messagesIn('C0SKIP')).toEqual([]);
    expect((await store().run('C0SKIP', '2026-12-03'))?.data.state).toBe('skipped_empty');
  });

  it('posts without the picture when the upload fails', async () => {
    standin.failNext('files.getUploadURLExternal', { error: 'file_uploads_disabled' });
    const result = await runtime.services.digests.run(
      { channelId: 'C0NOPIC', scheduledTime: RUN, trigger: 'schedule' },
      output(),
    );
    expect(result).toMatchObject({ outcome: 'posted', picture: 'failed' });
    expect(messagesIn('C0NOPIC')).toHaveLength(1);
    expect((await store().run('C0NOPIC', '2026-12-03'))?.data).toMatchObject({
      state: 'posted',
      picture: 'failed',
    });
    expect(
      logs.some((line) => line.includes('digest_picture_failed') && line.includes('file_uploads_disabled')),
    ).toBe(true);
  });

  it('a channel the bot was removed from closes the day as failed, loudly, without retrying', async () => {
    const first = await runtime.services.digests.run(
      { channelId: 'C0GONE', scheduledTime: RUN, trigger: 'schedule' },
      output(),
    );
    const again = await runtime.services.digests.run(
      { channelId: 'C0GONE', scheduledTime: RUN, trigger: 'schedule' },
      output(),
    );
    expect(first).toEqual({
      outcome: 'failed',
      runKey: 'digest#C0GONE#2026-12-03',
      slackError: 'not_in_channel',
    });
    expect(again.outcome).toBe('duplicate');
    expect((await store().run('C0GONE', '2026-12-03'))?.data).toMatchObject({
      state: 'failed',
      slackError: 'not_in_channel',
    });
    expect(logs.some((line) => line.includes('"code":"digest_post_failed"'))).toBe(true);
  });

  it('a late delivery of an older run serves the latest due run once, marked late', async () => {
    // Thursday 12:30 in New York; a retry of Monday's run arrives now.
    clock.set(new Date('2026-12-03T17:30:00.000Z'));
    const result = await runtime.services.digests.run(
      { channelId: 'C0LATE', scheduledTime: '2026-11-30T14:00:00.000Z', trigger: 'schedule' },
      output(),
    );
    expect(result).toMatchObject({ outcome: 'posted', runKey: 'digest#C0LATE#2026-12-03', late: true });
    const [message] = messagesIn('C0LATE');
    expect(message?.text).toContain('(late)');
    expect(JSON.stringify(message?.blocks)).toContain('Posted late* — it was due Thu, Dec 3, 9:00 AM');
    // Tuesday's and Wednesday's deliveries, retried too: nothing more.
    for (const day of ['2026-12-01', '2026-12-02']) {
      const retry = await runtime.services.digests.run(
        { channelId: 'C0LATE', scheduledTime: `${day}T14:00:00.000Z`, trigger: 'schedule' },
        output(),
      );
      expect(retry.outcome).toBe('duplicate');
    }
    expect(messagesIn('C0LATE')).toHaveLength(1);
  });

  it('the sweep finds a run nobody served and posts it once, late; the schedule’s own retry then does nothing', async () => {
    // Thursday 11:00 in New York: the 09:00 run of C0MISSED never came (the function was down).
    clock.set(new Date('2026-12-03T16:00:00.000Z'));
    const sweep = await runtime.services.digests.recoverMissed(output());
    const again = await runtime.services.digests.recoverMissed(output());
    const retry = await runtime.services.digests.run(
      { channelId: 'C0MISSED', scheduledTime: RUN, trigger: 'schedule' },
      output(),
    );
    expect(sweep.posted).toBeGreaterThanOrEqual(1);
    expect(again.posted).toBe(0);
    expect(retry.outcome).toBe('duplicate');
    expect(messagesIn('C0MISSED')).toHaveLength(1);
    expect((await store().run('C0MISSED', '2026-12-03'))?.data).toMatchObject({
      state: 'posted',
      late: true,
    });
  });

  it('does nothing for a channel whose digest is off', async () => {
    const current = await store().subscription('C0QUIET');
    await store().putSubscription(subscription('C0QUIET', { enabled: false }), current?.version);
    clock.set(new Date('2026-12-04T14:00:10.000Z'));
    const result = await runtime.services.digests.run(
      { channelId: 'C0QUIET', scheduledTime: '2026-12-04T14:00:00.000Z', trigger: 'schedule' },
      output(),
    );
    expect(result).toEqual({ outcome: 'off' });
    expect(await store().run('C0QUIET', '2026-12-04')).toBeUndefined();
  });

  it('posts on demand once per request, apart from the day’s digest; previews without posting', async () => {
    clock.set(new Date('2026-12-03T18:00:00.000Z'));
    const before = messagesIn('C0BRAND').length;
    const preview = await runtime.services.digests.preview('C0BRAND');
    const now = await runtime.services.digests.postNow('C0BRAND', 'trigger-1', output());
    const retried = await runtime.services.digests.postNow('C0BRAND', 'trigger-1', output());
    expect(preview?.counts.launching).toBe(2);
    expect(messagesIn('C0BRAND')).toHaveLength(before + 1);
    expect(now).toMatchObject({ outcome: 'posted', runKey: 'digest#C0BRAND#now#trigger-1' });
    expect(retried).toEqual({ outcome: 'duplicate', runKey: 'digest#C0BRAND#now#trigger-1' });
    // The day's scheduled run is untouched and still the channel's latest.
    expect((await store().latestRun('C0BRAND'))?.data.runKey).toBe('digest#C0BRAND#2026-12-03');
    await expect(runtime.services.digests.postNow('C0NOSUB', 'trigger-2', output())).rejects.toThrow(
      /no digest settings/,
    );
  });

  it('npm start: subscribing arms an in-process run that posts the digest when it comes due', async () => {
    // Prepare: Friday 2026-12-04, 08:00 in Berlin.
    clock.set(new Date('2026-12-04T07:00:00.000Z'));
    await runtime.repositories.teams.create(
      aTeam({ teamId: 'team-local', name: 'Local', slackChannelId: 'C0LOCAL' }),
    );
    const settings = await runtime.services.digestSubscriptions.subscribe({
      channelId: 'C0LOCAL',
      actorId: 'U0MAYA',
      time: '08:30',
      timeZone: 'Europe/Berlin',
    });
    expect(settings.nextRun).toBe('2026-12-04T07:30:00.000Z');
    const armed = jobIdFor(SCHEDULED_RECURRING_JOB_KIND, 'digest-C0LOCAL@1@2026-12-04T07:30:00.000Z');
    // Act: the run's time comes (the test plays the timer on its clock).
    clock.set(new Date('2026-12-04T07:30:05.000Z'));
    const outcome = await runtime.services.jobs.run(armed);
    // Assess
    expect(outcome).toBe('succeeded');
    expect(messagesIn('C0LOCAL')).toHaveLength(1);
    expect((await store().run('C0LOCAL', '2026-12-04'))?.data).toMatchObject({
      state: 'posted',
      late: false,
    });
    // Monday's run is armed next (weekdays).
    const next = await runtime.services.jobs.get(
      jobIdFor(SCHEDULED_RECURRING_JOB_KIND, 'digest-C0LOCAL@1@2026-12-07T07:30:00.000Z'),
    );
    expect(next?.status).toBe('QUEUED');
  });
});
