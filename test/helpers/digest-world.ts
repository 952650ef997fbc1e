import { afterAll, beforeAll } from 'vitest';
import { z } from 'zod';
import { ApprovalRepository } from '../../app/adapters/dynamo/approval-repo';
import { resvgRasterizer } from '../../app/adapters/png-rasterizer';
import type { DigestSubscription } from '../../app/domain/digest';
import { digestOutput } from '../../app/scheduled/digests';
import { teamActivityStream } from '../../app/services/campaign-command-ports';
import { DigestStore } from '../../app/services/digest/store';
import { startLocalDynamo } from '../../dev/local-dynamo';
import { type SlackStandIn, startSlackStandIn } from '../../dev/slack-standin';
import { buildRuntime, type Runtime } from '../../handlers/runtime';
import { anApproval } from './approvals/records';
import { aCampaign, aTask, aTeam } from './campaign-fixtures';
import { FakeClock } from './job-fixtures';

/**
 * The digest runner's tests' world: dynalite and the Slack stand-in, wired as in production
 * (`buildRuntime`): what is posted, exactly once, crash-safe, late, recovered, and within limits.
 */

const PREFIX = `digest-run-${process.pid}-`;
// Thursday 2026-12-03, 09:00 in New York (EST) = 14:00Z: the weekday digest's run.
export const RUN = '2026-12-03T14:00:00.000Z';
export const clock = new FakeClock(new Date('2026-12-03T14:00:20.000Z'));
/** The app's log lines (the runtime's sink). */
export const logs: string[] = [];

/** Registers the hooks (one seeded world per test file) and gives the runtime, the stand-in and the helpers. */
export function useDigestWorld() {
  let standin: SlackStandIn;
  let runtime: Runtime;
  let closeDynamo: () => Promise<void>;

  /** A stored subscription with sensible defaults. */
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

  return {
    get runtime(): Runtime {
      return runtime;
    },
    get standin(): SlackStandIn {
      return standin;
    },
    subscription,
    store,
    output,
    messagesIn,
  };
}
