import diagnosticsChannel from 'node:diagnostics_channel';
import type { ClientRequest, IncomingMessage } from 'node:http';

/**
 * Counts and times outbound HTTP round trips without touching the code under test, through
 * Node's built-in diagnostics channels: `http.client.request.start` for `node:http` (the AWS SDK's
 * NodeHttpHandler, so every DynamoDB call) and `undici:request:*` for `fetch` (the Slack Web API
 * client and Bolt's `respond()`). A round trip lasts from the request's start to the end of its
 * response body, as the caller waits for it.
 */
export interface RoundTrip {
  target: string;
  start: number;
  end: number;
}

export interface Tracker {
  /** Round trips that started since the last `take()`, grouped by the target they went to. */
  take(): RoundTrip[];
  close(): void;
}

export function trackRoundTrips(targets: Record<string, string>): Tracker {
  let current: RoundTrip[] = [];
  const byHostPort = new Map<string, string>();
  for (const [name, url] of Object.entries(targets)) byHostPort.set(new URL(url).host, name);

  const onHttp = (message: unknown) => {
    const { request } = message as { request: ClientRequest };
    const host = `${request.host}:${(request as ClientRequest & { socket?: { remotePort?: number } }).socket?.remotePort ?? ''}`;
    const headerHost = String(request.getHeader('host') ?? '');
    const name = byHostPort.get(headerHost) ?? byHostPort.get(host);
    if (!name) return;
    const trip: RoundTrip = { target: name, start: performance.now(), end: Number.NaN };
    current.push(trip);
    request.once('response', (response: IncomingMessage) => {
      response.once('end', () => {
        trip.end = performance.now();
      });
    });
  };

  const undiciTrips = new WeakMap<object, RoundTrip>();
  const onUndiciCreate = (message: unknown) => {
    const { request } = message as { request: { origin?: string | URL } };
    const origin = request.origin ? new URL(String(request.origin)).host : '';
    const name = byHostPort.get(origin);
    if (!name) return;
    const trip: RoundTrip = { target: name, start: performance.now(), end: Number.NaN };
    current.push(trip);
    undiciTrips.set(request, trip);
  };
  const onUndiciEnd = (message: unknown) => {
    const { request } = message as { request: object };
    const trip = undiciTrips.get(request);
    if (trip) trip.end = performance.now();
  };

  diagnosticsChannel.subscribe('http.client.request.start', onHttp);
  diagnosticsChannel.subscribe('undici:request:create', onUndiciCreate);
  diagnosticsChannel.subscribe('undici:request:trailers', onUndiciEnd);
  diagnosticsChannel.subscribe('undici:request:error', onUndiciEnd);
  return {
    take() {
      const out = current;
      current = [];
      return out;
    },
    close() {
      diagnosticsChannel.unsubscribe('http.client.request.start', onHttp);
      diagnosticsChannel.unsubscribe('undici:request:create', onUndiciCreate);
      diagnosticsChannel.unsubscribe('undici:request:trailers', onUndiciEnd);
      diagnosticsChannel.unsubscribe('undici:request:error', onUndiciEnd);
    },
  };
}

/** Wall time covered by the trips (overlapping ones, e.g. parallel queries, counted once). */
export function coveredMs(trips: RoundTrip[]): number {
  const intervals = trips
    .filter((t) => Number.isFinite(t.end))
    .map((t) => [t.start, t.end] as const)
    .sort((a, b) => a[0] - b[0]);
  let total = 0;
  let curStart = Number.NaN;
  let curEnd = Number.NaN;
  for (const [start, end] of intervals) {
    if (Number.isNaN(curStart) || start > curEnd) {
      if (!Number.isNaN(curStart)) total += curEnd - curStart;
      curStart = start;
      curEnd = end;
    } else if (end > curEnd) {
      curEnd = end;
    }
  }
  if (!Number.isNaN(curStart)) total += curEnd - curStart;
  return total;
}

/**
 * Every DynamoDB `send()` of the app under test, as its runtime reports it on
 * `STORE_SEND_CHANNEL` (handlers/store-send-timing.ts): the full call as the feature pays for it
 * (marshalling, signing, middleware, the round trip, parsing), where `trackRoundTrips` sees only
 * the socket part. Channels are process-wide by name, so a bundle's copy reports here too.
 */
export function trackStoreSends(channelName: string): Tracker {
  let current: RoundTrip[] = [];
  const onSend = (message: unknown) => {
    const { start, end } = message as { start: number; end: number };
    current.push({ target: 'storeSend', start, end });
  };
  diagnosticsChannel.subscribe(channelName, onSend);
  return {
    take() {
      const out = current;
      current = [];
      return out;
    },
    close() {
      diagnosticsChannel.unsubscribe(channelName, onSend);
    },
  };
}
