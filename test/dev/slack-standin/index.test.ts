import { WebAPIRateLimitedError, type WebClient } from '@slack/web-api';
import { beforeAll, describe, expect, it } from 'vitest';
import { RESPONSE_URL_MAX_POSTS, type SlackStandIn } from '../../../dev/slack-standin';
import { CHANNEL, platformError, section, USER, useStandInClient } from '../../helpers/slack-standin-client';

describe('Slack Web API stand-in through @slack/web-api — injected failures, response_url and state', () => {
  const world = useStandInClient();
  let standin: SlackStandIn;
  let client: WebClient;
  beforeAll(() => {
    ({ standin, client } = world);
  });

  describe('injected failures', () => {
    it('answers 429 with Retry-After, which the bounded client rejects as WebAPIRateLimitedError', async () => {
      standin.failNext('chat.postMessage', { status: 429, retryAfter: 7 });

      const error = await client.chat.postMessage({ channel: CHANNEL, text: 'x' }).catch((e: unknown) => e);
      const retry = await client.chat.postMessage({ channel: CHANNEL, text: 'again' });

      expect(error).toBeInstanceOf(WebAPIRateLimitedError);
      expect((error as WebAPIRateLimitedError).retryAfter).toBe(7);
      expect(retry.ok).toBe(true);
      expect(standin.calls('chat.postMessage')).toHaveLength(2);
    });

    it('injects an ok:false answer', async () => {
      standin.failNext('users.info', { error: 'user_not_visible' });

      expect((await platformError(client.users.info({ user: USER }))).error).toBe('user_not_visible');
      expect((await client.users.info({ user: USER })).ok).toBe(true);
    });
  });

  describe('response_url', () => {
    const post = (url: string, body: Record<string, unknown>) =>
      fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });

    it('takes five posts and answers the sixth with 404 expired_url', async () => {
      const url = standin.responseUrl({ channel: CHANNEL, user: USER });

      const statuses: number[] = [];
      for (let i = 0; i < RESPONSE_URL_MAX_POSTS; i += 1)
        statuses.push((await post(url, { text: `r${i}` })).status);
      const sixth = await post(url, { text: 'too many' });

      expect(statuses).toEqual([200, 200, 200, 200, 200]);
      expect(sixth.status).toBe(404);
      expect(await sixth.json()).toEqual({ ok: false, error: 'expired_url' });
      expect(standin.responses(url).map((r) => r.status)).toEqual([200, 200, 200, 200, 200, 404]);
      expect(standin.ephemerals(CHANNEL)).toHaveLength(5);
    });

    it('expires thirty minutes after it was issued', async () => {
      const url = standin.responseUrl({ channel: CHANNEL, user: USER });
      world.now = new Date(world.now.getTime() + 30 * 60 * 1000 + 1);

      const response = await post(url, { text: 'late' });

      expect(response.status).toBe(404);
    });

    it('replaces, deletes or adds to the original message as asked', async () => {
      const original = await client.chat.postMessage({ channel: CHANNEL, text: 'Approve?' });
      const url = standin.responseUrl({ channel: CHANNEL, user: USER, messageTs: original.ts as string });

      await post(url, { replace_original: true, text: 'Approved by Maya', blocks: [section('Approved')] });
      const replaced = standin.messages(CHANNEL).map((m) => m.text);
      await post(url, { response_type: 'in_channel', replace_original: false, text: 'FYI: approved' });
      await post(url, { delete_original: true });

      expect(replaced).toEqual(['Approved by Maya']);
      expect(standin.messages(CHANNEL).map((m) => m.text)).toEqual(['FYI: approved']);
    });
  });

  describe('state', () => {
    it('reset clears calls and state but keeps fixtures', async () => {
      await client.chat.postMessage({ channel: CHANNEL, text: 'x' });

      standin.reset();

      expect(standin.calls()).toEqual([]);
      expect(standin.messages(CHANNEL)).toEqual([]);
      expect((await client.users.info({ user: USER })).ok).toBe(true);
    });

    it('serves a read-only snapshot at /_standin/state', async () => {
      await client.chat.postMessage({ channel: CHANNEL, text: 'visible' });

      const response = await fetch(`${standin.baseUrl}/_standin/state`);
      const snapshot = (await response.json()) as {
        channels: { id: string; messages: { text: string }[] }[];
      };

      expect(snapshot.channels.find((c) => c.id === CHANNEL)?.messages.map((m) => m.text)).toEqual([
        'visible',
      ]);
    });
  });
});
