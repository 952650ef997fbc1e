import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness } from '../../helpers/harness';
import { storedItems } from '../../helpers/store-count';
import { type SyncWorld, startSyncWorld, WF_TOKEN } from '../../helpers/sync-world';

/**
 * POST /webhooks/workfront: the subscription token checked in constant time (bearer or bare
 * Authorization), Workfront's message shape parsed (base64 states too), one durable record and a
 * job per delivery; a wrong token 401, a malformed message 400, and nothing stored either way.
 */
let world: SyncWorld;
beforeAll(async () => {
  world = await startSyncWorld({ env: { LOG_LEVEL: 'info' } });
});
afterAll(async () => {
  await world.close();
});

const state = (objCode: string, id: string, extra: Record<string, unknown> = {}) => ({
  ID: id,
  objCode,
  name: `${objCode} ${id}`,
  ...extra,
});

function message(objCode: string, id: string, options: { base64?: boolean; nano?: number } = {}) {
  const newState = state(objCode, id, { status: 'INP' });
  const oldState = state(objCode, id, { status: 'NEW' });
  const encode = (s: object) => (options.base64 ? Buffer.from(JSON.stringify(s)).toString('base64') : s);
  return {
    eventType: 'UPDATE',
    subscriptionId: 'sub-123',
    eventTime: { epochSecond: 1_796_000_000, nano: options.nano ?? 1 },
    newState: encode(newState),
    oldState: encode(oldState),
  };
}

async function post(body: string, headers: Record<string, string> = { authorization: `Bearer ${WF_TOKEN}` }) {
  const response = await fetch(`${world.harness.baseUrl}/webhooks/workfront`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body,
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

describe('POST /webhooks/workfront', () => {
  it.each(['PROJ', 'TASK', 'OPTASK', 'NOTE', 'DOCU'])(
    'accepts a %s message: one delivery record and its job',
    async (objCode) => {
      const before = await storedItems(world.harness);
      const result = await post(JSON.stringify(message(objCode, `${objCode.toLowerCase()}-1`)));
      expect(result).toEqual({ status: 200, body: { ok: true } });
      // The delivery record (events log) and the processing job, nothing else before the 2xx.
      expect(await storedItems(world.harness)).toBeGreaterThanOrEqual(before + 2);
    },
  );

  it('accepts the token bare as well as bearer, and logs which form arrived', async () => {
    const bare = await post(JSON.stringify(message('TASK', 'bare-1', { nano: 7 })), {
      authorization: WF_TOKEN,
    });
    expect(bare.status).toBe(200);
    const forms = world.harness.logs.filter((l) => l.includes('workfront_token_form'));
    expect(forms.some((l) => l.includes('"form":"bare"'))).toBe(true);
    expect(forms.some((l) => l.includes('"form":"bearer"'))).toBe(true);
  });

  it('decodes the base64Encoding variant of the states', async () => {
    const result = await post(JSON.stringify(message('TASK', 'b64-1', { base64: true })));
    expect(result.status).toBe(200);
  });

  it.each([
    ['a wrong token', { authorization: 'Bearer not-the-token' }],
    ['no token', {}],
    ['the token in another header', { 'x-auth-token': WF_TOKEN }],
  ])('refuses %s with 401 and stores nothing', async (_what, headers) => {
    const before = await storedItems(world.harness);
    const result = await post(JSON.stringify(message('TASK', 'denied-1')), headers);
    expect(result.status).toBe(401);
    expect(result.body).toMatchObject({ ok: false, error: 'invalid_token' });
    expect(await storedItems(world.harness)).toBe(before + (_what === 'the token in another header' ? 1 : 0));
  });

  it('counts a token that arrives outside Authorization against the named assumption', async () => {
    const counters = await world.harness.runtime.repositories.syncState.counters(
      'assumption#workfront.token.authorization-header',
    );
    expect(Number(counters?.count)).toBeGreaterThanOrEqual(1);
  });

  it.each([
    ['not JSON', '{"eventType":'],
    ['no eventTime', JSON.stringify({ ...message('TASK', 'x'), eventTime: undefined })],
    ['an objCode we do not subscribe to', JSON.stringify(message('USER', 'u1'))],
    ['a state that is not base64 JSON', JSON.stringify({ ...message('TASK', 'x'), newState: '%%%' })],
    ['no ID', JSON.stringify({ ...message('TASK', 'x'), newState: { objCode: 'TASK' }, oldState: {} })],
  ])('answers %s with 400 and stores nothing', async (_what, body) => {
    const before = await storedItems(world.harness);
    const result = await post(body);
    expect(result.status).toBe(400);
    expect(result.body).toMatchObject({ ok: false, error: 'malformed' });
    expect(await storedItems(world.harness)).toBe(before);
  });

  it('refuses a body over 1 MB with 413 and stores nothing', async () => {
    const before = await storedItems(world.harness);
    const result = await post(JSON.stringify({ ...message('TASK', 'big'), padding: 'x'.repeat(1_100_000) }));
    expect(result.status).toBe(413);
    expect(await storedItems(world.harness)).toBe(before);
  });
});

describe('POST /webhooks/workfront without WORKFRONT_WEBHOOK_TOKEN', () => {
  it('refuses every delivery with 503 and says which variable is missing', async () => {
    const harness = await startHarness();
    try {
      const response = await fetch(`${harness.baseUrl}/webhooks/workfront`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: 'Bearer anything' },
        body: JSON.stringify(message('TASK', 't')),
      });
      expect(response.status).toBe(503);
      expect(harness.logs.some((l) => l.includes('WORKFRONT_WEBHOOK_TOKEN is not set'))).toBe(true);
    } finally {
      await harness.close();
    }
  });
});
