import { AccessDeniedException, InvokeAgentCommand } from '@aws-sdk/client-bedrock-agent-runtime';
import { beforeAll, describe, expect, it } from 'vitest';
import { agentJobHandlers } from '../../../app/jobs/agent';
import { startThreadTurn } from '../../../app/listeners/events/thread-turn';
import type { JobContext } from '../../../app/services/job-types';
import { waitForInProcessJobs } from '../../../app/services/jobs-wiring';
import { agentWorkingMessage } from '../../../blocks/agent-answer';
import {
  awsError,
  bedrock,
  channel,
  chunk,
  lastUpdate,
  script,
  text,
  useBedrockHarness,
  user,
} from '../../helpers/bedrock-agent';
import type { Harness } from '../../helpers/harness';
import { PAYLOAD_DEFAULTS } from '../../helpers/payloads';

/** Bedrock mode end to end (set-up in test/helpers/bedrock-agent.ts). */
describe('agent turns in Bedrock mode — failures: errors, retries and final failure', () => {
  const world = useBedrockHarness();
  const { jobContext, turnWithPlaceholder, turnInThread, ask } = world;
  let h: Harness;
  beforeAll(() => {
    h = world.h;
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

  it('an error of no known kind reads as a job that failed for good does, with an agent_unknown log line', async () => {
    bedrock.on(InvokeAgentCommand).rejects(new TypeError('socket hang up'));
    await ask('anything');
    const final = text(lastUpdate(h)?.blocks);
    expect(final).toContain('Sorry — I couldn’t finish this answer. Please try again in a moment.');
    expect(final).not.toContain('socket hang up');
    expect(h.logs.some((line) => line.includes('"code":"agent_unknown"'))).toBe(true);
  });

  it('a failure met as an exception event in the stream reads and logs as the same failure thrown', async () => {
    script([
      {
        accessDeniedException: new AccessDeniedException({ message: 'denied mid-stream', $metadata: {} }),
      },
    ]);
    await ask('anything');
    expect(text(lastUpdate(h)?.blocks)).toContain('not set up correctly');
    expect(
      h.logs.some(
        (line) =>
          line.includes('"code":"agent_access_denied"') &&
          line.includes('"agentErrorKind":"access_denied"') &&
          line.includes('denied mid-stream'),
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

  it('stores one job for a delivery seen twice even without the dedupe middleware, and calls Slack only from the job', async () => {
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
    const messages = { failed: agentWorkingMessage() };
    const [first, second] = await Promise.all([
      startThreadTurn(deps, request, 'event:Ev0BYPASS01', messages),
      startThreadTurn(deps, request, 'event:Ev0BYPASS01', messages),
    ]);
    // The listener half calls Slack not at all: only the job (which has not run yet) does.
    expect(h.standin.calls()).toEqual([]);
    await waitForInProcessJobs(h.runtime.services.jobs);
    expect([first.created, second.created].sort()).toEqual([false, true]);
    expect(bedrock.commandCalls(InvokeAgentCommand)).toHaveLength(1);
    const thread = h.standin.messages(channel).filter((m) => m.thread_ts === '1763740000.000100');
    expect(thread).toHaveLength(1);
    expect(JSON.stringify(thread[0]?.blocks)).toContain('Hello once.');
  });

  it('the job posts the placeholder once, and a job that failed for good turns it into the error', async () => {
    // Prepare
    bedrock.on(InvokeAgentCommand).rejects(awsError('ThrottlingException', 'Rate exceeded'));
    const handlers = agentJobHandlers(h.runtime, h.runtime.slack);
    const { payload, threadTs } = turnInThread('hello');
    const ctx = (attempt: number): JobContext =>
      jobContext('j-placeholder', 'agent.turn', payload, {
        attempt,
        isFinalAttempt: false,
        deadlineMs: 60_000,
      });
    // Act: two attempts (throttled, retried), then the final failure.
    await expect(handlers['agent.turn']?.run(payload, ctx(1))).rejects.toMatchObject({ retryable: true });
    await expect(handlers['agent.turn']?.run(payload, ctx(2))).rejects.toMatchObject({ retryable: true });
    await handlers['agent.turn']?.onFinalFailure?.(payload, new Error('gave up'), ctx(3));
    // Assess: one message in the thread, first "working…", in the end the error.
    const posts = h.standin.calls('chat.postMessage');
    expect(posts).toHaveLength(1);
    expect(String(posts[0]?.args.text)).toContain('Working on it');
    expect(posts[0]?.args.metadata).toMatchObject({
      event_payload: { post_key: 'agent:j-placeholder:main' },
    });
    const thread = h.standin.thread(channel, threadTs).filter((m) => m.ts !== threadTs);
    expect(thread).toHaveLength(1);
    expect(text(thread[0]?.blocks)).toContain(':warning:');
    expect(lastUpdate(h)?.ts).toBe(thread[0]?.ts);
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
