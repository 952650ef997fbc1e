import { WebClient } from '@slack/web-api';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DownstreamError } from '../../../app/errors';
import { slackPostHandler } from '../../../app/jobs/slack-post';
import type { JobContext } from '../../../app/services/job-types';
import { captureLogger } from '../../helpers/job-fixtures';
import { type SlackRecorder, startSlackRecorder } from '../../helpers/slack-recorder';

let failWith: { status: number; body: unknown } | undefined;
let recorder: SlackRecorder;
let client: WebClient;

beforeAll(async () => {
  recorder = await startSlackRecorder({
    override: (call) => (call.method === 'chat.postMessage' ? failWith : undefined),
  });
  client = new WebClient('xoxb-test-token', {
    slackApiUrl: recorder.apiUrl,
    retryConfig: { retries: 0 },
    rejectRateLimitedCalls: true,
  });
});
afterAll(async () => {
  await recorder.close();
});
beforeEach(() => {
  recorder.reset();
  failWith = undefined;
});

function ctx(): JobContext {
  const now = new Date('2026-03-02T09:00:00Z');
  return {
    job: {
      jobId: 'job_1',
      kind: 'slack.post',
      status: 'RUNNING',
      payload: {},
      attempts: 1,
      maxAttempts: 5,
      nextAttemptAt: now.toISOString(),
      createdAt: now.toISOString(),
      updatedAt: now.toISOString(),
      version: 2,
    },
    attempt: 1,
    isFinalAttempt: false,
    deadline: new Date(now.getTime() + 60_000),
    logger: captureLogger().logger,
  };
}

/** The form or JSON body the Web API client sent. */
function sent(body: string): Record<string, unknown> {
  if (body.startsWith('{')) return JSON.parse(body) as Record<string, unknown>;
  return Object.fromEntries(new URLSearchParams(body));
}

describe('slack.post job', () => {
  it('posts the prepared message with chat.postMessage', async () => {
    // Prepare: 50 blocks, Slack's per-message limit.
    const blocks = Array.from({ length: 50 }, (_, i) => ({
      type: 'section',
      text: { type: 'mrkdwn', text: `line ${i}` },
    }));
    // Act
    await slackPostHandler(client).run(
      { channel: 'C0TEAM', text: 'Campaign provisioned', blocks, threadTs: '1700000000.000100' },
      ctx(),
    );
    // Assess
    const calls = recorder.calls('chat.postMessage');
    expect(calls).toHaveLength(1);
    const body = sent(calls[0]?.body ?? '');
    expect(body.channel).toBe('C0TEAM');
    expect(body.text).toBe('Campaign provisioned');
    expect(body.thread_ts).toBe('1700000000.000100');
    const sentBlocks = typeof body.blocks === 'string' ? JSON.parse(body.blocks) : body.blocks;
    expect(sentBlocks).toHaveLength(50);
  });

  it('rejects a malformed payload as final, without calling Slack', async () => {
    const tooMany = Array.from({ length: 51 }, () => ({ type: 'divider' }));
    const attempt = slackPostHandler(client).run({ channel: 'C0TEAM', text: 'x', blocks: tooMany }, ctx());
    await expect(attempt).rejects.toMatchObject({ retryable: false });
    expect(recorder.calls()).toHaveLength(0);
  });

  it('makes channel_not_found final and a rate limit or 5xx retryable', async () => {
    // Prepare / Act
    failWith = { status: 200, body: { ok: false, error: 'channel_not_found' } };
    const notFound = await slackPostHandler(client)
      .run({ channel: 'C0GONE', text: 'x' }, ctx())
      .catch((e: unknown) => e);
    failWith = { status: 429, body: { ok: false, error: 'ratelimited' } };
    const limited = await slackPostHandler(client)
      .run({ channel: 'C0TEAM', text: 'x' }, ctx())
      .catch((e: unknown) => e);
    failWith = { status: 503, body: { ok: false } };
    const unavailable = await slackPostHandler(client)
      .run({ channel: 'C0TEAM', text: 'x' }, ctx())
      .catch((e: unknown) => e);
    // Assess
    expect(notFound).toBeInstanceOf(DownstreamError);
    expect(notFound).toMatchObject({ service: 'slack', retryable: false });
    expect(limited).toMatchObject({ service: 'slack', retryable: true });
    expect(unavailable).toMatchObject({ service: 'slack', retryable: true });
  });
});
