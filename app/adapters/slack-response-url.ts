import type { Config } from '../config';
import { DownstreamError } from '../errors';

/** Hosts a `response_url` may point at: Slack's, plus the configured Web API host (the local stand-in). */
export function allowedResponseHosts(config: Pick<Config, 'slack'>): string[] {
  const hosts = ['hooks.slack.com'];
  if (config.slack.apiUrl) hosts.push(new URL(config.slack.apiUrl).host);
  return hosts;
}

/** What a `response_url` takes (Slack's `RespondArguments`: an ephemeral message, or one replacing the original). */
export interface ResponseBody {
  text: string;
  blocks?: unknown[] | undefined;
  response_type?: 'ephemeral' | 'in_channel';
  replace_original?: boolean;
}

/**
 * POSTs `body` to a `response_url` (outside a listener: from a job). A URL on a host Slack does not
 * use is refused (a stored URL is data, and must not make the bot post anywhere else). 429 and 5xx
 * are retryable `DownstreamError`s; any other non-2xx is final (404 `expired_url`: the URL is older
 * than 30 minutes or has taken its 5 posts, and no retry brings it back).
 */
export async function postToResponseUrl(
  fetchFn: typeof fetch,
  responseUrl: string,
  body: ResponseBody,
  allowedHosts: readonly string[],
  timeoutMs = 10_000,
): Promise<void> {
  let url: URL;
  try {
    url = new URL(responseUrl);
  } catch (error) {
    throw new DownstreamError('the response_url is not a URL', 'slack', false, { cause: error });
  }
  if (!allowedHosts.includes(url.host)) {
    throw new DownstreamError(`refusing to post to a response_url on ${url.host}`, 'slack', false);
  }
  let response: Response;
  try {
    response = await fetchFn(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json; charset=utf-8' },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(timeoutMs),
    });
  } catch (error) {
    throw new DownstreamError('response_url post failed (network)', 'slack', true, { cause: error });
  }
  if (response.ok) return;
  const retryable = response.status === 429 || response.status >= 500;
  throw new DownstreamError(`response_url post answered HTTP ${response.status}`, 'slack', retryable, {
    status: response.status,
  });
}
