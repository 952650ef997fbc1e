import type { SlackUser, SlackUserReader } from '../adapters/slack-directory';
import { isValidTimeZone } from '../domain/calendar';
import type { AppLogger } from '../logger';
import { withTimeout } from '../timeout';

/** What the app knows about a Slack user for rendering: time zone, locale, a name to greet. */
export interface UserProfile {
  userId: string;
  /** IANA zone from `users.info` (`tz`), or `UTC` when it could not be read. */
  timezone: string;
  /** False when `timezone` is the UTC fallback; renderers then say so. */
  timezoneKnown: boolean;
  /** e.g. `en-US` (needs `include_locale`); absent when unknown. */
  locale?: string;
  /** The display name, else the real name, else the handle. */
  displayName?: string;
  realName?: string;
  isBot?: boolean;
}

export interface UserProfileServiceDeps {
  /** `users.info` (app/adapters/slack-directory.ts `slackUserReader` over the container's client). */
  readUser: SlackUserReader;
  clock: () => Date;
  logger: Pick<AppLogger, 'warn'>;
  /** How long a profile is reused. Short: a person who travels changes zone. Default 10 minutes. */
  ttlMs?: number;
  /** Entries kept per container before the oldest go. Default 1000. */
  maxEntries?: number;
  /**
   * How long a request waits for `users.info` before answering in UTC. A slash command has 3 s
   * for everything (processBeforeResponse), and the Web API client's own timeout and retries are
   * far longer. Default 1500 ms. A late answer still fills the cache for the next request.
   */
  timeoutMs?: number;
}

class LookupTimeout extends Error {
  constructor(ms: number) {
    super(`users.info took longer than ${ms} ms`);
    this.name = 'LookupTimeout';
  }
}

/**
 * `users.info` with a short in-memory cache (one per container; a cold start begins empty).
 * `users.info` is Tier 4, but a slash command has 3 s in all, so a repeated lookup is worth
 * skipping. A failed lookup is not cached and never throws: the caller gets UTC with
 * `timezoneKnown: false` and should say so to the user.
 */
export class UserProfileService {
  private readonly cache = new Map<string, { profile: UserProfile; expiresAt: number }>();
  private readonly ttlMs: number;
  private readonly maxEntries: number;
  private readonly timeoutMs: number;

  constructor(private readonly deps: UserProfileServiceDeps) {
    this.ttlMs = deps.ttlMs ?? 10 * 60_000;
    this.maxEntries = deps.maxEntries ?? 1000;
    this.timeoutMs = deps.timeoutMs ?? 1500;
  }

  /** The user's profile; never throws (falls back to UTC). */
  async get(userId: string): Promise<UserProfile> {
    const now = this.deps.clock().getTime();
    const cached = this.cache.get(userId);
    if (cached && cached.expiresAt > now) return cached.profile;
    try {
      return await withTimeout(this.lookup(userId), this.timeoutMs, () => {
        throw new LookupTimeout(this.timeoutMs);
      });
    } catch (error) {
      this.deps.logger.warn({ userId }, error, 'users.info failed; using UTC for this user');
      return { userId, timezone: 'UTC', timezoneKnown: false };
    }
  }

  /** One `users.info` call; caches what it finds (even when the caller stopped waiting). */
  private async lookup(userId: string): Promise<UserProfile> {
    const profile = toProfile(await this.deps.readUser(userId));
    this.remember(userId, profile, this.deps.clock().getTime());
    return profile;
  }

  /** Forgets one user (e.g. after a `user_change` event). */
  invalidate(userId: string): void {
    this.cache.delete(userId);
  }

  private remember(userId: string, profile: UserProfile, now: number): void {
    this.cache.delete(userId);
    this.cache.set(userId, { profile, expiresAt: now + this.ttlMs });
    // Map keeps insertion order, so the first key is the oldest entry.
    while (this.cache.size > this.maxEntries) {
      const oldest = this.cache.keys().next().value;
      if (oldest === undefined) break;
      this.cache.delete(oldest);
    }
  }
}

function toProfile(user: SlackUser): UserProfile {
  const tz = user.tz && isValidTimeZone(user.tz) ? user.tz : undefined;
  const displayName = user.profile?.display_name || user.real_name || user.profile?.real_name || user.name;
  const realName = user.real_name || user.profile?.real_name;
  return {
    userId: user.id,
    timezone: tz ?? 'UTC',
    timezoneKnown: tz !== undefined,
    ...(user.locale ? { locale: user.locale } : {}),
    ...(displayName ? { displayName } : {}),
    ...(realName ? { realName } : {}),
    ...(user.is_bot !== undefined ? { isBot: user.is_bot } : {}),
  };
}
