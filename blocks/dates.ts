import { dayNumber, daysBetween } from '../app/domain/calendar';

/**
 * How calendar days read in messages. Pure: `today` is the viewer's own calendar day (computed
 * once per request from their Slack time zone with `todayIn`), so "today" means *their* today.
 */

const plural = (count: number, unit: string) => `${count} ${unit}${count === 1 ? '' : 's'}`;

/** `today`, `tomorrow`, `yesterday`, `in 3 days`, `2 weeks ago`, `in 3 months`, `1 year ago`… */
export function relativeDay(date: string, today: string): string {
  const days = daysBetween(today, date);
  if (days === 0) return 'today';
  if (days === 1) return 'tomorrow';
  if (days === -1) return 'yesterday';
  const size = Math.abs(days);
  let amount: string;
  if (size < 14) amount = plural(size, 'day');
  else if (size < 60) amount = plural(Math.round(size / 7), 'week');
  else if (size < 365) amount = plural(Math.round(size / 30.44), 'month');
  else amount = plural(Math.round(size / 365.25), 'year');
  return days > 0 ? `in ${amount}` : `${amount} ago`;
}

const longFormat = new Intl.DateTimeFormat('en-US', {
  timeZone: 'UTC',
  weekday: 'short',
  month: 'short',
  day: 'numeric',
  year: 'numeric',
});
const shortFormat = new Intl.DateTimeFormat('en-US', { timeZone: 'UTC', month: 'short', day: 'numeric' });
const shortWithYear = new Intl.DateTimeFormat('en-US', {
  timeZone: 'UTC',
  month: 'short',
  day: 'numeric',
  year: 'numeric',
});

// A calendar day has no zone: format its UTC midnight in UTC so it never shifts a day.
const asUtcDate = (date: string) => new Date(dayNumber(date) * 86_400_000);

/** `Tue, Mar 3, 2026`. */
export function absoluteDay(date: string): string {
  return longFormat.format(asUtcDate(date));
}

/** `Mar 3` within the viewer's current year, else `Mar 3, 2027`. */
export function shortDay(date: string, today: string): string {
  return date.slice(0, 4) === today.slice(0, 4)
    ? shortFormat.format(asUtcDate(date))
    : shortWithYear.format(asUtcDate(date));
}

/** `Tue, Mar 3, 2026 (in 3 days)`. */
export function dayWithRelative(date: string, today: string): string {
  return `${absoluteDay(date)} (${relativeDay(date, today)})`;
}
