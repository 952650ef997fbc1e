import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ActionIds } from '../../../../app/ids';
import { jobIdFor } from '../../../../app/services/jobs';
import { waitForInProcessJobs } from '../../../../app/services/jobs-wiring';
import { type Harness, startHarness, waitFor } from '../../../helpers/harness';
import { PAYLOAD_DEFAULTS } from '../../../helpers/payloads';

/**
 * The job-backed agent pipeline with the offline agent (no Bedrock configured), end to end:
 * signed Events API callbacks and slash commands in, the Web API stand-in out, jobs on dynalite.
 */
describe('agent pipeline (offline agent)', () => {
  let h: Harness;
  const channel = PAYLOAD_DEFAULTS.channelId;
  const bot = PAYLOAD_DEFAULTS.botUserId;

  beforeAll(async () => {
    h = await startHarness({ seed: true });
  });
  afterAll(async () => {
    await h?.close();
  });

  const blocksText = (blocks: unknown): string => JSON.stringify(blocks ?? []);
  const askIdOf = (rawBody: string): string =>
    (new URLSearchParams(rawBody).get('trigger_id') ?? '').replace(/[^0-9a-zA-Z.:-]/g, '-').slice(0, 80);
  const buttonValue = (blocks: unknown, actionId: string): string | undefined => {
    for (const block of Array.isArray(blocks) ? blocks : []) {
      for (const element of (block as { elements?: { action_id?: string; value?: string }[] }).elements ??
        []) {
        if (element.action_id === actionId) return element.value;
      }
    }
    return undefined;
  };

  it('answers a mention in its thread: placeholder first, then the answer replaces it', async () => {
    // Prepare
    h.standin.reset();
    // Act
    const response = await h.event({ text: `<@${bot}> what is the status of sprng launch?` });
    await waitForInProcessJobs(h.runtime.services.jobs);
    // Assess
    expect(response.status).toBe(200);
    const posts = h.standin.calls('chat.postMessage');
    expect(posts).toHaveLength(1);
    const placeholder = posts[0]?.args;
    expect(placeholder?.channel).toBe(channel);
    expect(placeholder?.text).toContain('Working on it');
    const updates = h.standin.calls('chat.update');
    expect(updates).toHaveLength(1);
    const final = updates[0]?.args;
    expect(final?.channel).toBe(channel);
    const text = blocksText(final?.blocks);
    expect(text).toContain('*Spring Launch*');
    expect(text).toContain('in progress');
    expect(text).toContain('Offline agent');
    expect(text).toContain(ActionIds.agentFeedbackUp);
    // The placeholder lives in the mention's thread and the update targets it.
    const threadMessages = h.standin.messages(channel).filter((m) => m.thread_ts !== undefined);
    expect(threadMessages.some((m) => m.ts === final?.ts)).toBe(true);
  });

  it('gives one answer for concurrent retries of the same event', async () => {
    h.standin.reset();
    const envelope = { event_id: 'Ev0RETRY0001' };
    const event = { text: `<@${bot}> what launches this week?`, ts: '1763700000.000100' };
    const [a, b] = await Promise.all([
      h.event(event, envelope, { headers: { 'x-slack-retry-num': '0' } }),
      h.event(event, envelope, {
        headers: { 'x-slack-retry-num': '1', 'x-slack-retry-reason': 'http_timeout' },
      }),
    ]);
    await waitForInProcessJobs(h.runtime.services.jobs);
    // One runs; the other is a duplicate: acknowledged (200) if the first had finished, else 409
    // so that Slack retries it later (it may be the copy of a delivery whose process died).
    expect([a.status, b.status]).toContain(200);
    expect([200, 409]).toEqual(expect.arrayContaining([a.status, b.status]));
    // Slack's later retry finds the delivery done: acknowledged, nothing run again.
    const later = await h.event(event, envelope, { headers: { 'x-slack-retry-num': '2' } });
    await waitForInProcessJobs(h.runtime.services.jobs);
    expect(later.status).toBe(200);
    const finals = h.standin.calls('chat.update');
    expect(finals).toHaveLength(1);
    expect(blocksText(finals[0]?.args.blocks)).toMatch(/Launching this week|Nothing launches this week/);
  });

  it('ignores bot messages, edits and its own posts', async () => {
    h.standin.reset();
    await h.event({ type: 'message', text: 'bot says hi', bot_id: 'B0OTHER' });
    await h.event({ type: 'message', subtype: 'message_changed', text: 'edited' });
    await h.event({ type: 'message', user: bot, text: 'my own post' });
    await waitForInProcessJobs(h.runtime.services.jobs);
    expect(h.standin.calls('chat.postMessage')).toHaveLength(0);
  });

  it('answers a DM in the DM, and an unknown request with examples of what works', async () => {
    h.standin.reset();
    const dm = `D${PAYLOAD_DEFAULTS.userId.slice(1)}`;
    await h.event({ type: 'message', text: 'tell me a joke', channel: dm });
    await waitForInProcessJobs(h.runtime.services.jobs);
    const posts = h.standin.calls('chat.postMessage');
    expect(posts).toHaveLength(1);
    expect(posts[0]?.args.channel).toBe(dm);
    expect(posts[0]?.args.thread_ts).toBeUndefined();
    const final = h.standin.calls('chat.update')[0]?.args;
    expect(blocksText(final?.blocks)).toContain('offline agent');
    expect(blocksText(final?.blocks)).toContain('What launches this week?');
  });

  it('offers the new-campaign button for "create a campaign"', async () => {
    h.standin.reset();
    await h.event({ text: `<@${bot}> can you create a new campaign for me` });
    await waitForInProcessJobs(h.runtime.services.jobs);
    const final = h.standin.calls('chat.update')[0]?.args;
    expect(blocksText(final?.blocks)).toContain(ActionIds.openNewCampaign);
  });

  it('answers "my tasks", "overdue" and "pending approvals" from the data', async () => {
    for (const [question, expected] of [
      ['what are my tasks?', /Your open tasks|no open tasks/],
      ['what is overdue?', /Overdue work|Nothing is overdue/],
      ['any approvals pending?', /approval/i],
    ] as const) {
      h.standin.reset();
      await h.event({ text: `<@${bot}> ${question}` });
      await waitForInProcessJobs(h.runtime.services.jobs);
      expect(blocksText(h.standin.calls('chat.update')[0]?.args.blocks)).toMatch(expected);
    }
  });

  it('/mcc ask: ephemeral placeholder in the ack, answer through response_url, Share posts it in the channel', async () => {
    h.standin.reset();
    const ack = await h.command('ask what is the status of Spring Launch?');
    expect(ack.status).toBe(200);
    expect(ack.json<{ response_type: string; text: string }>()).toMatchObject({
      response_type: 'ephemeral',
      text: expect.stringContaining('Working on it'),
    });
    await waitForInProcessJobs(h.runtime.services.jobs);
    // The job holds no response_url (a short-lived capability): only a reference to the stored ask.
    const job = await h.runtime.services.jobs.get(jobIdFor('agent.turn', `ask:${askIdOf(ack.rawBody)}`));
    expect(job?.payload).toMatchObject({ source: 'ask', target: { kind: 'ephemeral' } });
    expect(JSON.stringify(job?.payload)).not.toContain(ack.responseUrl);
    const responses = await waitFor(() => {
      const list = h.standin.responses().filter((r) => r.status === 200);
      return list.length > 0 ? list : undefined;
    });
    expect(responses.length).toBeLessThanOrEqual(5);
    const answer = responses.at(-1)?.body;
    expect(answer?.response_type).toBe('ephemeral');
    expect(blocksText(answer?.blocks)).toContain('*Spring Launch*');
    expect(blocksText(answer?.blocks)).toContain(ActionIds.agentShare);
    // Share in channel
    const shareValue = buttonValue(answer?.blocks, ActionIds.agentShare);
    expect(shareValue).toBeTruthy();
    await h.action({ action: { action_id: ActionIds.agentShare, value: shareValue ?? '' } });
    await waitFor(() => h.standin.calls('chat.postMessage').length > 0);
    const shared = h.standin.calls('chat.postMessage')[0]?.args;
    expect(shared?.channel).toBe(channel);
    expect(blocksText(shared?.blocks)).toContain('Shared by');
  });

  it('Share explains what to do when the bot is not in the channel, and can be retried', async () => {
    h.standin.reset();
    const ack = await h.command('ask what launches next week?');
    expect(ack.status).toBe(200);
    await waitForInProcessJobs(h.runtime.services.jobs);
    const answer = await waitFor(() => h.standin.responses(ack.responseUrl).at(-1)?.body);
    const shareValue = buttonValue(answer.blocks, ActionIds.agentShare) ?? '';
    h.standin.failNext('chat.postMessage', { error: 'not_in_channel' });
    const first = await h.action({ action: { action_id: ActionIds.agentShare, value: shareValue } });
    await waitFor(() => h.standin.responses(first.responseUrl).length > 0);
    expect(String(h.standin.responses(first.responseUrl)[0]?.body.text)).toContain('Invite me');
    const second = await h.action({ action: { action_id: ActionIds.agentShare, value: shareValue } });
    await waitFor(() => h.standin.responses(second.responseUrl).length > 0);
    expect(String(h.standin.responses(second.responseUrl)[0]?.body.text)).toContain('Shared in the channel');
    const third = await h.action({ action: { action_id: ActionIds.agentShare, value: shareValue } });
    await waitFor(() => h.standin.responses(third.responseUrl).length > 0);
    expect(String(h.standin.responses(third.responseUrl)[0]?.body.text)).toContain('already shared');
  });

  it('stores a feedback click and acknowledges it to the voter only', async () => {
    h.standin.reset();
    const action = await h.action({
      action: { action_id: ActionIds.agentFeedbackDown, value: 'T0.C0.1.2|1' },
    });
    expect(action.status).toBe(200);
    await waitFor(() => h.standin.responses(action.responseUrl).length > 0);
    const reply = h.standin.responses(action.responseUrl)[0]?.body;
    expect(reply).toMatchObject({ response_type: 'ephemeral', replace_original: false });
    const stored = await h.runtime.repositories.eventsLog.list('feedback');
    expect(stored.items.at(-1)).toMatchObject({
      type: 'agent.feedback',
      actor: PAYLOAD_DEFAULTS.userId,
      data: { conversation: 'T0.C0.1.2', turn: '1', vote: 'down' },
    });
  });
});
