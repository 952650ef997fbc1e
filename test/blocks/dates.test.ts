import { describe, expect, it } from 'vitest';
import { todayIn } from '../../app/domain/calendar';
import { absoluteDay, dayWithRelative, relativeDay, shortDay } from '../../blocks/dates';

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
