import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { loadConfig } from '../../app/config';
import { StoreError } from '../../app/errors';
import { AppLogger, MAX_LOGGED_LINE, MAX_LOGGED_STRING, maskEmails, withLogContext } from '../../app/logger';
import { handler } from '../../handlers/http';
import {
  type HttpHandlerWorld,
  startHttpHandlerWorld,
  useHttpHandlerEnv,
} from '../helpers/http-handler-world';
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

/** Realistic secret shapes; the Workfront webhook token may be "any UTF-8 string" (platform facts §7). */
const SECRETS = {
  SLACK_SIGNING_SECRET: '3f9a0c5e7b1d2f4a6c8e0b1d3f5a7c9e',
  SLACK_BOT_TOKEN: 'xoxb-123456789012-1234567890123-AbCdEfGhIjKlMnOpQrStUvWx',
  WORKFRONT_API_KEY: 'wfk5e8d1c2b3a4f6e7d8c9b0a1f2e3d4c5b',
  WORKFRONT_WEBHOOK_TOKEN: 'wf"hook\\tok/en 2026+ü',
  ASANA_ACCESS_TOKEN: '2/1204567890123456/1209876543210987:7c1e9f0a2b3c4d5e6f7a8b9c0d1e2f3a',
};
const EMAIL = 'ops.lead@example.com';

/** Every way a secret can appear in a serialised line: raw, JSON-escaped, URL- or form-encoded. */
function encodings(secret: string): string[] {
  return [
    secret,
    JSON.stringify(secret).slice(1, -1),
    JSON.stringify(JSON.stringify(secret)).slice(3, -3),
    encodeURIComponent(secret),
    new URLSearchParams({ v: secret }).toString().slice(2),
  ];
}

function expectNoSecrets(lines: string[]): void {
  for (const [name, secret] of Object.entries(SECRETS)) {
    for (const form of encodings(secret)) {
      const leaking = lines.filter((line) => line.includes(form));
      expect(leaking, `${name} leaked as ${JSON.stringify(form)}`).toEqual([]);
    }
  }
  for (const line of lines) expect(line).not.toContain(EMAIL);
}

describe('AppLogger', () => {
  function capture(options: ConstructorParameters<typeof AppLogger>[0] = {}) {
    const lines: string[] = [];
    const logger = new AppLogger({
      level: 'debug',
      secrets: loadConfig({ ...SECRETS, WORKFRONT_BASE_URL: 'https://acme.my.workfront.com' }).secrets,
      sink: (line) => lines.push(line),
      clock: () => new Date('2026-11-22T10:00:00Z'),
      ...options,
    });
    return { logger, lines };
  }

  it('writes one JSON object per line with time, level, message and the request id in context', () => {
    const { logger, lines } = capture();
    withLogContext({ requestId: 'req-123' }, () => logger.info({ campaignId: 'c1' }, 'hello', 'world'));
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0] ?? '')).toEqual({
      time: '2026-11-22T10:00:00.000Z',
      level: 'info',
      logger: 'command-center',
      requestId: 'req-123',
      campaignId: 'c1',
      msg: 'hello world',
    });
  });

  it('keeps the request id across awaits and nested contexts', async () => {
    const { logger, lines } = capture();
    await withLogContext({ requestId: 'outer' }, async () => {
      await new Promise((resolve) => setImmediate(resolve)); // a real macrotask hop, no timer
      withLogContext({ jobId: 'j1' }, () => logger.warn('inner'));
    });
    expect(JSON.parse(lines[0] ?? '')).toMatchObject({ requestId: 'outer', jobId: 'j1', level: 'warn' });
  });

  it('drops lines below its level, and follows Bolt setLevel', () => {
    const { logger, lines } = capture({ level: 'warn' });
    logger.debug('d');
    logger.info('i');
    logger.warn('w');
    logger.setLevel('error' as never);
    logger.warn('w2');
    logger.error('e');
    expect(lines.map((line) => JSON.parse(line).msg)).toEqual(['w', 'e']);
  });

  it('serialises errors with code and cause, scrubbing secrets inside messages and stacks', () => {
    const { logger, lines } = capture();
    const cause = new Error(
      `GET https://acme.my.workfront.com/attask/api/v15.0/PROJ?apiKey=${SECRETS.WORKFRONT_API_KEY} failed`,
    );
    const error = new StoreError(`token ${SECRETS.SLACK_BOT_TOKEN} rejected for ${EMAIL}`, { cause });
    logger.error(error);
    const entry = JSON.parse(lines[0] ?? '');
    expect(entry.error).toMatchObject({ name: 'StoreError', code: 'cc_store_error' });
    expect(entry.error.cause.message).toContain('apiKey=[REDACTED]');
    expect(entry.error.message).toContain('o***@example.com');
    expectNoSecrets(lines);
  });

  it('scrubs every configured secret in every encoding, wherever it appears', () => {
    const { logger, lines } = capture();
    for (const secret of Object.values(SECRETS)) {
      for (const form of encodings(secret)) {
        logger.info(`text ${form} end`);
        logger.info({ nested: { deep: [`x${form}y`] } }, 'in a field');
        logger.warn({ url: `https://example.com/cb?t=${form}` }, 'in a url');
        logger.error(new Error(`failed: ${form}`));
      }
    }
    logger.info(
      { body: JSON.stringify({ text: `pasted ${SECRETS.WORKFRONT_WEBHOOK_TOKEN}` }) },
      'JSON in JSON',
    );
    expect(lines.length).toBeGreaterThan(20);
    expectNoSecrets(lines);
    expect(lines.every((line) => line.includes('[REDACTED]'))).toBe(true);
  });

  it('redacts unknown Slack tokens by shape and secret-named fields by key', () => {
    const { logger, lines } = capture();
    logger.info(
      { authorization: 'Bearer abc', apiKey: 'k-123', clientSecret: 'cs-1' },
      'xoxp-999-888-777-abc and xapp-1-A0-123-abc',
    );
    const entry = JSON.parse(lines[0] ?? '');
    expect(entry.authorization).toBe('[REDACTED]');
    expect(entry.apiKey).toBe('[REDACTED]');
    expect(entry.clientSecret).toBe('[REDACTED]');
    expect(entry.msg).toBe('[REDACTED] and [REDACTED]');
  });

  it('masks email addresses', () => {
    expect(maskEmails('mail jane.doe+x@example.co.uk now')).toBe('mail j***@example.co.uk now');
    const { logger, lines } = capture();
    logger.info({ requester: EMAIL }, `from ${EMAIL}`);
    expect(lines[0]).toContain('o***@example.com');
    expectNoSecrets(lines);
  });

  it('scrubs secrets added after construction (e.g. read from Secrets Manager) and in child loggers', () => {
    const { logger, lines } = capture({ secrets: [] });
    const child = logger.child({ component: 'worker' });
    logger.addSecrets(['late-secret-value-42']);
    child.info('value late-secret-value-42');
    expect(lines[0]).not.toContain('late-secret-value-42');
    expect(JSON.parse(lines[0] ?? '').component).toBe('worker');
  });

  it('survives circular objects and bigints', () => {
    const { logger, lines } = capture();
    const loop: Record<string, unknown> = { n: 1n };
    loop.self = loop;
    logger.info({ loop }, 'circular');
    expect(JSON.parse(lines[0] ?? '').loop).toEqual({ n: '1', self: '[Circular]' });
  });

  it('bounds every string it logs, so a huge input never makes a huge line', () => {
    // Prepare: 990 KB of characters JSON doubles when escaping, in a field, the message and an error.
    const { logger, lines } = capture();
    const huge = '"\\'.repeat(495_000);

    // Act
    logger.warn({ text: huge, nested: { list: [huge] } }, huge, new Error(huge));

    // Assess: one line, valid JSON, every string cut (shorter still, as several long ones add up).
    expect(lines).toHaveLength(1);
    expect(lines[0]?.length).toBeLessThan(MAX_LOGGED_LINE);
    const entry = JSON.parse(lines[0] ?? '');
    expect(huge.length).toBe(990_000);
    expect(entry.text).toMatch(/… \[989760 more characters\]$/);
    expect(entry.nested.list[0].length).toBeLessThan(MAX_LOGGED_STRING);
    expect(entry.error.message.length).toBeLessThan(MAX_LOGGED_STRING);
  });

  it('falls back to the essentials when even short fields add up past the line limit', () => {
    const { logger, lines } = capture();
    const many = Object.fromEntries(Array.from({ length: 40 }, (_, i) => [`f${i}`, 'z'.repeat(300)]));
    withLogContext({ requestId: 'req-many' }, () => logger.error({ ...many, code: 'cc_x' }, 'many fields'));
    expect(lines[0]?.length).toBeLessThanOrEqual(MAX_LOGGED_LINE);
    expect(JSON.parse(lines[0] ?? '')).toMatchObject({
      level: 'error',
      requestId: 'req-many',
      code: 'cc_x',
      msg: 'many fields',
      truncated: true,
    });
  });

  it('keeps one long field up to MAX_LOGGED_STRING when the line stays short', () => {
    const { logger, lines } = capture();
    logger.warn({ text: 'y'.repeat(5_000) }, 'one long field');
    const entry = JSON.parse(lines[0] ?? '');
    expect(entry.text).toBe(
      `${'y'.repeat(MAX_LOGGED_STRING)}… [${5_000 - MAX_LOGGED_STRING} more characters]`,
    );
  });
});

describe('no secret in any log line of a full Lambda flow', () => {
  let world: HttpHandlerWorld;
  let authTestCalls = 0;
  const lines: string[] = [];

  beforeAll(async () => {
    world = await startHttpHandlerWorld('log-test-', {
      // The first auth.test fails with an error message that carries the token and an email.
      override: (call) => {
        if (call.method !== 'auth.test') return undefined;
        authTestCalls += 1;
        return authTestCalls === 1
          ? {
              status: 200,
              body: { ok: false, error: `invalid_auth token=${SECRETS.SLACK_BOT_TOKEN} owner=${EMAIL}` },
            }
          : undefined;
      },
    });
    useHttpHandlerEnv(world, {
      ...SECRETS,
      WORKFRONT_BASE_URL: 'https://acme.my.workfront.com',
      LOG_LEVEL: 'debug',
    });
  });

  afterAll(async () => {
    await world.close();
  });

  beforeEach(() => {
    const keep = (chunk: string | Uint8Array) => {
      lines.push(
        ...String(chunk)
          .split('\n')
          .filter((line) => line.length > 0),
      );
      return true;
    };
    vi.spyOn(process.stdout, 'write').mockImplementation(keep);
    vi.spyOn(process.stderr, 'write').mockImplementation(keep);
  });

  it('logs JSON lines with request ids and never a secret, at debug level, including an error path', async () => {
    // Prepare: requests that make the app log as much as it can.
    const secret = SECRETS.SLACK_SIGNING_SECRET;
    const pasted = `help ${SECRETS.ASANA_ACCESS_TOKEN} ${SECRETS.WORKFRONT_API_KEY} ${SECRETS.WORKFRONT_WEBHOOK_TOKEN} ${EMAIL}`;
    const events = [
      v2Event({ method: 'GET', path: '/healthz' }),
      // auth.test fails (token in the message): the error path.
      signedSlackEvent(slashCommandForm('help'), { secret, contentType: FORM_UTF8 }),
      signedSlackEvent(slashCommandForm('help'), { secret, contentType: FORM_UTF8, base64: true }),
      signedSlackEvent(slashCommandForm(pasted), { secret, contentType: FORM_UTF8 }),
      signedSlackEvent(slashCommandForm(`conect ${SECRETS.SLACK_BOT_TOKEN}`), {
        secret,
        contentType: FORM_UTF8,
      }),
      signedSlackEvent(eventCallbackJson(appMention(`<@U0LOCALBOT> ${pasted}`)), {
        secret,
        contentType: JSON_TYPE,
      }),
      signedSlackEvent(slashCommandForm('help'), { secret: 'wrong-secret', contentType: FORM_UTF8 }),
      signedSlackEvent('{"type":', { secret, contentType: JSON_TYPE }),
      v2Event({
        path: '/webhooks/workfront',
        body: JSON.stringify({ authToken: SECRETS.WORKFRONT_WEBHOOK_TOKEN }),
      }),
      v2Event({ method: 'GET', path: `/nope?token=${encodeURIComponent(SECRETS.SLACK_BOT_TOKEN)}` }),
    ];
    // Act
    const statuses: number[] = [];
    for (const event of events) {
      const result = await handler(event, lambdaContext());
      statuses.push(typeof result === 'string' ? 0 : (result.statusCode ?? 0));
    }
    // Assess
    expect(statuses).toEqual([200, 200, 200, 200, 200, 200, 401, 400, 401, 404]);
    expect(authTestCalls).toBe(2);
    const json = lines.filter((line) => line.startsWith('{'));
    expect(json.length).toBeGreaterThan(10);
    const parsed = json.map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(parsed.some((entry) => entry.level === 'debug')).toBe(true);
    const errorLine = parsed.find((entry) => JSON.stringify(entry).includes('invalid_auth'));
    expect(errorLine?.requestId).toEqual(expect.any(String));
    expect(JSON.stringify(errorLine)).toContain('[REDACTED]');
    expect(JSON.stringify(errorLine)).toContain('o***@example.com');
    expect(
      parsed.filter((entry) => entry.level !== 'debug').every((entry) => typeof entry.requestId === 'string'),
    ).toBe(true);
    expectNoSecrets(lines);
  });
});
