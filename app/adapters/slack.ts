import type { Logger } from '@slack/bolt';
import { LogLevel, WebClient, type WebClientOptions } from '@slack/web-api';
import type { Config } from '../config';

/** The token used when no workspace is configured: only the local Web API stand-in accepts it. */
export const STAND_IN_BOT_TOKEN = 'xoxb-local-stand-in';
export const STAND_IN_BOT_ID = 'B0LOCALBOT';
export const STAND_IN_BOT_USER_ID = 'U0LOCALBOT';

/**
 * Web API client options shared by Bolt's client and any client the worker builds.
 *
 * The library's default retry policy can hold one call for ~30 minutes; on Lambda a call must
 * finish well inside the function's timeout, so retries are bounded (2 retries, ≤ 2 s apart,
 * 10 s per attempt) and rate-limited calls are rejected at once with `WebAPIRateLimitedError`,
 * leaving the caller (usually a job, which has its own backoff) to decide when to try again.
 */
export function slackClientOptions(config: Config, logger: Logger): WebClientOptions {
  return {
    ...(config.slack.apiUrl ? { slackApiUrl: config.slack.apiUrl } : {}),
    logger,
    logLevel: config.logLevel === 'debug' ? LogLevel.DEBUG : LogLevel.WARN,
    retryConfig: { retries: 2, factor: 2, minTimeout: 200, maxTimeout: 2_000, randomize: true },
    timeout: 10_000,
    rejectRateLimitedCalls: true,
  };
}

/**
 * A Web API client for work outside a Bolt listener (jobs, schedules). Built once per container
 * by the runtime and passed in; never per call.
 */
export function createWebClient(config: Config, logger: Logger, token?: string): WebClient {
  return new WebClient(
    token ?? config.slack.botToken ?? STAND_IN_BOT_TOKEN,
    slackClientOptions(config, logger),
  );
}

/**
 * The Web API's `error` string (`not_in_channel`, `message_not_found`, …) of a failed call, or
 * undefined for failures that carry none (network, HTTP status). Reads the error's `data` without
 * an `instanceof` check, so it works on any object shaped like a `WebAPIPlatformError`.
 */
export function slackErrorCode(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null || !('data' in error)) return undefined;
  const { data } = error;
  if (typeof data !== 'object' || data === null || !('error' in data)) return undefined;
  return typeof data.error === 'string' ? data.error : undefined;
}
