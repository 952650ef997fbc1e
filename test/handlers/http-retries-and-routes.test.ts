import { beforeEach, describe, expect, it } from 'vitest';
import { createDocumentClient } from '../../app/adapters/dynamo/client';
import { DedupeRepository } from '../../app/adapters/dynamo/dedupe-repo';
import { tableNames } from '../../app/adapters/dynamo/tables';
import { IN_PROGRESS_SECONDS } from '../../app/middleware/dedupe';
import { handler } from '../../handlers/http';
import { type HttpHandlerWorld, PREFIX, SECRET, useHttpHandlerTest } from '../helpers/http-handler-world';
import {
  appMention,
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

const t = useHttpHandlerTest();
const { call, storeItemCount, nowSec, useEnv } = t;
let world: HttpHandlerWorld;
let slack: SlackRecorder;
let lambdaApi: LambdaInvokeStandIn;
let logLines: string[];
beforeEach(() => {
  ({ world, slack, lambdaApi, logLines } = t);
});

describe('handlers/http handler — replays, retries, other routes and auth.test', () => {
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

    it('a retry after the in-progress expiry runs (the mention’s job is stored and dispatched)', async () => {
      const body = eventCallbackJson(appMention('<@U0LOCALBOT> status spring'));
      await leaveClaim(`event:${JSON.parse(body).event_id}`, IN_PROGRESS_SECONDS + 1);
      const invokes = lambdaApi.invocations().length;
      const result = await call(
        signedSlackEvent(body, {
          secret: SECRET,
          contentType: JSON_TYPE,
          headers: { 'x-slack-retry-num': '2' },
        }),
      );
      expect(result.statusCode).toBe(200);
      // The listener only stores the job (the worker posts the placeholder): one dispatch, no Slack call.
      expect(lambdaApi.invocations().length).toBe(invokes + 1);
      expect(lambdaApi.invocations().at(-1)?.payload).toContain('jobId');
      expect(slack.calls()).toEqual([]);
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
      'POST %s without credentials → 401 JSON, nothing stored',
      async (path) => {
        const before = await storeItemCount();
        const result = await call(v2Event({ path, body: '{}', headers: { 'content-type': JSON_TYPE } }));
        // No WORKFRONT_WEBHOOK_TOKEN in this environment: the Workfront intake refuses everything (503).
        expect(result.statusCode).toBe(path.endsWith('workfront') ? 503 : 401);
        expect(result.headers?.['content-type']).toContain('application/json');
        expect(JSON.parse(result.body ?? '')).toMatchObject({ ok: false });
        expect(await storeItemCount()).toBe(before);
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
