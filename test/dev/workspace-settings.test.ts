import { describe, expect, it } from 'vitest';
import { describeMissing, missingWorkspaceSettings } from '../../dev/workspace-settings';

describe('missingWorkspaceSettings', () => {
  it('names the Socket Mode token, approvers and approvals channel a real-workspace run lacks', () => {
    expect(missingWorkspaceSettings({ SLACK_BOT_TOKEN: 'xoxb-1' }).map((m) => m.name)).toEqual([
      'SLACK_APP_TOKEN',
      'SLACK_SIGNING_SECRET',
      'APPROVERS_LEADERSHIP',
      'APPROVERS_VP',
      'APPROVALS_CHANNEL',
    ]);
  });

  it('is empty when everything is set (blank counts as unset)', () => {
    const full = {
      SLACK_BOT_TOKEN: 'xoxb-1',
      SLACK_APP_TOKEN: 'xapp-1',
      APPROVERS_LEADERSHIP: 'S0LEAD',
      APPROVERS_VP: 'S0VP',
      APPROVALS_CHANNEL: 'C0APPR',
    };
    expect(missingWorkspaceSettings(full)).toEqual([]);
    expect(missingWorkspaceSettings({ ...full, APPROVALS_CHANNEL: '  ' }).map((m) => m.name)).toEqual([
      'APPROVALS_CHANNEL',
    ]);
  });

  it('describes each on its own line', () => {
    expect(describeMissing([{ name: 'A', why: 'b' }])).toBe('  - A: b');
  });
});
