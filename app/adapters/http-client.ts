import { DownstreamError } from '../errors';
import type { OutboundLimiter } from './rate-limiter';

/**
 * A small JSON-over-HTTP wrapper around the global `fetch` (Node 20) shared by the Workfront and
 * Asana clients: one place for timeouts, rate limiting, 429 handling and error mapping.
 *
 * Written by hand rather than taken from the vendors' SDKs: the official Asana SDK pulls a large
 * generated client onto the Lambda cold-start path, and Workfront has no maintained Node SDK.
 * What both clients need is a few endpoints with strict response checks, which this covers.
 *
 * Error mapping (the job runner reads `retryable`):
 * - network failure, timeout, 429, 5xx → `DownstreamError` retryable
 * - any other 4xx → `DownstreamError` not retryable, with the service's own message
 * The URL is never put in an error or log (it may carry an API key as a query parameter).
 */
type HttpMethod = 'GET' | 'POST' | 'PUT';

export interface HttpCall {
  method: HttpMethod;
  /** Path below the base URL, starting with `/`. */
  path: string;
  query?: Record<string, string | undefined>;
  /** Sent as a JSON body. */
  json?: unknown;
  /** The caller's deadline (a job's): waits and timeouts never run past it. */
  deadline?: Date;
  /** A label for errors, e.g. `create project`; defaults to `METHOD path`. */
  label?: string;
}

export interface HttpResponse {
  status: number;
  body: unknown;
}

export interface HttpClientOptions {
  service: string;
  baseUrl: string;
  /** Headers on every request (authentication). */
  headers?: Record<string, string>;
  /** Query parameters on every request (Workfront's `apiKey` parameter). */
  query?: Record<string, string>;
  /** Per-attempt timeout; the deadline shortens it. */
  timeoutMs?: number;
  limiter?: OutboundLimiter;
  fetch?: typeof fetch;
  now?: () => number;
  /** Pulls the service's human message out of an error body. */
  errorMessage: (body: unknown) => string | undefined;
  /** How many 429s one call absorbs (waiting Retry-After each time) before giving up. */
  maxRateLimitRetries?: number;
}

/** A 429 we could not wait out: retryable, and says when the service will take calls again. */
export class RateLimitedError extends DownstreamError {
  constructor(
    message: string,
    service: string,
    readonly retryAfterMs: number,
  ) {
    super(message, service, true, { status: 429 });
  }
}

/** Parses `Retry-After` (seconds or an HTTP date) into milliseconds; undefined when absent or bad. */
function parseRetryAfter(value: string | null, now: number): number | undefined {
  if (value === null || value.trim() === '') return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, Math.ceil(seconds * 1000));
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

const MAX_MESSAGE = 300;

export class HttpClient {
  private readonly fetchImpl: typeof fetch;
  private readonly now: () => number;
  private readonly timeoutMs: number;
  private readonly base: string;

  constructor(private readonly options: HttpClientOptions) {
    this.fetchImpl = options.fetch ?? globalThis.fetch;
    this.now = options.now ?? Date.now;
    this.timeoutMs = options.timeoutMs ?? 10_000;
    this.base = options.baseUrl.replace(/\/+$/, '');
  }

  get service(): string {
    return this.options.service;
  }

  /** Sends `call` and returns the parsed JSON body of a 2xx answer; throws `DownstreamError` otherwise. */
  async request(call: HttpCall): Promise<HttpResponse> {
    const { service } = this.options;
    const label = call.label ?? `${call.method} ${call.path}`;
    const maxRetries = this.options.maxRateLimitRetries ?? 2;
    for (let attempt = 0; ; attempt++) {
      await this.options.limiter?.acquire(call.deadline ? { deadline: call.deadline } : {});
      const response = await this.send(call, label);
      if (response.status === 429) {
        const retryAfterMs = parseRetryAfter(response.headers.get('retry-after'), this.now()) ?? 1_000;
        const limiter = this.options.limiter;
        // Every container holds back (the limiter is shared); rejected calls count against the quota too.
        await limiter?.pauseFor(retryAfterMs);
        // With a limiter, the next acquire waits out Retry-After when that fits the deadline.
        const fits =
          call.deadline === undefined ||
          this.now() + ((await limiter?.waitTimeMs()) ?? 0) < call.deadline.getTime();
        if (limiter && attempt < maxRetries && fits) continue;
        throw new RateLimitedError(
          `${service} ${label} was rate limited (429); retry after ${Math.ceil(retryAfterMs / 1000)}s`,
          service,
          retryAfterMs,
        );
      }
      const body = await readJson(response);
      if (response.ok) {
        if (body === undefined) {
          throw new DownstreamError(
            `${service} ${label} answered ${response.status} without a JSON body`,
            service,
            false,
            { status: response.status },
          );
        }
        return { status: response.status, body };
      }
      const detail = this.options.errorMessage(body) ?? `HTTP ${response.status}`;
      const retryable = response.status >= 500;
      throw new DownstreamError(
        `${service} ${label} failed (${response.status}): ${detail.slice(0, MAX_MESSAGE)}`,
        service,
        retryable,
        { status: response.status },
      );
    }
  }

  private async send(call: HttpCall, label: string): Promise<Response> {
    const { service } = this.options;
    const remaining = call.deadline ? call.deadline.getTime() - this.now() : Number.POSITIVE_INFINITY;
    if (remaining <= 0) {
      throw new DownstreamError(`${service} ${label} not sent: the deadline has passed`, service, true);
    }
    const url = new URL(`${this.base}${call.path}`);
    for (const [key, value] of Object.entries({ ...call.query, ...this.options.query })) {
      if (value !== undefined) url.searchParams.set(key, value);
    }
    const headers: Record<string, string> = { accept: 'application/json', ...this.options.headers };
    if (call.json !== undefined) headers['content-type'] = 'application/json';
    try {
      return await this.fetchImpl(url, {
        method: call.method,
        headers,
        ...(call.json !== undefined ? { body: JSON.stringify(call.json) } : {}),
        signal: AbortSignal.timeout(Math.max(1, Math.min(this.timeoutMs, remaining))),
      });
    } catch (error) {
      const timedOut =
        error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError');
      throw new DownstreamError(
        timedOut ? `${service} ${label} timed out` : `${service} ${label} failed: network error`,
        service,
        true,
        // The cause is the fetch error; undici's messages do not include the URL.
        { cause: error },
      );
    }
  }
}

async function readJson(response: Response): Promise<unknown> {
  const text = await response.text();
  if (text.trim() === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}
