import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { App, type HTTPReceiver } from '@slack/bolt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHttpReceiver, MAX_BODY_BYTES } from '../../../app/http/receiver';
import { AppLogger } from '../../../app/logger';
import { signSlackRequest } from '../../../dev/slack-signature';
import { FORM_UTF8, slashCommandForm } from '../../helpers/lambda-events';

/**
 * The receiver as `npm start` runs it (Bolt's own HTTP server on a port), where unknown paths and
 * failing routes go through a different code path than under serverless-http.
 */
const SECRET = 'receiver-test-secret';
// Bolt checks staleness against the wall clock, so the receiver's clock is the wall clock at the
// start of this file (fixed from then on): the test owns it and passes on any date.
const NOW = new Date(Math.floor(Date.now() / 1000) * 1000);
const nowSec = Math.floor(NOW.getTime() / 1000);
let receiver: HTTPReceiver;
let server: Server;
let baseUrl: string;
const lines: string[] = [];
const commands: string[] = [];

beforeAll(async () => {
  const logger = new AppLogger({ level: 'debug', sink: (line) => lines.push(line), secrets: [SECRET] });
  receiver = createHttpReceiver({
    signingSecret: SECRET,
    logger,
    clock: () => NOW,
    customRoutes: [
      {
        path: '/boom',
        method: ['GET'],
        handler: async () => {
          throw new Error('route failed');
        },
      },
    ],
  });
  const app = new App({
    receiver,
    logger,
    authorize: async () => ({ botToken: 'xoxb-test', botId: 'B0TEST', botUserId: 'U0TEST' }),
  });
  app.command('/mcc', async ({ ack, command }) => {
    commands.push(command.text);
    await ack({ text: `ok ${command.text}` });
  });
  server = (await receiver.start(0)) as Server;
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await receiver.stop();
});

async function post(body: string, headers: Record<string, string>): Promise<Response> {
  return fetch(`${baseUrl}/slack/events`, { method: 'POST', body, headers });
}

describe('createHttpReceiver (local server)', () => {
  it('accepts a signed command sent as form with charset=utf-8', async () => {
    const body = slashCommandForm('help me');
    // Bolt's clock is real; sign with the real time so its staleness check passes.
    const response = await post(body, { 'content-type': FORM_UTF8, ...signSlackRequest(body, SECRET) });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ text: 'ok help me' });
  });

  it('rejects a timestamp more than 5 minutes ahead of the clock before Bolt sees it', async () => {
    const before = commands.length;
    const body = slashCommandForm('future');
    const response = await post(body, {
      'content-type': FORM_UTF8,
      ...signSlackRequest(body, SECRET, nowSec + 301),
    });
    expect(response.status).toBe(401);
    expect(commands.length).toBe(before);
    expect(lines.some((line) => line.includes('timestamp_in_future'))).toBe(true);
  });

  it('refuses a body over the limit with 413 without reading it', async () => {
    const body = `payload=${'x'.repeat(MAX_BODY_BYTES)}`;
    const response = await post(body, {
      'content-type': FORM_UTF8,
      'x-slack-signature': 'v0=00',
      'x-slack-request-timestamp': String(nowSec),
    });
    expect(response.status).toBe(413);
  });

  describe('signed but malformed bodies: a fast 4xx and one bounded log line, never a crash or a 5xx', () => {
    const form = 'application/x-www-form-urlencoded';
    const interaction = (payload: unknown) => `payload=${encodeURIComponent(JSON.stringify(payload))}`;
    const cases: [string, string, string, number][] = [
      ['form payload=null (crashed the process: Bolt read ssl_check of null)', form, 'payload=null', 400],
      ['JSON null', 'application/json', 'null', 400],
      ['a JSON array', 'application/json', '[{"type":"block_actions"}]', 400],
      [
        'block_actions without user (was 500)',
        form,
        interaction({ type: 'block_actions', team: { id: 'T1' }, actions: [{ action_id: 'a' }] }),
        400,
      ],
      [
        'block_actions with actions:[{}] (was 500)',
        form,
        interaction({ type: 'block_actions', user: { id: 'U1' }, actions: [{}] }),
        400,
      ],
      [
        'block_actions with no actions',
        form,
        interaction({ type: 'block_actions', user: { id: 'U1' }, actions: [] }),
        400,
      ],
      ['an unrecognised JSON object (was 3 s, then 404)', 'application/json', '{"foo":1}', 400],
      ['a repeated slash command field', form, `${slashCommandForm('help')}&text=again`, 400],
      [
        'an event whose event is a string',
        'application/json',
        '{"type":"event_callback","event_id":"Ev1","event":"x"}',
        400,
      ],
      ['plain text', 'text/plain', 'hello', 400],
      [
        'app_rate_limited (Slack expects 200)',
        'application/json',
        '{"type":"app_rate_limited","team_id":"T1","minute_rate_limited":1518467820}',
        200,
      ],
    ];

    it.each(cases)('%s → %i', async (_name, contentType, body, status) => {
      // Prepare
      const before = commands.length;
      const logged = lines.length;
      const started = performance.now();

      // Act
      const response = await post(body, {
        'content-type': contentType,
        ...signSlackRequest(body, SECRET),
      });

      // Assess
      expect(response.status).toBe(status);
      // Well under Bolt's 3 s no-ack timer: nothing waited for it (with room for a loaded machine).
      expect(performance.now() - started).toBeLessThan(2_500);
      expect(commands.length).toBe(before);
      const written = lines.slice(logged);
      if (status >= 400) {
        expect(written).toHaveLength(1);
        expect(JSON.parse(written[0] ?? '{}')).toMatchObject({ msg: 'rejected Slack request', status });
      }
    });

    it('logs a 990 KB signed text in one line of a few hundred bytes', async () => {
      const body = `"${'x'.repeat(990_000)}`;
      const logged = lines.length;
      const response = await post(body, {
        'content-type': 'application/json',
        ...signSlackRequest(body, SECRET),
      });
      expect(response.status).toBe(400);
      const written = lines.slice(logged);
      expect(written).toHaveLength(1);
      expect(written[0]?.length).toBeLessThan(600);
    });

    it('keeps serving after all of them', async () => {
      const body = slashCommandForm('still here');
      const response = await post(body, {
        'content-type': FORM_UTF8,
        ...signSlackRequest(body, SECRET),
      });
      expect(await response.json()).toEqual({ text: 'ok still here' });
    });
  });

  it('answers an unknown path with a JSON 404', async () => {
    const response = await fetch(`${baseUrl}/nowhere`);
    expect(response.status).toBe(404);
    expect(await response.json()).toEqual({ ok: false, error: 'not_found' });
  });

  it('answers a failing async custom route with a JSON 500 carrying the request id', async () => {
    const response = await fetch(`${baseUrl}/boom`, { headers: { 'x-request-id': 'req-boom-1' } });
    expect(response.status).toBe(500);
    expect(await response.json()).toEqual({ ok: false, error: 'internal_error', requestId: 'req-boom-1' });
    const logged = lines
      .map((line) => JSON.parse(line))
      .find((entry) => entry.msg === 'request listener failed');
    expect(logged?.requestId).toBe('req-boom-1');
  });
});
