import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LOCAL_SIGNING_SECRET } from '../../dev/local-constants';
import { signSlackRequest } from '../../dev/slack-signature';
import { alive, botPid, endLeftovers, type LocalBot, startLocalBot } from '../helpers/local-bot';
import { slashCommandBody } from '../helpers/payloads';

/** Asserts that the bot stopped as it should after `signal`: logged, port closed, no process left. */
async function expectStoppedCleanly(bot: LocalBot, pid: number, signal: NodeJS.Signals): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const { code } = await Promise.race([
    bot.exited,
    new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new Error(`npm did not exit after ${signal}:\n${bot.output()}`)),
        20_000,
      );
    }),
  ]).finally(() => clearTimeout(timer));
  expect(code).toBe(0);
  expect(bot.logLines().filter((line) => line.msg === 'Command Center stopped')).toEqual([
    expect.objectContaining({ signal }),
  ]);
  await expect(fetch(`${bot.baseUrl}/healthz`)).rejects.toThrow();
  expect(alive(pid)).toBe(false);
}

describe('npm start (handlers/local.ts)', () => {
  let bot: LocalBot;

  beforeAll(async () => {
    bot = await startLocalBot();
  }, 90_000);

  afterAll(async () => {
    if (bot) await endLeftovers(bot);
  });

  it('seeds the demo data into a fresh in-memory store', () => {
    // Assess
    const seeded = bot.logLines().find((line) => line.msg === 'demo data seeded') as
      | { teams?: number; campaigns?: number; tasks?: number }
      | undefined;
    expect(seeded).toBeDefined();
    expect(seeded?.teams).toBeGreaterThanOrEqual(3);
    expect(seeded?.campaigns).toBeGreaterThanOrEqual(30);
    expect(seeded?.tasks).toBeGreaterThan(0);
  });

  it('reports ok on /healthz with every part in its local mode', async () => {
    // Act
    const response = await fetch(`${bot.baseUrl}/healthz`);

    // Assess
    expect(response.status).toBe(200);
    const body = (await response.json()) as { ok: boolean; modes: Record<string, string> };
    expect(body.ok).toBe(true);
    expect(body.modes).toMatchObject({ dynamodb: 'local', agent: 'offline', slack: 'stand-in' });
  });

  it('serves both webhook routes with a JSON answer', async () => {
    for (const path of ['/webhooks/workfront', '/webhooks/asana']) {
      // Act
      const response = await fetch(`${bot.baseUrl}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{}',
      });

      // Assess: unauthenticated → 401 (the local stack configures the Workfront token), never a crash or a 404.
      expect(response.status).toBe(401);
      expect(response.headers.get('content-type')).toContain('application/json');
    }
  });

  it('answers a Slack-signed `/mcc status` for a seeded campaign typed without its accents', async () => {
    // Prepare: signed with this process's clock, which the bot shares (also under faketime).
    const body = slashCommandBody({ text: 'status lancement ete' });

    // Act
    const response = await fetch(`${bot.baseUrl}/slack/events`, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        ...signSlackRequest(body, LOCAL_SIGNING_SECRET),
      },
      body,
    });

    // Assess
    expect(response.status).toBe(200);
    const answer = (await response.json()) as { blocks?: { type: string; text?: { text: string } }[] };
    expect(answer.blocks?.[0]?.text?.text).toBe('Lancement Été');
  });

  it('survives signed `payload=null` and JSON `null` (they used to end the process) with a 400', async () => {
    for (const [contentType, body] of [
      ['application/x-www-form-urlencoded', 'payload=null'],
      ['application/json', 'null'],
    ] as const) {
      // Act
      const response = await fetch(`${bot.baseUrl}/slack/events`, {
        method: 'POST',
        headers: { 'content-type': contentType, ...signSlackRequest(body, LOCAL_SIGNING_SECRET) },
        body,
      });

      // Assess
      expect(response.status).toBe(400);
    }
    expect((await fetch(`${bot.baseUrl}/healthz`)).status).toBe(200);
  });

  it('refuses an unsigned request with 401', async () => {
    // Act
    const response = await fetch(`${bot.baseUrl}/slack/events`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: slashCommandBody({ text: 'help' }),
    });

    // Assess
    expect(response.status).toBe(401);
  });

  it('stops cleanly when the npm process gets SIGTERM: logged, port closed, no process left', async () => {
    // Prepare
    const pid = botPid(bot);

    // Act
    bot.npm.kill('SIGTERM');

    // Assess
    await expectStoppedCleanly(bot, pid, 'SIGTERM');
  });
});

describe('npm start stops on SIGINT', () => {
  it.each([
    ['sent to the npm process', false],
    ['from Ctrl-C (to the whole foreground process group)', true],
  ])(
    'SIGINT %s: logged, port closed, no process left',
    async (_how, ownGroup) => {
      // Prepare
      const bot = await startLocalBot({ ownGroup });
      try {
        const pid = botPid(bot);
        const npmPid = bot.npm.pid ?? 0;

        // Act: a terminal's Ctrl-C signals every process in the group (npm and the bot alike).
        if (ownGroup) process.kill(-npmPid, 'SIGINT');
        else bot.npm.kill('SIGINT');

        // Assess
        await expectStoppedCleanly(bot, pid, 'SIGINT');
      } finally {
        await endLeftovers(bot);
      }
    },
    90_000,
  );
});
