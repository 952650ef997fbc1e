import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../../app/errors';
import { parseCampaignFilter, parseStatus } from '../../../app/services/campaign-filters';

describe('parseStatus', () => {
  it('accepts the status names in any case and spacing', () => {
    expect(parseStatus('in progress')).toBe('IN_PROGRESS');
    expect(parseStatus('IN_PROGRESS')).toBe('IN_PROGRESS');
    expect(parseStatus('In-Progress')).toBe('IN_PROGRESS');
    expect(parseStatus('inprogress')).toBe('IN_PROGRESS');
    expect(parseStatus('planned')).toBe('PLANNED');
  });

  it('accepts aliases, unique prefixes and small typos', () => {
    expect(parseStatus('pending')).toBe('PENDING_APPROVAL');
    expect(parseStatus('live')).toBe('LAUNCHED');
    expect(parseStatus('canceled')).toBe('CANCELLED');
    expect(parseStatus('in prog')).toBe('IN_PROGRESS');
    expect(parseStatus('launch')).toBe('LAUNCHED');
    expect(parseStatus('planed')).toBe('PLANNED');
    expect(parseStatus('compelted')).toBe('COMPLETED');
  });

  it('refuses what is not a status', () => {
    expect(parseStatus('banana')).toBeUndefined();
    expect(parseStatus('')).toBeUndefined();
  });
});

describe('parseCampaignFilter', () => {
  it('treats an empty text as no filter', () => {
    expect(parseCampaignFilter('')).toEqual({});
    expect(parseCampaignFilter('   ')).toEqual({});
  });

  it('parses each filter', () => {
    expect(parseCampaignFilter('status:planned')).toEqual({ statuses: ['PLANNED'] });
    expect(parseCampaignFilter('team:Growth Marketing')).toEqual({ team: 'Growth Marketing' });
    expect(parseCampaignFilter('tier:1')).toEqual({ tiers: [1] });
    expect(parseCampaignFilter('type:event')).toEqual({ types: ['event'] });
    expect(parseCampaignFilter('launching this week')).toEqual({ weeksAhead: 0 });
    expect(parseCampaignFilter('this week')).toEqual({ weeksAhead: 0 });
    expect(parseCampaignFilter('Next Week')).toEqual({ weeksAhead: 1 });
  });

  it('combines filters, with values that hold spaces', () => {
    expect(parseCampaignFilter('status:planned tier:1')).toEqual({ statuses: ['PLANNED'], tiers: [1] });
    expect(parseCampaignFilter('status: in progress team: brand studio tier:2,3')).toEqual({
      statuses: ['IN_PROGRESS'],
      team: 'brand studio',
      tiers: [2, 3],
    });
    expect(parseCampaignFilter('launching this week status:pending')).toEqual({
      statuses: ['PENDING_APPROVAL'],
      weeksAhead: 0,
    });
    expect(parseCampaignFilter('status:planned,in_progress status:planned')).toEqual({
      statuses: ['PLANNED', 'IN_PROGRESS'],
    });
  });

  it('names the unknown filter and lists the valid ones', () => {
    const attempt = () => parseCampaignFilter('owner:U123');
    expect(attempt).toThrow(ValidationError);
    expect(attempt).toThrow(/I don't know the filter `owner:`/);
    // The message is mrkdwn: the placeholders are escaped text, not Slack markup.
    for (const valid of [
      'this week',
      'status:&lt;status&gt;',
      'team:&lt;team name or id&gt;',
      'tier:&lt;1|2|3&gt;',
    ]) {
      expect(attempt).toThrow(valid);
    }
    expect(() => parseCampaignFilter('spring stuff')).toThrow(/I don't know the filter `spring stuff`/);
    expect(() => parseCampaignFilter('status:banana')).toThrow(/status `banana`[\s\S]*in progress/);
    expect(() => parseCampaignFilter('tier:7')).toThrow(/Tier `7`/);
    expect(() => parseCampaignFilter('status:')).toThrow(/needs a value/);
    expect(() => parseCampaignFilter('this week next week')).toThrow(/not both/);
    expect(() => parseCampaignFilter('team:a team:b')).toThrow(/one `team:`/);
  });

  it('takes linear time on a huge text (a signed 990 KB command held the process for minutes)', () => {
    for (const text of ['x'.repeat(990_000), `status:${'x'.repeat(990_000)}`, `x${' y:'.repeat(200_000)}`]) {
      const started = performance.now();
      expect(() => parseCampaignFilter(text)).toThrow(ValidationError);
      expect(performance.now() - started).toBeLessThan(2_000);
    }
    // Keys are still found wherever a word starts, as before.
    expect(parseCampaignFilter('tier:1 status:planned')).toEqual({ tiers: [1], statuses: ['PLANNED'] });
  });
});
