import { describe, expect, it } from 'vitest';
import {
  addDays,
  daysBetween,
  isoWeekday,
  isValidTimeZone,
  todayIn,
  weekRange,
} from '../../../app/domain/calendar';

describe('todayIn', () => {
  it('gives the calendar day in the viewer’s zone', () => {
    // 2026-11-22 03:30 UTC is still the evening of the 21st in Los Angeles and the afternoon of the 22nd in Tokyo.
    const now = new Date('2026-11-22T03:30:00Z');
    expect(todayIn('UTC', now)).toBe('2026-11-22');
    expect(todayIn('America/Los_Angeles', now)).toBe('2026-11-21');
    expect(todayIn('Asia/Tokyo', now)).toBe('2026-11-22');
    expect(todayIn('Pacific/Kiritimati', new Date('2026-11-21T11:00:00Z'))).toBe('2026-11-22');
  });

  it('falls back to UTC for an unknown zone', () => {
    expect(isValidTimeZone('Mars/Olympus_Mons')).toBe(false);
    expect(todayIn('Mars/Olympus_Mons', new Date('2026-11-22T03:30:00Z'))).toBe('2026-11-22');
  });
});

describe('day arithmetic', () => {
  it('crosses months, years and DST changes without drift', () => {
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
    expect(addDays('2028-02-28', 1)).toBe('2028-02-29');
    expect(daysBetween('2026-03-07', '2026-03-09')).toBe(2); // US DST starts 2026-03-08
    expect(daysBetween('2026-11-22', '2026-11-15')).toBe(-7);
  });

  it('finds the Monday–Sunday week', () => {
    expect(isoWeekday('2026-11-22')).toBe(7); // a Sunday
    expect(weekRange('2026-11-22')).toEqual({ from: '2026-11-16', to: '2026-11-22' });
    expect(weekRange('2026-11-16')).toEqual({ from: '2026-11-16', to: '2026-11-22' });
    expect(weekRange('2026-11-22', 1)).toEqual({ from: '2026-11-23', to: '2026-11-29' });
    expect(weekRange('2026-12-30')).toEqual({ from: '2026-12-28', to: '2027-01-03' });
  });
});
