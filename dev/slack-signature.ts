import { createHmac } from 'node:crypto';

/** The two headers Slack adds to every request it sends to the app. */
export interface SlackSignatureHeaders {
  'x-slack-request-timestamp': string;
  'x-slack-signature': string;
}

/**
 * Signs a request body the way Slack does: `v0=` + hex HMAC-SHA256 of `v0:{timestamp}:{raw body}`,
 * keyed with the signing secret (https://api.slack.com/authentication/verifying-requests-from-slack).
 * The one signer of the sending side: tests, the bench and `scripts/try.ts` use it; production
 * verifies with Bolt. The body is signed byte for byte (a Buffer as is, a string as UTF-8).
 *
 * `timestampSec` defaults to the wall clock, because Bolt checks staleness against `Date.now()`.
 */
export function signSlackRequest(
  rawBody: string | Buffer,
  secret: string,
  timestampSec: number = Math.floor(Date.now() / 1000),
): SlackSignatureHeaders {
  const timestamp = String(Math.floor(timestampSec));
  const base = Buffer.concat([Buffer.from(`v0:${timestamp}:`), Buffer.from(rawBody)]);
  const digest = createHmac('sha256', secret).update(base).digest('hex');
  return { 'x-slack-request-timestamp': timestamp, 'x-slack-signature': `v0=${digest}` };
}
