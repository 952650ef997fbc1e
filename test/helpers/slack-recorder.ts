import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One Web API call as the bot sent it. */
interface RecordedCall {
  method: string;
  authorization: string | undefined;
  body: string;
}

export interface SlackRecorder {
  /** Base URL ending in `/api/`, for SLACK_API_URL. */
  apiUrl: string;
  calls(method?: string): RecordedCall[];
  reset(): void;
  close(): Promise<void>;
}

/**
 * The smallest Slack Web API on loopback: records every call and answers `{ ok: true }` (plus the
 * bot's ids for `auth.test`). For tests that only need to know whether the bot called Slack at
 * all; the full stand-in (dev/slack-standin) covers shapes and errors.
 */
export interface RecorderOptions {
  botId?: string;
  userId?: string;
  /** Answers a call differently (e.g. an error); `undefined` falls back to the default answer. */
  override?: (
    call: RecordedCall,
  ) => { status: number; body: unknown; headers?: Record<string, string> } | undefined;
}

export async function startSlackRecorder(options: RecorderOptions = {}): Promise<SlackRecorder> {
  const ids = { botId: options.botId ?? 'B0RECORDER', userId: options.userId ?? 'U0RECORDER' };
  const recorded: RecordedCall[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const method = (req.url ?? '').replace(/^\/api\//, '').split('?')[0] ?? '';
      const call = {
        method,
        authorization: req.headers.authorization,
        body: Buffer.concat(chunks).toString(),
      };
      recorded.push(call);
      const custom = options.override?.(call);
      if (custom) {
        res.writeHead(custom.status, { 'content-type': 'application/json', ...custom.headers });
        res.end(JSON.stringify(custom.body));
        return;
      }
      const payload =
        method === 'auth.test'
          ? {
              ok: true,
              url: 'https://test.slack.com/',
              team: 'Test',
              user: 'mcc',
              team_id: 'T0TEST',
              user_id: ids.userId,
              bot_id: ids.botId,
            }
          : { ok: true, channel: 'C0GENERAL', ts: '1700000000.000100' };
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify(payload));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    apiUrl: `http://127.0.0.1:${port}/api/`,
    calls: (method) => recorded.filter((call) => method === undefined || call.method === method),
    reset: () => {
      recorded.length = 0;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
