import type { KnownBlock } from '@slack/types';
import { WebAPIPlatformError, WebAPIRateLimitedError, WebClient } from '@slack/web-api';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createWebClient, slackClientOptions } from '../../app/adapters/slack';
import { type Config, loadConfig } from '../../app/config';
import { AppLogger } from '../../app/logger';
import {
  RESPONSE_URL_MAX_POSTS,
  type SlackStandIn,
  STAND_IN_BOT_TOKEN,
  STAND_IN_BOT_USER_ID,
  startSlackStandIn,
} from '../../dev/slack-standin';

const USER = 'U0MAYA';
const CHANNEL = 'C0GENERAL';
const section = (text: string): KnownBlock => ({ type: 'section', text: { type: 'mrkdwn', text } });
const plain = (text: string) => ({ type: 'plain_text' as const, text });
const modal = (title = 'New campaign', extra: Record<string, unknown> = {}) => ({
  type: 'modal' as const,
  title: plain(title),
  blocks: [section('Fill this in')],
  ...extra,
});

/** The platform error a call failed with (the test fails if it did not fail that way). */
async function platformError(
  call: Promise<unknown>,
): Promise<WebAPIPlatformError['data'] & { errors?: string[] }> {
  const error = await call.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(WebAPIPlatformError);
  return (error as WebAPIPlatformError).data;
}

describe('Slack Web API stand-in through @slack/web-api', () => {
  let standin: SlackStandIn;
  let config: Config;
  let logger: AppLogger;
  let client: WebClient;
  let now: Date;

  beforeAll(async () => {
    now = new Date('2026-11-22T10:00:00Z');
    standin = await startSlackStandIn({ clock: () => now });
    config = loadConfig({
      SLACK_SIGNING_SECRET: 'secret',
      SLACK_API_URL: standin.apiUrl,
      LOG_LEVEL: 'error',
    });
    logger = new AppLogger({ level: 'error', sink: () => undefined });
    client = createWebClient(config, logger);
  });

  afterAll(async () => {
    await standin.close();
  });

  beforeEach(() => {
    now = new Date('2026-11-22T10:00:00Z');
    standin.reset();
  });

  describe('auth and dispatch', () => {
    it('answers auth.test with the stand-in bot ids', async () => {
      const result = await client.auth.test();

      expect(result).toMatchObject({
        ok: true,
        user_id: STAND_IN_BOT_USER_ID,
        bot_id: 'B0LOCALBOT',
        team_id: 'T0LOCAL',
      });
      expect(standin.calls('auth.test')).toHaveLength(1);
      expect(standin.calls('auth.test')[0]?.token).toBe(STAND_IN_BOT_TOKEN);
    });

    it('rejects an unknown token with invalid_auth and a missing one with not_authed', async () => {
      const stranger = new WebClient('xoxb-not-known', slackClientOptions(config, logger));
      const anonymous = new WebClient(undefined, slackClientOptions(config, logger));

      expect((await platformError(stranger.auth.test())).error).toBe('invalid_auth');
      expect((await platformError(anonymous.auth.test())).error).toBe('not_authed');
    });

    it('answers unknown methods with unknown_method', async () => {
      const data = await platformError(client.apiCall('campaigns.launch', { id: 1 }));

      expect(data.error).toBe('unknown_method');
    });

    it('accepts JSON bodies and a token in the body', async () => {
      const response = await fetch(`${standin.apiUrl}chat.postMessage`, {
        method: 'POST',
        headers: { 'content-type': 'application/json; charset=utf-8' },
        body: JSON.stringify({
          token: STAND_IN_BOT_TOKEN,
          channel: CHANNEL,
          text: 'hi',
          blocks: [section('hi')],
        }),
      });

      const body = (await response.json()) as { ok: boolean; ts: string };
      expect(body.ok).toBe(true);
      expect(standin.calls('chat.postMessage')[0]?.args).toEqual({
        channel: CHANNEL,
        text: 'hi',
        blocks: [section('hi')],
      });
    });
  });

  describe('chat.*', () => {
    it('posts a message with Slack’s response shape and records the parsed call', async () => {
      const blocks = [section('*Spring launch* is live')];

      const result = await client.chat.postMessage({
        channel: CHANNEL,
        text: 'Spring launch is live',
        blocks,
      });

      expect(result.ok).toBe(true);
      expect(result.channel).toBe(CHANNEL);
      expect(result.ts).toMatch(/^\d{10}\.\d{6}$/);
      expect(result.message).toMatchObject({
        type: 'message',
        text: 'Spring launch is live',
        user: STAND_IN_BOT_USER_ID,
        bot_id: 'B0LOCALBOT',
        ts: result.ts,
        blocks,
      });
      expect(standin.messages(CHANNEL).map((m) => m.ts)).toEqual([result.ts]);
      const [call] = standin.calls('chat.postMessage');
      expect(call?.args.blocks).toEqual(blocks);
      expect(call?.token).toBe(STAND_IN_BOT_TOKEN);
    });

    it('gives every message a larger ts and keeps thread replies with their parent', async () => {
      const parent = await client.chat.postMessage({ channel: CHANNEL, text: 'parent' });
      const reply = await client.chat.postMessage({ channel: CHANNEL, text: 'reply', thread_ts: parent.ts });

      expect(Number(reply.ts)).toBeGreaterThan(Number(parent.ts));
      expect(reply.message?.thread_ts).toBe(parent.ts);
      const thread = standin.thread(CHANNEL, parent.ts as string);
      expect(thread.map((m) => m.text)).toEqual(['parent', 'reply']);
      expect(thread[0]?.reply_count).toBe(1);
    });

    it('posts to a user id in their DM channel', async () => {
      const result = await client.chat.postMessage({ channel: USER, text: 'psst' });

      expect(result.channel).toBe(standin.dmChannelId(USER));
      expect(standin.messages(USER).map((m) => m.text)).toEqual(['psst']);
    });

    it('rejects an unknown channel, a message with neither text nor blocks, and blocks over the limits', async () => {
      const tooMany = Array.from({ length: 51 }, () => ({ type: 'divider' as const }));

      expect((await platformError(client.chat.postMessage({ channel: 'C0NOPE', text: 'x' }))).error).toBe(
        'channel_not_found',
      );
      expect((await platformError(client.chat.postMessage({ channel: CHANNEL, text: '' }))).error).toBe(
        'no_text',
      );
      const fiftyOne = await platformError(
        client.chat.postMessage({ channel: CHANNEL, text: 'x', blocks: tooMany }),
      );
      expect(fiftyOne.error).toBe('invalid_blocks');
      expect(fiftyOne.errors).toEqual(['must be less than 51 items [json-pointer:/blocks]']);
      const longText = await platformError(
        client.chat.postMessage({ channel: CHANNEL, text: 'x', blocks: [section('x'.repeat(3001))] }),
      );
      expect(longText.errors).toEqual([
        'must be less than 3001 characters [json-pointer:/blocks/0/text/text]',
      ]);
      expect(standin.messages(CHANNEL)).toEqual([]);
    });

    it('accepts exactly 50 blocks', async () => {
      const fifty = Array.from({ length: 50 }, () => ({ type: 'divider' as const }));

      const result = await client.chat.postMessage({ channel: CHANNEL, text: 'x', blocks: fifty });

      expect(result.ok).toBe(true);
    });

    it('updates a message in place and refuses unknown and foreign messages', async () => {
      const posted = await client.chat.postMessage({ channel: CHANNEL, text: 'Pending approval' });
      const human = standin.addUserMessage(CHANNEL, { user: USER, text: 'mine' });

      const updated = await client.chat.update({
        channel: CHANNEL,
        ts: posted.ts as string,
        text: 'Approved',
        blocks: [section('Approved')],
      });

      expect(updated).toMatchObject({ ok: true, channel: CHANNEL, ts: posted.ts, text: 'Approved' });
      expect(standin.messages(CHANNEL).find((m) => m.ts === posted.ts)?.blocks).toEqual([
        section('Approved'),
      ]);
      expect(
        (await platformError(client.chat.update({ channel: CHANNEL, ts: '1700000000.000001', text: 'x' })))
          .error,
      ).toBe('message_not_found');
      expect(
        (await platformError(client.chat.update({ channel: CHANNEL, ts: human.ts, text: 'x' }))).error,
      ).toBe('cant_update_message');
    });

    it('deletes a message once', async () => {
      const posted = await client.chat.postMessage({ channel: CHANNEL, text: 'oops' });

      const deleted = await client.chat.delete({ channel: CHANNEL, ts: posted.ts as string });

      expect(deleted).toMatchObject({ ok: true, channel: CHANNEL, ts: posted.ts });
      expect(standin.messages(CHANNEL)).toEqual([]);
      expect(
        (await platformError(client.chat.delete({ channel: CHANNEL, ts: posted.ts as string }))).error,
      ).toBe('message_not_found');
    });

    it('posts ephemeral messages, which cannot be updated', async () => {
      const result = await client.chat.postEphemeral({ channel: CHANNEL, user: USER, text: 'only you' });

      expect(result.message_ts).toMatch(/^\d{10}\.\d{6}$/);
      expect(standin.ephemerals(CHANNEL)).toMatchObject([
        { user: USER, text: 'only you', ts: result.message_ts },
      ]);
      expect(
        (
          await platformError(
            client.chat.update({ channel: CHANNEL, ts: result.message_ts as string, text: 'x' }),
          )
        ).error,
      ).toBe('message_not_found');
      expect(
        (await platformError(client.chat.postEphemeral({ channel: CHANNEL, user: 'U0NOBODY', text: 'x' })))
          .error,
      ).toBe('user_not_found');
    });

    it('returns a permalink for a stored message', async () => {
      const posted = await client.chat.postMessage({ channel: CHANNEL, text: 'link me' });

      const result = await client.chat.getPermalink({ channel: CHANNEL, message_ts: posted.ts as string });

      expect(result.permalink).toBe(
        `https://command-center-local.slack.com/archives/${CHANNEL}/p${(posted.ts as string).replace('.', '')}`,
      );
    });
  });

  describe('users, groups and conversations', () => {
    it('answers users.info with time zone, names and email, and locale only when asked', async () => {
      const plainInfo = await client.users.info({ user: USER });
      const withLocale = await client.users.info({ user: USER, include_locale: true });

      expect(plainInfo.user).toMatchObject({
        id: USER,
        real_name: 'Maya Chen',
        tz: 'America/New_York',
        tz_offset: -18000,
        tz_label: 'Eastern Standard Time',
        profile: { display_name: 'Maya Chen', real_name: 'Maya Chen', email: 'maya.chen@example.com' },
      });
      expect(plainInfo.user?.locale).toBeUndefined();
      expect(withLocale.user?.locale).toBe('en-US');
      expect((await client.users.info({ user: 'U0DIEGO', include_locale: true })).user).toMatchObject({
        locale: 'es-MX',
        tz: 'America/Los_Angeles',
        tz_offset: -28800,
      });
      expect((await platformError(client.users.info({ user: 'U0NOBODY' }))).error).toBe('user_not_found');
    });

    it('lists a user group’s members', async () => {
      const result = await client.usergroups.users.list({ usergroup: 'S0VPS' });

      expect(result.users).toEqual(['U0PRIYA', 'U0CARLOS']);
      expect((await platformError(client.usergroups.users.list({ usergroup: 'S0NOPE' }))).error).toBe(
        'no_such_subteam',
      );
    });

    it('describes channels and opens DMs', async () => {
      const info = await client.conversations.info({ channel: 'C0APPROVAL' });
      const dm = await client.conversations.open({ users: USER });

      expect(info.channel).toMatchObject({
        id: 'C0APPROVAL',
        name: 'mcc-approvals',
        is_channel: true,
        is_member: true,
      });
      expect(dm.channel?.id).toBe(standin.dmChannelId(USER));
      expect((await client.conversations.info({ channel: dm.channel?.id as string })).channel).toMatchObject({
        is_im: true,
        user: USER,
      });
      expect((await platformError(client.conversations.info({ channel: 'C0NOPE' }))).error).toBe(
        'channel_not_found',
      );
      expect((await platformError(client.conversations.open({ users: 'U0NOBODY' }))).error).toBe(
        'user_not_found',
      );
    });
  });

  describe('views.*', () => {
    it('opens a modal and returns Slack’s view object', async () => {
      const result = await client.views.open({
        trigger_id: 't1',
        view: modal('New campaign', { callback_id: 'campaign_new', private_metadata: '{"a":1}' }),
      });

      expect(result.view).toMatchObject({
        type: 'modal',
        callback_id: 'campaign_new',
        private_metadata: '{"a":1}',
        title: plain('New campaign'),
        state: { values: {} },
        app_id: 'A0LOCALAPP',
        bot_id: 'B0LOCALBOT',
        previous_view_id: null,
      });
      expect(result.view?.id).toMatch(/^V/);
      expect(result.view?.root_view_id).toBe(result.view?.id);
      expect(result.view?.hash).toEqual(expect.any(String));
      expect(standin.calls('views.open')[0]?.args.view).toMatchObject({ callback_id: 'campaign_new' });
    });

    it('refuses a reused trigger id', async () => {
      await client.views.open({ trigger_id: 't-once', view: modal() });

      expect((await platformError(client.views.open({ trigger_id: 't-once', view: modal() }))).error).toBe(
        'exchanged_trigger_id',
      );
    });

    it('rejects a 25-character title and long private_metadata with invalid_arguments', async () => {
      const longTitle = await platformError(
        client.views.open({ trigger_id: 't2', view: modal('t'.repeat(25)) }),
      );
      const longMetadata = await platformError(
        client.views.open({ trigger_id: 't3', view: modal('ok', { private_metadata: 'm'.repeat(3001) }) }),
      );

      expect(longTitle.error).toBe('invalid_arguments');
      expect(longTitle.response_metadata?.messages).toEqual([
        '[ERROR] must be less than 25 characters [json-pointer:/view/title/text]',
      ]);
      expect(longMetadata.response_metadata?.messages).toEqual([
        '[ERROR] must be less than 3001 characters [json-pointer:/view/private_metadata]',
      ]);
      expect(
        (
          await platformError(
            client.views.open({
              trigger_id: 't4',
              view: modal('ok', { blocks: Array(101).fill(section('x')) }),
            }),
          )
        ).error,
      ).toBe('invalid_arguments');
    });

    it('keeps at most three views on a stack', async () => {
      const root = await client.views.open({ trigger_id: 'p0', view: modal('Root') });
      const second = await client.views.push({ trigger_id: 'p1', view: modal('Second') });
      const third = await client.views.push({ trigger_id: 'p2', view: modal('Third') });

      expect(second.view?.previous_view_id).toBe(root.view?.id);
      expect(third.view?.root_view_id).toBe(root.view?.id);
      expect(standin.viewStack().map((v) => v.id)).toEqual([root.view?.id, second.view?.id, third.view?.id]);
      expect(
        (await platformError(client.views.push({ trigger_id: 'p3', view: modal('Fourth') }))).error,
      ).toBe('push_limit_reached');
    });

    it('updates a view by view_id or external_id, and checks the hash', async () => {
      const opened = await client.views.open({
        trigger_id: 'u0',
        view: modal('One', { external_id: 'ext-1' }),
      });
      const id = opened.view?.id as string;

      const byId = await client.views.update({
        view_id: id,
        hash: opened.view?.hash as string,
        view: modal('Two'),
      });
      const byExternal = await client.views.update({
        external_id: 'ext-1',
        view: modal('Three', { external_id: 'ext-1' }),
      });

      expect(byId.view).toMatchObject({ id, title: plain('Two') });
      expect(byId.view?.hash).not.toBe(opened.view?.hash);
      expect(byExternal.view?.title).toEqual(plain('Three'));
      expect(
        (
          await platformError(
            client.views.update({ view_id: id, hash: opened.view?.hash as string, view: modal() }),
          )
        ).error,
      ).toBe('hash_conflict');
      expect((await platformError(client.views.update({ view_id: 'V0NOPE', view: modal() }))).error).toBe(
        'not_found',
      );
    });

    it('publishes a Home tab per user', async () => {
      const result = await client.views.publish({
        user_id: USER,
        view: { type: 'home', blocks: [section('Home')] },
      });

      expect(result.view).toMatchObject({ type: 'home', blocks: [section('Home')] });
      expect(standin.homeView(USER)?.id).toBe(result.view?.id);
      expect(
        (
          await platformError(
            client.views.publish({
              user_id: USER,
              view: { type: 'home', blocks: Array(101).fill(section('x')) },
            }),
          )
        ).error,
      ).toBe('invalid_arguments');
    });
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
      now = new Date(now.getTime() + 30 * 60 * 1000 + 1);

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
