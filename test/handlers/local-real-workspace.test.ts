import { type ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

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

/**
 * `npm start` with a real workspace's bot token (HTTP mode here, so no WebSocket to Slack is opened):
 * no demo data and no demo approvers, and it says which settings it still needs. Nothing is sent
 * to Slack while it starts (no request arrives in this test).
 */
describe('npm start against a real workspace', () => {
  let child: ChildProcess;
  let output = '';
  let baseUrl = '';
  let exited: Promise<number | null>;

  beforeAll(async () => {
    const port = await freePort();
    baseUrl = `http://127.0.0.1:${port}`;
    const root = join(__dirname, '..', '..');
    child = spawn(
      process.execPath,
      [join(root, 'node_modules', 'tsx', 'dist', 'cli.mjs'), 'handlers/local.ts'],
      {
        cwd: root,
        env: {
          PATH: process.env.PATH ?? '',
          HOME: process.env.HOME ?? '',
          PORT: String(port),
          SLACK_BOT_TOKEN: 'xoxb-real-workspace-test',
          SLACK_SIGNING_SECRET: 'real-workspace-signing-secret',
          APPROVERS_VP: 'S0REALVPS',
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    child.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.stderr?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    exited = new Promise((resolve) => child.once('exit', (code) => resolve(code)));
    await new Promise<void>((resolve, reject) => {
      const check = setInterval(() => {
        if (output.includes('Command Center on http://localhost:')) {
          clearInterval(check);
          resolve();
        } else if (child.exitCode !== null) {
          clearInterval(check);
          reject(new Error(`npm start exited early:\n${output}`));
        }
      }, 50);
    });
  }, 90_000);

  afterAll(async () => {
    if (child.exitCode === null) child.kill('SIGTERM');
    await exited;
  });

  it('loads no demo data and creates no demo approval requests', () => {
    expect(output).not.toContain('demo data seeded');
    expect(output).not.toContain('demo approval requests created');
  });

  it('says which settings it still needs, and not the ones it has', () => {
    const warning = output
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as { msg?: string; missing?: string[] })
      .find((line) => line.msg === 'real workspace: settings still needed');
    expect(warning?.missing).toEqual(['SLACK_APP_TOKEN', 'APPROVERS_LEADERSHIP', 'APPROVALS_CHANNEL']);
    expect(output).toContain('Still needed:');
    expect(output).toContain('APPROVALS_CHANNEL: channel id');
  });

  it('runs with the real Slack mode and the local store', async () => {
    const response = await fetch(`${baseUrl}/healthz`);
    const body = (await response.json()) as { modes: Record<string, string> };
    expect(body.modes).toMatchObject({ slack: 'real', dynamodb: 'local' });
  });
});
