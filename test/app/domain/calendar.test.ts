import { describe, expect, it, vi } from 'vitest';
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
    // Not read as an offset either, though it ends like one.
    expect(todayIn('Mars/Base+12', new Date('2026-11-22T13:30:00Z'))).toBe('2026-11-22');
  });

  it('follows the zone’s offset at that instant: DST changes, 45-minute zones, the date line', () => {
    // US DST ends 2026-11-01 at 02:00 local: 06:30 UTC is 23:30 PDT on Oct 31 before, 07:30 UTC is 00:30 PST after.
    expect(todayIn('America/Los_Angeles', new Date('2026-11-01T06:30:00Z'))).toBe('2026-10-31');
    expect(todayIn('America/Los_Angeles', new Date('2026-11-01T08:30:00Z'))).toBe('2026-11-01');
    expect(todayIn('Asia/Kathmandu', new Date('2026-11-21T18:14:00Z'))).toBe('2026-11-21'); // 23:59 +05:45
    expect(todayIn('Asia/Kathmandu', new Date('2026-11-21T18:15:00Z'))).toBe('2026-11-22');
    expect(todayIn('Pacific/Chatham', new Date('2026-11-21T10:14:00Z'))).toBe('2026-11-21'); // +13:45 (DST)
    expect(todayIn('Pacific/Chatham', new Date('2026-11-21T10:15:00Z'))).toBe('2026-11-22');
    expect(todayIn('Pacific/Pago_Pago', new Date('2026-11-22T10:59:00Z'))).toBe('2026-11-21'); // -11
  });

  it('builds no formatter per call once a zone has been seen', () => {
    const now = new Date('2026-11-22T03:30:00Z');
    todayIn('Europe/Berlin', now);
    const built = vi.spyOn(Intl, 'DateTimeFormat');
    try {
      for (let i = 0; i < 100; i++) todayIn('Europe/Berlin', new Date(now.getTime() + i * 3_600_000));
      expect(built).not.toHaveBeenCalled();
    } finally {
      built.mockRestore();
    }
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
