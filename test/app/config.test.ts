import { describe, expect, it } from 'vitest';
import { loadConfig, slackMode } from '../../app/config';
import { ConfigError } from '../../app/errors';

const BASE = { SLACK_SIGNING_SECRET: 'sig-secret-value-1234' };

function configError(env: Record<string, string | undefined>): ConfigError {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('expected loadConfig to fail');
}

describe('loadConfig', () => {
  it('builds a config from the minimum (only the signing secret) with the documented defaults', () => {
    const config = loadConfig(BASE);
    expect(config.slack.signingSecret).toBe(BASE.SLACK_SIGNING_SECRET);
    expect(config.port).toBe(3000);
    expect(config.dynamo).toEqual({ endpoint: undefined, tablePrefix: 'mcc-', region: 'us-east-1' });
    expect(config.approvals.thresholdCents).toBe(1_000_000);
    expect(config.approvals.vpThresholdCents).toBe(10_000_000);
    expect(config.bedrock).toBeUndefined();
    expect(config.workfront).toBeUndefined();
    expect(config.asana).toBeUndefined();
    expect(config.secrets).toEqual([BASE.SLACK_SIGNING_SECRET]);
  });

  it('fails fast naming SLACK_SIGNING_SECRET when it is missing or empty', () => {
    for (const env of [{}, { SLACK_SIGNING_SECRET: '' }]) {
      const error = configError(env);
      expect(error.code).toBe('cc_config_error');
      expect(error.message).toContain('SLACK_SIGNING_SECRET');
    }
  });

  // Zod runs the cross-variable checks (pairs, threshold order) once every single variable parses,
  // so a first run names the malformed ones and a second the inconsistent ones.
  it('names every malformed variable and never echoes a secret value', () => {
    const env = {
      SLACK_SIGNING_SECRET: 'sig-secret-value-1234',
      SLACK_BOT_TOKEN: 'xapp-wrong-kind-of-token-999',
      SLACK_APP_TOKEN: 'xoxb-wrong-kind-of-token-888',
      WORKFRONT_API_KEY: 'wf-key-secret-777',
      ASANA_ACCESS_TOKEN: 'asana-secret-666',
      BEDROCK_AGENT_ID: 'not valid!',
      BEDROCK_AGENT_ALIAS_ID: 'ALIAS1',
      PORT: 'eighty',
    };
    const error = configError(env);
    for (const name of ['SLACK_BOT_TOKEN', 'SLACK_APP_TOKEN', 'BEDROCK_AGENT_ID', 'PORT']) {
      expect(error.message).toContain(name);
    }
    for (const value of [
      'sig-secret-value-1234',
      'xapp-wrong-kind-of-token-999',
      'xoxb-wrong-kind-of-token-888',
      'wf-key-secret-777',
      'asana-secret-666',
    ]) {
      expect(error.message).not.toContain(value);
      expect(JSON.stringify({ ...error, stack: error.stack })).not.toContain(value);
    }
  });

  it.each([
    [
      'an agent id over 10 characters',
      { BEDROCK_AGENT_ID: 'ABCDEFGHIJK', BEDROCK_AGENT_ALIAS_ID: 'TSTALIASID' },
      'BEDROCK_AGENT_ID',
    ],
    [
      'an alias id with punctuation',
      { BEDROCK_AGENT_ID: 'AGENT12345', BEDROCK_AGENT_ALIAS_ID: 'ali-as' },
      'BEDROCK_AGENT_ALIAS_ID',
    ],
    ['an agent id without its alias', { BEDROCK_AGENT_ID: 'AGENT12345' }, 'BEDROCK_AGENT_ALIAS_ID'],
    ['an alias without its agent', { BEDROCK_AGENT_ALIAS_ID: 'TSTALIASID' }, 'BEDROCK_AGENT_ID'],
  ])('rejects Bedrock config with %s', (_name, extra, named) => {
    expect(configError({ ...BASE, ...extra }).message).toContain(named);
  });

  it('accepts a valid Bedrock agent and alias', () => {
    const config = loadConfig({
      ...BASE,
      BEDROCK_AGENT_ID: 'AGENT12345',
      BEDROCK_AGENT_ALIAS_ID: 'TSTALIASID',
    });
    expect(config.bedrock).toEqual({ agentId: 'AGENT12345', agentAliasId: 'TSTALIASID' });
  });

  it.each([
    ['equal thresholds', { APPROVAL_THRESHOLD_USD: '50000', VP_THRESHOLD_USD: '50000' }],
    ['VP below leadership', { APPROVAL_THRESHOLD_USD: '50000', VP_THRESHOLD_USD: '20000' }],
    ['VP below the default leadership threshold', { VP_THRESHOLD_USD: '5000' }],
  ])('rejects thresholds where VP ≤ leadership (%s)', (_name, extra) => {
    expect(configError({ ...BASE, ...extra }).message).toContain('VP_THRESHOLD_USD');
  });

  it.each([
    ['zero', '0'],
    ['negative', '-5'],
    ['not a number', 'ten thousand'],
  ])('rejects an approval threshold that is %s', (_name, value) => {
    expect(configError({ ...BASE, APPROVAL_THRESHOLD_USD: value }).message).toContain(
      'APPROVAL_THRESHOLD_USD',
    );
  });

  it('converts dollar thresholds to integer cents exactly', () => {
    expect(loadConfig({ ...BASE, APPROVAL_THRESHOLD_USD: '10000' }).approvals.thresholdCents).toBe(1_000_000);
    expect(loadConfig({ ...BASE, APPROVAL_THRESHOLD_USD: '10000.01' }).approvals.thresholdCents).toBe(
      1_000_001,
    );
    // 0.29 * 100 is 28.999999999999996 in binary floating point; rounding keeps the cent.
    expect(loadConfig({ ...BASE, APPROVAL_THRESHOLD_USD: '0.29' }).approvals.thresholdCents).toBe(29);
    const config = loadConfig({ ...BASE, APPROVAL_THRESHOLD_USD: '10000.01', VP_THRESHOLD_USD: '100000.99' });
    expect(config.approvals.vpThresholdCents).toBe(10_000_099);
    expect(Number.isInteger(config.approvals.vpThresholdCents)).toBe(true);
  });

  it.each([
    [
      'a base URL without its API key',
      { WORKFRONT_BASE_URL: 'https://acme.my.workfront.com' },
      'WORKFRONT_API_KEY',
    ],
    ['an API key without its base URL', { WORKFRONT_API_KEY: 'wf-key-1234567' }, 'WORKFRONT_BASE_URL'],
    [
      'a base URL that is not a URL',
      { WORKFRONT_BASE_URL: 'acme workfront', WORKFRONT_API_KEY: 'wf-key-1234567' },
      'WORKFRONT_BASE_URL',
    ],
  ])('rejects partial Workfront config: %s', (_name, extra, named) => {
    const error = configError({ ...BASE, ...extra });
    expect(error.message).toContain(named);
    expect(error.message).not.toContain('wf-key-1234567');
  });

  it('accepts a complete Workfront config and lists its secrets for scrubbing', () => {
    const config = loadConfig({
      ...BASE,
      WORKFRONT_BASE_URL: 'https://acme.my.workfront.com',
      WORKFRONT_API_KEY: 'wf-key-1234567',
      WORKFRONT_WEBHOOK_TOKEN: 'wf-hook-token-89',
      ASANA_ACCESS_TOKEN: '2/1200000000/1200000001:abcdef',
      SLACK_BOT_TOKEN: 'xoxb-1-2-abc',
    });
    expect(config.workfront).toEqual({
      baseUrl: 'https://acme.my.workfront.com',
      apiKey: 'wf-key-1234567',
      webhookToken: 'wf-hook-token-89',
      apiVersion: '15.0',
      authMode: 'apiKey-param',
    });
    expect(config.asana?.baseUrl).toBe('https://app.asana.com/api/1.0');
    expect(config.secrets).toEqual(
      expect.arrayContaining([
        'sig-secret-value-1234',
        'wf-key-1234567',
        'wf-hook-token-89',
        '2/1200000000/1200000001:abcdef',
        'xoxb-1-2-abc',
      ]),
    );
  });

  it('parses approver lists and rejects anything that is not a Slack user or group id', () => {
    const config = loadConfig({
      ...BASE,
      APPROVERS_LEADERSHIP: ' S0LEADERS, U0ALICE ,',
      APPROVERS_VP: 'S0VPS',
    });
    expect(config.approvals.leadership).toEqual(['S0LEADERS', 'U0ALICE']);
    expect(config.approvals.vp).toEqual(['S0VPS']);
    expect(configError({ ...BASE, APPROVERS_VP: '@vp-team' }).message).toContain('APPROVERS_VP');
  });

  it('treats blank optional variables as unset', () => {
    const config = loadConfig({
      ...BASE,
      SLACK_BOT_TOKEN: '  ',
      DYNAMODB_ENDPOINT: '',
      WORKFRONT_BASE_URL: '',
    });
    expect(config.slack.botToken).toBeUndefined();
    expect(config.dynamo.endpoint).toBeUndefined();
    expect(config.workfront).toBeUndefined();
  });
});

describe('slackMode', () => {
  it('reports whether it talks to Slack or a stand-in', () => {
    const base = { SLACK_SIGNING_SECRET: 'sig-secret-1234' };
    expect(slackMode(loadConfig(base))).toBe('real');
    expect(slackMode(loadConfig({ ...base, SLACK_API_URL: 'https://slack.com/api/' }))).toBe('real');
    expect(slackMode(loadConfig({ ...base, SLACK_API_URL: 'http://127.0.0.1:3001/api/' }))).toBe('stand-in');
  });
});
