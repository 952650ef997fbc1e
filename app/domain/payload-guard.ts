import { CommandCenterError, ErrorCode } from '../errors';

/** A job or schedule payload that must not be stored: it holds a secret, or is too big. */
export class JobPayloadError extends CommandCenterError {
  override code = ErrorCode.ValidationError;
}

/** Slack token shapes (bot, user, app-level, refresh, config); the logger scrubs the same shapes. */
const SLACK_TOKEN = /\bxox[a-z]-|\bxapp-|\bxoxe\./;
/**
 * A Slack `response_url` (`https://hooks.slack.com/actions/…`, `…/commands/…`): a capability to post
 * to a user, kept beside a job's payload (`Job.responseUrl`), never in it.
 */
const RESPONSE_URL = /hooks\.slack\.com\/(actions|commands|app)\//;
/** Key names that say "this is a credential" once case and separators are dropped. */
const SECRET_KEY_SUFFIXES = ['token', 'secret', 'password', 'passwd', 'apikey', 'authorization', 'cookie'];
/** Payloads live in one DynamoDB item (400 KB) and schedule Inputs; keep them well below both. */
const MAX_PAYLOAD_CHARS = 64_000;

/**
 * Throws `JobPayloadError` when `payload` carries a secret (DESIGN.md: secrets never travel inside
 * job payloads; the worker loads them from its own configuration), is not plain JSON, or is too big.
 *
 * A key is a secret's when it ends in token/secret/password/apiKey/… (`botToken`, `client_secret`);
 * `inputTokens` or `tokenCount` are allowed. Any string that looks like a Slack token is rejected
 * wherever it is.
 */
export function assertSafePayload(payload: Record<string, unknown>, what = 'job payload'): void {
  let serialized: string;
  try {
    serialized = JSON.stringify(payload);
  } catch (error) {
    throw new JobPayloadError(`${what} must be plain JSON`, { cause: error });
  }
  if (serialized.length > MAX_PAYLOAD_CHARS) {
    throw new JobPayloadError(`${what} is ${serialized.length} chars; the limit is ${MAX_PAYLOAD_CHARS}`);
  }
  visit(payload, what, '$', 0);
}

function visit(value: unknown, what: string, path: string, depth: number): void {
  if (depth > 20) throw new JobPayloadError(`${what} is nested too deeply at ${path}`);
  if (typeof value === 'string') {
    if (SLACK_TOKEN.test(value)) throw new JobPayloadError(`${what} holds a Slack token at ${path}`);
    if (RESPONSE_URL.test(value)) throw new JobPayloadError(`${what} holds a Slack response_url at ${path}`);
    return;
  }
  if (Array.isArray(value)) {
    value.forEach((item, index) => {
      visit(item, what, `${path}[${index}]`, depth + 1);
    });
    return;
  }
  if (value !== null && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) {
      const normalized = key.toLowerCase().replace(/[^a-z]/g, '');
      if (SECRET_KEY_SUFFIXES.some((suffix) => normalized.endsWith(suffix))) {
        throw new JobPayloadError(`${what} may not carry a secret (key "${key}" at ${path})`);
      }
      visit(item, what, `${path}.${key}`, depth + 1);
    }
  }
}
