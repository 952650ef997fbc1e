import { type ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LOCAL_SIGNING_SECRET } from '../../dev/local-constants';
import { signSlackRequest } from '../../dev/slack-signature';
import { childProcessEnv } from '../helpers/child-env';
import { slashCommandBody } from '../helpers/payloads';

const ROOT = join(__dirname, '..', '..');

/** A port nothing listens on right now (the OS picks it). */
async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

interface LocalBot {
  /** The `npm` process the user started. */
  npm: ChildProcess;
  baseUrl: string;
  /** Everything npm and the bot wrote to stdout and stderr so far. */
  output(): string;
  /** The JSON log lines written so far. */
  logLines(): { msg?: string; pid?: number; [key: string]: unknown }[];
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/**
 * `npm start` as a user runs it: through npm, in its own process (and, with `ownGroup`, its own
 * process group, as a terminal gives it), with an environment that holds no Slack, AWS, Workfront
 * or Asana settings, so every part must come up on its own. Resolves when the banner is printed
 * (after the store is created and seeded and the port is bound).
 */
async function startLocalBot(options: { ownGroup?: boolean } = {}): Promise<LocalBot> {
  const port = await freePort();
  const standinPort = await freePort();
  const npm = spawn('npm', ['start'], {
    cwd: ROOT,
    env: childProcessEnv({
      PORT: String(port),
      SLACK_STANDIN_PORT: String(standinPort),
      // npm's own chatter (a registry check for a newer npm) has no place in a test.
      npm_config_update_notifier: 'false',
    }),
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: options.ownGroup === true,
  });
  let output = '';
  npm.stdout?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  npm.stderr?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    npm.once('exit', (code, signal) => resolve({ code, signal })),
  );
  await new Promise<void>((resolve, reject) => {
    const check = setInterval(() => {
      if (output.includes('Command Center on http://localhost:')) {
        clearInterval(check);
        resolve();
      } else if (npm.exitCode !== null || npm.signalCode !== null) {
        clearInterval(check);
        reject(new Error(`npm start exited early:\n${output}`));
      }
    }, 50);
  });
  const logLines = () =>
    output
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as { msg?: string; pid?: number });
  return { npm, baseUrl: `http://127.0.0.1:${port}`, output: () => output, logLines, exited };
}

/** Whether a process with this id still exists (signal 0 only checks). */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** The pid of the node process serving the bot, as it logs when it is running. */
function botPid(bot: LocalBot): number {
  const running = bot.logLines().find((line) => line.msg === 'Command Center is running');
  if (typeof running?.pid !== 'number') throw new Error(`no pid in the running line:\n${bot.output()}`);
  return running.pid;
}

/**
 * After a test: ends whatever is left (a failed test may leave the bot running without npm), by
 * process id only.
 */
async function endLeftovers(bot: LocalBot): Promise<void> {
  if (bot.npm.exitCode === null && bot.npm.signalCode === null) bot.npm.kill('SIGKILL');
  await bot.exited;
  const running = bot.logLines().find((line) => line.msg === 'Command Center is running');
  if (typeof running?.pid === 'number' && alive(running.pid)) process.kill(running.pid, 'SIGKILL');
}

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
