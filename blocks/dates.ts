import { TZDate } from '@date-fns/tz';
import { differenceInCalendarMonths, differenceInCalendarWeeks, differenceInCalendarYears } from 'date-fns';
import { daysBetween, isValidTimeZone } from '../app/domain/calendar';

/**
 * The one date style of every message, modal, agent answer and digest. Pure.
 *
 * - A calendar day (a launch date, a due date) is a day, not an instant: it is never shifted by a
 *   zone. "Relative" is counted from the viewer's own day (`today`, computed once per request from
 *   their Slack time zone — or, for a digest, the channel's subscription zone — with `todayIn`).
 *   Absolute: `Tue, Mar 3, 2026`; in lists `Mar 3` (`Mar 3, 2027` in another year); relative: `today`,
 *   `tomorrow`, `in 3 days`, `2 weeks ago`, `in 3 months`, `1 year ago`.
 * - An instant (a decision, a digest's time) is shown in a zone: `Thu, Dec 3, 9:00 AM`.
 * - Words and order follow the reader's locale (Slack's `locale`, e.g. `de-DE`: `Di., 3. März 2026`,
 *   `in 3 Tagen`) through the runtime's Intl data, so no locale data is bundled. Unknown locales fall
 *   back to `en-US`, unknown zones to UTC.
 *
 * Calendar arithmetic (weeks, months, years between two days) is date-fns's, on `TZDate`s in UTC
 * (@date-fns/tz), so it never depends on the process's own zone; instants are `TZDate`s in the
 * reader's zone. The Intl formatters are cached per locale and options: date-fns's `intlFormat` and
 * `intlFormatDistance` build a new one per call (~150 µs each), and a digest or an approval history
 * formats hundreds of dates.
 */

/** How one reader sees dates: their locale and zone. */
export interface DateStyle {
  locale: string;
  timeZone: string;
}

const DEFAULT_DATE_STYLE: DateStyle = { locale: 'en-US', timeZone: 'UTC' };

const supportedLocales = new Map<string, string>();
const knownZones = new Map<string, boolean>();

/** `isValidTimeZone`, remembered per zone (each check builds an Intl formatter). */
function zoneOrUtc(timeZone: string | undefined): string {
  if (!timeZone) return 'UTC';
  let valid = knownZones.get(timeZone);
  if (valid === undefined) {
    valid = isValidTimeZone(timeZone);
    knownZones.set(timeZone, valid);
  }
  return valid ? timeZone : 'UTC';
}

/** `locale` when Intl knows it, else `en-US` (cached per locale). */
export function safeLocale(locale: string | undefined): string {
  if (!locale) return 'en-US';
  const cached = supportedLocales.get(locale);
  if (cached) return cached;
  let resolved = 'en-US';
  try {
    const [canonical] = Intl.getCanonicalLocales(locale.replace('_', '-'));
    if (canonical && Intl.DateTimeFormat.supportedLocalesOf([canonical]).length > 0) resolved = canonical;
  } catch {
    // An invalid tag: keep en-US.
  }
  supportedLocales.set(locale, resolved);
  return resolved;
}

/** A style for a reader: their locale and zone, each checked. */
export function dateStyle(input: { locale?: string | undefined; timeZone?: string | undefined }): DateStyle {
  return {
    locale: safeLocale(input.locale),
    timeZone: zoneOrUtc(input.timeZone),
  };
}

/** A calendar day as a `TZDate` at UTC midnight, on which date-fns counts calendar weeks and months exactly. */
function calendarDay(date: string): TZDate {
  const [year = 1970, month = 1, day = 1] = date.split('-').map(Number);
  return new TZDate(year, month - 1, day, 'UTC');
}

/** The same day as a plain Date at UTC midnight, for the (UTC) formatters: cheaper than a TZDate. */
function utcMidnight(date: string): Date {
  const [year = 1970, month = 1, day = 1] = date.split('-').map(Number);
  return new Date(Date.UTC(year, month - 1, day));
}

const formatters = new Map<string, Intl.DateTimeFormat>();
const relativeFormatters = new Map<string, Intl.RelativeTimeFormat>();

function dateFormat(locale: string, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const key = `${locale}|${JSON.stringify(options)}`;
  let format = formatters.get(key);
  if (!format) {
    format = new Intl.DateTimeFormat(safeLocale(locale), options);
    formatters.set(key, format);
  }
  return format;
}

function relativeFormat(locale: string, numeric: 'auto' | 'always'): Intl.RelativeTimeFormat {
  const key = `${locale}|${numeric}`;
  let format = relativeFormatters.get(key);
  if (!format) {
    format = new Intl.RelativeTimeFormat(safeLocale(locale), { numeric });
    relativeFormatters.set(key, format);
  }
  return format;
}

/** `today`, `tomorrow`, `yesterday`, `in 3 days`, `2 weeks ago`, `in 3 months`, `1 year ago`… */
export function relativeDay(date: string, today: string, locale = 'en-US'): string {
  const days = daysBetween(today, date);
  const size = Math.abs(days);
  // "tomorrow" rather than "in 1 day"; "1 year ago" rather than "last year".
  if (size < 14) return relativeFormat(locale, 'auto').format(days, 'day');
  const [later, earlier] =
    days > 0 ? [calendarDay(date), calendarDay(today)] : [calendarDay(today), calendarDay(date)];
  const sign = days > 0 ? 1 : -1;
  if (size < 60)
    return relativeFormat(locale, 'always').format(sign * differenceInCalendarWeeks(later, earlier), 'week');
  if (size < 365) {
    return relativeFormat(locale, 'always').format(
      sign * differenceInCalendarMonths(later, earlier),
      'month',
    );
  }
  return relativeFormat(locale, 'always').format(sign * differenceInCalendarYears(later, earlier), 'year');
}

/** Calendar days are formatted at UTC midnight in UTC, so a day never shifts. */
const UTC_DAY = 'UTC';

/** `Tue, Mar 3, 2026`. */
export function absoluteDay(date: string, locale = 'en-US'): string {
  return dateFormat(locale, {
    weekday: 'short',
    month: 'short',
    day: 'numeric',
    year: 'numeric',
    timeZone: UTC_DAY,
  }).format(utcMidnight(date));
}

/** `Mar 3` within the viewer's current year, else `Mar 3, 2027`. */
export function shortDay(date: string, today: string, locale = 'en-US'): string {
  const sameYear = date.slice(0, 4) === today.slice(0, 4);
  return dateFormat(locale, {
    month: 'short',
    day: 'numeric',
    ...(sameYear ? {} : { year: 'numeric' }),
    timeZone: UTC_DAY,
  }).format(utcMidnight(date));
}

/** `Tue, Mar 3, 2026 (in 3 days)`. */
export function dayWithRelative(date: string, today: string, locale = 'en-US'): string {
  return `${absoluteDay(date, locale)} (${relativeDay(date, today, locale)})`;
}

/** `Mar 3 (in 3 days)`: the list form. */
export function shortDayWithRelative(date: string, today: string, locale = 'en-US'): string {
  return `${shortDay(date, today, locale)} (${relativeDay(date, today, locale)})`;
}

/** An instant in the reader's zone and locale: `Thu, Dec 3, 9:00 AM` (with the year unless it is `now`'s). */
export function instant(iso: string, style: DateStyle, now?: Date): string {
  const zone = zoneOrUtc(style.timeZone);
  const at = new Date(iso);
  const year = dateFormat('en-US', { year: 'numeric', timeZone: zone });
  const sameYear = now ? year.format(now) === year.format(at) : false;
  return dateFormat(style.locale, {
    weekday: 'short',
    month: 'short',
    day: 'numeric',
    ...(sameYear ? {} : { year: 'numeric' }),
    hour: 'numeric',
    minute: '2-digit',
    timeZone: zone,
  }).format(at);
}

/** A time of day in the reader's zone and locale: `9:00 AM` / `09:00`. */
export function timeOfDay(iso: string, style: DateStyle): string {
  const zone = zoneOrUtc(style.timeZone);
  return dateFormat(style.locale, { hour: 'numeric', minute: '2-digit', timeZone: zone }).format(
    new Date(iso),
  );
}

/**
 * Slack's date token for an instant in a message many people read (approvals): each reader's own
 * client shows it in their zone and language. The fallback (for clients that cannot) is the same
 * instant in this module's style, in `fallbackStyle`.
 */
export function slackDateToken(iso: string, fallbackStyle: DateStyle = DEFAULT_DATE_STYLE): string {
  const seconds = Math.floor(new Date(iso).getTime() / 1000);
  return `<!date^${seconds}^{date_short_pretty} at {time}|${instant(iso, fallbackStyle)}>`;
}
