/**
 * The environment for a child process a test starts (`npm start`, a script): only what running
 * programs needs, never the test's own settings (no SLACK_*, AWS_*, DYNAMODB_* or TABLE_PREFIX leak
 * into the child, so it must come up on its own as it would for a user), plus `extra`.
 *
 * What is kept, and why:
 * - PATH, HOME, TMPDIR: to find `node`/`npm` and let npm use its cache;
 * - TZ, LANG, LC_*: the child sees the same time zone and locale as the test;
 * - LD_PRELOAD and FAKETIME* (plus the older DONT_FAKE_MONOTONIC): under
 *   `faketime -f +400d npm test` the child keeps the shifted clock. Without them it would run on
 *   the real clock, sign or check Slack timestamps 400 days away from the test's, and fail.
 */
export function childProcessEnv(extra: Record<string, string> = {}): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [name, value] of Object.entries(process.env)) {
    if (value !== undefined && inherited(name)) env[name] = value;
  }
  // Vitest sets this for its own workers; the child's AWS SDK notice is noise in test output too.
  env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
  return { ...env, ...extra };
}

const KEPT = new Set(['PATH', 'HOME', 'TMPDIR', 'TZ', 'LANG', 'LD_PRELOAD', 'DONT_FAKE_MONOTONIC']);

function inherited(name: string): boolean {
  return KEPT.has(name) || name.startsWith('LC_') || name.startsWith('FAKETIME');
}
