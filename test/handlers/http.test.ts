import { DynamoDBClient, ScanCommand } from '@aws-sdk/client-dynamodb';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { createDocumentClient } from '../../app/adapters/dynamo/client';
import { DedupeRepository } from '../../app/adapters/dynamo/dedupe-repo';
import { TABLES, tableNames } from '../../app/adapters/dynamo/tables';
import { IN_PROGRESS_SECONDS } from '../../app/middleware/dedupe';
import { handler } from '../../handlers/http';
import {
  type HttpHandlerWorld,
  startHttpHandlerWorld,
  useHttpHandlerEnv,
} from '../helpers/http-handler-world';
import {
  appMention,
  blockActionsForm,
  eventCallbackJson,
  FORM_UTF8,
  JSON_TYPE,
  lambdaContext,
  signedSlackEvent,
  slashCommandForm,
  v2Event,
} from '../helpers/lambda-events';
import type { LambdaInvokeStandIn } from '../helpers/lambda-invoke-standin';
import type { SlackRecorder } from '../helpers/slack-recorder';

const SECRET = 'test-signing-secret-8f3a9c';
const PREFIX = 'http-test-';

let world: HttpHandlerWorld;
let slack: SlackRecorder;
let lambdaApi: LambdaInvokeStandIn;
let scanClient: DynamoDBClient;
let logLines: string[] = [];

async function call(event: APIGatewayProxyEventV2): Promise<APIGatewayProxyStructuredResultV2> {
  const result = await handler(event, lambdaContext());
  if (typeof result === 'string') throw new Error('expected a structured result');
  return result;
}

/** Items in every table: "no side effect" means this does not change. */
async function storeItemCount(): Promise<number> {
  const counts = await Promise.all(
    Object.values(TABLES).map(async (def) => {
      const out = await scanClient.send(
        new ScanCommand({ TableName: `${PREFIX}${def.name}`, Select: 'COUNT' }),
      );
      return out.Count ?? 0;
    }),
  );
  return counts.reduce((a, b) => a + b, 0);
}

async function dedupeKeys(): Promise<string[]> {
  const out = await scanClient.send(new ScanCommand({ TableName: `${PREFIX}${TABLES.dedupe.name}` }));
  return (out.Items ?? []).map((item) => item.key?.S ?? '');
}

function nowSec(): number {
  return Math.floor(Date.now() / 1000);
}

function useEnv(extra: Record<string, string | undefined> = {}): void {
  useHttpHandlerEnv(world, { SLACK_SIGNING_SECRET: SECRET, LOG_LEVEL: 'info', ...extra });
}

beforeAll(async () => {
  world = await startHttpHandlerWorld(PREFIX);
  ({ slack, lambdaApi } = world);
  scanClient = new DynamoDBClient({
    region: 'us-east-1',
    endpoint: world.dynamo.endpoint,
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
});

afterAll(async () => {
  scanClient.destroy();
  await world.close();
});

beforeEach(() => {
  logLines = [];
  // The app logs JSON lines to stdout; keep them for assertions and out of the test output.
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    logLines.push(String(chunk));
    return true;
  });
  slack.reset();
  useEnv();
});

describe('handlers/http handler', () => {
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

  describe('replays and retries', () => {
    it('a byte-identical replay of an accepted command → 200 and no second side effect', async () => {
      // Prepare: one accepted command
      const event = signedSlackEvent(slashCommandForm('help'), { secret: SECRET, contentType: FORM_UTF8 });
      const replay = structuredClone(event);
      const first = await call(event);
      const itemsAfterFirst = await storeItemCount();
      const callsAfterFirst = slack.calls().length;
      // Act
      const second = await call(replay);
      // Assess
      expect(first.statusCode).toBe(200);
      expect(second.statusCode).toBe(200);
      expect(second.body ?? '').toBe('');
      expect(await storeItemCount()).toBe(itemsAfterFirst);
      expect(slack.calls().length).toBe(callsAfterFirst);
      expect(logLines.some((line) => line.includes('duplicate delivery ignored'))).toBe(true);
    });

    it('a Slack retry of an event (same event_id, new signature, X-Slack-Retry-Num: 1) → 200 and no second side effect', async () => {
      const body = eventCallbackJson(appMention('<@U0LOCALBOT> status spring'));
      const first = await call(signedSlackEvent(body, { secret: SECRET, contentType: JSON_TYPE }));
      const itemsAfterFirst = await storeItemCount();
      const callsAfterFirst = slack.calls().length;
      const invokesAfterFirst = lambdaApi.invocations().length;
      const retry = signedSlackEvent(body, {
        secret: SECRET,
        contentType: JSON_TYPE,
        timestampSec: nowSec() - 60,
        headers: { 'x-slack-retry-num': '1', 'x-slack-retry-reason': 'http_timeout' },
      });
      const second = await call(retry);
      expect(first.statusCode).toBe(200);
      expect(second.statusCode).toBe(200);
      expect(await storeItemCount()).toBe(itemsAfterFirst);
      expect(slack.calls().length).toBe(callsAfterFirst);
      expect(lambdaApi.invocations().length).toBe(invokesAfterFirst);
    });
  });

  describe('a delivery whose first copy died mid-listener (its claim left in progress)', () => {
    /** Claims `key` as a process that then crashed would have, `ageSeconds` ago. */
    async function leaveClaim(key: string, ageSeconds: number): Promise<void> {
      const claimedAt = new Date(Date.now() - ageSeconds * 1000);
      const repo = new DedupeRepository(
        createDocumentClient({ region: 'us-east-1', endpoint: world.dynamo.endpoint }),
        tableNames(PREFIX).dedupe,
        () => claimedAt,
      );
      await repo.claimDelivery(key, { inProgressSeconds: IN_PROGRESS_SECONDS, ttlSeconds: 86_400 });
    }

    it('a retry inside the claim’s in-progress window → 409 (Slack retries later), nothing run', async () => {
      const body = eventCallbackJson(appMention('<@U0LOCALBOT> status spring'));
      await leaveClaim(`event:${JSON.parse(body).event_id}`, 2);
      const invokes = lambdaApi.invocations().length;
      const result = await call(
        signedSlackEvent(body, {
          secret: SECRET,
          contentType: JSON_TYPE,
          headers: { 'x-slack-retry-num': '1' },
        }),
      );
      expect(result.statusCode).toBe(409);
      expect(slack.calls()).toEqual([]);
      expect(lambdaApi.invocations().length).toBe(invokes);
    });

    it('a retry after the in-progress expiry runs (the mention is answered)', async () => {
      const body = eventCallbackJson(appMention('<@U0LOCALBOT> status spring'));
      await leaveClaim(`event:${JSON.parse(body).event_id}`, IN_PROGRESS_SECONDS + 1);
      const result = await call(
        signedSlackEvent(body, {
          secret: SECRET,
          contentType: JSON_TYPE,
          headers: { 'x-slack-retry-num': '2' },
        }),
      );
      expect(result.statusCode).toBe(200);
      expect(slack.calls('chat.postMessage')).toHaveLength(1);
    });
  });

  describe('other routes', () => {
    it('GET /healthz → 200 with the modes', async () => {
      const result = await call(v2Event({ method: 'GET', path: '/healthz' }));
      expect(result.statusCode).toBe(200);
      const body = JSON.parse(result.body ?? '');
      expect(body.ok).toBe(true);
      expect(body.modes).toMatchObject({ dynamodb: 'local', slack: 'stand-in', agent: 'offline' });
      expect(JSON.stringify(body)).not.toContain(SECRET);
    });

    it.each(['/webhooks/workfront', '/webhooks/asana'])(
      'POST %s → 501 JSON until the intake exists',
      async (path) => {
        const before = await storeItemCount();
        const result = await call(v2Event({ path, body: '{}', headers: { 'content-type': JSON_TYPE } }));
        // The sync helper replaces these routes; then they answer for real (never a 5xx for a bad request).
        if (result.statusCode === 501) {
          expect(result.headers?.['content-type']).toContain('application/json');
          expect(JSON.parse(result.body ?? '')).toMatchObject({ ok: false, error: 'not_implemented' });
          expect(await storeItemCount()).toBe(before);
        } else {
          expect(result.statusCode).toBeLessThan(500);
        }
      },
    );

    it.each([
      ['GET', '/nope'],
      ['POST', '/slack/other'],
      ['GET', '/slack/events'],
    ])('%s %s → 404 JSON', async (method, path) => {
      const result = await call(v2Event({ method, path }));
      expect(result.statusCode).toBe(404);
      expect(JSON.parse(result.body ?? '')).toEqual({ ok: false, error: 'not_found' });
    });

    it('writes JSON log lines carrying the Lambda request id', async () => {
      await handler(v2Event({ method: 'GET', path: '/nope' }), lambdaContext('aws-req-log-check'));
      const lines = logLines.filter((line) => line.startsWith('{'));
      expect(lines.length).toBeGreaterThan(0);
      const parsed = lines.map((line) => JSON.parse(line) as Record<string, unknown>);
      expect(parsed.some((entry) => entry.requestId === 'aws-req-log-check')).toBe(true);
    });
  });

  describe('auth.test', () => {
    it('is never called when SLACK_BOT_ID and SLACK_BOT_USER_ID are set', async () => {
      useEnv({
        SLACK_BOT_TOKEN: 'xoxb-111-222-abcdefabcdef',
        SLACK_BOT_ID: 'B0CONFIGURED',
        SLACK_BOT_USER_ID: 'U0CONFIGURED',
      });
      await call(v2Event({ method: 'GET', path: '/healthz' }));
      for (let i = 0; i < 3; i += 1) {
        const result = await call(
          signedSlackEvent(slashCommandForm('help'), { secret: SECRET, contentType: FORM_UTF8 }),
        );
        expect(result.statusCode).toBe(200);
      }
      await call(
        signedSlackEvent(eventCallbackJson(appMention('hi')), { secret: SECRET, contentType: JSON_TYPE }),
      );
      expect(slack.calls('auth.test')).toEqual([]);
    });

    it('with only a bot token: none at cold start, then at most one per container, on the first Slack request', async () => {
      useEnv({ SLACK_BOT_TOKEN: 'xoxb-111-222-abcdefabcdef' });
      // Cold start plus a non-Slack request: no call.
      await call(v2Event({ method: 'GET', path: '/healthz' }));
      expect(slack.calls('auth.test')).toEqual([]);
      for (let i = 0; i < 3; i += 1) {
        await call(signedSlackEvent(slashCommandForm('help'), { secret: SECRET, contentType: FORM_UTF8 }));
      }
      expect(slack.calls('auth.test')).toHaveLength(1);
    });
  });
});
