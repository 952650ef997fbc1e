import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resvgRasterizer } from '../../app/adapters/png-rasterizer';
import { STAND_IN_BOT_USER_ID } from '../../app/adapters/slack';
import { stripBidi } from '../../app/domain/text';
import { ActionIds, BlockIds, CallbackIds } from '../../app/ids';
import { digestOutput } from '../../app/scheduled/digests';
import { DigestStore } from '../../app/services/digest/store';
import { type AsanaStandIn, startAsanaStandIn } from '../../dev/asana-standin';
import { DEMO_CHANNELS, DEMO_USER_GROUPS, DEMO_USERS } from '../../dev/demo-users';
import { startWorkfrontStandIn, type WorkfrontStandIn } from '../../dev/workfront-standin';
import {
  approvalsFor,
  clickDecision,
  createThroughModal,
  dayFrom,
  PEOPLE,
  requestMessage,
  startApprovalsHarness,
  text,
} from '../helpers/approvals/flow';
import { APPROVALS_CHANNEL_ID } from '../helpers/approvals/records';
import { aTask, aTeam } from '../helpers/campaign-fixtures';
import type { Harness } from '../helpers/harness';
import { allStrings, HOSTILE, hostileName, scanSlackText } from '../helpers/slack-text-scan';

/**
 * Every text the running bot sends, with hostile names everywhere a person, Workfront or a typed
 * command can put them: the approval request (posted, updated on each decision), the requester's
 * notices, `/mcc approvals` and its history, the View details and reject modals, the team
 * announcement, the provisioning failure DM with Workfront's error text, `/mcc status` (card,
 * picker, not found), `/mcc campaigns` (list, unknown filter), an unknown subcommand, the budget
 * modal, a cut's notice and a raise's budget-change request, the request's reminder and its expiry
 * (message updated, requester told), offline agent answers (mention and DM) and the digest. Names
 * typed into the modal lose their bidi controls when stored; the team's and tasks' names are stored
 * with them, so the renderers' own stripping is checked too. Everything the Slack
 * stand-in received (every Web API call's arguments, every response_url post) and every ack body is
 * scanned: no markup but the bot's own mentions of real people, channels and groups, its dates and
 * its links; no bidi control; nothing escaped twice; no escaped plain text.
 */
const { maya: MAYA, diego: DIEGO } = PEOPLE;
const TEAM_CHANNEL = 'C0HOSTILE';
const now = new Date(Date.now() + 60_000);
/** The harness clock: `now`, moved forward only to let a request expire. */
let clockNow = now;
const NAMES = {
  rejected: hostileName('Hostile One'),
  approved: hostileName('Hostile Two'),
  pending: hostileName('Hostile Three'),
  failing: hostileName('Hostile Four'),
};
/** The names as stored: the service strips bidi controls from what was typed. */
const STORED = {
  rejected: stripBidi(NAMES.rejected),
  approved: stripBidi(NAMES.approved),
  pending: stripBidi(NAMES.pending),
};

let harness: Harness;
let workfront: WorkfrontStandIn;
let asana: AsanaStandIn;
/** Every ack body the app answered with (commands, view submissions). */
const acks: unknown[] = [];

const ack = (response: { text: string }) => {
  if (response.text.trim() !== '') acks.push(JSON.parse(response.text));
};

async function command(commandText: string, userId: string = DIEGO): Promise<string> {
  const response = await harness.command(commandText, { user_id: userId, channel_id: TEAM_CHANNEL });
  expect(response.status).toBe(200);
  ack(response);
  await harness.idle();
  const posted = harness.standin.responses(response.responseUrl).map((post) => post.body);
  return JSON.stringify([response.text ? JSON.parse(response.text) : null, ...posted]);
}

async function create(name: string, budget: string, userId: string = DIEGO) {
  const response = await createThroughModal(harness, now, userId, {
    name,
    teamId: 'team-hostile',
    budgetCents: budget,
    // Within the digest's week, so it lists them and draws its timeline.
    launchDate: dayFrom(now, 5),
    endDate: dayFrom(now, 20),
    audience: hostileName('Audience'),
    description: `Description ${HOSTILE}`,
  });
  acks.push(response);
  await harness.idle();
}

async function changeBudget(name: string, amount: string, reason: string): Promise<void> {
  await command(`budget ${name}`);
  const budgetView = harness.standin
    .views()
    .filter((v) => v.callback_id === CallbackIds.budgetChangeModal && v.open)
    .at(-1);
  if (!budgetView) throw new Error('the budget modal did not open');
  ack(
    await harness.viewSubmission({
      user: { id: DIEGO, name: DIEGO, team_id: 'T0LOCAL' },
      view: {
        id: budgetView.id,
        callback_id: budgetView.callback_id,
        private_metadata: budgetView.private_metadata,
      },
      values: { [BlockIds.budgetAmount]: text(amount), [BlockIds.budgetReason]: text(reason) },
    }),
  );
  await harness.idle();
}

beforeAll(async () => {
  workfront = await startWorkfrontStandIn();
  asana = await startAsanaStandIn();
  harness = await startApprovalsHarness(() => clockNow, {
    ...workfront.env(),
    ASANA_BASE_URL: asana.baseUrl,
    ASANA_ACCESS_TOKEN: asana.accessToken,
    ASANA_WORKSPACE_GID: asana.workspaceGid,
  });
  harness.standin.setChannels([...DEMO_CHANNELS, { id: TEAM_CHANNEL, name: 'hostile-team' }]);
  await harness.runtime.repositories.teams.create(
    aTeam({ teamId: 'team-hostile', name: hostileName('Team'), slackChannelId: TEAM_CHANNEL }),
  );
}, 120_000);

afterAll(async () => {
  await harness?.close();
  await workfront?.close();
  await asana?.close();
});

// Many real round trips per test: minutes of budget on a busy machine, seconds when idle.
describe('hostile names through every message the bot sends', { timeout: 120_000 }, () => {
  it('approvals: request, details, reject with a hostile reason, approve, announce, history', async () => {
    await create(NAMES.rejected, '25000');
    await create(NAMES.approved, '26000');
    await create(NAMES.pending, '27000');
    const [toReject] = await approvalsFor(harness, STORED.rejected);
    const [toApprove] = await approvalsFor(harness, STORED.approved);
    if (!toReject || !toApprove) throw new Error('the requests were not filed');

    await command('approvals', MAYA);
    const details = await harness.action({
      user: { id: MAYA, username: MAYA, name: MAYA, team_id: 'T0LOCAL' },
      channel: { id: APPROVALS_CHANNEL_ID, name: 'mcc-approvals' },
      message: { type: 'message', ts: requestMessage(harness, APPROVALS_CHANNEL_ID, toReject).ts, text: '' },
      action: {
        type: 'button',
        action_id: ActionIds.approvalViewDetails,
        block_id: BlockIds.approvalDecision,
        value: toReject.approvalId,
      },
    });
    expect(details.status).toBe(200);
    await clickDecision(harness, APPROVALS_CHANNEL_ID, MAYA, ActionIds.approvalReject, toReject);
    const rejectView = harness.standin
      .views()
      .filter((v) => v.callback_id === CallbackIds.rejectReasonModal && v.open)
      .at(-1);
    if (!rejectView) throw new Error('the reject modal did not open');
    ack(
      await harness.viewSubmission({
        user: { id: MAYA, name: MAYA, team_id: 'T0LOCAL' },
        view: {
          id: rejectView.id,
          callback_id: rejectView.callback_id,
          private_metadata: rejectView.private_metadata,
        },
        values: { [BlockIds.rejectReason]: text(`Because ${HOSTILE}`) },
      }),
    );
    await harness.idle();
    expect(
      await clickDecision(harness, APPROVALS_CHANNEL_ID, MAYA, ActionIds.approvalApprove, toApprove),
    ).toContain('You approved *Hostile Two &lt;!channel&gt;');
    // The clicker's feedback when it was decided already, and when they may not decide.
    expect(
      await clickDecision(harness, APPROVALS_CHANNEL_ID, MAYA, ActionIds.approvalApprove, toApprove),
    ).toContain('*Hostile Two &lt;!channel&gt;');
    const [stillPending] = await approvalsFor(harness, STORED.pending);
    if (!stillPending) throw new Error('the third request was not filed');
    expect(
      await clickDecision(harness, APPROVALS_CHANNEL_ID, DIEGO, ActionIds.approvalApprove, stillPending),
    ).toContain(':no_entry:');

    const [rejected] = await approvalsFor(harness, STORED.rejected);
    expect(rejected?.status).toBe('REJECTED');
    expect(workfront.projects().map((p) => p.name)).toContain(STORED.approved);
    const announcement = harness.standin
      .messages(TEAM_CHANNEL)
      .find((m) => m.text.startsWith('New campaign'));
    expect(announcement?.text).toContain('Hostile Two &lt;!channel&gt;');

    expect(await command(`approvals history ${NAMES.rejected}`)).toContain('Hostile One &lt;!channel&gt;');
    expect(await command('approvals history <!here> nothing like it')).toContain('&lt;!here&gt;');
  });

  it('the provisioning failure DM quotes Workfront’s error text escaped', async () => {
    workfront.failNext('POST /attask/api/v15.0/PROJ', {
      status: 400,
      body: {
        error: { message: `Bad name ${HOSTILE}`, class: 'com.attask.common.InvalidParameterException' },
      },
    });
    await create(NAMES.failing, '5000');
    const dm = harness.standin.messages(DIEGO).find((m) => m.text.includes("couldn't set up"));
    expect(dm?.text).toContain('Hostile Four &lt;!channel&gt;');
    expect(dm?.text).toContain('Bad name &lt;!channel&gt;');
  });

  it('commands echo what was typed escaped once: status, campaigns, unknown subcommands, budget', async () => {
    expect(await command(`status ${NAMES.approved}`)).toContain('Hostile Two &lt;!channel&gt;');
    expect(await command('status Hostile')).toContain('*Hostile One &lt;!channel&gt;');
    expect(await command('status <!channel> R&amp;D nothing')).toContain(
      '“&lt;!channel&gt; R&amp;D nothing”',
    );
    await command('campaigns');
    await command('campaigns team:team-hostile');
    expect(await command('campaigns <@U0VICTIM> &amp;')).toContain('`&lt;@U0VICTIM&gt; &amp;`');
    expect(await command('<!here>')).toContain('`/mcc &lt;!here&gt;`');

    // A cut applies at once (and tells the owner); a raise past the approved amount is a
    // budget-change request in the approvers' channel, with its own wording.
    await changeBudget(NAMES.approved, '20000', `Cut ${HOSTILE}`);
    await changeBudget(NAMES.approved, '90000', `Raise ${HOSTILE}`);
    const budgetRequest = (await approvalsFor(harness, STORED.approved)).find(
      (approval) => approval.kind === 'budget_change',
    );
    if (!budgetRequest) throw new Error('the budget raise was not sent for approval');
    expect(requestMessage(harness, APPROVALS_CHANNEL_ID, budgetRequest).text).toContain(
      'Hostile Two &lt;!channel&gt;',
    );
  });

  it('the offline agent quotes names as text, in a mention and in a DM', async () => {
    const campaigns = await harness.runtime.repositories.campaigns.listAll();
    const approved = campaigns.find((c) => c.name === STORED.approved);
    if (!approved) throw new Error('no approved campaign');
    await harness.runtime.repositories.tasks.create(
      aTask({
        campaignId: approved.campaignId,
        taskId: 'hostile-task',
        teamId: 'team-hostile',
        name: hostileName('Task'),
        ownerSlackId: DIEGO,
        dueDate: dayFrom(now, -3),
      }),
    );
    for (const question of ['status of hostile two', 'what is overdue?', 'what are my tasks?']) {
      await harness.event({
        text: `<@${STAND_IN_BOT_USER_ID}> ${question}`,
        user: DIEGO,
        channel: TEAM_CHANNEL,
      });
      await harness.idle();
    }
    await harness.event({ type: 'message', text: 'any approvals waiting for me?', user: MAYA });
    await harness.idle();
    const answers = harness.standin
      .calls()
      .filter((call) => call.method === 'chat.update' || call.method === 'chat.postMessage')
      .map((call) => JSON.stringify(call.args))
      .join('\n');
    expect(answers).toContain('Hostile Two &lt;!channel&gt;');
    expect(answers).toContain('Task &lt;!channel&gt;');
    expect(answers).toContain('Hostile Three &lt;!channel&gt;');
  });

  it('the digest of the hostile team', async () => {
    const { runtime } = harness;
    await new DigestStore(runtime.repositories.workflowState, runtime.clock).putSubscription({
      channelId: TEAM_CHANNEL,
      enabled: true,
      time: '09:00',
      frequency: 'weekdays',
      timeZone: 'America/New_York',
      locale: 'en-US',
      whenEmpty: 'quiet_line',
      slackTeamId: 'T0LOCAL',
      appId: 'A0LOCAL',
      scheduleName: `digest-${TEAM_CHANNEL}`,
      createdBy: MAYA,
      updatedBy: MAYA,
      createdAt: now.toISOString(),
      updatedAt: now.toISOString(),
    });
    await runtime.services.digests.postNow(TEAM_CHANNEL, 'hostile-digest', digestOutput(resvgRasterizer));
    const digest = harness.standin.messages(TEAM_CHANNEL).find((m) => m.text.startsWith('Digest for'));
    expect(JSON.stringify(digest?.blocks)).toContain('Hostile Three &lt;!channel&gt;');
  });

  it('the pending request: a reminder in its thread, then its expiry (request updated, requester told)', async () => {
    const [pending] = await approvalsFor(harness, STORED.pending);
    if (!pending) throw new Error('no pending request');
    const { approvals } = harness.runtime.services;
    expect(await approvals.remind(pending.approvalId)).toMatchObject({ reminded: expect.any(Array) });
    clockNow = new Date(new Date(pending.expiresAt).getTime() + 60_000);
    try {
      expect(await approvals.expire(pending.approvalId)).toBe('expired');
      await harness.idle();
    } finally {
      clockNow = now;
    }
    const thread = harness.standin
      .calls()
      .filter((call) => call.method === 'chat.postMessage' && call.args.thread_ts === pending.messageTs);
    // The reminder names no campaign (it is in the request's thread); the scan checks its mentions.
    expect(thread.map((call) => String(call.args.text))).toEqual([
      expect.stringContaining(':bell: Reminder'),
    ]);
    expect(requestMessage(harness, APPROVALS_CHANNEL_ID, pending).text).toContain(
      'Hostile Three &lt;!channel&gt;',
    );
    const notice = harness.standin.messages(DIEGO).find((m) => m.text.includes('expired without a decision'));
    expect(notice?.text).toContain('Hostile Three &lt;!channel&gt;');
  });

  it('nothing the bot sent carries markup it did not mean, bidi controls or double escapes', () => {
    const sent = {
      calls: harness.standin.calls().map((call) => ({ method: call.method, args: call.args })),
      responses: harness.standin.responses().map((post) => post.body),
      acks,
    };
    const problems = scanSlackText(sent, {
      users: [...DEMO_USERS.map((u) => u.id), STAND_IN_BOT_USER_ID],
      channels: [...DEMO_CHANNELS.map((c) => c.id), TEAM_CHANNEL],
      userGroups: DEMO_USER_GROUPS.map((g) => g.id),
      urlPrefixes: ['https://command-center-local.slack.com/', `${workfront.baseUrl}/`, 'slack://'],
    });
    expect(problems).toEqual([]);
    // The scan saw the hostile text on every surface above (not a vacuous pass).
    const methods = new Set(sent.calls.map((call) => call.method));
    for (const method of ['chat.postMessage', 'chat.update', 'views.open', 'files.completeUploadExternal']) {
      expect(methods).toContain(method);
    }
    expect(allStrings(sent).filter((s) => s.includes('&lt;!channel&gt;')).length).toBeGreaterThan(40);
  });
});
