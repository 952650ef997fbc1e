import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { beforeEach, describe, expect, it } from 'vitest';
import { handler } from '../../handlers/http';
import { SECRET, useHttpHandlerTest } from '../helpers/http-handler-world';
import {
  appMention,
  blockActionsForm,
  eventCallbackJson,
  FORM_UTF8,
  JSON_TYPE,
  signedSlackEvent,
  slashCommandForm,
  v2Event,
} from '../helpers/lambda-events';
import type { SlackRecorder } from '../helpers/slack-recorder';

const t = useHttpHandlerTest();
const { call, storeItemCount, dedupeKeys, nowSec } = t;
let slack: SlackRecorder;
beforeEach(() => {
  ({ slack } = t);
});

describe('handlers/http handler — accepted and rejected requests', () => {
  it('is a two-argument async handler (Lambda Node.js 24 rejects callback handlers)', () => {
    // Prepare / Act / Assess: the function's declared arity is what the runtime inspects.
    expect(handler.length).toBe(2);
  });

  describe('accepted Slack requests', () => {
    it('answers a signed `/mcc help` (form, charset=utf-8) with the help blocks in the ack', async () => {
      // Prepare
      const event = signedSlackEvent(slashCommandForm('help'), { secret: SECRET, contentType: FORM_UTF8 });
      // Act
      const result = await call(event);
      // Assess
      expect(result.statusCode).toBe(200);
      const body = JSON.parse(result.body ?? '');
      expect(body.response_type).toBe('ephemeral');
      expect(body.text).toContain('/mcc');
      expect(body.blocks.some((b: { type: string }) => b.type === 'header')).toBe(true);
      expect(JSON.stringify(body.blocks)).toContain('/mcc help');
    });

    it('decodes a base64-encoded body (isBase64Encoded: true) before checking the signature', async () => {
      const event = signedSlackEvent(slashCommandForm('help'), {
        secret: SECRET,
        contentType: FORM_UTF8,
        base64: true,
      });
      expect(event.isBase64Encoded).toBe(true);
      const result = await call(event);
      expect(result.statusCode).toBe(200);
      expect(JSON.parse(result.body ?? '').blocks.length).toBeGreaterThan(1);
    });

    it('acknowledges a signed app_mention event with 200 and records its event_id once', async () => {
      const body = eventCallbackJson(appMention('<@U0LOCALBOT> help'));
      const result = await call(signedSlackEvent(body, { secret: SECRET, contentType: JSON_TYPE }));
      expect(result.statusCode).toBe(200);
      const eventId = JSON.parse(body).event_id as string;
      expect(await dedupeKeys()).toContain(`event:${eventId}`);
    });

    it('accepts a signed block action (form `payload=`) with 200', async () => {
      const result = await call(
        signedSlackEvent(blockActionsForm('some_action', 'v'), { secret: SECRET, contentType: FORM_UTF8 }),
      );
      expect(result.statusCode).toBe(200);
    });

    it('answers url_verification with the challenge', async () => {
      const body = JSON.stringify({ token: 't', challenge: 'chal-123abc', type: 'url_verification' });
      const before = await storeItemCount();
      const result = await call(signedSlackEvent(body, { secret: SECRET, contentType: JSON_TYPE }));
      expect(result.statusCode).toBe(200);
      expect(JSON.parse(result.body ?? '')).toEqual({ challenge: 'chal-123abc' });
      expect(await storeItemCount()).toBe(before);
    });

    it('answers an unsigned ssl_check probe with 200 and does nothing else, even with a smuggled payload', async () => {
      const before = await storeItemCount();
      const smuggled = new URLSearchParams({
        ssl_check: '1',
        token: 't',
        payload: JSON.stringify({ type: 'block_actions', actions: [{ action_id: 'x' }] }),
      }).toString();
      const plain = await call(
        v2Event({ body: 'ssl_check=1&token=t', headers: { 'content-type': FORM_UTF8 } }),
      );
      const withPayload = await call(v2Event({ body: smuggled, headers: { 'content-type': FORM_UTF8 } }));
      expect(plain.statusCode).toBe(200);
      expect(withPayload.statusCode).toBe(200);
      expect(await storeItemCount()).toBe(before);
      expect(slack.calls()).toEqual([]);
    });

    it('accepts a timestamp a little in the future (clock skew inside the 5-minute window)', async () => {
      const event = signedSlackEvent(slashCommandForm('help'), {
        secret: SECRET,
        contentType: FORM_UTF8,
        timestampSec: nowSec() + 240,
      });
      expect((await call(event)).statusCode).toBe(200);
    });
  });

  describe('rejected requests: 401 and no side effect', () => {
    const form = () => slashCommandForm('help');
    const cases: [string, () => APIGatewayProxyEventV2][] = [
      [
        'a bad signature',
        () => signedSlackEvent(form(), { secret: 'not-the-secret', contentType: FORM_UTF8 }),
      ],
      [
        'a missing signature',
        () => {
          const event = signedSlackEvent(form(), { secret: SECRET, contentType: FORM_UTF8 });
          delete event.headers['x-slack-signature'];
          return event;
        },
      ],
      [
        'a missing timestamp',
        () => {
          const event = signedSlackEvent(form(), { secret: SECRET, contentType: FORM_UTF8 });
          delete event.headers['x-slack-request-timestamp'];
          return event;
        },
      ],
      [
        'a timestamp more than 5 minutes old',
        () =>
          signedSlackEvent(form(), { secret: SECRET, contentType: FORM_UTF8, timestampSec: nowSec() - 301 }),
      ],
      [
        'a timestamp more than 5 minutes in the future',
        () =>
          signedSlackEvent(form(), { secret: SECRET, contentType: FORM_UTF8, timestampSec: nowSec() + 301 }),
      ],
      [
        'a malformed timestamp',
        () => {
          const event = signedSlackEvent(form(), { secret: SECRET, contentType: FORM_UTF8 });
          event.headers['x-slack-request-timestamp'] = 'yesterday';
          return event;
        },
      ],
      [
        'garbage bytes, unsigned',
        () =>
          v2Event({
            body: Buffer.from([0xff, 0xfe, 0x00, 0x13, 0x37, 0xc3, 0x28]),
            base64: true,
            headers: { 'content-type': 'application/octet-stream' },
          }),
      ],
      [
        'invalid JSON with a JSON content type, unsigned',
        () => v2Event({ body: '{"type":"event_callback",', headers: { 'content-type': JSON_TYPE } }),
      ],
      ['an empty body, unsigned', () => v2Event({ body: '', headers: { 'content-type': JSON_TYPE } })],
      ['no body at all', () => v2Event({ headers: { 'content-type': JSON_TYPE } })],
      [
        'a 900 KB body with a forged signature',
        () =>
          v2Event({
            body: JSON.stringify({ type: 'event_callback', event_id: 'EvHUGE', pad: 'x'.repeat(900_000) }),
            headers: {
              'content-type': JSON_TYPE,
              'x-slack-signature': `v0=${'0'.repeat(64)}`,
              'x-slack-request-timestamp': String(nowSec()),
            },
          }),
      ],
    ];

    it.each(cases)('%s → 401, no store write, no Slack call', async (_name, build) => {
      // Prepare
      const before = await storeItemCount();
      // Act
      const result = await call(build());
      // Assess
      expect(result.statusCode).toBe(401);
      expect(await storeItemCount()).toBe(before);
      expect(slack.calls()).toEqual([]);
    });

    it('a huge body (forged signature) → 413 unread, no store write, no Slack call', async () => {
      const before = await storeItemCount();
      const result = await call(
        v2Event({
          body: `payload=${'A'.repeat(6 * 1024 * 1024)}`,
          headers: {
            'content-type': FORM_UTF8,
            'x-slack-signature': `v0=${'0'.repeat(64)}`,
            'x-slack-request-timestamp': String(nowSec()),
          },
        }),
      );
      expect(result.statusCode).toBe(413);
      expect(await storeItemCount()).toBe(before);
      expect(slack.calls()).toEqual([]);
    });

    it('a signed but malformed JSON body → 400, no side effect, no crash', async () => {
      const before = await storeItemCount();
      const result = await call(signedSlackEvent('{"type":', { secret: SECRET, contentType: JSON_TYPE }));
      expect(result.statusCode).toBe(400);
      expect(await storeItemCount()).toBe(before);
      expect(slack.calls()).toEqual([]);
    });
  });
});
