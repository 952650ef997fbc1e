/**
 * Calendar-day arithmetic for `YYYY-MM-DD` dates (launch dates, due dates) as seen by one person.
 *
 * A campaign's launch date is a calendar day, not an instant, so "today", "overdue" and "this week"
 * depend only on which day it is *for the viewer*: the one time-zone conversion is `todayIn`.
 * Everything else works on plain day numbers (days since 1970-01-01), which have no DST or offset
 * surprises.
 */

const DAY_MS = 86_400_000;

/** Whether `timeZone` is an IANA zone this runtime knows (Slack's `tz` should always be one). */
export function isValidTimeZone(timeZone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone });
    return true;
  } catch {
    return false;
  }
}

/** The calendar day it is at `now` in `timeZone`, as `YYYY-MM-DD`. Unknown zones count as UTC. */
export function todayIn(timeZone: string, now: Date): string {
  const zone = isValidTimeZone(timeZone) ? timeZone : 'UTC';
  // en-CA formats as YYYY-MM-DD; formatToParts keeps it independent of that detail anyway.
  const parts = new Intl.DateTimeFormat('en-CA', {
    timeZone: zone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).formatToParts(now);
  const get = (type: string) => parts.find((part) => part.type === type)?.value ?? '';
  return `${get('year')}-${get('month')}-${get('day')}`;
}

/** Days since 1970-01-01 for a `YYYY-MM-DD` date. */
export function dayNumber(date: string): number {
  const [year, month, day] = date.split('-').map(Number);
  return Math.round(Date.UTC(year ?? 1970, (month ?? 1) - 1, day ?? 1) / DAY_MS);
}

/** The `YYYY-MM-DD` date of a day number. */
export function fromDayNumber(day: number): string {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}

/** `date` plus `days` (negative to go back). */
export function addDays(date: string, days: number): string {
  return fromDayNumber(dayNumber(date) + days);
}

/** Whole days from `from` to `to`: positive when `to` is later. */
export function daysBetween(from: string, to: string): number {
  return dayNumber(to) - dayNumber(from);
}

/** 1 = Monday … 7 = Sunday (ISO weekday). */
export function isoWeekday(date: string): number {
  const weekday = new Date(dayNumber(date) * DAY_MS).getUTCDay();
  return weekday === 0 ? 7 : weekday;
}

/** The Monday–Sunday week holding `date`, shifted by `weeksAhead` weeks. Both ends inclusive. */
export function weekRange(date: string, weeksAhead = 0): { from: string; to: string } {
  const monday = addDays(date, 1 - isoWeekday(date) + 7 * weeksAhead);
  return { from: monday, to: addDays(monday, 6) };
}
