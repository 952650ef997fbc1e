import { type ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { childProcessEnv } from './child-env';

/* `npm start` as a child process, for the tests of handlers/local.ts (signals, a kill and a restart). */

const ROOT = join(__dirname, '..', '..');

/** A port nothing listens on right now (the OS picks it). */
export async function freePort(): Promise<number> {
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

export interface LocalBot {
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
export async function startLocalBot(
  options: { ownGroup?: boolean; port?: number; env?: Record<string, string> } = {},
): Promise<LocalBot> {
  const port = options.port ?? (await freePort());
  const standinPort = await freePort();
  const npm = spawn('npm', ['start'], {
    cwd: ROOT,
    env: childProcessEnv({
      PORT: String(port),
      SLACK_STANDIN_PORT: String(standinPort),
      // npm's own chatter (a registry check for a newer npm) has no place in a test.
      npm_config_update_notifier: 'false',
      ...options.env,
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
export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** The pid of the node process serving the bot, as it logs when it is running. */
export function botPid(bot: LocalBot): number {
  const running = bot.logLines().find((line) => line.msg === 'Command Center is running');
  if (typeof running?.pid !== 'number') throw new Error(`no pid in the running line:\n${bot.output()}`);
  return running.pid;
}

/**
 * After a test: ends whatever is left (a failed test may leave the bot running without npm), by
 * process id only.
 */
export async function endLeftovers(bot: LocalBot): Promise<void> {
  if (bot.npm.exitCode === null && bot.npm.signalCode === null) bot.npm.kill('SIGKILL');
  await bot.exited;
  const running = bot.logLines().find((line) => line.msg === 'Command Center is running');
  if (typeof running?.pid === 'number' && alive(running.pid)) process.kill(running.pid, 'SIGKILL');
}
