import { beforeAll, describe, expect, it } from 'vitest';
import { agentJobHandlers } from '../../../app/jobs/agent';
import {
  awsError,
  channel,
  chunk,
  functionResult,
  inDays,
  lastUpdate,
  returnControl,
  script,
  text,
  useBedrockHarness,
  user,
} from '../../helpers/bedrock-agent';
import type { Harness } from '../../helpers/harness';
import { PAYLOAD_DEFAULTS } from '../../helpers/payloads';

/** Bedrock mode end to end (set-up in test/helpers/bedrock-agent.ts). */
describe('agent turns in Bedrock mode — return of control: actions run once, through the policy engine', () => {
  const world = useBedrockHarness();
  const { jobContext, ask } = world;
  let h: Harness;
  beforeAll(() => {
    h = world.h;
  });

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
    expect(result?.responseBody?.TEXT?.body).toContain('Workfront/Asana get the change in the background');
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
});
