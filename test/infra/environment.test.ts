import { describe, expect, it } from 'vitest';
import { configSchema, loadConfig } from '../../app/config';
import { ConfigError } from '../../app/errors';
import {
  AGENT_ENV_KEYS,
  LAMBDA_RUNTIME_ENV_KEYS,
  NOT_SET_ON_LAMBDA,
  SECRET_KEYS,
  STACK_ENV_KEYS,
  secretPlaceholder,
} from '../../infra/stacks/app-environment';
import { functionId, resources, synth } from './synth';

const FUNCTIONS = ['http', 'worker', 'scheduled'] as const;

/** A function's environment with CloudFormation intrinsics replaced by plausible resolved values. */
function resolvedEnvironment(env: string, fn: string, context: Record<string, unknown> = {}) {
  const { template } = synth({ env, ...context });
  const props = resources(template, 'AWS::Lambda::Function')[functionId(template, `mcc-${env}-${fn}`)]
    ?.Properties as { Environment: { Variables: Record<string, unknown> } };
  const resolved: Record<string, string> = {};
  for (const [key, value] of Object.entries(props.Environment.Variables)) {
    if (typeof value === 'string') resolved[key] = value;
    else if (key === 'BEDROCK_AGENT_ID') resolved[key] = 'AGENT12345';
    else if (key === 'BEDROCK_AGENT_ALIAS_ID') resolved[key] = 'ALIAS12345';
    else if (key === 'SCHEDULED_FUNCTION_ARN')
      resolved[key] = `arn:aws:lambda:us-east-1:123456789012:function:mcc-${env}-scheduled`;
    else if (key === 'SCHEDULER_ROLE_ARN') resolved[key] = 'arn:aws:iam::123456789012:role/scheduler';
    else if (key === 'APP_SECRET_ID')
      resolved[key] = `arn:aws:secretsmanager:us-east-1:123456789012:secret:mcc-${env}/app-AbCdEf`;
    else throw new Error(`${fn}: ${key} is an intrinsic the test does not know: ${JSON.stringify(value)}`);
  }
  return { raw: props.Environment.Variables, resolved };
}

describe('Lambda environment vs app/config.ts', () => {
  it('every variable the code reads is provided by the stack, the secret or the runtime, or is local-only with a reason', () => {
    const provided = [
      ...STACK_ENV_KEYS,
      ...AGENT_ENV_KEYS,
      ...SECRET_KEYS,
      ...LAMBDA_RUNTIME_ENV_KEYS,
      ...Object.keys(NOT_SET_ON_LAMBDA),
    ];
    expect(new Set(provided).size).toBe(provided.length);
    const read = [...Object.keys(configSchema.shape), 'APP_SECRET_ID'];
    expect([...new Set(provided)].sort()).toEqual([...new Set(read)].sort());
    for (const reason of Object.values(NOT_SET_ON_LAMBDA)) expect(reason.length).toBeGreaterThan(20);
  });

  it.each(FUNCTIONS)('%s: sets every stack variable (and the agent ids when there is an agent)', (fn) => {
    const { raw } = resolvedEnvironment('prod', fn);
    expect(Object.keys(raw).sort()).toEqual([...STACK_ENV_KEYS, ...AGENT_ENV_KEYS, 'NODE_OPTIONS'].sort());
    expect(raw.NODE_OPTIONS).toBe('--enable-source-maps');
    const offline = resolvedEnvironment('dev', fn, { agents: 'offline' }).raw;
    for (const key of AGENT_ENV_KEYS) expect(offline[key]).toBeUndefined();
  });

  it('what the stack sets, with the secret filled in, is a valid configuration on Lambda', () => {
    const { resolved } = resolvedEnvironment('prod', 'worker');
    const secret = Object.fromEntries(SECRET_KEYS.map((key) => [key, '']));
    const config = loadConfig({
      ...secret,
      SLACK_SIGNING_SECRET: 'filled-in-signing-secret',
      SLACK_BOT_TOKEN: 'xoxb-filled-in',
      ...resolved,
      AWS_LAMBDA_FUNCTION_NAME: 'mcc-prod-worker',
      AWS_REGION: 'us-east-1',
    });
    expect(config.cloud).toEqual({
      workerFunctionName: 'mcc-prod-worker',
      scheduledFunctionArn: 'arn:aws:lambda:us-east-1:123456789012:function:mcc-prod-scheduled',
      schedulerRoleArn: 'arn:aws:iam::123456789012:role/scheduler',
      schedulerGroup: 'mcc-prod',
    });
    expect(config.dynamo.tablePrefix).toBe('mcc-prod-');
    expect(config.metricsNamespace).toBe('CommandCenter/prod');
    expect(config.bedrock).toEqual({ agentId: 'AGENT12345', agentAliasId: 'ALIAS12345' });
    expect(config.approvals.thresholdCents).toBe(1_000_000);
  });

  it('until the admin fills the secret, the functions stop naming SLACK_SIGNING_SECRET', () => {
    const { resolved } = resolvedEnvironment('prod', 'http');
    const placeholder = JSON.parse(secretPlaceholder()) as Record<string, string>;
    expect(() =>
      loadConfig({ ...placeholder, ...resolved, AWS_LAMBDA_FUNCTION_NAME: 'mcc-prod-http' }),
    ).toThrow(ConfigError);
    expect(() =>
      loadConfig({ ...placeholder, ...resolved, AWS_LAMBDA_FUNCTION_NAME: 'mcc-prod-http' }),
    ).toThrow(/SLACK_SIGNING_SECRET is required/);
  });

  it('the placeholder never changes (a changed value would overwrite every filled secret on deploy)', () => {
    expect(secretPlaceholder()).toBe(
      JSON.stringify(
        {
          SLACK_SIGNING_SECRET: '',
          SLACK_BOT_TOKEN: '',
          SLACK_BOT_ID: '',
          SLACK_BOT_USER_ID: '',
          APPROVERS_LEADERSHIP: '',
          APPROVERS_VP: '',
          APPROVALS_CHANNEL: '',
          WORKFRONT_BASE_URL: '',
          WORKFRONT_API_KEY: '',
          WORKFRONT_WEBHOOK_TOKEN: '',
          ASANA_ACCESS_TOKEN: '',
          ASANA_WORKSPACE_GID: '',
          ASANA_TEAM_GID: '',
        },
        null,
        2,
      ),
    );
  });

  it('creates one secret from the placeholder: secret keys, all empty', () => {
    const { template } = synth({ env: 'prod' });
    const secrets = Object.values(resources(template, 'AWS::SecretsManager::Secret'));
    expect(secrets).toHaveLength(1);
    const value = JSON.parse(String(secrets[0]?.Properties.SecretString)) as Record<string, string>;
    expect(Object.keys(value).every((key) => (SECRET_KEYS as readonly string[]).includes(key))).toBe(true);
    expect(Object.keys(value)).toContain('SLACK_SIGNING_SECRET');
    expect(Object.values(value).every((v) => v === '')).toBe(true);
    expect(secrets[0]?.Properties.Name).toBe('mcc-prod/app');
    template.hasOutput('SecretArn', {});
    template.hasOutput('SecretConsoleUrl', {});
  });
});
