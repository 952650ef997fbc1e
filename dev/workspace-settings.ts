/**
 * `npm start` against a real workspace (SLACK_BOT_TOKEN set): no demo data, no demo approvers, no
 * demo approvals channel. What such a run still needs, so `npm start` can say so at once instead of
 * the first approval failing later.
 */
export interface MissingSetting {
  name: string;
  why: string;
}

/** The settings a real-workspace run lacks, given its environment (empty when nothing is missing). */
export function missingWorkspaceSettings(env: Record<string, string | undefined>): MissingSetting[] {
  const set = (name: string) => (env[name] ?? '').trim() !== '';
  const missing: MissingSetting[] = [];
  if (!set('SLACK_APP_TOKEN'))
    missing.push({
      name: 'SLACK_APP_TOKEN',
      why: 'an xapp- token with connections:write, to connect over Socket Mode (without it Slack must reach this machine over HTTPS, with SLACK_SIGNING_SECRET)',
    });
  if (!set('SLACK_APP_TOKEN') && !set('SLACK_SIGNING_SECRET'))
    missing.push({ name: 'SLACK_SIGNING_SECRET', why: 'HTTP mode verifies every Slack request with it' });
  if (!set('APPROVERS_LEADERSHIP'))
    missing.push({
      name: 'APPROVERS_LEADERSHIP',
      why: 'user-group (S…) or user (U…) ids who approve budgets over APPROVAL_THRESHOLD_USD; without it such campaigns are refused',
    });
  if (!set('APPROVERS_VP'))
    missing.push({
      name: 'APPROVERS_VP',
      why: 'who approves budgets over VP_THRESHOLD_USD (after leadership)',
    });
  if (!set('APPROVALS_CHANNEL'))
    missing.push({
      name: 'APPROVALS_CHANNEL',
      why: 'channel id (C…) where approval requests are posted; invite the bot there',
    });
  return missing;
}

/** One line per missing setting, for the console. */
export function describeMissing(missing: MissingSetting[]): string {
  return missing.map((m) => `  - ${m.name}: ${m.why}`).join('\n');
}
