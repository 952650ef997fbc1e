import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * The plumbing both loopback stand-ins (Workfront, Asana) share: a call log, a queue of injected
 * failures, and JSON in/out. Each stand-in supplies the routes with the vendor's real shapes.
 */
export interface StandInCall {
  method: string;
  /** Path without the query string. */
  path: string;
  query: Record<string, string>;
  headers: Record<string, string>;
  /** Parsed JSON body, or the raw text when it is not JSON, or undefined when empty. */
  body: unknown;
  status: number;
}

export interface InjectedFailure {
  /** HTTP status to answer with (ignored with `hang`). */
  status?: number;
  /** Response body (JSON); defaults to the vendor's error shape for `status`. */
  body?: unknown;
  /** Seconds, sent as `Retry-After`. */
  retryAfter?: number;
  /** Never answer (until `close()`): the client's timeout is what ends the call. */
  hang?: boolean;
  /**
   * Perform the request first, then answer with the failure: a lost response. The caller cannot
   * know the write happened, which is what idempotent provisioning must survive.
   */
  afterCommit?: boolean;
}

export interface Routed {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
  /** Raw HTML instead of JSON (the local "project page" links). */
  html?: string;
}

export type Router = (request: {
  method: string;
  path: string;
  query: Record<string, string>;
  headers: Record<string, string>;
  body: unknown;
  rawBody: string;
}) => Routed | Promise<Routed>;

export interface HttpStandIn {
  origin: string;
  calls(): StandInCall[];
  /**
   * Queues one failure for the next request matching `match`: an HTTP method (`POST`), a path or
   * path prefix (`/attask/api/v15.0/TASK`), or both (`POST /tasks`). Paths compare case-insensitively.
   */
  failNext(match: string, failure: InjectedFailure): void;
  close(): Promise<void>;
}

function matches(match: string, method: string, path: string): boolean {
  const [first, second] = match.trim().split(/\s+/, 2);
  const wantMethod = second !== undefined ? first : /^[A-Z]+$/.test(first ?? '') ? first : undefined;
  const wantPath = second !== undefined ? second : wantMethod ? undefined : first;
  if (wantMethod && wantMethod.toUpperCase() !== method.toUpperCase()) return false;
  if (wantPath) {
    const p = path.toLowerCase();
    const w = wantPath.toLowerCase().replace(/\/+$/, '');
    if (p !== w && !p.startsWith(`${w}/`)) return false;
  }
  return true;
}

export async function startHttpStandIn(options: {
  port?: number;
  router: Router;
  errorBody: (status: number) => unknown;
}): Promise<HttpStandIn> {
  const log: StandInCall[] = [];
  const failures: { match: string; failure: InjectedFailure }[] = [];
  const hanging = new Set<ServerResponse>();

  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', async () => {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      const rawBody = Buffer.concat(chunks).toString('utf8');
      let body: unknown;
      if (rawBody.trim() !== '') {
        try {
          body = JSON.parse(rawBody) as unknown;
        } catch {
          body = rawBody;
        }
      }
      const headers: Record<string, string> = {};
      for (const [key, value] of Object.entries(req.headers)) {
        if (typeof value === 'string') headers[key] = value;
      }
      const method = (req.method ?? 'GET').toUpperCase();
      const path = url.pathname;
      const query = Object.fromEntries(url.searchParams.entries());
      const call: StandInCall = { method, path, query, headers, body, status: 0 };
      log.push(call);

      const index = failures.findIndex((f) => matches(f.match, method, path));
      const injected = index >= 0 ? failures.splice(index, 1)[0]?.failure : undefined;
      if (injected?.hang) {
        call.status = -1;
        hanging.add(res);
        return;
      }
      let routed: Routed;
      if (injected && !injected.afterCommit) {
        routed = {
          status: injected.status ?? 500,
          body: injected.body ?? options.errorBody(injected.status ?? 500),
        };
      } else {
        try {
          routed = await options.router({ method, path, query, headers, body, rawBody });
        } catch (error) {
          routed = { status: 500, body: options.errorBody(500) };
          process.stderr.write(`stand-in route error: ${String(error)}\n`);
        }
        if (injected?.afterCommit) {
          routed = {
            status: injected.status ?? 500,
            body: injected.body ?? options.errorBody(injected.status ?? 500),
          };
        }
      }
      if (injected?.retryAfter !== undefined) {
        routed.headers = { ...routed.headers, 'retry-after': String(injected.retryAfter) };
      }
      call.status = routed.status;
      if (routed.html !== undefined) {
        res.writeHead(routed.status, { 'content-type': 'text/html; charset=utf-8', ...routed.headers });
        res.end(routed.html);
        return;
      }
      res.writeHead(routed.status, { 'content-type': 'application/json; charset=UTF-8', ...routed.headers });
      res.end(routed.body === undefined ? '' : JSON.stringify(routed.body));
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    calls: () => log.map((c) => ({ ...c })),
    failNext: (match, failure) => {
      failures.push({ match, failure });
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const res of hanging) res.destroy();
        hanging.clear();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** HTML-escapes text for the stand-ins' tiny pages. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
