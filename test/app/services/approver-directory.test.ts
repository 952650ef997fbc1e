import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../../app/config';
import { UserFacingError } from '../../../app/errors';
import {
  approvalsChannel,
  approverEntries,
  SlackApproverDirectory,
} from '../../../app/services/approver-directory';

describe('SlackApproverDirectory', () => {
  it('accepts group members and listed users; caches membership for 60 s per container', async () => {
    // Prepare
    let now = new Date('2026-11-22T10:00:00Z');
    const calls: string[] = [];
    let members = ['U0MAYA'];
    const directory = new SlackApproverDirectory(
      async (group) => {
        calls.push(group);
        return members;
      },
      { leadership: ['S0LEADERS', 'U0LISTED'], vp: ['S0VPS'] },
      () => now,
    );
    // Act / Assess
    expect(await directory.isApprover('U0MAYA', 'leadership')).toBe(true);
    expect(await directory.isApprover('U0LISTED', 'leadership')).toBe(true);
    expect(await directory.isApprover('U0SAM', 'leadership')).toBe(false);
    expect(calls).toEqual(['S0LEADERS']);
    members = ['U0SAM'];
    now = new Date('2026-11-22T10:00:59Z');
    expect(await directory.isApprover('U0SAM', 'leadership')).toBe(false); // still cached
    now = new Date('2026-11-22T10:01:01Z');
    expect(await directory.isApprover('U0SAM', 'leadership')).toBe(true); // refreshed
    expect(calls).toEqual(['S0LEADERS', 'S0LEADERS']);
    expect(directory.mentions('leadership')).toEqual(['<!subteam^S0LEADERS>', '<@U0LISTED>']);
    expect(await directory.members('leadership')).toEqual(['U0LISTED', 'U0SAM']);
  });

  it('does not keep a failed lookup', async () => {
    let fail = true;
    const directory = new SlackApproverDirectory(
      async () => {
        if (fail) throw new Error('ratelimited');
        return ['U0MAYA'];
      },
      { leadership: ['S0LEADERS'], vp: [] },
      () => new Date(),
    );
    await expect(directory.isApprover('U0MAYA', 'leadership')).rejects.toThrow(UserFacingError);
    await expect(directory.isApprover('U0MAYA', 'leadership')).rejects.toThrow('nothing was changed');
    fail = false;
    expect(await directory.isApprover('U0MAYA', 'leadership')).toBe(true);
  });

  it('a click never waits on Slack past the bound; the late answer fills the cache for the retry', async () => {
    // Prepare: usergroups.users.list hangs until the test lets it answer.
    let answer: (users: string[]) => void = () => {};
    let calls = 0;
    const directory = new SlackApproverDirectory(
      () => {
        calls += 1;
        return new Promise<string[]>((resolve) => {
          answer = resolve;
        });
      },
      { leadership: ['S0LEADERS'], vp: [] },
      () => new Date('2026-11-22T10:00:00Z'),
      60_000,
      20,
    );
    // Act: fifty clicks wait together on one lookup, and all give up at the bound.
    const clicks = await Promise.allSettled(
      Array.from({ length: 50 }, () => directory.isApprover('U0MAYA', 'leadership')),
    );
    // Assess
    expect(calls).toBe(1);
    expect(clicks.every((c) => c.status === 'rejected' && c.reason instanceof UserFacingError)).toBe(true);
    answer(['U0MAYA']);
    expect(await directory.isApprover('U0MAYA', 'leadership')).toBe(true);
    expect(calls).toBe(1);
  });
});

describe('approver configuration', () => {
  it('uses APPROVERS_* and APPROVALS_CHANNEL; against the stand-in the demo groups are the default', () => {
    const configured = loadConfig({
      SLACK_SIGNING_SECRET: 's-secret-1',
      APPROVERS_LEADERSHIP: 'S0A,U0B',
      APPROVERS_VP: 'S0C',
      APPROVALS_CHANNEL: 'C0X',
    });
    expect(approverEntries(configured)).toEqual({ leadership: ['S0A', 'U0B'], vp: ['S0C'] });
    expect(approvalsChannel(configured)).toBe('C0X');
    const standIn = loadConfig({
      SLACK_SIGNING_SECRET: 's-secret-1',
      SLACK_API_URL: 'http://127.0.0.1:9/api/',
    });
    expect(approverEntries(standIn)).toEqual({ leadership: ['S0LEADERS'], vp: ['S0VPS'] });
    expect(approvalsChannel(standIn)).toBe('C0APPROVAL');
    const real = loadConfig({ SLACK_SIGNING_SECRET: 's-secret-1' });
    expect(approverEntries(real)).toEqual({ leadership: [], vp: [] });
    expect(() => approvalsChannel(real)).toThrow(UserFacingError);
  });
});
