import type { APIGatewayProxyEventV2, Context } from 'aws-lambda';
import { signSlackRequest } from '../../dev/slack-signature';

/**
 * Builders for API Gateway HTTP API (payload format 2.0) events as the `$default` route delivers
 * them to `handlers/http.ts`: lower-cased header names, `rawPath`/`rawQueryString`, the method in
 * `requestContext.http`, a string body that API Gateway base64-encodes for non-text types.
 */
export interface V2EventOptions {
  method?: string;
  path?: string;
  rawQueryString?: string;
  headers?: Record<string, string>;
  body?: string | Buffer;
  /** Send the body base64-encoded with `isBase64Encoded: true` (as API Gateway does for form bodies). */
  base64?: boolean;
  /** Epoch milliseconds for `requestContext.timeEpoch`. */
  timeEpoch?: number;
}

let counter = 0;

/** A fresh number per call, so ids, trigger ids and timestamps differ between requests. */
function next(): number {
  counter += 1;
  return counter;
}

export function v2Event(options: V2EventOptions = {}): APIGatewayProxyEventV2 {
  const method = options.method ?? 'POST';
  const path = options.path ?? '/slack/events';
  const raw = options.body === undefined ? undefined : Buffer.from(options.body);
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(options.headers ?? {})) headers[name.toLowerCase()] = value;
  if (raw !== undefined && headers['content-length'] === undefined)
    headers['content-length'] = String(raw.length);
  counter += 1;
  const timeEpoch = options.timeEpoch ?? Date.now();
  const event: APIGatewayProxyEventV2 = {
    version: '2.0',
    routeKey: '$default',
    rawPath: path,
    rawQueryString: options.rawQueryString ?? '',
    headers: { host: 'abc123.execute-api.us-east-1.amazonaws.com', 'user-agent': 'Slackbot 1.0', ...headers },
    requestContext: {
      accountId: '123456789012',
      apiId: 'abc123',
      domainName: 'abc123.execute-api.us-east-1.amazonaws.com',
      domainPrefix: 'abc123',
      http: {
        method,
        path,
        protocol: 'HTTP/1.1',
        sourceIp: '203.0.113.10',
        userAgent: 'Slackbot 1.0',
      },
      requestId: `req-${counter}`,
      routeKey: '$default',
      stage: '$default',
      time: new Date(timeEpoch).toUTCString(),
      timeEpoch,
    },
    isBase64Encoded: options.base64 === true,
  };
  if (raw !== undefined) event.body = options.base64 ? raw.toString('base64') : raw.toString('utf8');
  return event;
}

export const FORM_UTF8 = 'application/x-www-form-urlencoded; charset=utf-8';
export const JSON_TYPE = 'application/json';

export interface SignedOptions extends Omit<V2EventOptions, 'body'> {
  secret: string;
  contentType: string;
  timestampSec?: number;
}

/** A Slack-signed POST to /slack/events. */
export function signedSlackEvent(rawBody: string, options: SignedOptions): APIGatewayProxyEventV2 {
  const { secret, contentType, timestampSec, headers, ...rest } = options;
  return v2Event({
    ...rest,
    body: rawBody,
    headers: {
      'content-type': contentType,
      ...signSlackRequest(rawBody, secret, timestampSec),
      ...headers,
    },
  });
}

/** A slash command's form body as Slack sends it. */
export function slashCommandForm(text: string, overrides: Record<string, string> = {}): string {
  const fields: Record<string, string> = {
    token: 'deprecated-verification-token',
    team_id: 'T0TEST',
    team_domain: 'test',
    channel_id: 'C0GENERAL',
    channel_name: 'general',
    user_id: 'U0ALICE',
    user_name: 'alice',
    command: '/mcc',
    text,
    api_app_id: 'A0TEST',
    is_enterprise_install: 'false',
    response_url: 'https://hooks.slack.com/commands/T0TEST/1/abc',
    trigger_id: `1.2.${counter}`,
    ...overrides,
  };
  return new URLSearchParams(fields).toString();
}

/** An Events API `event_callback` envelope around `event`. */
export function eventCallbackJson(
  event: Record<string, unknown>,
  overrides: Record<string, unknown> = {},
): string {
  return JSON.stringify({
    token: 'deprecated-verification-token',
    team_id: 'T0TEST',
    api_app_id: 'A0TEST',
    event,
    type: 'event_callback',
    event_id: `Ev${Date.now().toString(36).toUpperCase()}${next()}`,
    event_time: Math.floor(Date.now() / 1000),
    authorizations: [
      { team_id: 'T0TEST', user_id: 'U0LOCALBOT', is_bot: true, is_enterprise_install: false },
    ],
    is_ext_shared_channel: false,
    ...overrides,
  });
}

/** An `app_mention` event. */
export function appMention(text: string, user = 'U0ALICE', channel = 'C0GENERAL'): Record<string, unknown> {
  const ts = `${Math.floor(Date.now() / 1000)}.${String(next()).padStart(6, '0')}`;
  return { type: 'app_mention', user, text, ts, channel, event_ts: ts };
}

/** A `block_actions` interactivity payload as form body (`payload=<json>`). */
export function blockActionsForm(
  actionId: string,
  value: string,
  overrides: Record<string, unknown> = {},
): string {
  const payload = {
    type: 'block_actions',
    user: { id: 'U0ALICE', username: 'alice', name: 'alice', team_id: 'T0TEST' },
    api_app_id: 'A0TEST',
    token: 'deprecated-verification-token',
    container: {
      type: 'message',
      message_ts: '1700000000.000100',
      channel_id: 'C0GENERAL',
      is_ephemeral: true,
    },
    trigger_id: `1.2.${next()}`,
    team: { id: 'T0TEST', domain: 'test' },
    channel: { id: 'C0GENERAL', name: 'general' },
    response_url: 'https://hooks.slack.com/actions/T0TEST/1/abc',
    actions: [
      {
        action_id: actionId,
        block_id: 'b1',
        type: 'button',
        value,
        text: { type: 'plain_text', text: 'Go' },
        action_ts: `${Math.floor(Date.now() / 1000)}.000200`,
      },
    ],
    ...overrides,
  };
  return new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
}

/** A Lambda context with a fresh `awsRequestId`. */
export function lambdaContext(requestId = `aws-req-${next()}`): Context {
  return {
    callbackWaitsForEmptyEventLoop: true,
    functionName: 'mcc-http',
    functionVersion: '$LATEST',
    invokedFunctionArn: 'arn:aws:lambda:us-east-1:123456789012:function:mcc-http',
    memoryLimitInMB: '512',
    awsRequestId: requestId,
    logGroupName: '/aws/lambda/mcc-http',
    logStreamName: '2026/11/22/[$LATEST]abc',
    getRemainingTimeInMillis: () => 10_000,
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}
