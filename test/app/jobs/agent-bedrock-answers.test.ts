import { InvokeAgentCommand } from '@aws-sdk/client-bedrock-agent-runtime';
import { beforeAll, describe, expect, it } from 'vitest';
import { ActionIds } from '../../../app/ids';
import { agentJobHandlers } from '../../../app/jobs/agent';
import { waitForInProcessJobs } from '../../../app/services/jobs-wiring';
import {
  bedrock,
  buttonValue,
  channel,
  chunk,
  collaboratorTrace,
  lastUpdate,
  type Step,
  script,
  text,
  useBedrockHarness,
  user,
} from '../../helpers/bedrock-agent';
import { type Harness, waitFor } from '../../helpers/harness';
import { PAYLOAD_DEFAULTS } from '../../helpers/payloads';

/** Bedrock mode end to end (set-up in test/helpers/bedrock-agent.ts). */
describe('agent turns in Bedrock mode — answers: streaming, limits and ephemeral asks', () => {
  const world = useBedrockHarness();
  const { jobContext, turnWithPlaceholder, ask } = world;
  let h: Harness;
  beforeAll(() => {
    h = world.h;
  });

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
      // Our data reaches the model escaped for Slack, as it is shown.
      marketingTeams: 'Brand &amp; Content',
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

  it('greets a bare mention without calling the agent', async () => {
    const inputs = script([chunk('should not be used')]);
    await ask('');
    expect(inputs).toHaveLength(0);
    expect(text(lastUpdate(h)?.blocks)).toContain('Ask me about your campaigns');
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
});
