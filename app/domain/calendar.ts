import { tzOffset } from '@date-fns/tz';

/**
 * Calendar-day arithmetic for `YYYY-MM-DD` dates (launch dates, due dates) as seen by one person.
 *
 * A campaign's launch date is a calendar day, not an instant, so "today", "overdue" and "this week"
 * depend only on which day it is *for the viewer*: the one time-zone conversion is `todayIn`, done
 * with `@date-fns/tz` (`tzOffset` keeps one `Intl.DateTimeFormat` per zone, so a call costs about
 * 2 µs instead of building formatters each time). Everything else works on plain day numbers (days
 * since 1970-01-01), which have no DST or offset surprises; date-fns' `addDays`/`startOfISOWeek`
 * would need a `Date` in the process's zone and a parse and a format around each call, for the
 * same answers at twice the cost.
 */

const DAY_MS = 86_400_000;

/** Zones already checked: a workspace has a handful, and each check builds a formatter. */
const zoneValidity = new Map<string, boolean>();
const MAX_ZONES_REMEMBERED = 1_000;

/** Whether `timeZone` is an IANA zone this runtime knows (Slack's `tz` should always be one). */
export function isValidTimeZone(timeZone: string): boolean {
  const known = zoneValidity.get(timeZone);
  if (known !== undefined) return known;
  let valid: boolean;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone });
    valid = true;
  } catch {
    valid = false;
  }
  if (zoneValidity.size < MAX_ZONES_REMEMBERED) zoneValidity.set(timeZone, valid);
  return valid;
}

/** The calendar day it is at `now` in `timeZone`, as `YYYY-MM-DD`. Unknown zones count as UTC. */
export function todayIn(timeZone: string, now: Date): string {
  // Checked first: tzOffset would read an offset out of some invalid names ("Foo+12").
  const offsetMinutes = isValidTimeZone(timeZone) ? tzOffset(timeZone, now) : 0;
  return new Date(now.getTime() + offsetMinutes * 60_000).toISOString().slice(0, 10);
}

/** Days since 1970-01-01 for a `YYYY-MM-DD` date. */
function dayNumber(date: string): number {
  const [year, month, day] = date.split('-').map(Number);
  return Math.round(Date.UTC(year ?? 1970, (month ?? 1) - 1, day ?? 1) / DAY_MS);
}

/** The `YYYY-MM-DD` date of a day number. */
function fromDayNumber(day: number): string {
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
