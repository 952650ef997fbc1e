import { ErrorCode, WebAPIRateLimitedError } from '@slack/web-api';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createWebClient, slackClientOptions, slackErrorCode } from '../../../app/adapters/slack';
import { loadConfig } from '../../../app/config';
import { AppLogger } from '../../../app/logger';
import { type SlackRecorder, startSlackRecorder } from '../../helpers/slack-recorder';

/**
 * The Web API client's retry policy is bounded to a Lambda's time budget (issue 2, point 8):
 * the library default retries for ~30 minutes.
 */
let slack: SlackRecorder;
let answer: { status: number; body: unknown; headers?: Record<string, string> } | undefined;
const logger = new AppLogger({ level: 'error', sink: () => undefined });

beforeAll(async () => {
  slack = await startSlackRecorder({ override: () => answer });
});

afterAll(async () => {
  await slack.close();
});

beforeEach(() => {
  slack.reset();
  answer = undefined;
});

function client() {
  const config = loadConfig({ SLACK_SIGNING_SECRET: 'sig-secret-1234', SLACK_API_URL: slack.apiUrl });
  return createWebClient(config, logger, 'xoxb-test-token');
}

describe('Slack Web API client options', () => {
  it('caps retries, per-attempt time and backoff so one call cannot outlive a Lambda invocation', () => {
    const options = slackClientOptions(loadConfig({ SLACK_SIGNING_SECRET: 'sig-secret-1234' }), logger);
    const retry = options.retryConfig as { retries?: number; maxTimeout?: number };
    expect(retry.retries).toBeLessThanOrEqual(2);
    expect(retry.maxTimeout).toBeLessThanOrEqual(2_000);
    expect(options.timeout).toBeGreaterThan(0);
    // Worst case: every attempt times out and every backoff is the longest.
    const worstCaseMs =
      ((retry.retries ?? 0) + 1) * (options.timeout ?? 0) + (retry.retries ?? 0) * (retry.maxTimeout ?? 0);
    expect(worstCaseMs).toBeLessThanOrEqual(35_000);
    expect(options.rejectRateLimitedCalls).toBe(true);
  });

  it('gives up on a failing method after 1 + 2 attempts', async () => {
    answer = { status: 500, body: { ok: false, error: 'internal_error' } };
    await expect(client().chat.postMessage({ channel: 'C1', text: 'hi' })).rejects.toMatchObject({
      code: ErrorCode.HTTPError,
    });
    expect(slack.calls('chat.postMessage')).toHaveLength(3);
  });

  it('rejects a rate-limited call at once instead of sleeping through Retry-After', async () => {
    answer = { status: 429, body: { ok: false, error: 'ratelimited' }, headers: { 'retry-after': '30' } };
    const error = await client()
      .chat.postMessage({ channel: 'C1', text: 'hi' })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WebAPIRateLimitedError);
    expect(slack.calls('chat.postMessage')).toHaveLength(1);
  });
});

describe('slackErrorCode', () => {
  it('reads the Web API error string and nothing else', () => {
    expect(
      slackErrorCode({ code: 'slack_webapi_platform_error', data: { ok: false, error: 'not_in_channel' } }),
    ).toBe('not_in_channel');
    expect(slackErrorCode(new Error('socket hang up'))).toBeUndefined();
    expect(slackErrorCode({ data: { error: 42 } })).toBeUndefined();
    expect(slackErrorCode(null)).toBeUndefined();
  });
});
