/**
 * A Slack Web API stand-in on loopback, for the tests and `npm start`: the methods the bot calls,
 * with Slack's request and response shapes and errors, kept state (messages, ephemerals, views,
 * Home tabs, response_url posts) and a call log. The bot reaches it through SLACK_API_URL.
 *
 * Plain `node:http`: the surface is a handful of POST routes, and a framework would add nothing.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { StoredFile } from './files';
import {
  DEFAULT_CHANNELS,
  DEFAULT_USER_GROUPS,
  DEFAULT_USERS,
  STAND_IN_BOT_TOKEN,
  type StandInChannel,
  type StandInUser,
  type StandInUserGroup,
} from './fixtures';
import { BadJson, parseArgs, readBody, readBytes, send } from './http-io';
import { createResponseTarget, postResponse } from './response-urls';
import type {
  InjectedFailure,
  RecordedCall,
  ResponsePost,
  ResponseUrlOptions,
  StandInSnapshot,
  StoredEphemeral,
  StoredMessage,
  StoredView,
} from './state';
import { type Args, SlackApiError } from './support';
import { webApiMethods } from './web-api';
import { Workspace } from './workspace';

export type { StandInUser } from './fixtures';
export { STAND_IN_BOT_TOKEN, STAND_IN_BOT_USER_ID } from './fixtures';
export { RESPONSE_URL_MAX_POSTS } from './response-urls';

export interface SlackStandInOptions {
  /** 0 (default) picks a free port. */
  port?: number;
  /** Default 127.0.0.1 (loopback only). */
  host?: string;
  /** Accepted tokens; default the stand-in bot token (`xoxb-local-stand-in`). */
  tokens?: string[];
  users?: StandInUser[];
  userGroups?: StandInUserGroup[];
  channels?: StandInChannel[];
  /** For message `ts`, response_url expiry and `tz_offset`. Default: wall clock. */
  clock?: () => Date;
}

export interface SlackStandIn {
  /** `http://127.0.0.1:PORT/api/` — what SLACK_API_URL / `slackApiUrl` take. */
  apiUrl: string;
  /** `http://127.0.0.1:PORT` */
  baseUrl: string;
  port: number;
  /** Every Web API call (including failed ones), oldest first; only `method`'s when given. */
  calls(method?: string): RecordedCall[];
  /** Clears calls, state and pending failures; keeps fixtures and accepted tokens. */
  reset(): void;
  /** Makes the next call(s) of `method` fail: `{ status: 429, retryAfter }` or `{ error }`. */
  failNext(method: string, failure: InjectedFailure): void;
  /**
   * Lets the call of `method` after `after` more calls (default the next one) take effect (the message
   * is posted) but holds its response, as a process killed mid-call never sees it: the caller waits
   * until `releaseHeld()` or `close()`. For crash tests.
   */
  holdResponse(method: string, options?: { after?: number }): void;
  /** Sends the held responses. */
  releaseHeld(): void;
  /** A channel's messages (thread replies included), oldest first. Accepts a user id for the DM. */
  messages(channel: string): StoredMessage[];
  /** A thread: the parent and its replies, oldest first. */
  thread(channel: string, threadTs: string): StoredMessage[];
  /** Ephemeral messages, optionally for one channel. */
  ephemerals(channel?: string): StoredEphemeral[];
  /** Every modal opened so far (current version of each); `open` says whether it is still on a stack. */
  views(): StoredView[];
  /** The modal stack (root first) holding `viewId`, or the latest stack. */
  viewStack(viewId?: string): StoredView[];
  /** Closes a modal as Slack does after a submission: pops it (and anything above it), or the whole stack. */
  closeView(viewId: string, options?: { all?: boolean }): void;
  /** The Home tab published for a user. */
  homeView(userId: string): StoredView | undefined;
  /** Files uploaded so far (with their bytes once POSTed to the upload URL). */
  files(): StoredFile[];
  /** A fresh response_url (`${baseUrl}/response/<id>`); options tie it to a channel/user/message. */
  responseUrl(options?: ResponseUrlOptions): string;
  /** Posts to response_urls, oldest first; only those to `id` (or to that full URL) when given. */
  responses(id?: string): ResponsePost[];
  /** Adds a message written by a person (not the bot), e.g. to test `cant_update_message`. */
  addUserMessage(
    channel: string,
    message: { user: string; text: string; thread_ts?: string; blocks?: unknown[] },
  ): StoredMessage;
  /** The DM channel id `conversations.open` returns for a user. */
  dmChannelId(userId: string): string;
  setUsers(users: StandInUser[]): void;
  setUserGroups(groups: StandInUserGroup[]): void;
  setChannels(channels: StandInChannel[]): void;
  setTokens(tokens: string[]): void;
  /** What GET `${baseUrl}/_standin/state` returns. */
  state(): StandInSnapshot;
  close(): Promise<void>;
}

/** Starts the stand-in; resolves once it listens. */
export async function startSlackStandIn(options: SlackStandInOptions = {}): Promise<SlackStandIn> {
  const clock = options.clock ?? (() => new Date());
  const workspace = new Workspace(clock, {
    users: options.users ?? DEFAULT_USERS,
    userGroups: options.userGroups ?? DEFAULT_USER_GROUPS,
    channels: options.channels ?? DEFAULT_CHANNELS,
  });
  const methods = webApiMethods(workspace);
  let tokens = new Set(options.tokens ?? [STAND_IN_BOT_TOKEN]);
  const callLog: RecordedCall[] = [];
  const failures = new Map<string, InjectedFailure[]>();
  const holds = new Map<string, { after: number }[]>();
  const held: (() => void)[] = [];
  let baseUrl = '';

  function takeHold(method: string): boolean {
    const next = holds.get(method)?.[0];
    if (!next) return false;
    if (next.after > 0) {
      next.after -= 1;
      return false;
    }
    holds.get(method)?.shift();
    return true;
  }

  function takeFailure(method: string): InjectedFailure | undefined {
    const queue = failures.get(method);
    const next = queue?.[0];
    if (!queue || !next) return undefined;
    const remaining = (next.times ?? 1) - 1;
    if (remaining <= 0) queue.shift();
    else queue[0] = { ...next, times: remaining };
    return next;
  }

  async function handleApi(
    req: IncomingMessage,
    res: ServerResponse,
    method: string,
    url: URL,
  ): Promise<void> {
    const raw = await readBody(req);
    const contentType = String(req.headers['content-type'] ?? '');
    let args: Args;
    try {
      args = parseArgs(raw, contentType, url.searchParams);
    } catch (error) {
      const field = error instanceof BadJson ? error.field : 'body';
      callLog.push({ method, args: {}, token: undefined, at: clock() });
      send(res, 200, { ok: false, error: field === 'blocks' ? 'invalid_blocks_format' : 'invalid_json' });
      return;
    }
    const authorization = String(req.headers.authorization ?? '');
    const bearer = authorization.toLowerCase().startsWith('bearer ')
      ? authorization.slice(7).trim()
      : undefined;
    const token = bearer || (typeof args.token === 'string' ? args.token : undefined);
    const { token: _token, ...callArgs } = args;
    callLog.push({ method, args: callArgs, token, at: clock() });

    const failure = takeFailure(method);
    if (failure) {
      const status = failure.status ?? 200;
      if (status === 429) {
        send(
          res,
          429,
          { ok: false, error: 'ratelimited' },
          { 'retry-after': String(failure.retryAfter ?? 1) },
        );
      } else {
        send(res, status, {
          ok: false,
          error: failure.error ?? (status === 200 ? 'internal_error' : 'fatal_error'),
        });
      }
      return;
    }
    if (!token) {
      send(res, 200, { ok: false, error: 'not_authed' });
      return;
    }
    if (!tokens.has(token)) {
      send(res, 200, { ok: false, error: 'invalid_auth' });
      return;
    }
    const handler = Object.hasOwn(methods, method) ? methods[method] : undefined;
    if (!handler) {
      send(res, 200, { ok: false, error: 'unknown_method', req_method: method });
      return;
    }
    try {
      const answer = handler(callArgs);
      if (takeHold(method)) {
        held.push(() => send(res, 200, answer));
        return;
      }
      send(res, 200, answer);
    } catch (error) {
      if (error instanceof SlackApiError) {
        send(res, 200, { ok: false, error: error.error, ...error.extra });
        return;
      }
      throw error;
    }
  }

  async function handleResponseUrl(req: IncomingMessage, res: ServerResponse, id: string): Promise<void> {
    const raw = await readBody(req);
    let body: Record<string, unknown>;
    try {
      const parsed: unknown = JSON.parse(raw);
      if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed))
        throw new Error('not an object');
      body = parsed as Record<string, unknown>;
    } catch {
      send(res, 400, { ok: false, error: 'invalid_payload' });
      return;
    }
    const answer = postResponse(workspace, id, body);
    send(res, answer.status, answer.body);
  }

  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://stand-in');
    const path = url.pathname;
    const route = async (): Promise<void> => {
      if (path.startsWith('/api/') && (req.method === 'POST' || req.method === 'GET')) {
        await handleApi(req, res, path.slice('/api/'.length), url);
      } else if (path.startsWith('/upload/v1/') && req.method === 'POST') {
        // The upload URL of files.getUploadURLExternal (Slack's is on files.slack.com). Failures
        // are injected with failNext('upload_url', { status }).
        const body = await readBytes(req, 20 * 1024 * 1024);
        callLog.push({
          method: 'upload_url',
          args: { file_id: path.slice('/upload/v1/'.length), bytes: body.length },
          token: undefined,
          at: clock(),
        });
        const failure = takeFailure('upload_url');
        const answer = failure
          ? { status: failure.status ?? 500, text: 'upload failed' }
          : await workspace.fileStore.receive(
              path.slice('/upload/v1/'.length),
              body,
              String(req.headers['content-type'] ?? ''),
            );
        res.writeHead(answer.status, { 'content-type': 'text/plain; charset=utf-8' });
        res.end(answer.text);
      } else if (path.startsWith('/response/') && req.method === 'POST') {
        await handleResponseUrl(req, res, path.slice('/response/'.length));
      } else if (path === '/_standin/response-url' && req.method === 'POST') {
        // Lets a local client (scripts/try.ts, a sandbox page) build a slash command or block
        // action whose response_url the stand-in will honour, as Slack mints one per interaction.
        const raw = await readBody(req);
        const parsed: unknown = raw ? JSON.parse(raw) : {};
        const options = parsed !== null && typeof parsed === 'object' ? (parsed as ResponseUrlOptions) : {};
        send(res, 200, { ok: true, url: `${baseUrl}/response/${createResponseTarget(workspace, options)}` });
      } else if (path === '/_standin/state' && req.method === 'GET') {
        send(res, 200, workspace.snapshot(), { 'access-control-allow-origin': '*' });
      } else {
        send(res, 404, { ok: false, error: 'not_found' });
      }
    };
    route().catch((error: unknown) => {
      if (!res.headersSent)
        send(res, 500, {
          ok: false,
          error: 'internal_error',
          detail: error instanceof Error ? error.message : '',
        });
      else res.end();
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  baseUrl = `http://${host}:${address.port}`;
  workspace.baseUrl = baseUrl;

  const responseId = (idOrUrl: string) => idOrUrl.slice(idOrUrl.lastIndexOf('/') + 1);

  return {
    apiUrl: `${baseUrl}/api/`,
    baseUrl,
    port: address.port,
    calls: (method) => callLog.filter((call) => method === undefined || call.method === method),
    reset: () => {
      callLog.length = 0;
      failures.clear();
      holds.clear();
      held.length = 0;
      workspace.clearState();
    },
    holdResponse: (method, holdOptions = {}) => {
      const queue = holds.get(method) ?? [];
      queue.push({ after: holdOptions.after ?? 0 });
      holds.set(method, queue);
    },
    releaseHeld: () => {
      for (const release of held.splice(0)) release();
    },
    failNext: (method, failure) => {
      const queue = failures.get(method) ?? [];
      queue.push(failure);
      failures.set(method, queue);
    },
    messages: (channel) => {
      let id = channel;
      try {
        id = workspace.resolveChannel(channel);
      } catch {
        // Unknown channel: no messages.
      }
      return [...(workspace.messagesByChannel.get(id) ?? [])];
    },
    thread: (channel, threadTs) =>
      (workspace.messagesByChannel.get(channel) ?? []).filter(
        (m) => m.ts === threadTs || m.thread_ts === threadTs,
      ),
    ephemerals: (channel) =>
      workspace.ephemerals.filter((e) => channel === undefined || e.channel === channel),
    views: () => [...workspace.views.values()],
    viewStack: (viewId) => {
      const stack = viewId
        ? workspace.stacks.find((s) => s.includes(viewId))
        : workspace.stacks[workspace.stacks.length - 1];
      return (stack ?? [])
        .map((id) => workspace.views.get(id))
        .filter((v): v is StoredView => v !== undefined);
    },
    closeView: (viewId, closeOptions) => workspace.closeView(viewId, closeOptions),
    homeView: (userId) => workspace.homeViews.get(userId),
    files: () => [...workspace.fileStore.files.values()],
    responseUrl: (urlOptions = {}) => `${baseUrl}/response/${createResponseTarget(workspace, urlOptions)}`,
    responses: (id) =>
      workspace.responsePosts.filter((post) => id === undefined || post.id === responseId(id)),
    addUserMessage: (channel, message) => workspace.addUserMessage(channel, message),
    dmChannelId: (userId) => workspace.dmChannelId(userId),
    setUsers: (users) => workspace.setUsers(users),
    setUserGroups: (groups) => workspace.setUserGroups(groups),
    setChannels: (channels) => workspace.setChannels(channels),
    setTokens: (list) => {
      tokens = new Set(list);
    },
    state: () => workspace.snapshot(),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
