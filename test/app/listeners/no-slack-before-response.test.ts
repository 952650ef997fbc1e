import type { StaticSelectAction, ViewOutput } from '@slack/bolt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ActionIds, BlockIds, CallbackIds } from '../../../app/ids';
import { subcommands } from '../../../app/listeners/commands';
import { DEMO_IDS } from '../../../dev/seed';
import { formValues, PEOPLE, startApprovalsHarness } from '../../helpers/approvals/flow';
import type { Harness, HarnessResponse } from '../../helpers/harness';
import {
  type LambdaInvokeStandIn,
  lambdaDispatchEnv,
  startLambdaInvokeStandIn,
} from '../../helpers/lambda-invoke-standin';
import { interactionBody, newTriggerId, PAYLOAD_DEFAULTS } from '../../helpers/payloads';

/*
 * No Slack call before the HTTP response (issue 7 item 5), for every surface the app serves: each
 * slash subcommand, event, block action, view submission and shortcut. Jobs go to a Lambda Invoke
 * stand-in (recorded, never run), so nothing runs in this process after a response: every call the
 * Slack stand-in records while a request is served was made before (or instead of) its response.
 * Posts, updates and response_url answers belong in jobs; what stays is named below, with why.
 */

/**
 * Allowed before the response, on the surfaces that use them: `views.open` must use the
 * `trigger_id` within 3 s of the click, which a job (dispatched to a worker that may be cold)
 * cannot promise.
 */
const TRIGGER_BOUND = new Set(['views.open']);
/**
 * Read-only, bounded in time and cached per container, that the synchronous answer depends on:
 * the user's time zone (`users.info`, for dates in the ack or a modal) and approver group
 * membership (`usergroups.users.list`, to authorize a decision at click time). They post nothing,
 * so a crash after them leaves nothing to do twice. NOT a post: see the report on item 5.
 */
const BOUNDED_READS = new Set(['users.info', 'usergroups.users.list']);

const { maya: MAYA, aisha: AISHA, diego: DIEGO } = PEOPLE;
const now = new Date(Date.now() + 60_000);
let harness: Harness;
let lambdaApi: LambdaInvokeStandIn;
const exercised = {
  actions: new Set<string>(),
  callbacks: new Set<string>(),
  subcommands: new Set<string>(),
};

const savedEnv = { ...process.env };

beforeAll(async () => {
  lambdaApi = await startLambdaInvokeStandIn();
  // The SDK reads its endpoint and credentials from process.env, the app its config from `env`.
  const dispatch = lambdaDispatchEnv(lambdaApi);
  Object.assign(process.env, dispatch);
  harness = await startApprovalsHarness(() => now, dispatch);
  // Bolt's own authorization (`auth.test`, once per container) is not a listener's: warm it up.
  await harness.command('help');
});
afterAll(async () => {
  await harness?.close();
  await lambdaApi?.close();
  process.env = savedEnv;
});

interface Expect {
  /** Slack methods this surface may call (besides the bounded reads). */
  allowed?: ReadonlySet<string>;
  /** Jobs the request must dispatch (its answer, or its work); unchecked when undefined. */
  jobs?: number;
}

/** Sends one request and fails if anything but `allowed` reached Slack while it was served. */
async function served(
  label: string,
  send: () => Promise<HarnessResponse>,
  { allowed = new Set(), jobs }: Expect = {},
): Promise<HarnessResponse> {
  const calls = harness.standin.calls().length;
  const answers = harness.standin.responses().length;
  const dispatched = lambdaApi.invocations().length;
  const response = await send();
  expect(response.status, label).toBe(200);
  // A fire-and-forget call would land just after the response: give it the time to.
  await new Promise((resolve) => setTimeout(resolve, 30));
  const made = harness.standin
    .calls()
    .slice(calls)
    .map((call) => call.method)
    .filter((method) => !allowed.has(method) && !BOUNDED_READS.has(method));
  expect(made, `${label}: Slack calls before the response`).toEqual([]);
  expect(harness.standin.responses().slice(answers), `${label}: response_url posts`).toEqual([]);
  // What the answer needs from Slack was stored as a job (dispatched, never run here).
  if (jobs !== undefined) expect(lambdaApi.invocations().length - dispatched, `${label}: jobs`).toBe(jobs);
  return response;
}

async function command(text: string, userId: string = AISHA, expected: Expect = {}) {
  exercised.subcommands.add(text.split(' ')[0] ?? '');
  return served(`/mcc ${text}`, () => harness.command(text, { user_id: userId }), expected);
}

async function click(
  actionId: string,
  value: string,
  options: Expect & { userId?: string; blockId?: string; type?: string } = {},
) {
  exercised.actions.add(actionId);
  const userId = options.userId ?? AISHA;
  const blockId = options.blockId ?? 'actions';
  const select: StaticSelectAction = {
    type: 'static_select',
    action_id: actionId,
    block_id: blockId,
    selected_option: { text: { type: 'plain_text', text: value }, value },
    placeholder: { type: 'plain_text', text: 'Choose' },
    action_ts: '1700000001.000200',
  };
  return served(
    actionId,
    () =>
      harness.action({
        user: { id: userId, username: userId, name: userId, team_id: PAYLOAD_DEFAULTS.teamId },
        ...(options.type === 'static_select'
          ? { actions: [select] }
          : { action: { type: 'button', action_id: actionId, block_id: blockId, value } }),
      }),
    options,
  );
}

async function submit(
  callbackId: string,
  values: ViewOutput['state']['values'],
  userId: string,
  expected: Expect = {},
) {
  exercised.callbacks.add(callbackId);
  const modal = harness.standin
    .views()
    .filter((v) => v.callback_id === callbackId && v.open)
    .at(-1);
  if (!modal) throw new Error(`no open ${callbackId} modal`);
  return served(
    callbackId,
    () =>
      harness.viewSubmission({
        user: { id: userId, name: userId, team_id: PAYLOAD_DEFAULTS.teamId },
        view: { id: modal.id, callback_id: modal.callback_id, private_metadata: modal.private_metadata },
        values,
      }),
    expected,
  );
}

async function pendingApproval(name: string): Promise<string> {
  const result = await harness.runtime.services.campaignCommands.createCampaign(
    {
      name,
      type: 'standard',
      tier: 2,
      teamId: 'team-growth',
      budgetCents: 3_000_000,
      launchDate: new Date(now.getTime() + 20 * 86_400_000).toISOString().slice(0, 10),
      channels: [],
    },
    { slackUserId: DIEGO, timezone: 'UTC' },
  );
  const approvalId = result.approval?.approvalId;
  if (!approvalId) throw new Error('expected an approval');
  return approvalId;
}

describe('no Slack call before the HTTP response', () => {
  it('slash commands answer in the ack or open a modal, and post nothing themselves', async () => {
    for (const text of ['', 'help', 'frobnicate', 'status Spring Launch', 'status spring', 'campaigns'])
      await command(text);
    await command('campaigns team:growth');
    await command('approvals');
    await command(`approvals history ${DEMO_IDS.springLaunch}`);
    const ask = await command('ask what launches this week?', AISHA, { jobs: 1 });
    expect(ask.text).toContain('Working');
    await command(`budget ${DEMO_IDS.springLaunchRetargeting}`, MAYA, { allowed: TRIGGER_BOUND });
    await command('new Trade Show', DIEGO, { allowed: TRIGGER_BOUND });
    // The modals the two commands opened, submitted: answered in the ack, posts left to jobs.
    await submit(
      CallbackIds.budgetChangeModal,
      {
        [BlockIds.budgetAmount]: { value: { type: 'plain_text_input', value: '9000' } },
        [BlockIds.budgetReason]: { value: { type: 'plain_text_input', value: 'Smaller venue' } },
      },
      MAYA,
    );
    // Over the threshold: the approval request's post is a job.
    await submit(CallbackIds.newCampaignModal, formValues(now, { budgetCents: '40000' }), DIEGO, { jobs: 1 });
  });

  it('events (a mention, a DM) store the job only; the job posts the placeholder', async () => {
    await served('app_mention', () => harness.event({ text: '<@U0LOCALBOT> status spring' }), { jobs: 1 });
    await served('message.im', () => harness.event({ type: 'message', text: 'what launches next week?' }), {
      jobs: 1,
    });
  });

  it('every block action answers through a stored job; only views.open stays in the listener', async () => {
    const approvalId = await pendingApproval('Before Response Approve');
    const listed = await pendingApproval('Before Response List');
    const rejected = await pendingApproval('Before Response Reject');
    // The decision's own job (the message updated in place) and the clicker's answer.
    await click(ActionIds.approvalApprove, `${approvalId}|0`, {
      blockId: BlockIds.approvalDecision,
      jobs: 2,
    });
    // From the caller's own `/mcc approvals` list: the redraw is a job too.
    await click(ActionIds.approvalApprove, `${listed}|0`, {
      blockId: `${BlockIds.approvalListItemPrefix}${listed}`,
      jobs: 2,
    });
    await click(ActionIds.approvalReject, `${rejected}|0`, {
      blockId: BlockIds.approvalDecision,
      allowed: TRIGGER_BOUND,
      jobs: 0,
    });
    await submit(
      CallbackIds.rejectReasonModal,
      { [BlockIds.rejectReason]: { value: { type: 'plain_text_input', value: 'Not now' } } },
      AISHA,
      { jobs: 1 },
    );
    await click(ActionIds.approvalViewDetails, approvalId, { allowed: TRIGGER_BOUND, jobs: 0 });
    await click(ActionIds.openNewCampaign, JSON.stringify({ name: 'From a button' }), {
      allowed: TRIGGER_BOUND,
      jobs: 0,
    });
    const answered = { jobs: 1 };
    await click(ActionIds.campaignsShowMore, 'not-a-cursor', {
      blockId: BlockIds.campaignsMore,
      ...answered,
    });
    await click(ActionIds.statusPickCampaign, DEMO_IDS.springLaunch, {
      blockId: BlockIds.statusPicker,
      type: 'static_select',
      ...answered,
    });
    await click(ActionIds.openCampaignLink, 'https://example.com/project', { jobs: 0 });
    for (const id of [ActionIds.agentFeedbackUp, ActionIds.agentFeedbackDown])
      await click(id, 'turn-1', { blockId: BlockIds.agentFeedback, ...answered });
    for (const id of [ActionIds.agentConfirm, ActionIds.agentCancel])
      await click(id, 'no-such-pending', { blockId: BlockIds.agentConfirmation, ...answered });
    await click(ActionIds.agentShare, 'no-such-ask', { blockId: BlockIds.agentShare, ...answered });
  });

  it('the global shortcut opens its modal and calls nothing else', async () => {
    exercised.callbacks.add(CallbackIds.newCampaignShortcut);
    const payload = {
      type: 'shortcut',
      token: PAYLOAD_DEFAULTS.verificationToken,
      action_ts: '1700000000.000400',
      team: { id: PAYLOAD_DEFAULTS.teamId, domain: PAYLOAD_DEFAULTS.teamDomain },
      user: { id: DIEGO, username: 'diego', team_id: PAYLOAD_DEFAULTS.teamId },
      is_enterprise_install: false,
      callback_id: CallbackIds.newCampaignShortcut,
      trigger_id: newTriggerId(),
    };
    await served(
      'shortcut',
      () => harness.postSlack(interactionBody(payload), 'application/x-www-form-urlencoded'),
      { allowed: TRIGGER_BOUND, jobs: 0 },
    );
  });

  it('covers every action id, callback id and subcommand the app registers', () => {
    const actions = Object.values(ActionIds).filter((id) => id !== ActionIds.modalInput);
    expect([...actions].filter((id) => !exercised.actions.has(id))).toEqual([]);
    const callbacks = Object.values(CallbackIds).filter((id) => id !== CallbackIds.approvalDetailsModal);
    expect(callbacks.filter((id) => !exercised.callbacks.has(id))).toEqual([]);
    const names = subcommands().map((sub) => sub.name);
    expect(names.filter((name) => !exercised.subcommands.has(name))).toEqual([]);
  });
});
