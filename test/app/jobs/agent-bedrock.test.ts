import {
  BedrockAgentRuntimeClient,
  InvokeAgentCommand,
  type InvokeAgentCommandInput,
  type InvokeAgentCommandOutput,
  type ResponseStream,
} from '@aws-sdk/client-bedrock-agent-runtime';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { addDays, todayIn } from '../../../app/domain/calendar';
import { ActionIds } from '../../../app/ids';
import { agentJobHandlers } from '../../../app/jobs/agent';
import { startThreadTurn } from '../../../app/listeners/events/thread-turn';
import { answerConfirmation } from '../../../app/services/agent/confirmation';
import type { JobContext } from '../../../app/services/job-types';
import { waitForInProcessJobs } from '../../../app/services/jobs';
import { agentWorkingMessage } from '../../../blocks/agent-answer';
import { type Harness, startHarness, waitFor } from '../../helpers/harness';
import { PAYLOAD_DEFAULTS } from '../../helpers/payloads';

/**
 * Bedrock mode end to end: InvokeAgent faked with aws-sdk-client-mock and realistic event streams
 * (async generators), everything else real — signed events in, jobs on dynalite, every Slack post
 * and update asserted on the Web API stand-in.
 */
const bedrock = mockClient(BedrockAgentRuntimeClient);
const enc = new TextEncoder();
const bot = PAYLOAD_DEFAULTS.botUserId;
const channel = PAYLOAD_DEFAULTS.channelId;
const user = PAYLOAD_DEFAULTS.userId;

// The test's clock: the wall clock at the start of this file, moved only by `tick` steps.
let now = Date.now();
const clock = () => new Date(now);
/** The calendar day `days` from the test clock's today (UTC): dates in fixtures never go stale. */
const inDays = (days: number) => addDays(todayIn('UTC', clock()), days);

type Step =
  | ResponseStream
  | { throw: Error }
  | { tick: number }
  | { run: () => void }
  | { stall: true }
  | { until: () => Promise<unknown> };

function completion(steps: Step[]): AsyncIterable<ResponseStream> {
  return (async function* () {
    for (const step of steps) {
      if ('throw' in step && step.throw instanceof Error) throw step.throw;
      if ('tick' in step && typeof step.tick === 'number') {
        now += step.tick;
        continue;
      }
      if ('run' in step && typeof step.run === 'function') {
        step.run();
        continue;
      }
      if ('stall' in step) await new Promise(() => undefined);
      if ('until' in step && typeof step.until === 'function') {
        await step.until();
        continue;
      }
      yield step as ResponseStream;
    }
  })();
}

const chunk = (text: string, citations?: { title: string; url: string }[]): ResponseStream => ({
  chunk: {
    bytes: enc.encode(text),
    ...(citations
      ? {
          attribution: {
            citations: [
              {
                generatedResponsePart: { textResponsePart: { text } },
                retrievedReferences: citations.map((c) => ({
                  content: { text: 'excerpt' },
                  location: { type: 'WEB' as const, webLocation: { url: c.url } },
                  metadata: { title: c.title },
                })),
              },
            ],
          },
        }
      : {}),
  },
});

const collaboratorTrace = (name: string): ResponseStream => ({
  trace: {
    sessionId: 's',
    collaboratorName: name,
    callerChain: [
      { agentAliasArn: 'arn:aws:bedrock:us-east-1:1:agent-alias/SUP/1' },
      { agentAliasArn: 'arn:aws:bedrock:us-east-1:1:agent-alias/COL/1' },
    ],
    trace: {
      orchestrationTrace: {
        invocationInput: {
          invocationType: 'AGENT_COLLABORATOR',
          agentCollaboratorInvocationInput: {
            agentCollaboratorName: name,
            input: { type: 'TEXT', text: 'q' },
          },
        },
      },
    },
  },
});

const returnControl = (
  invocationId: string,
  fn: string,
  parameters: Record<string, string>,
  actionInvocationType: 'RESULT' | 'USER_CONFIRMATION' = 'RESULT',
): ResponseStream => ({
  returnControl: {
    invocationId,
    invocationInputs: [
      {
        functionInvocationInput: {
          actionGroup: 'campaign-actions',
          function: fn,
          actionInvocationType,
          parameters: Object.entries(parameters).map(([name, value]) => ({ name, type: 'string', value })),
        },
      },
    ],
  },
});

const output = (input: InvokeAgentCommandInput, steps: Step[]): InvokeAgentCommandOutput => ({
  completion: completion(steps),
  contentType: 'application/json',
  sessionId: input.sessionId,
  $metadata: {},
});

const awsError = (name: string, message = name) => Object.assign(new Error(message), { name, $metadata: {} });

/** Scripts InvokeAgent: one list of steps per call, in order; records every input. */
function script(...calls: Step[][]): InvokeAgentCommandInput[] {
  const inputs: InvokeAgentCommandInput[] = [];
  bedrock.on(InvokeAgentCommand).callsFake((input: InvokeAgentCommandInput) => {
    inputs.push(input);
    const steps = calls[inputs.length - 1] ?? [chunk('(no more script)')];
    return output(input, steps);
  });
  return inputs;
}

const text = (blocks: unknown) => JSON.stringify(blocks ?? []);
/** The first function result an InvokeAgent call sent back (return of control). */
const functionResult = (input: InvokeAgentCommandInput | undefined) =>
  input?.sessionState?.returnControlInvocationResults?.[0]?.functionResult;
const lastUpdate = (h: Harness) => h.standin.calls('chat.update').at(-1)?.args;
const buttonValue = (blocks: unknown, actionId: string): string | undefined => {
  for (const block of Array.isArray(blocks) ? blocks : []) {
    for (const element of (block as { elements?: { action_id?: string; value?: string }[] }).elements ?? []) {
      if (element.action_id === actionId) return element.value;
    }
  }
  return undefined;
};

describe('agent turns in Bedrock mode', () => {
  let h: Harness;

  /** The context the worker gives a job attempt. */
  function jobContext(
    jobId: string,
    kind: string,
    payload: Record<string, unknown>,
    options: { attempt: number; isFinalAttempt: boolean; deadlineMs: number },
  ): JobContext {
    const at = clock().toISOString();
    return {
      job: {
        jobId,
        kind,
        status: 'RUNNING',
        payload,
        attempts: options.attempt,
        maxAttempts: 5,
        nextAttemptAt: at,
        createdAt: at,
        updatedAt: at,
        version: options.attempt + 1,
      },
      attempt: options.attempt,
      isFinalAttempt: options.isFinalAttempt,
      deadline: new Date(clock().getTime() + options.deadlineMs),
      logger: h.runtime.logger,
    };
  }

  beforeAll(async () => {
    h = await startHarness({
      seed: true,
      clock,
      env: { BEDROCK_AGENT_ID: 'AGENT12345', BEDROCK_AGENT_ALIAS_ID: 'ALIAS12345', LOG_LEVEL: 'info' },
    });
  });
  afterAll(async () => {
    await h?.close();
    bedrock.restore();
  });
  beforeEach(() => {
    bedrock.reset();
    h.standin.reset();
    now = Date.now();
  });

  /** An `agent.turn` payload for a question answered in a new thread under a posted placeholder. */
  const turnWithPlaceholder = async (question: string) => {
    const placeholder = await h.runtime.slack.chat.postMessage({ channel, text: 'Working on it…' });
    const payload = {
      source: 'mention',
      teamId: PAYLOAD_DEFAULTS.teamId,
      userId: user,
      text: question,
      conversation: { teamId: PAYLOAD_DEFAULTS.teamId, channelId: channel, threadTs: placeholder.ts },
      target: { kind: 'thread', channelId: channel, threadTs: placeholder.ts, placeholderTs: placeholder.ts },
    };
    return { payload, placeholder };
  };

  const ask = async (question: string, overrides: Record<string, unknown> = {}) => {
    const response = await h.event({ text: `<@${bot}> ${question}`, ...overrides });
    await waitForInProcessJobs(h.runtime.services.jobs);
    return response;
  };

  it('streams into the placeholder (≤ 1 update/s), then shows collaborators, citations and feedback buttons', async () => {
    // Prepare
    const inputs = script([
      collaboratorTrace('Strategy'),
      chunk('## Plan\n\nThe **Spring Launch** is on track. '),
      { tick: 300 },
      chunk('Budget is fine. '),
      { tick: 900 },
      chunk('See [the brief](https://wiki.example.com/brief).', [
        { title: 'Spring brief', url: 'https://wiki.example.com/brief' },
        { title: 'Spring brief', url: 'https://wiki.example.com/brief' },
        { title: 'Budget policy', url: 'https://wiki.example.com/budget' },
      ]),
      collaboratorTrace('Knowledge'),
    ]);
    // Act
    const mention = await ask('how is spring launch going?', { ts: '1763720000.000100' });
    // Assess: the InvokeAgent request
    expect(mention.status).toBe(200);
    expect(inputs).toHaveLength(1);
    expect(inputs[0]).toMatchObject({
      agentId: 'AGENT12345',
      agentAliasId: 'ALIAS12345',
      sessionId: `${PAYLOAD_DEFAULTS.teamId}.${channel}.1763720000.000100`,
      enableTrace: true,
      streamingConfigurations: { streamFinalResponse: true },
      inputText: 'how is spring launch going?',
    });
    expect(inputs[0]?.sessionState?.sessionAttributes).toMatchObject({
      slackUserId: user,
      slackTeamId: PAYLOAD_DEFAULTS.teamId,
      // U0MAYA is in the leadership user group (S0LEADERS) and not a VP.
      approvalRole: 'leadership',
      // …and the analytics owner of a demo team.
      marketingTeams: 'Brand & Content',
    });
    for (const key of ['displayName', 'timezone', 'locale']) {
      expect(inputs[0]?.sessionState?.sessionAttributes?.[key]).toBeTruthy();
    }
    // Slack: one placeholder in the thread, progress updates at most one per second, one final.
    const posts = h.standin.calls('chat.postMessage');
    expect(posts).toHaveLength(1);
    expect(posts[0]?.args.thread_ts).toBe('1763720000.000100');
    const updates = h.standin.calls('chat.update');
    // Chunk 1 (t=0) → update; chunk 2 (t=0.3 s) → skipped; chunk 3 (t=1.2 s) → update; final.
    expect(updates).toHaveLength(3);
    expect(text(updates[0]?.args.blocks)).toContain('Still writing');
    const final = text(updates[2]?.args.blocks);
    expect(final).toContain('*Plan*');
    expect(final).toContain('*Spring Launch*');
    expect(final).toContain('<https://wiki.example.com/brief|the brief>');
    expect(final).toContain('Answered by *Strategy*, *Knowledge*');
    expect(final).toContain('1. <https://wiki.example.com/brief|Spring brief>');
    expect(final).toContain('2. <https://wiki.example.com/budget|Budget policy>');
    expect(final).not.toContain('3. ');
    expect(final).toContain(ActionIds.agentFeedbackUp);
    expect(final).toContain(ActionIds.agentFeedbackDown);
  });

  it('skips a progress update that gets 429 and still posts the final answer', async () => {
    script([
      chunk('First part. '),
      { tick: 1100 },
      chunk('Second part. '),
      { tick: 1100 },
      chunk('Third part.'),
    ]);
    h.standin.failNext('chat.update', { status: 429, retryAfter: 2 });
    await ask('tell me something');
    const updates = h.standin.calls('chat.update');
    // 1st update → 429 (skipped, next allowed after 2 s); 2nd chunk at +1.1 s → too early; 3rd at +2.2 s → sent; final.
    expect(updates).toHaveLength(3);
    expect(text(lastUpdate(h)?.blocks)).toContain('First part. Second part. Third part.');
    expect(
      h.logs.some((line) => line.includes('progress update skipped') && line.includes('rate_limited')),
    ).toBe(true);
  });

  it('continues the same session for a follow-up in the same thread', async () => {
    const inputs = script([chunk('One.')], [chunk('Two.')]);
    await ask('first question', { ts: '1763730000.000100' });
    await ask('follow-up', { ts: '1763730050.000100', thread_ts: '1763730000.000100' });
    expect(inputs).toHaveLength(2);
    expect(inputs[1]?.sessionId).toBe(inputs[0]?.sessionId);
    const posts = h.standin.calls('chat.postMessage');
    expect(posts.map((p) => p.args.thread_ts)).toEqual(['1763730000.000100', '1763730000.000100']);
  });

  it('keeps what was streamed when the stream fails mid-way and marks the answer incomplete', async () => {
    script([chunk('Partial answer about budgets'), { throw: awsError('InternalServerException', 'boom') }]);
    await ask('budgets?');
    const final = text(lastUpdate(h)?.blocks);
    expect(final).toContain('Partial answer about budgets');
    expect(final).toContain('incomplete');
  });

  it('gives a plain message and a coded log line when access is denied', async () => {
    bedrock
      .on(InvokeAgentCommand)
      .rejects(awsError('AccessDeniedException', 'not authorized to perform bedrock:InvokeAgent'));
    await ask('anything');
    const final = text(lastUpdate(h)?.blocks);
    expect(final).toContain('not set up correctly');
    expect(final).not.toContain('bedrock:InvokeAgent');
    expect(
      h.logs.some(
        (line) => line.includes('"code":"agent_access_denied"') && line.includes('"level":"error"'),
      ),
    ).toBe(true);
  });

  it('retries throttling through the job (retryable error), and says "busy" on the final attempt', async () => {
    bedrock.on(InvokeAgentCommand).rejects(awsError('ThrottlingException', 'Rate exceeded'));
    const handlers = agentJobHandlers(h.runtime, h.runtime.slack);
    const { payload } = await turnWithPlaceholder('hello');
    const ctx = (isFinalAttempt: boolean): JobContext =>
      jobContext('j1', 'agent.turn', payload, {
        attempt: isFinalAttempt ? 5 : 1,
        isFinalAttempt: isFinalAttempt,
        deadlineMs: 60_000,
      });
    await expect(handlers['agent.turn']?.run(payload, ctx(false))).rejects.toMatchObject({
      name: 'DownstreamError',
      retryable: true,
    });
    // The placeholder says a retry is coming (the job runner schedules it with backoff).
    expect(h.standin.calls('chat.update')).toHaveLength(1);
    expect(text(lastUpdate(h)?.blocks)).toContain('retry in a moment');
    await handlers['agent.turn']?.run(payload, ctx(true));
    expect(text(lastUpdate(h)?.blocks)).toContain('The agent is busy, try again in a minute.');
  });

  it('runs an allowed action through the task service and returns the result with the same invocation id', async () => {
    const inputs = script(
      [
        chunk('Let me add that. '),
        returnControl('inv-task-1', 'create_task', {
          campaign: 'Spring Launch',
          name: 'Draft press release',
          owner: 'me',
          due_date: inDays(45),
        }),
      ],
      [chunk('Done — the task is created.')],
    );
    await ask('add a task "Draft press release" to Spring Launch');
    expect(inputs).toHaveLength(2);
    expect(inputs[1]?.sessionId).toBe(inputs[0]?.sessionId);
    expect(inputs[1]?.inputText).toBeUndefined();
    expect(inputs[1]?.sessionState?.invocationId).toBe('inv-task-1');
    const result = functionResult(inputs[1]);
    expect(result).toMatchObject({ actionGroup: 'campaign-actions', function: 'create_task' });
    expect(result?.responseState).toBeUndefined();
    expect(result?.responseBody?.TEXT?.body).toContain('Created task “Draft press release”');
    expect(result?.responseBody?.TEXT?.body).toContain('outbound sync');
    const campaigns = await h.runtime.repositories.campaigns.listAll();
    const spring = campaigns.find((c) => c.name === 'Spring Launch');
    const tasks = await h.runtime.repositories.tasks.listByCampaign(spring?.campaignId ?? '');
    expect(tasks.some((t) => t.name === 'Draft press release' && t.ownerSlackId === user)).toBe(true);
    const final = text(lastUpdate(h)?.blocks);
    expect(final).toContain('Let me add that.');
    expect(final).toContain('Done — the task is created.');
  });

  it('returns FAILURE with the policy message for a blocked action, and shows it to the user', async () => {
    const inputs = script(
      [returnControl('inv-del-1', 'delete_project', { project: 'Spring Launch' })],
      [chunk('I can’t delete that project.')],
    );
    await ask('delete the spring launch project in workfront');
    const result = functionResult(inputs[1]);
    expect(result?.responseState).toBe('FAILURE');
    expect(result?.responseBody?.TEXT?.body).toBe('Project deletion must be done manually in Workfront.');
    expect(text(lastUpdate(h)?.blocks)).toContain('Project deletion must be done manually in Workfront.');
  });

  it('answers an OpenAPI return of control (apiInvocationInput) with FAILURE and tells the user', async () => {
    // Prepare
    const inputs = script(
      [
        {
          returnControl: {
            invocationId: 'inv-api-1',
            invocationInputs: [
              {
                apiInvocationInput: {
                  actionGroup: 'legacy-api',
                  apiPath: '/campaigns/{id}/archive',
                  httpMethod: 'POST',
                  actionInvocationType: 'RESULT',
                  parameters: [{ name: 'id', type: 'string', value: 'cmp-1' }],
                },
              },
            ],
          },
        },
      ],
      [chunk('I can’t archive campaigns from here.')],
    );
    // Act
    await ask('archive the spring launch campaign');
    // Assess: the agent got a result for the API input (not left waiting), marked FAILURE
    expect(inputs).toHaveLength(2);
    expect(inputs[1]?.sessionState?.invocationId).toBe('inv-api-1');
    const results = inputs[1]?.sessionState?.returnControlInvocationResults ?? [];
    expect(results).toHaveLength(1);
    expect(results[0]?.apiResult).toMatchObject({
      actionGroup: 'legacy-api',
      apiPath: '/campaigns/{id}/archive',
      httpMethod: 'POST',
      httpStatusCode: 501,
      responseState: 'FAILURE',
    });
    expect(results[0]?.apiResult?.responseBody?.TEXT?.body).toContain('Nothing was changed');
    const final = text(lastUpdate(h)?.blocks);
    expect(final).toContain('I can’t archive campaigns from here.');
    expect(final).toContain('POST /campaigns/{id}/archive');
  });

  it('asks for confirmation; only the asker can confirm; confirming resumes with CONFIRM', async () => {
    const inputs = script(
      [
        returnControl(
          'inv-conf-1',
          'update_task_status',
          { campaign: 'Spring Launch', task: 'Draft press release', status: 'IN_PROGRESS' },
          'USER_CONFIRMATION',
        ),
      ],
      [chunk('Updated the status.')],
    );
    await ask('start the press release task');
    expect(inputs).toHaveLength(1);
    const prompt = lastUpdate(h);
    const pendingRef = buttonValue(prompt?.blocks, ActionIds.agentConfirm);
    expect(pendingRef).toBeTruthy();
    // Someone else presses Confirm: refused, ephemerally; nothing resumes.
    const other = await h.action({
      user: { id: 'U0OTHERUSR', username: 'other', name: 'other', team_id: PAYLOAD_DEFAULTS.teamId },
      action: { action_id: ActionIds.agentConfirm, value: pendingRef ?? '' },
    });
    await waitFor(() => h.standin.responses(other.responseUrl).length > 0);
    expect(h.standin.responses(other.responseUrl)[0]?.body).toMatchObject({
      response_type: 'ephemeral',
      replace_original: false,
    });
    expect(String(h.standin.responses(other.responseUrl)[0]?.body.text)).toContain(`Only <@${user}>`);
    await waitForInProcessJobs(h.runtime.services.jobs);
    expect(inputs).toHaveLength(1);
    // The asker confirms (twice: the second click finds it already answered).
    await h.action({ action: { action_id: ActionIds.agentConfirm, value: pendingRef ?? '' } });
    await h.action({ action: { action_id: ActionIds.agentConfirm, value: pendingRef ?? '' } });
    await waitForInProcessJobs(h.runtime.services.jobs);
    await waitFor(() => inputs.length >= 2);
    expect(inputs).toHaveLength(2);
    const result = functionResult(inputs[1]);
    expect(result?.confirmationState).toBe('CONFIRM');
    expect(inputs[1]?.sessionState?.invocationId).toBe('inv-conf-1');
    expect(text(lastUpdate(h)?.blocks)).toContain('Updated the status.');
  });

  it('a Confirm click whose resume was never enqueued can be clicked again: it resumes once, with the stored decision', async () => {
    // Prepare: the click's conditional write happened, then the process died before the enqueue.
    const inputs = script(
      [
        returnControl(
          'inv-conf-lost',
          'update_task_status',
          { campaign: 'Spring Launch', task: 'Draft press release', status: 'BLOCKED' },
          'USER_CONFIRMATION',
        ),
      ],
      [chunk('Marked it blocked.')],
    );
    await ask('block the press release task');
    const pendingRef = buttonValue(lastUpdate(h)?.blocks, ActionIds.agentConfirm) ?? '';
    const [conversationKey = '', invocationId = ''] = [
      pendingRef.slice(0, pendingRef.lastIndexOf('|')),
      pendingRef.slice(pendingRef.lastIndexOf('|') + 1),
    ];
    const store = h.runtime.services.conversations;
    const pending = await store.getPending(conversationKey, invocationId);
    if (!pending) throw new Error('the pending action should be stored');
    await store.putPending({ ...pending.data, state: 'confirmed', decidedBy: user }, pending.version);
    // Act: the asker clicks again (Cancel, even): the stored decision wins; a third click is a no-op
    await h.action({ action: { action_id: ActionIds.agentCancel, value: pendingRef } });
    await waitForInProcessJobs(h.runtime.services.jobs);
    await waitFor(() => inputs.length >= 2);
    const third = await h.action({ action: { action_id: ActionIds.agentConfirm, value: pendingRef } });
    await waitFor(() => h.standin.responses(third.responseUrl).length > 0);
    await waitForInProcessJobs(h.runtime.services.jobs);
    // Assess
    expect(inputs).toHaveLength(2);
    const result = functionResult(inputs[1]);
    expect(result?.confirmationState).toBe('CONFIRM');
    expect(text(lastUpdate(h)?.blocks)).toContain('Marked it blocked.');
    expect(String(h.standin.responses(third.responseUrl)[0]?.body.text)).toBe('This was already answered.');
  });

  it('waits for an approval, then resumes the agent with the decision', async () => {
    const inputs = script(
      [
        returnControl('inv-appr-1', 'create_campaign', {
          name: 'Agent Big Launch',
          type: 'standard',
          tier: '1',
          team: 'Growth Marketing',
          budget: '$50,000',
          launch_date: inDays(180),
          channels: 'email, paid social',
        }),
      ],
      [chunk('Your campaign was approved and is being set up.')],
    );
    await ask('create a $50k campaign called Agent Big Launch');
    expect(inputs).toHaveLength(1);
    expect(text(lastUpdate(h)?.blocks)).toContain('waiting for approval');
    const created = (await h.runtime.repositories.campaigns.listAll()).find(
      (c) => c.name === 'Agent Big Launch',
    );
    expect(created?.status).toBe('PENDING_APPROVAL');
    // The approvals service enqueues onDecided when someone decides; here the decision job is enqueued as it would.
    const pending = await h.runtime.services.approvals.pendingFor(created?.campaignId ?? '');
    expect(pending?.onDecided?.jobKind).toBe('agent.resume');
    await h.runtime.services.jobs.enqueue({
      kind: 'agent.resume',
      payload: { ...pending?.onDecided?.payload, approvalId: pending?.approvalId, decision: 'APPROVED' },
      idempotencyKey: 'test-approval-decided',
    });
    await waitForInProcessJobs(h.runtime.services.jobs);
    await waitFor(() => inputs.length >= 2);
    const result = functionResult(inputs[1]);
    expect(result?.responseState).toBeUndefined();
    expect(result?.responseBody?.TEXT?.body).toContain('Approved');
    expect(inputs[1]?.sessionState?.invocationId).toBe('inv-appr-1');
    await waitFor(() => text(lastUpdate(h)?.blocks).includes('approved and is being set up'));
  });

  it('redacts SSNs, card numbers and addresses before posting, in progress updates and the final answer', async () => {
    script([
      chunk('Her SSN is 123-45-6789 and card 4111 1111 1111 1111. '),
      { tick: 1100 },
      chunk('She lives at 42 W Elm Street.'),
    ]);
    await ask('who is the customer?');
    const updates = h.standin.calls('chat.update');
    const all = updates.map((u) => text(u.args.blocks)).join('\n');
    expect(all).not.toContain('123-45-6789');
    expect(all).not.toContain('4111 1111 1111 1111');
    expect(all).not.toContain('Elm Street');
    const final = text(lastUpdate(h)?.blocks);
    expect(final).toContain('[SSN removed]');
    expect(final).toContain('[card number removed]');
    expect(final).toContain('[address removed]');
    expect(final).toContain('Removed from this answer for privacy');
    expect(h.logs.join('\n')).not.toContain('123-45-6789');
  });

  it('never shows the first digits of a card number cut by a chunk boundary in a progress update', async () => {
    script([
      chunk('The customer paid. Card on file: 4111 1111 '),
      { tick: 1100 },
      chunk('1111 1111, expiring soon. '),
      { tick: 1100 },
      chunk('Nothing else to report.'),
    ]);
    await ask('how did the customer pay?');
    const updates = h.standin.calls('chat.update').map((u) => text(u.args.blocks));
    expect(updates.length).toBeGreaterThanOrEqual(3);
    expect(updates.join('\n')).not.toContain('4111');
    expect(updates[0]).toContain('The customer paid.');
    expect(updates.at(-1)).toContain('[card number removed]');
  });

  it('/mcc ask streams within the response_url budget (≤ 5 posts) and offers Share', async () => {
    const steps: Step[] = [];
    for (let i = 0; i < 12; i += 1) steps.push(chunk(`Part ${i}. `), { tick: 3100 });
    script(steps);
    const ack = await h.command('ask summarise the quarter');
    expect(ack.status).toBe(200);
    await waitForInProcessJobs(h.runtime.services.jobs);
    const posts = h.standin.responses(ack.responseUrl);
    // The ack carried the placeholder; then 2 progress updates and the final answer (2 posts kept spare).
    expect(posts).toHaveLength(3);
    const final = posts.at(-1)?.body;
    expect(final).toMatchObject({ response_type: 'ephemeral', replace_original: true });
    expect(text(final?.blocks)).toContain('Part 11.');
    expect(text(final?.blocks)).toContain(ActionIds.agentShare);
  });

  it('Share in channel keeps who answered and the sources', async () => {
    // Prepare
    script([
      collaboratorTrace('Analytics'),
      chunk('Q3 pipeline grew 12%.', [{ title: 'Q3 report', url: 'https://wiki.example.com/q3' }]),
    ]);
    const ack = await h.command('ask how did Q3 go?');
    await waitForInProcessJobs(h.runtime.services.jobs);
    const answer = h.standin.responses(ack.responseUrl).at(-1)?.body;
    const askId = buttonValue(answer?.blocks, ActionIds.agentShare) ?? '';
    // Act
    await h.action({ action: { action_id: ActionIds.agentShare, value: askId } });
    const shared = await waitFor(() => h.standin.calls('chat.postMessage').at(-1)?.args);
    // Assess
    expect(text(shared.blocks)).toContain('Q3 pipeline grew 12%.');
    expect(text(shared.blocks)).toContain('Answered by *Analytics*');
    expect(text(shared.blocks)).toContain('<https://wiki.example.com/q3|Q3 report>');
    expect(text(shared.blocks)).toContain('Shared by');
  });

  it('retries the final update after Retry-After when chat.update answers 429', async () => {
    script([
      chunk('Only chunk.'),
      { run: () => h.standin.failNext('chat.update', { status: 429, retryAfter: 1 }) },
    ]);
    await ask('one chunk please');
    const updates = h.standin.calls('chat.update');
    // progress (ok), final (429), final again (ok)
    expect(updates).toHaveLength(3);
    expect(text(lastUpdate(h)?.blocks)).toContain('Only chunk.');
    const messages = h.standin.messages(channel);
    const placeholder = messages.find((m) => m.ts === updates[0]?.args.ts);
    expect(JSON.stringify(placeholder?.blocks)).toContain('Only chunk.');
    expect(JSON.stringify(placeholder?.blocks)).toContain(ActionIds.agentFeedbackUp);
  });

  it('ends a turn whose stream stalls before the deadline, keeping what arrived', async () => {
    script([chunk('Beginning of the answer.'), { stall: true }]);
    const handlers = agentJobHandlers(h.runtime, h.runtime.slack);
    const { payload } = await turnWithPlaceholder('slow one');
    await handlers['agent.turn']?.run(
      payload,
      jobContext('j2', 'agent.turn', payload, {
        attempt: 1,
        isFinalAttempt: false,
        // 5 s are kept back for the final post, so the stream gets ~300 ms.
        deadlineMs: 5_300,
      }),
    );
    const final = text(lastUpdate(h)?.blocks);
    expect(final).toContain('Beginning of the answer.');
    expect(final).toContain('incomplete');
  });

  it('shows a heartbeat ("still working… (N s)") while the stream is quiet, then the answer', async () => {
    // Prepare: the stream sends a chunk, goes quiet for 6 s (clock), and only continues once the
    // heartbeat is visible in Slack — event-driven, no timing in the test.
    const heartbeatSeen = () =>
      waitFor(() =>
        h.standin.calls('chat.update').some((c) => text(c.args.blocks).includes('Still working')),
      );
    script([{ tick: 7000 }, { until: heartbeatSeen }, chunk('Routing done. ')], []);
    const handlers = agentJobHandlers(h.runtime, h.runtime.slack, { heartbeatMs: 5 });
    const { payload, placeholder } = await turnWithPlaceholder('a slow question');
    // Act
    await handlers['agent.turn']?.run(
      payload,
      jobContext('j-heartbeat', 'agent.turn', payload, {
        attempt: 1,
        isFinalAttempt: false,
        deadlineMs: 600_000,
      }),
    );
    // Assess: the heartbeat (elapsed time from the turn's start), then the final answer last
    const updates = h.standin.calls('chat.update');
    const beats = updates.filter((c) => text(c.args.blocks).includes('Still working'));
    expect(beats.length).toBeGreaterThanOrEqual(1);
    expect(text(beats[0]?.args.blocks)).toContain('Still working… (7 s)');
    expect(beats.every((c) => c.args.ts === placeholder.ts)).toBe(true);
    const final = text(updates.at(-1)?.args.blocks);
    expect(final).toContain('Routing done.');
    expect(final).not.toContain('Still working');
    expect(final).toContain(ActionIds.agentFeedbackUp);
  });

  /** Runs one attempt of an `agent.turn` job directly (as the worker would), in a fresh thread. */
  const runTurnAttempt = async (jobId: string, question: string, threadTs: string, attempt = 1) => {
    const payload = {
      source: 'mention',
      teamId: PAYLOAD_DEFAULTS.teamId,
      userId: user,
      text: question,
      conversation: { teamId: PAYLOAD_DEFAULTS.teamId, channelId: channel, threadTs },
      target: { kind: 'thread', channelId: channel, threadTs },
    };
    await agentJobHandlers(h.runtime, h.runtime.slack)['agent.turn']?.run(
      payload,
      jobContext(jobId, 'agent.turn', payload, { attempt, isFinalAttempt: false, deadlineMs: 120_000 }),
    );
    return `${PAYLOAD_DEFAULTS.teamId}.${channel}.${threadTs}`;
  };

  it('a retried turn job never runs an action twice: the retry gets the first outcome back', async () => {
    // Prepare: attempt 1 runs the action, then the agent fails on the re-invocation (the job would
    // be retried the same way after a crash or timeout at that point).
    const params = { campaign: 'Spring Launch', name: 'Retry-safe checklist', owner: 'me' };
    const inputs = script(
      [returnControl('inv-first', 'create_task', params)],
      [{ throw: awsError('InternalServerException') }],
      [chunk('Let me add it. '), returnControl('inv-second', 'create_task', params)],
      [chunk('The checklist task exists.')],
    );
    await runTurnAttempt('j-retry-safe', 'add a retry-safe checklist task', '1763750000.000100', 1);
    // Act: attempt 2 of the same job; the agent asks for the same action under a new invocation id
    await runTurnAttempt('j-retry-safe', 'add a retry-safe checklist task', '1763750000.000100', 2);
    // Assess: one task; the agent got the first attempt's result for its new invocation id
    expect(inputs).toHaveLength(4);
    const spring = (await h.runtime.repositories.campaigns.listAll()).find((c) => c.name === 'Spring Launch');
    const tasks = await h.runtime.repositories.tasks.listByCampaign(spring?.campaignId ?? '');
    expect(tasks.filter((t) => t.name === 'Retry-safe checklist')).toHaveLength(1);
    expect(inputs[3]?.sessionState?.invocationId).toBe('inv-second');
    const first = functionResult(inputs[1]);
    const again = functionResult(inputs[3]);
    expect(again?.responseBody?.TEXT?.body).toBe(first?.responseBody?.TEXT?.body);
    expect(again?.responseBody?.TEXT?.body).toContain('Created task “Retry-safe checklist”');
    expect(h.logs.some((line) => line.includes('not repeated'))).toBe(true);
  });

  it('an action interrupted mid-run by a crash is not run again; the agent and the user are told', async () => {
    // Prepare: an earlier attempt claimed the action and died before recording its outcome
    const conversationKey = `${PAYLOAD_DEFAULTS.teamId}.${channel}.1763760000.000100`;
    await h.runtime.services.conversations.claimAction(conversationKey, 'j-interrupted#createtask#1');
    const inputs = script(
      [returnControl('inv-int', 'create_task', { campaign: 'Spring Launch', name: 'Interrupted task' })],
      [chunk('It may already exist — please check.')],
    );
    // Act
    await runTurnAttempt('j-interrupted', 'add an interrupted task', '1763760000.000100', 2);
    // Assess
    const result = functionResult(inputs[1]);
    expect(result?.responseState).toBe('FAILURE');
    expect(result?.responseBody?.TEXT?.body).toContain('may have taken effect');
    const spring = (await h.runtime.repositories.campaigns.listAll()).find((c) => c.name === 'Spring Launch');
    const tasks = await h.runtime.repositories.tasks.listByCampaign(spring?.campaignId ?? '');
    expect(tasks.some((t) => t.name === 'Interrupted task')).toBe(false);
    const final = text(lastUpdate(h)?.blocks);
    expect(final).toContain('It may already exist');
    expect(final).toContain(':no_entry: An earlier attempt at this request was interrupted');
  });

  it('stores one job for a delivery seen twice even without the dedupe middleware, and removes the extra placeholder', async () => {
    const deps = { slack: h.runtime.slack, jobs: h.runtime.services.jobs, logger: h.runtime.logger };
    const request = {
      source: 'mention' as const,
      teamId: PAYLOAD_DEFAULTS.teamId,
      userId: user,
      text: 'hi',
      conversation: { teamId: PAYLOAD_DEFAULTS.teamId, channelId: channel, threadTs: '1763740000.000100' },
      replyThreadTs: '1763740000.000100',
    };
    script([chunk('Hello once.')]);
    const messages = { working: agentWorkingMessage(), failed: agentWorkingMessage() };
    const [first, second] = await Promise.all([
      startThreadTurn(deps, request, 'event:Ev0BYPASS01', messages),
      startThreadTurn(deps, request, 'event:Ev0BYPASS01', messages),
    ]);
    await waitForInProcessJobs(h.runtime.services.jobs);
    expect([first.created, second.created].sort()).toEqual([false, true]);
    expect(h.standin.calls('chat.delete')).toHaveLength(1);
    expect(bedrock.commandCalls(InvokeAgentCommand)).toHaveLength(1);
    const thread = h.standin.messages(channel).filter((m) => m.thread_ts === '1763740000.000100');
    expect(thread).toHaveLength(1);
    expect(JSON.stringify(thread[0]?.blocks)).toContain('Hello once.');
  });

  it('a real rejection by an approver reaches the agent as FAILURE with the reason', async () => {
    const inputs = script(
      [
        returnControl('inv-rej-1', 'create_campaign', {
          name: 'Agent Rejected Launch',
          type: 'standard',
          tier: '2',
          team: 'Growth Marketing',
          budget: '25000',
          launch_date: inDays(210),
        }),
      ],
      [chunk('Sorry, it was rejected.')],
    );
    await ask('create a $25k campaign called Agent Rejected Launch');
    const created = (await h.runtime.repositories.campaigns.listAll()).find(
      (c) => c.name === 'Agent Rejected Launch',
    );
    const pending = await h.runtime.services.approvals.pendingFor(created?.campaignId ?? '');
    expect(pending).toBeDefined();
    // Another leadership member rejects (the asker, U0MAYA, may not decide her own request).
    const decided = await h.runtime.services.approvals.decide({
      approvalId: pending?.approvalId ?? '',
      actorId: 'U0AISHA',
      decision: 'reject',
      reason: 'Over the quarter budget',
    });
    expect(decided.outcome).toBe('rejected');
    await waitFor(async () => {
      await waitForInProcessJobs(h.runtime.services.jobs);
      return inputs.length >= 2;
    });
    const result = functionResult(inputs[1]);
    expect(result?.responseState).toBe('FAILURE');
    expect(result?.responseBody?.TEXT?.body).toContain('Over the quarter budget');
    expect(result?.responseBody?.TEXT?.body).toContain('<@U0AISHA>');
    await waitFor(() => text(lastUpdate(h)?.blocks).includes('Sorry, it was rejected.'));
  });

  it('splits a very long answer: sections ≤ 3000 chars, ≤ 50 blocks per message, overflow in the thread', async () => {
    const paragraph = `${'lorem ipsum '.repeat(240).trim()}`; // ~2,880 chars
    const body = Array.from({ length: 60 }, (_, i) => `Paragraph ${i}: ${paragraph}`).join('\n\n');
    script([chunk(body)]);
    await ask('write me a novel', { ts: '1763750000.000100' });
    const final = lastUpdate(h);
    const followUps = h.standin.calls('chat.postMessage').slice(1);
    expect(followUps.length).toBeGreaterThanOrEqual(1);
    for (const call of [final, ...followUps.map((f) => f.args)]) {
      const blocks = (call?.blocks ?? []) as { type: string; text?: { text: string } }[];
      expect(blocks.length).toBeLessThanOrEqual(50);
      for (const block of blocks) if (block.text) expect(block.text.text.length).toBeLessThanOrEqual(3000);
    }
    for (const followUp of followUps) expect(followUp.args.thread_ts).toBe('1763750000.000100');
    const all = [final, ...followUps.map((f) => f.args)].map((c) => text(c?.blocks)).join('');
    expect(all).toContain('Paragraph 0:');
    expect(all).toContain('Paragraph 59:');
    expect(text(followUps.at(-1)?.args.blocks)).toContain(ActionIds.agentFeedbackUp);
  });

  it('answers a DM sent in a thread inside that thread', async () => {
    script([chunk('Threaded DM answer.')]);
    const dm = `D${user.slice(1)}`;
    await h.event({
      type: 'message',
      text: 'what launches next week?',
      channel: dm,
      thread_ts: '1763760000.000100',
    });
    await waitForInProcessJobs(h.runtime.services.jobs);
    expect(h.standin.calls('chat.postMessage')[0]?.args).toMatchObject({
      channel: dm,
      thread_ts: '1763760000.000100',
    });
    expect(text(lastUpdate(h)?.blocks)).toContain('Threaded DM answer.');
  });

  it('a resume retried after throttling re-sends the stored results instead of running the action twice', async () => {
    // Prepare: a confirmation-gated create_task, confirmed by the asker.
    script([
      returnControl(
        'inv-retry-1',
        'create_task',
        { campaign: 'Spring Launch', name: 'Exactly once task' },
        'USER_CONFIRMATION',
      ),
    ]);
    await ask('add the exactly once task');
    const pendingRef = buttonValue(lastUpdate(h)?.blocks, ActionIds.agentConfirm) ?? '';
    const accepted = await answerConfirmation(h.runtime.services.conversations, {
      pendingRef,
      userId: user,
      confirm: true,
    });
    expect(accepted.kind).toBe('accepted');
    if (accepted.kind !== 'accepted') return;
    const handlers = agentJobHandlers(h.runtime, h.runtime.slack);
    const ctx = (isFinalAttempt: boolean): JobContext =>
      jobContext('j3', 'agent.resume', accepted.resume, {
        attempt: 1,
        isFinalAttempt: isFinalAttempt,
        deadlineMs: 60_000,
      });
    // Act: the first attempt is throttled after the action ran; the second succeeds.
    bedrock.reset();
    bedrock.on(InvokeAgentCommand).rejectsOnce(awsError('ThrottlingException'));
    await expect(handlers['agent.resume']?.run(accepted.resume, ctx(false))).rejects.toMatchObject({
      retryable: true,
    });
    const inputs = script([chunk('Task added.')]);
    await handlers['agent.resume']?.run(accepted.resume, ctx(false));
    // Assess
    const spring = (await h.runtime.repositories.campaigns.listAll()).find((c) => c.name === 'Spring Launch');
    const tasks = await h.runtime.repositories.tasks.listByCampaign(spring?.campaignId ?? '');
    expect(tasks.filter((t) => t.name === 'Exactly once task')).toHaveLength(1);
    // The mention's placeholder and one "working…" message for the resume, reused by the retry.
    expect(h.standin.calls('chat.postMessage')).toHaveLength(2);
    expect(functionResult(inputs[0])?.confirmationState).toBe('CONFIRM');
    expect(text(lastUpdate(h)?.blocks)).toContain('Task added.');
    // A third delivery of the same job finds the action completed and does nothing.
    await handlers['agent.resume']?.run(accepted.resume, ctx(false));
    expect(inputs).toHaveLength(1);
  });

  it('greets a bare mention without calling the agent', async () => {
    const inputs = script([chunk('should not be used')]);
    await ask('');
    expect(inputs).toHaveLength(0);
    expect(text(lastUpdate(h)?.blocks)).toContain('Ask me about your campaigns');
  });

  it('a turn whose payload does not parse still ends with a visible error where it was asked', async () => {
    // Prepare: a job payload that fails validation (here: no user id), with a valid reply target
    const { payload, placeholder } = await turnWithPlaceholder('x');
    const broken = { ...payload, userId: '' };
    const handlers = agentJobHandlers(h.runtime, h.runtime.slack);
    const ctx = jobContext('j-broken', 'agent.turn', broken, {
      attempt: 1,
      isFinalAttempt: true,
      deadlineMs: 60_000,
    });
    // Act
    const error = await handlers['agent.turn']?.run(broken, ctx).catch((e: unknown) => e);
    await handlers['agent.turn']?.onFinalFailure?.(broken, error, ctx);
    // Assess
    expect(error).toMatchObject({ name: 'ValidationError' });
    const update = lastUpdate(h);
    expect(update?.ts).toBe(placeholder.ts);
    expect(text(update?.blocks)).toContain(':warning:');
  });

  it('answers a message longer than 25,000 characters (Slack allows 40,000)', async () => {
    script([chunk('That is a long brief; here is the summary.')]);
    await ask(`summarise this: ${'lorem ipsum '.repeat(2_500)}`);
    const final = text(lastUpdate(h)?.blocks);
    expect(final).toContain('here is the summary');
    expect(bedrock.commandCalls(InvokeAgentCommand)[0]?.args[0].input.inputText?.length).toBeGreaterThan(
      25_000,
    );
  });

  it('a turn that failed for good leaves a plain error in the thread (onFinalFailure)', async () => {
    const handlers = agentJobHandlers(h.runtime, h.runtime.slack);
    const { payload, placeholder } = await turnWithPlaceholder('hello');
    await handlers['agent.turn']?.onFinalFailure?.(
      payload,
      new Error('store exploded'),
      jobContext('j4', 'agent.turn', payload, { attempt: 5, isFinalAttempt: true, deadlineMs: 60_000 }),
    );
    const final = lastUpdate(h);
    expect(final?.ts).toBe(placeholder.ts);
    expect(text(final?.blocks)).toContain('couldn’t finish this answer');
    expect(text(final?.blocks)).not.toContain('store exploded');
  });
});
