import { type UsersInfoArguments, type UsersInfoResponse, WebClient } from '@slack/web-api';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { slackUserReader } from '../../../app/adapters/slack-directory';
import { AppLogger } from '../../../app/logger';
import { UserProfileService } from '../../../app/services/user-profile';
import { type SlackStandIn, STAND_IN_BOT_TOKEN, startSlackStandIn } from '../../../dev/slack-standin';

describe('UserProfileService (Slack stand-in)', () => {
  let standin: SlackStandIn;
  let slack: WebClient;
  const logs: string[] = [];
  const logger = new AppLogger({ level: 'warn', sink: (line) => logs.push(line) });

  beforeAll(async () => {
    standin = await startSlackStandIn({
      users: [
        {
          id: 'U0LA',
          name: 'lee',
          realName: 'Lee Angeles',
          displayName: 'lee.a',
          tz: 'America/Los_Angeles',
          email: 'lee@example.com',
          locale: 'en-US',
        },
        { id: 'U0TOKYO', name: 'aki', realName: 'Aki Tanaka', tz: 'Asia/Tokyo', email: 'aki@example.com' },
      ],
    });
    slack = new WebClient(STAND_IN_BOT_TOKEN, { slackApiUrl: standin.apiUrl, retryConfig: { retries: 0 } });
  });

  afterAll(async () => {
    await standin.close();
  });

  beforeEach(() => {
    standin.reset();
    logs.length = 0;
  });

  it('reads time zone, locale and name from users.info', async () => {
    const service = new UserProfileService({
      readUser: slackUserReader(slack),
      clock: () => new Date(),
      logger,
    });

    const profile = await service.get('U0LA');

    expect(profile).toEqual({
      userId: 'U0LA',
      timezone: 'America/Los_Angeles',
      timezoneKnown: true,
      locale: 'en-US',
      displayName: 'lee.a',
      realName: 'Lee Angeles',
      isBot: false,
    });
    expect(standin.calls('users.info')[0]?.args).toMatchObject({ user: 'U0LA', include_locale: 'true' }); // a form field, as Slack receives it;
  });

  it('caches briefly: a second lookup within the TTL makes no call, one after it does', async () => {
    let now = new Date('2026-11-22T10:00:00Z');
    const service = new UserProfileService({
      readUser: slackUserReader(slack),
      clock: () => now,
      logger,
      ttlMs: 60_000,
    });

    await service.get('U0TOKYO');
    await service.get('U0TOKYO');
    now = new Date('2026-11-22T10:01:01Z');
    const later = await service.get('U0TOKYO');

    expect(later.timezone).toBe('Asia/Tokyo');
    expect(standin.calls('users.info')).toHaveLength(2);
  });

  it('falls back to UTC (and says so) when the lookup fails, without caching the failure', async () => {
    const service = new UserProfileService({
      readUser: slackUserReader(slack),
      clock: () => new Date(),
      logger,
    });
    standin.failNext('users.info', { error: 'user_not_found' });

    const fallback = await service.get('U0LA');
    const retried = await service.get('U0LA');

    expect(fallback).toEqual({ userId: 'U0LA', timezone: 'UTC', timezoneKnown: false });
    expect(retried.timezone).toBe('America/Los_Angeles');
    expect(logs.some((line) => line.includes('users.info failed'))).toBe(true);
  });

  it('evicts the oldest entries past the size bound', async () => {
    const service = new UserProfileService({
      readUser: slackUserReader(slack),
      clock: () => new Date(),
      logger,
      maxEntries: 1,
    });

    await service.get('U0LA');
    await service.get('U0TOKYO');
    await service.get('U0LA');

    expect(standin.calls('users.info')).toHaveLength(3);
  });
});

describe('UserProfileService when users.info is slow', () => {
  it('answers in UTC after the timeout, and caches the late answer for the next request', async () => {
    // Prepare: a users.info that answers only when the test releases it.
    let release: (response: UsersInfoResponse) => void = () => undefined;
    const pending = new Promise<UsersInfoResponse>((resolve) => {
      release = resolve;
    });
    let calls = 0;
    const slack = {
      users: {
        info: (_args: UsersInfoArguments) => {
          calls += 1;
          return pending;
        },
      },
    };
    const service = new UserProfileService({
      readUser: slackUserReader(slack),
      clock: () => new Date(),
      logger: new AppLogger({ sink: () => undefined }),
      timeoutMs: 5,
    });

    // Act
    const first = await service.get('U0SLOW');
    release({ ok: true, user: { id: 'U0SLOW', name: 'slow', tz: 'Australia/Sydney' } });
    await pending;
    // The late answer is parsed and cached a few microtasks after users.info resolves.
    await new Promise((resolve) => setImmediate(resolve));
    const second = await service.get('U0SLOW');

    // Assess
    expect(first).toEqual({ userId: 'U0SLOW', timezone: 'UTC', timezoneKnown: false });
    expect(second).toMatchObject({ timezone: 'Australia/Sydney', timezoneKnown: true });
    expect(calls).toBe(1);
  });
});
