import { Cron } from 'croner';
import { isValidTimeZone } from './calendar';

/**
 * EventBridge Scheduler's recurring schedules — `cron(minutes hours day-of-month month day-of-week year)`
 * evaluated in `ScheduleExpressionTimezone` — computed locally with croner, so the in-process
 * scheduler (`npm start`), the missed-run sweep and "next digest at …" all agree with the cloud.
 *
 * Field semantics follow EventBridge: day-of-week is 1–7 = SUN–SAT (or names), one of the two
 * day fields is `?`, and a year field is required. Croner runs them in its Quartz mode
 * (`alternativeWeekdays`) with day-of-month AND day-of-week (`?` is its wildcard), so both read
 * the same six fields the same way.
 *
 * Daylight saving time, as EventBridge documents it ("When the time shifts forward in Spring, your
 * schedule invocation gets skipped if the cron expression falls on a non-existent date and time.
 * When the time shifts back in the Fall, your schedule runs only once"):
 * - a local time that does not exist that day (02:30 on a spring-forward day in New York) is
 *   **skipped**. Croner would run it at the first valid time after the gap (Vixie cron), so every
 *   candidate is checked against the pattern in the zone (`match`) and dropped when it was moved;
 * - a local time that happens twice (01:30 on a fall-back day) runs **once**, at its first
 *   occurrence (the earlier UTC instant). Which of the two EventBridge picks is UNCONFIRMED (its
 *   documentation says only "once"); if it picks the second, a digest at such a time arrives an
 *   hour later than this computes, and the missed-run sweep's grace period absorbs it.
 * Only wall-clock times inside the DST switch hour are affected (typically 01:00–03:00 local).
 */

const CRON_EXPRESSION = /^cron\(([^()]+)\)$/;

/** A recurring schedule: an EventBridge `cron(…)` expression and the IANA zone it is evaluated in. */
export interface CronSchedule {
  expression: string;
  timeZone: string;
}

/** The expression or the zone is not one EventBridge (and therefore we) would accept. */
export class CronScheduleError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CronScheduleError';
  }
}

const FIELD = {
  minutes: /^(\*|\d{1,2}([,-/]\d{1,2})*)$/,
  hours: /^(\*|\d{1,2}([,-/]\d{1,2})*)$/,
  dayOfMonth: /^(\?|\*|L|\d{1,2}W|\d{1,2}([,-/]\d{1,2})*)$/,
  month: /^(\*|([1-9]|1[0-2]|[A-Z]{3})([,-/]([1-9]|1[0-2]|[A-Z]{3}))*)$/,
  dayOfWeek: /^(\?|\*|[1-7]L|[1-7]#[1-5]|([1-7]|[A-Z]{3})([,-/]([1-7]|[A-Z]{3}))*)$/,
  year: /^(\*|\d{4}([,-/]\d{1,4})*)$/,
} as const;

/** The six fields of a `cron(…)` expression, checked against EventBridge's syntax. */
export function cronFields(expression: string): string[] {
  const inner = CRON_EXPRESSION.exec(expression)?.[1];
  if (!inner) throw new CronScheduleError(`"${expression}" is not a cron(…) expression`);
  const fields = inner.trim().split(/\s+/);
  if (fields.length !== 6) {
    throw new CronScheduleError(
      `"${expression}" needs 6 fields (minutes hours day-of-month month day-of-week year), not ${fields.length}`,
    );
  }
  const checks = Object.entries(FIELD);
  fields.forEach((field, index) => {
    const [name, pattern] = checks[index] ?? ['field', /$^/];
    if (!pattern.test(field.toUpperCase())) {
      throw new CronScheduleError(`"${expression}": the ${name} field "${field}" is not valid`);
    }
  });
  const [, , dayOfMonth, , dayOfWeek] = fields;
  if ((dayOfMonth === '?') === (dayOfWeek === '?')) {
    // EventBridge's rule for cron expressions (platform-facts §9 marks it UNCONFIRMED for
    // Scheduler): exactly one day field is `?`. Refusing both here fails loudly before AWS would.
    throw new CronScheduleError(`"${expression}": exactly one of day-of-month and day-of-week must be ?`);
  }
  return fields;
}

function compile(schedule: CronSchedule): Cron {
  if (!isValidTimeZone(schedule.timeZone)) {
    throw new CronScheduleError(`"${schedule.timeZone}" is not an IANA time zone`);
  }
  const [minutes, hours, dayOfMonth, month, dayOfWeek, year] = cronFields(schedule.expression);
  try {
    return new Cron(`0 ${minutes} ${hours} ${dayOfMonth} ${month} ${dayOfWeek} ${year}`, {
      timezone: schedule.timeZone,
      paused: true,
      mode: '7-part',
      domAndDow: true,
      alternativeWeekdays: true,
    });
  } catch (error) {
    throw new CronScheduleError(
      `"${schedule.expression}": ${error instanceof Error ? error.message : String(error)}`,
    );
  }
}

/** Throws `CronScheduleError` naming the problem unless the schedule is valid. */
export function assertCronSchedule(schedule: CronSchedule): void {
  compile(schedule);
}

/** How far a search for the next or previous run may go before giving up (a year field may end). */
const SEARCH_LIMIT = 32;

/**
 * The first run strictly after `after`, with EventBridge's DST semantics; `undefined` when there is
 * none (a year field in the past).
 */
export function nextOccurrence(schedule: CronSchedule, after: Date): Date | undefined {
  const cron = compile(schedule);
  let cursor: Date = after;
  for (let i = 0; i < SEARCH_LIMIT; i++) {
    const next = cron.nextRun(cursor);
    if (!next) return undefined;
    // Dropped: croner moved a time inside a spring-forward gap to after the gap; EventBridge skips it.
    if (cron.match(next)) return next;
    cursor = next;
  }
  return undefined;
}

/** The latest run at or before `atOrBefore` (same second counts), with EventBridge's DST semantics. */
export function latestOccurrence(schedule: CronSchedule, atOrBefore: Date): Date | undefined {
  const cron = compile(schedule);
  // croner's previousRuns is strictly before its reference and works in whole seconds: start at
  // the next whole second so a run at exactly `atOrBefore` is included.
  const reference = new Date(Math.floor(atOrBefore.getTime() / 1000) * 1000 + 1000);
  const candidates = cron.previousRuns(SEARCH_LIMIT, reference);
  return candidates.find((candidate) => cron.match(candidate));
}

/** `cron(M H ? * D *)`-style expression for a time of day on some weekdays (1 = Monday … 7 = Sunday). */
export function dailyCronExpression(time: { hour: number; minute: number }, isoWeekdays?: number[]): string {
  if (!Number.isInteger(time.hour) || time.hour < 0 || time.hour > 23) {
    throw new CronScheduleError(`hour ${time.hour} is not 0–23`);
  }
  if (!Number.isInteger(time.minute) || time.minute < 0 || time.minute > 59) {
    throw new CronScheduleError(`minute ${time.minute} is not 0–59`);
  }
  if (!isoWeekdays || isoWeekdays.length === 0 || isoWeekdays.length === 7) {
    return `cron(${time.minute} ${time.hour} * * ? *)`;
  }
  const names = [...new Set(isoWeekdays)]
    .sort((a, b) => a - b)
    .map((day) => {
      const name = WEEKDAY_NAMES[day - 1];
      if (!name) throw new CronScheduleError(`weekday ${day} is not 1–7`);
      return name;
    });
  const weekdays = names.join(',') === 'MON,TUE,WED,THU,FRI' ? 'MON-FRI' : names.join(',');
  return `cron(${time.minute} ${time.hour} ? * ${weekdays} *)`;
}

/** ISO weekday order (1 = Monday). EventBridge and croner both accept the names. */
const WEEKDAY_NAMES = ['MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT', 'SUN'] as const;
