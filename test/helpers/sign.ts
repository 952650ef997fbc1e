import { createHmac } from 'node:crypto';

/** The two headers Slack adds to every request it sends to the app. */
export interface SlackSignatureHeaders {
  'x-slack-request-timestamp': string;
  'x-slack-signature': string;
}

/**
 * Signs a request body the way Slack does: `v0=` + hex HMAC-SHA256 of `v0:{timestamp}:{raw body}`,
 * keyed with the signing secret. The test side only; production verifies with Bolt.
 *
 * `timestampSec` defaults to the wall clock, because Bolt checks staleness against `Date.now()`.
 */
export function signSlackRequest(
  rawBody: string,
  secret: string,
  timestampSec: number = Math.floor(Date.now() / 1000),
): SlackSignatureHeaders {
  const timestamp = String(Math.floor(timestampSec));
  const digest = createHmac('sha256', secret).update(`v0:${timestamp}:${rawBody}`).digest('hex');
  return { 'x-slack-request-timestamp': timestamp, 'x-slack-signature': `v0=${digest}` };
}
