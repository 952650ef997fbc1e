import { describe, expect, it } from 'vitest';
import {
  assertCronSchedule,
  CronScheduleError,
  cronFields,
  dailyCronExpression,
  latestOccurrence,
  nextOccurrence,
} from '../../../app/domain/schedule-cron';

/** The next `count` runs after `from`, as ISO instants. */
function runs(expression: string, timeZone: string, from: string, count: number): string[] {
  const out: string[] = [];
  let cursor = new Date(from);
  for (let i = 0; i < count; i++) {
    const next = nextOccurrence({ expression, timeZone }, cursor);
    if (!next) break;
    out.push(next.toISOString());
    cursor = next;
  }
  return out;
}

/** Local wall-clock `YYYY-MM-DD HH:MM` of an instant in a zone. */
function local(iso: string, timeZone: string): string {
  return new Intl.DateTimeFormat('sv-SE', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).format(new Date(iso));
}

describe('EventBridge cron expressions', () => {
  it('builds six-field expressions for a time on weekdays, every day or one day', () => {
    expect(dailyCronExpression({ hour: 9, minute: 0 }, [1, 2, 3, 4, 5])).toBe('cron(0 9 ? * MON-FRI *)');
    expect(dailyCronExpression({ hour: 7, minute: 45 })).toBe('cron(45 7 * * ? *)');
    expect(dailyCronExpression({ hour: 17, minute: 5 }, [1])).toBe('cron(5 17 ? * MON *)');
    expect(dailyCronExpression({ hour: 8, minute: 0 }, [7, 6])).toBe('cron(0 8 ? * SAT,SUN *)');
    expect(() => dailyCronExpression({ hour: 25, minute: 0 })).toThrow(CronScheduleError);
    expect(() => dailyCronExpression({ hour: 9, minute: 60 })).toThrow(/minute 60/);
  });

  it('refuses what EventBridge refuses: five fields, both day fields set, bad values, unknown zones', () => {
    expect(cronFields('cron(0 9 ? * MON-FRI *)')).toEqual(['0', '9', '?', '*', 'MON-FRI', '*']);
    expect(() => cronFields('cron(0 9 * * MON-FRI)')).toThrow(/6 fields/);
    expect(() => cronFields('cron(0 9 * * MON-FRI *)')).toThrow(/exactly one/);
    expect(() => cronFields('rate(5 minutes)')).toThrow(CronScheduleError);
    expect(() => assertCronSchedule({ expression: 'cron(0 25 * * ? *)', timeZone: 'UTC' })).toThrow(/hour/);
    expect(() => assertCronSchedule({ expression: 'cron(0 9 * * ? *)', timeZone: 'Mars/Olympus' })).toThrow(
      /IANA/,
    );
  });

  it('reads day-of-week as EventBridge does: 1 = Sunday … 7 = Saturday', () => {
    // 2026-12-06 is a Sunday.
    expect(runs('cron(0 12 ? * 1 *)', 'UTC', '2026-12-03T00:00:00Z', 1)).toEqual([
      '2026-12-06T12:00:00.000Z',
    ]);
    expect(runs('cron(0 12 ? * 2 *)', 'UTC', '2026-12-03T00:00:00Z', 1)).toEqual([
      '2026-12-07T12:00:00.000Z',
    ]);
  });
});

describe('daylight saving time', () => {
  it('America/New_York spring forward: a 09:00 digest runs at 09:00 local on both sides', () => {
    const got = runs('cron(0 9 * * ? *)', 'America/New_York', '2026-03-06T15:00:00Z', 3);
    expect(got).toEqual(['2026-03-07T14:00:00.000Z', '2026-03-08T13:00:00.000Z', '2026-03-09T13:00:00.000Z']);
    expect(got.map((iso) => local(iso, 'America/New_York').slice(11))).toEqual(['09:00', '09:00', '09:00']);
  });

  it('America/New_York fall back: a 09:00 weekday digest runs at 09:00 local before and after', () => {
    // Fri 2026-10-30 (EDT) and Mon 2026-11-02 (EST); the switch is Sunday 2026-11-01.
    const got = runs('cron(0 9 ? * MON-FRI *)', 'America/New_York', '2026-10-30T00:00:00Z', 2);
    expect(got).toEqual(['2026-10-30T13:00:00.000Z', '2026-11-02T14:00:00.000Z']);
  });

  it('Europe/Berlin both directions: 09:00 local before and after each switch', () => {
    // Spring: Sunday 2026-03-29 (CET → CEST). Fall: Sunday 2026-10-25 (CEST → CET).
    const spring = runs('cron(0 9 * * ? *)', 'Europe/Berlin', '2026-03-28T00:00:00Z', 3);
    expect(spring).toEqual([
      '2026-03-28T08:00:00.000Z',
      '2026-03-29T07:00:00.000Z',
      '2026-03-30T07:00:00.000Z',
    ]);
    const fall = runs('cron(0 9 * * ? *)', 'Europe/Berlin', '2026-10-24T00:00:00Z', 3);
    expect(fall).toEqual([
      '2026-10-24T07:00:00.000Z',
      '2026-10-25T08:00:00.000Z',
      '2026-10-26T08:00:00.000Z',
    ]);
    expect([...spring, ...fall].every((iso) => local(iso, 'Europe/Berlin').endsWith('09:00'))).toBe(true);
  });

  it('skips a 02:30 run on a spring-forward day (the time does not exist), as EventBridge does', () => {
    const ny = runs('cron(30 2 * * ? *)', 'America/New_York', '2026-03-07T00:00:00Z', 3);
    expect(ny.map((iso) => local(iso, 'America/New_York'))).toEqual([
      '2026-03-07 02:30',
      // 2026-03-08 has no 02:30 in New York: no run that day (croner alone would run at 03:00).
      '2026-03-09 02:30',
      '2026-03-10 02:30',
    ]);
    const berlin = runs('cron(30 2 * * ? *)', 'Europe/Berlin', '2026-03-28T00:00:00Z', 2);
    expect(berlin.map((iso) => local(iso, 'Europe/Berlin'))).toEqual([
      '2026-03-28 02:30',
      '2026-03-30 02:30',
    ]);
  });

  it('runs a repeated time once on a fall-back day, at its first occurrence (UNCONFIRMED which one AWS picks)', () => {
    const ny = runs('cron(30 1 * * ? *)', 'America/New_York', '2026-10-31T12:00:00Z', 2);
    // 01:30 EDT (05:30Z) happens, 01:30 EST (06:30Z) an hour later does not run again.
    expect(ny).toEqual(['2026-11-01T05:30:00.000Z', '2026-11-02T06:30:00.000Z']);
    const berlin = runs('cron(30 2 * * ? *)', 'Europe/Berlin', '2026-10-24T12:00:00Z', 2);
    expect(berlin).toEqual(['2026-10-25T00:30:00.000Z', '2026-10-26T01:30:00.000Z']);
  });

  it('finds the latest run at or before an instant, skipping a spring-forward gap', () => {
    const schedule = { expression: 'cron(30 2 * * ? *)', timeZone: 'America/New_York' };
    // At 2026-03-08 12:00 local the last real run was on the 7th (the 8th had none).
    expect(latestOccurrence(schedule, new Date('2026-03-08T16:00:00Z'))?.toISOString()).toBe(
      '2026-03-07T07:30:00.000Z',
    );
    const nine = { expression: 'cron(0 9 ? * MON-FRI *)', timeZone: 'Europe/Berlin' };
    expect(latestOccurrence(nine, new Date('2026-12-03T08:00:00Z'))?.toISOString()).toBe(
      '2026-12-03T08:00:00.000Z',
    );
    expect(latestOccurrence(nine, new Date('2026-12-03T07:59:59Z'))?.toISOString()).toBe(
      '2026-12-02T08:00:00.000Z',
    );
    // Saturday: Friday's run.
    expect(latestOccurrence(nine, new Date('2026-12-05T10:00:00Z'))?.toISOString()).toBe(
      '2026-12-04T08:00:00.000Z',
    );
  });
});
