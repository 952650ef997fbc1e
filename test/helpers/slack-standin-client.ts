import type { KnownBlock } from '@slack/types';
import { WebAPIPlatformError, type WebClient } from '@slack/web-api';
import { afterAll, beforeAll, beforeEach, expect } from 'vitest';
import { createWebClient } from '../../app/adapters/slack';
import { type Config, loadConfig } from '../../app/config';
import { AppLogger } from '../../app/logger';
import { type SlackStandIn, startSlackStandIn } from '../../dev/slack-standin';

export const USER = 'U0MAYA';
export const CHANNEL = 'C0GENERAL';
export const section = (text: string): KnownBlock => ({ type: 'section', text: { type: 'mrkdwn', text } });
export const plain = (text: string) => ({ type: 'plain_text' as const, text });
export const modal = (title = 'New campaign', extra: Record<string, unknown> = {}) => ({
  type: 'modal' as const,
  title: plain(title),
  blocks: [section('Fill this in')],
  ...extra,
});

/** The platform error a call failed with (the test fails if it did not fail that way). */
export async function platformError(
  call: Promise<unknown>,
): Promise<WebAPIPlatformError['data'] & { errors?: string[] }> {
  const error = await call.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(WebAPIPlatformError);
  return (error as WebAPIPlatformError).data;
}

/**
 * The stand-in's tests' set-up: a stand-in on a settable clock (reset before each test) and a Web
 * API client configured as the app builds it. Call inside a `describe`.
 */
export function useStandInClient() {
  let standin: SlackStandIn;
  let config: Config;
  let logger: AppLogger;
  let client: WebClient;
  let now: Date;

  beforeAll(async () => {
    now = new Date('2026-11-22T10:00:00Z');
    standin = await startSlackStandIn({ clock: () => now });
    config = loadConfig({
      SLACK_SIGNING_SECRET: 'secret',
      SLACK_API_URL: standin.apiUrl,
      LOG_LEVEL: 'error',
    });
    logger = new AppLogger({ level: 'error', sink: () => undefined });
    client = createWebClient(config, logger);
  });

  afterAll(async () => {
    await standin.close();
  });

  beforeEach(() => {
    now = new Date('2026-11-22T10:00:00Z');
    standin.reset();
  });

  return {
    get standin() {
      return standin;
    },
    get config() {
      return config;
    },
    get logger() {
      return logger;
    },
    get client() {
      return client;
    },
    get now() {
      return now;
    },
    set now(value: Date) {
      now = value;
    },
  };
}
