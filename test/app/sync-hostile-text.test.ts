import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resvgRasterizer } from '../../app/adapters/png-rasterizer';
import { STAND_IN_BOT_USER_ID } from '../../app/adapters/slack';
import { digestOutput } from '../../app/scheduled/digests';
import { DigestStore } from '../../app/services/digest/store';
import { DEMO_CHANNELS, DEMO_USER_GROUPS, DEMO_USERS } from '../../dev/demo-users';
import { allStrings, hostileName, scanSlackText } from '../helpers/slack-text-scan';
import { ACTOR, provisionedCampaign, type SyncWorld, startSyncWorld } from '../helpers/sync-world';

/**
 * Names that arrive through two-way sync, not through a person in Slack: a task renamed in
 * Workfront to a hostile name, then deleted there, escalates to an open conflict whose one-line
 * summary quotes that name. The team's digest lists it (the only way a conflict reaches Slack until
 * conflict messages exist); the campaign itself has a hostile name too, which the team announcement
 * carries. Everything the bot sent is scanned.
 */
let world: SyncWorld;

beforeAll(async () => {
  world = await startSyncWorld();
}, 120_000);

afterAll(async () => {
  await world?.close();
});

describe('hostile names from Workfront', { timeout: 120_000 }, () => {
  it('reach the digest’s open-conflict line as text', async () => {
    const { harness, workfront } = world;
    const campaign = await provisionedCampaign(world, { name: hostileName('Synced') });
    const [task] = (await harness.runtime.repositories.tasks.listByCampaign(campaign.campaignId)).filter(
      (t) => t.externalId,
    );
    if (!task?.externalId) throw new Error('no provisioned task');
    workfront.humanChange(task.externalId, { name: hostileName('Renamed in WF') });
    await world.settle();
    workfront.humanDelete(task.externalId);
    await world.settle();
    const [open] = await harness.runtime.repositories.syncState.listOpenConflicts(campaign.teamId);
    expect(open?.summary).toContain('Renamed in WF <!channel>');

    const team = await harness.runtime.repositories.teams.get(campaign.teamId);
    if (!team) throw new Error('no team');
    const now = harness.runtime.clock();
    await new DigestStore(harness.runtime.repositories.workflowState, harness.runtime.clock).putSubscription({
      channelId: team.slackChannelId,
      enabled: true,
      time: '09:00',
      frequency: 'weekdays',
      timeZone: 'America/New_York',
      locale: 'en-US',
      whenEmpty: 'quiet_line',
      slackTeamId: 'T0LOCAL',
      appId: 'A0LOCAL',
      scheduleName: `digest-${team.slackChannelId}`,
      createdBy: ACTOR.slackUserId,
      updatedBy: ACTOR.slackUserId,
      createdAt: now.toISOString(),
      updatedAt: now.toISOString(),
    });
    await harness.runtime.services.digests.postNow(
      team.slackChannelId,
      'sync-hostile-digest',
      digestOutput(resvgRasterizer),
    );
    const digest = harness.standin.messages(team.slackChannelId).find((m) => m.text.startsWith('Digest for'));
    expect(JSON.stringify(digest?.blocks)).toContain('Renamed in WF &lt;!channel&gt;');

    const sent = harness.standin.calls().map((call) => ({ method: call.method, args: call.args }));
    expect(
      scanSlackText(sent, {
        users: [...DEMO_USERS.map((u) => u.id), STAND_IN_BOT_USER_ID],
        channels: DEMO_CHANNELS.map((c) => c.id),
        userGroups: DEMO_USER_GROUPS.map((g) => g.id),
        urlPrefixes: [`${workfront.baseUrl}/`, 'https://command-center-local.slack.com/', 'slack://'],
      }),
    ).toEqual([]);
    // The announcement carried the hostile campaign name, the digest the task's (not a vacuous pass).
    expect(allStrings(sent).some((s) => s.startsWith('New campaign Synced &lt;!channel&gt;'))).toBe(true);
  });
});
