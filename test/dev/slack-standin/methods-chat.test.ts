import { WebClient } from '@slack/web-api';
import { beforeAll, describe, expect, it } from 'vitest';
import { slackClientOptions } from '../../../app/adapters/slack';
import type { Config } from '../../../app/config';
import type { AppLogger } from '../../../app/logger';
import { type SlackStandIn, STAND_IN_BOT_TOKEN, STAND_IN_BOT_USER_ID } from '../../../dev/slack-standin';
import { CHANNEL, platformError, section, USER, useStandInClient } from '../../helpers/slack-standin-client';

describe('Slack Web API stand-in through @slack/web-api — auth, dispatch and chat.*', () => {
  const world = useStandInClient();
  let standin: SlackStandIn;
  let config: Config;
  let logger: AppLogger;
  let client: WebClient;
  beforeAll(() => {
    ({ standin, config, logger, client } = world);
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
});
