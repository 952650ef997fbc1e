import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { configSchema, loadConfig } from '../app/config';

/** Variables read outside the zod schema: by the local entry, the secret loader and the dev stand-in. */
const READ_ELSEWHERE = ['DATA_DIR', 'APP_SECRET_ID', 'SLACK_STANDIN_PORT'];

/** The backticked variable names in the first column of README's configuration table. */
function readmeVariables(): { names: Set<string>; rows: Map<string, string> } {
  const readme = readFileSync(join(__dirname, '..', 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('## Configuration'), readme.indexOf('## Development'));
  const names = new Set<string>();
  const rows = new Map<string, string>();
  for (const line of section.split('\n')) {
    const cells = line.split('|').map((cell) => cell.trim());
    if (cells.length < 4 || !cells[1]?.startsWith('`')) continue;
    for (const match of cells[1].matchAll(/`([A-Z][A-Z0-9_]+)`/g)) {
      const name = match[1] ?? '';
      names.add(name);
      rows.set(name, cells[2] ?? '');
    }
  }
  return { names, rows };
}

describe('README configuration table', () => {
  it('lists every variable the code reads, and nothing it does not', () => {
    // Prepare
    const fromCode = new Set([...Object.keys(configSchema.shape), ...READ_ELSEWHERE]);

    // Act
    const { names } = readmeVariables();

    // Assess
    expect([...fromCode].filter((name) => !names.has(name)).sort()).toEqual([]);
    expect([...names].filter((name) => !fromCode.has(name)).sort()).toEqual([]);
  });

  it('states the defaults the code applies', () => {
    // Prepare
    const { rows } = readmeVariables();
    const defaults = loadConfig({ SLACK_SIGNING_SECRET: 'a-signing-secret' });

    // Assess: each documented default is the value the config takes when the variable is unset.
    expect(rows.get('PORT')).toContain(`\`${defaults.port}\``);
    expect(rows.get('LOG_LEVEL')).toContain(`\`${defaults.logLevel}\``);
    expect(rows.get('TABLE_PREFIX')).toContain(`\`${defaults.dynamo.tablePrefix}\``);
    expect(rows.get('AWS_REGION')).toContain(`\`${defaults.dynamo.region}\``);
    expect(rows.get('APPROVAL_THRESHOLD_USD')).toContain(`\`${defaults.approvals.thresholdCents / 100}\``);
    expect(rows.get('APPROVAL_THRESHOLD_USD')).toContain(`\`${defaults.approvals.vpThresholdCents / 100}\``);
    expect(rows.get('APPROVAL_REMINDER_HOURS')).toContain(`\`${defaults.approvals.reminderHours}\``);
    expect(rows.get('APPROVAL_EXPIRY_DAYS')).toContain(`\`${defaults.approvals.expiryDays}\``);
    const workfront = configSchema.shape;
    expect(rows.get('WORKFRONT_API_VERSION')).toContain(
      `\`${workfront.WORKFRONT_API_VERSION.parse(undefined)}\``,
    );
    expect(rows.get('WORKFRONT_AUTH_MODE')).toContain(
      `\`${workfront.WORKFRONT_AUTH_MODE.parse(undefined)}\``,
    );
  });
});
