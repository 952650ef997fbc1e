import { describe, expect, it } from 'vitest';
import { todayIn } from '../../app/domain/calendar';
import {
  absoluteDay,
  dateStyle,
  dayWithRelative,
  instant,
  relativeDay,
  safeLocale,
  shortDay,
  slackDateToken,
  timeOfDay,
} from '../../blocks/dates';

describe('relativeDay', () => {
  it('says today, tomorrow, yesterday', () => {
    expect(relativeDay('2026-11-22', '2026-11-22')).toBe('today');
    expect(relativeDay('2026-11-23', '2026-11-22')).toBe('tomorrow');
    expect(relativeDay('2026-11-21', '2026-11-22')).toBe('yesterday');
  });

  it('counts days, then weeks, months and years', () => {
    expect(relativeDay('2026-11-25', '2026-11-22')).toBe('in 3 days');
    expect(relativeDay('2026-11-09', '2026-11-22')).toBe('13 days ago');
    expect(relativeDay('2026-11-08', '2026-11-22')).toBe('2 weeks ago');
    expect(relativeDay('2027-01-20', '2026-11-22')).toBe('in 8 weeks');
    expect(relativeDay('2027-02-22', '2026-11-22')).toBe('in 3 months');
    expect(relativeDay('2025-11-22', '2026-11-22')).toBe('1 year ago');
  });

  it('is relative to the viewer’s own day: a launch today in Los Angeles is tomorrow in UTC', () => {
    // 2026-11-22 05:00 UTC = 2026-11-21 21:00 in Los Angeles.
    const now = new Date('2026-11-22T05:00:00Z');
    const launch = '2026-11-21';
    expect(relativeDay(launch, todayIn('America/Los_Angeles', now))).toBe('today');
    expect(relativeDay(launch, todayIn('UTC', now))).toBe('yesterday');
    expect(relativeDay('2026-11-22', todayIn('America/Los_Angeles', now))).toBe('tomorrow');
    expect(relativeDay('2026-11-22', todayIn('UTC', now))).toBe('today');
  });

  it('is "today" in Tokyo while still "tomorrow" by the UTC calendar', () => {
    // 2026-11-21 20:00 UTC = 2026-11-22 05:00 in Tokyo.
    const now = new Date('2026-11-21T20:00:00Z');
    expect(relativeDay('2026-11-22', todayIn('Asia/Tokyo', now))).toBe('today');
    expect(relativeDay('2026-11-22', todayIn('UTC', now))).toBe('tomorrow');
  });
});

describe('absolute dates', () => {
  it('formats a calendar day without shifting it', () => {
    expect(absoluteDay('2026-03-03')).toBe('Tue, Mar 3, 2026');
    expect(absoluteDay('2026-01-01')).toBe('Thu, Jan 1, 2026');
    expect(shortDay('2026-12-05', '2026-11-22')).toBe('Dec 5');
    expect(shortDay('2027-01-05', '2026-11-22')).toBe('Jan 5, 2027');
    expect(dayWithRelative('2026-11-25', '2026-11-22')).toBe('Wed, Nov 25, 2026 (in 3 days)');
  });
});

describe('locale and zone', () => {
  it('writes days in the reader’s locale; an unknown locale falls back to en-US', () => {
    expect(absoluteDay('2026-03-03', 'de-DE')).toBe('Di., 3. März 2026');
    expect(relativeDay('2026-03-06', '2026-03-03', 'de-DE')).toBe('in 3 Tagen');
    expect(relativeDay('2026-03-04', '2026-03-03', 'fr-FR')).toBe('demain');
    expect(shortDay('2026-12-05', '2026-11-22', 'ja-JP')).toBe('12月5日');
    expect(dayWithRelative('2026-11-25', '2026-11-22', 'not a locale!')).toBe(
      'Wed, Nov 25, 2026 (in 3 days)',
    );
    expect(safeLocale('en_GB')).toBe('en-GB');
  });

  it('shows an instant in the reader’s zone, across a DST change', () => {
    const ny = dateStyle({ locale: 'en-US', timeZone: 'America/New_York' });
    // 09:00 in New York before (EDT) and after (EST) 2026-11-01.
    expect(instant('2026-10-30T13:00:00Z', ny, new Date('2026-10-30T00:00:00Z'))).toBe(
      'Fri, Oct 30, 9:00 AM',
    );
    expect(instant('2026-11-02T14:00:00Z', ny, new Date('2026-10-30T00:00:00Z'))).toBe('Mon, Nov 2, 9:00 AM');
    expect(timeOfDay('2026-11-02T14:00:00Z', dateStyle({ locale: 'de-DE', timeZone: 'Europe/Berlin' }))).toBe(
      '15:00',
    );
    expect(instant('2026-11-02T14:00:00Z', dateStyle({ timeZone: 'Nowhere/Land' }))).toBe(
      'Mon, Nov 2, 2026, 2:00 PM',
    );
    expect(slackDateToken('2026-11-02T14:00:00Z', ny)).toBe(
      '<!date^1793628000^{date_short_pretty} at {time}|Mon, Nov 2, 2026, 9:00 AM>',
    );
  });

  it('does not depend on the process’s own time zone', () => {
    const saved = process.env.TZ;
    try {
      for (const zone of ['Pacific/Kiritimati', 'Pacific/Pago_Pago', 'UTC']) {
        process.env.TZ = zone;
        expect(absoluteDay('2026-03-01')).toBe('Sun, Mar 1, 2026');
        expect(relativeDay('2026-03-29', '2026-03-01')).toBe('in 4 weeks');
        expect(relativeDay('2025-11-22', '2026-11-22')).toBe('1 year ago');
      }
    } finally {
      if (saved === undefined) delete process.env.TZ;
      else process.env.TZ = saved;
    }
  });
});
