import type { RecurringScheduler } from '../../adapters/recurring-scheduler';
import { isValidTimeZone } from '../../domain/calendar';
import {
  DIGEST_FREQUENCIES,
  type DigestEmptyMode,
  type DigestFrequency,
  type DigestSubscription,
} from '../../domain/digest';
import { type CronSchedule, dailyCronExpression, nextOccurrence } from '../../domain/schedule-cron';
import { channelMention, escapeMrkdwn } from '../../domain/text';
import { AuthorizationError, ConflictError, UserFacingError, ValidationError } from '../../errors';
import type { AppLogger } from '../../logger';
import type { ChannelAccess } from './ports';
import type { DigestStore } from './store';

/** The scheduled kind every digest schedule delivers (`{ kind, channelId, scheduledTime }`). */
export const DIGEST_RUN_KIND = 'digest.run';

/** Defaults of `/mcc digest on`: 09:00 on weekdays, in the caller's Slack time zone. */
const DIGEST_DEFAULTS = { time: '09:00', frequency: 'weekdays', whenEmpty: 'quiet_line' } as const;

/** What a subscribe or update may set; anything left out keeps its current value (or the default). */
export interface DigestSettingsInput {
  channelId: string;
  /** Who asks: must be a member of the channel. */
  actorId: string;
  /** The caller's Slack time zone (users.info `tz`): the default zone. */
  actorTimeZone?: string | undefined;
  /** The caller's Slack locale (users.info `locale`): how dates are written. */
  actorLocale?: string | undefined;
  /** `HH:MM`, `H:MM`, `9`, `9am`, `5:30pm`. */
  time?: string | undefined;
  frequency?: DigestFrequency | undefined;
  /** For `weekly`: `monday`/`mon`/1 … `sunday`/`sun`/7. */
  weekday?: string | number | undefined;
  timeZone?: string | undefined;
  whenEmpty?: DigestEmptyMode | undefined;
  /** From the Slack payload (`team_id`, `api_app_id`), for the App Home link. */
  slackTeamId?: string | undefined;
  appId?: string | undefined;
}

/** A subscription and when it next runs. */
export interface DigestSettings {
  subscription: DigestSubscription;
  /** The next run (ISO instant), or undefined when off. */
  nextRun: string | undefined;
}

/** Saved, but the schedule could not be written: the user is told to try again. */
export class DigestScheduleError extends UserFacingError {}

const WEEKDAYS = ['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday'];

/**
 * `HH:MM` (24-hour) from what a person types: `9`, `09:30`, `9:30`, `9am`, `12pm`, `5:30 pm`.
 * `ValidationError` naming the input otherwise (`25:00`, `9:75`, `noon`).
 */
export function parseDigestTime(text: string): string {
  const match = /^\s*(\d{1,2})(?::(\d{2}))?\s*(am|pm)?\s*$/i.exec(text);
  const fail = () =>
    new ValidationError(
      `“${escapeMrkdwn(text.trim())}” is not a time of day: use HH:MM between 00:00 and 23:59 (e.g. 09:00).`,
      {
        time: 'Use HH:MM between 00:00 and 23:59.',
      },
    );
  if (!match) throw fail();
  let hour = Number(match[1]);
  const minute = Number(match[2] ?? '0');
  const meridiem = match[3]?.toLowerCase();
  if (meridiem) {
    if (hour < 1 || hour > 12) throw fail();
    hour = (hour % 12) + (meridiem === 'pm' ? 12 : 0);
  }
  if (hour > 23 || minute > 59) throw fail();
  return `${String(hour).padStart(2, '0')}:${String(minute).padStart(2, '0')}`;
}

/** ISO weekday (1 = Monday) from a name, a three-letter abbreviation or a number 1–7. */
export function parseWeekday(value: string | number): number {
  if (typeof value === 'number' || /^\d$/.test(value)) {
    const day = Number(value);
    if (Number.isInteger(day) && day >= 1 && day <= 7) return day;
  } else {
    const wanted = value.trim().toLowerCase();
    const index = WEEKDAYS.findIndex(
      (day) => day === wanted || (wanted.length >= 3 && day.startsWith(wanted)),
    );
    if (index >= 0) return index + 1;
  }
  throw new ValidationError(`“${escapeMrkdwn(String(value))}” is not a day of the week (e.g. monday).`, {
    weekday: 'Use a day of the week, e.g. monday.',
  });
}

/** The EventBridge schedule of a subscription. */
export function digestCron(
  subscription: Pick<DigestSubscription, 'time' | 'frequency' | 'weekday' | 'timeZone'>,
): CronSchedule {
  const [hour = 0, minute = 0] = subscription.time.split(':').map(Number);
  const days =
    subscription.frequency === 'weekdays'
      ? [1, 2, 3, 4, 5]
      : subscription.frequency === 'weekly'
        ? [subscription.weekday ?? 1]
        : undefined;
  return { expression: dailyCronExpression({ hour, minute }, days), timeZone: subscription.timeZone };
}

/** The schedule name of a channel's digest (64 of `[0-9a-zA-Z-_.]`: a channel id always fits). */
function digestScheduleName(channelId: string): string {
  return `digest-${channelId}`;
}

function canonicalLocale(locale: string | undefined): string {
  if (!locale) return 'en-US';
  try {
    return Intl.getCanonicalLocales(locale.replace('_', '-'))[0] ?? 'en-US';
  } catch {
    return 'en-US';
  }
}

/**
 * A channel's digest subscription: settings, validation, who may change them, and its recurring
 * schedule (created, replaced and deleted with it). Phase 2's `/mcc digest` command and modal call
 * this; the runner reads the same records.
 */
export class DigestSubscriptionService {
  constructor(
    private readonly deps: {
      store: DigestStore;
      scheduler: RecurringScheduler;
      channels: ChannelAccess;
      clock: () => Date;
      logger: AppLogger;
    },
  ) {}

  /** The channel's settings and next run, or `undefined` when it never subscribed. */
  async settings(channelId: string): Promise<DigestSettings | undefined> {
    const record = await this.deps.store.subscription(channelId);
    return record ? this.withNextRun(record.data) : undefined;
  }

  /** Every channel's subscription (one Query), for the missed-run sweep and App Home. */
  async list(): Promise<DigestSubscription[]> {
    return (await this.deps.store.subscriptions()).map((record) => record.data);
  }

  /**
   * Turns the digest on, or changes its settings (what is not given keeps its value; a new
   * subscription gets 09:00 on weekdays in the caller's zone). Checks the input, that the bot is in
   * the channel and that the caller is; stores the settings, then creates or replaces the schedule.
   */
  async subscribe(input: DigestSettingsInput): Promise<DigestSettings & { created: boolean }> {
    this.assertChannel(input.channelId);
    const changes = this.parse(input);
    await this.assertAccess(input.actorId, input.channelId);
    for (let attempt = 0; attempt < 3; attempt++) {
      const current = await this.deps.store.subscription(input.channelId);
      const now = this.deps.clock().toISOString();
      const base = current?.data;
      const frequency = changes.frequency ?? base?.frequency ?? DIGEST_DEFAULTS.frequency;
      const weekday = frequency === 'weekly' ? (changes.weekday ?? base?.weekday ?? 1) : undefined;
      const timeZone = changes.timeZone ?? base?.timeZone ?? this.defaultZone(input.actorTimeZone);
      const next: DigestSubscription = {
        channelId: input.channelId,
        enabled: true,
        time: changes.time ?? base?.time ?? DIGEST_DEFAULTS.time,
        frequency,
        ...(weekday !== undefined ? { weekday } : {}),
        timeZone,
        locale: input.actorLocale ? canonicalLocale(input.actorLocale) : (base?.locale ?? 'en-US'),
        whenEmpty: input.whenEmpty ?? base?.whenEmpty ?? DIGEST_DEFAULTS.whenEmpty,
        ...((input.slackTeamId ?? base?.slackTeamId)
          ? { slackTeamId: input.slackTeamId ?? base?.slackTeamId }
          : {}),
        ...((input.appId ?? base?.appId) ? { appId: input.appId ?? base?.appId } : {}),
        scheduleName: digestScheduleName(input.channelId),
        createdBy: base?.createdBy ?? input.actorId,
        updatedBy: input.actorId,
        createdAt: base?.createdAt ?? now,
        updatedAt: now,
      };
      let stored: { version: number };
      try {
        stored = await this.deps.store.putSubscription(next, current?.version);
      } catch (error) {
        if (error instanceof ConflictError) continue;
        throw error;
      }
      await this.schedule(next, stored.version);
      this.deps.logger.info(
        { event: 'digest_subscribed', channelId: next.channelId, time: next.time, frequency, timeZone },
        current ? 'digest settings changed' : 'digest subscribed',
      );
      return { ...this.withNextRun(next), created: !current };
    }
    throw new ConflictError(`the digest settings of ${input.channelId} kept changing; try again`);
  }

  /**
   * Turns the digest off: the settings are kept (disabled, so turning it on again restores them)
   * and the schedule is deleted. Only channel members may; off twice is fine.
   */
  async unsubscribe(channelId: string, actorId: string): Promise<DigestSettings | undefined> {
    this.assertChannel(channelId);
    const current = await this.deps.store.subscription(channelId);
    if (!current) return undefined;
    if (!(await this.deps.channels.isMember(actorId, channelId))) throw this.notMember(channelId);
    let stored = current;
    if (current.data.enabled) {
      const next = {
        ...current.data,
        enabled: false,
        updatedBy: actorId,
        updatedAt: this.deps.clock().toISOString(),
      };
      stored = await this.deps.store.putSubscription(next, current.version);
    }
    try {
      await this.deps.scheduler.remove(current.data.scheduleName);
    } catch (error) {
      this.deps.logger.warn(
        { event: 'digest_schedule_not_deleted', channelId, error: String(error) },
        'schedule not deleted',
      );
      throw new DigestScheduleError(
        `The digest for ${channelMention(channelId)} is off (nothing will be posted), but its schedule could not be deleted just now. Run the command again in a minute.`,
        { cause: error },
      );
    }
    this.deps.logger.info({ event: 'digest_unsubscribed', channelId }, 'digest turned off');
    return this.withNextRun(stored.data);
  }

  private withNextRun(subscription: DigestSubscription): DigestSettings {
    const next = subscription.enabled
      ? nextOccurrence(digestCron(subscription), this.deps.clock())
      : undefined;
    return { subscription, nextRun: next?.toISOString() };
  }

  private async schedule(subscription: DigestSubscription, version: number): Promise<void> {
    try {
      await this.deps.scheduler.upsert({
        name: subscription.scheduleName,
        schedule: digestCron(subscription),
        payload: { kind: DIGEST_RUN_KIND, channelId: subscription.channelId },
        clientToken: `${subscription.scheduleName}-v${version}`,
        description: `Command Center digest for channel ${subscription.channelId}`,
      });
    } catch (error) {
      this.deps.logger.warn(
        { event: 'digest_schedule_not_saved', channelId: subscription.channelId, error: String(error) },
        'digest settings saved; schedule not written',
      );
      // The settings are stored and enabled: the missed-run sweep posts from them (late) until the
      // schedule exists, so the user is asked to retry rather than told nothing happened.
      throw new DigestScheduleError(
        `Your digest settings for ${channelMention(subscription.channelId)} are saved, but the schedule could not be set just now. Run the command again in a minute.`,
        { cause: error },
      );
    }
  }

  private parse(input: DigestSettingsInput) {
    const fields: Record<string, string> = {};
    const messages: string[] = [];
    const attempt = <T>(field: string, read: () => T): T | undefined => {
      try {
        return read();
      } catch (error) {
        if (!(error instanceof ValidationError)) throw error;
        fields[field] = error.fields[field] ?? error.message;
        messages.push(error.message);
        return undefined;
      }
    };
    const time =
      input.time !== undefined ? attempt('time', () => parseDigestTime(input.time ?? '')) : undefined;
    if (input.frequency !== undefined && !DIGEST_FREQUENCIES.includes(input.frequency)) {
      fields.frequency = 'Use weekdays, daily or weekly.';
      messages.push(
        `“${escapeMrkdwn(String(input.frequency))}” is not a frequency: use weekdays, daily or weekly &lt;day&gt;.`,
      );
    }
    const weekday =
      input.weekday !== undefined ? attempt('weekday', () => parseWeekday(input.weekday ?? '')) : undefined;
    if (input.timeZone !== undefined && !isValidTimeZone(input.timeZone)) {
      fields.timeZone = 'Use an IANA time zone, e.g. Europe/Berlin.';
      messages.push(
        `“${escapeMrkdwn(input.timeZone)}” is not a time zone I know: use an IANA name such as America/New_York.`,
      );
    }
    if (messages.length > 0) throw new ValidationError(messages.join(' '), fields);
    return { time, frequency: input.frequency, weekday, timeZone: input.timeZone };
  }

  private defaultZone(actorTimeZone: string | undefined): string {
    return actorTimeZone && isValidTimeZone(actorTimeZone) ? actorTimeZone : 'UTC';
  }

  private assertChannel(channelId: string): void {
    if (!/^[CG][A-Z0-9]{2,}$/.test(channelId)) {
      throw new ValidationError(
        'Digests are posted in channels: run this in the channel that should get it.',
        {
          channelId: 'Pick a channel.',
        },
      );
    }
  }

  private async assertAccess(actorId: string, channelId: string): Promise<void> {
    const botIn = await this.deps.channels.botIsMember(channelId);
    if (botIn === undefined) {
      throw new ValidationError(`I can't find the channel ${channelMention(channelId)}.`, {
        channelId: 'Unknown channel.',
      });
    }
    if (!botIn) {
      throw new ValidationError(
        `I'm not in ${channelMention(channelId)}, so I can't post its digest. Invite me first (\`/invite @Command Center\`), then try again.`,
        { channelId: 'Invite the bot to this channel first.' },
      );
    }
    if (!(await this.deps.channels.isMember(actorId, channelId))) throw this.notMember(channelId);
  }

  private notMember(channelId: string): AuthorizationError {
    return new AuthorizationError(`Only members of ${channelMention(channelId)} can change its digest.`);
  }
}
