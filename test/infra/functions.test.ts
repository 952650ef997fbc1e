import { describe, expect, it } from 'vitest';
import { JOB_LEASE_MARGIN_MS, JOB_TIME_BUDGET_MS } from '../../app/services/job-timing';
import { SIZING } from '../../infra/stacks/command-center-stack';
import { functionId, resources, synth } from './synth';

const FUNCTIONS = ['http', 'worker', 'scheduled'] as const;

function fn(env: string, name: string) {
  const { template } = synth({ env });
  return (
    resources(template, 'AWS::Lambda::Function')[functionId(template, `mcc-${env}-${name}`)]?.Properties ?? {}
  );
}

describe('Lambda functions', () => {
  it.each(FUNCTIONS)('%s: Node.js 24 on ARM64, X-Ray active, its own log group', (name) => {
    const props = fn('prod', name);
    expect(props).toMatchObject({
      Runtime: 'nodejs24.x',
      Architectures: ['arm64'],
      Handler: 'index.handler',
      TracingConfig: { Mode: 'Active' },
    });
    expect(JSON.stringify(props.LoggingConfig)).toContain(
      `${name.charAt(0).toUpperCase()}${name.slice(1)}Logs`,
    );
  });

  it('the HTTP function answers well inside Slack’s 3 s and within the webhooks’ windows', () => {
    expect(fn('prod', 'http')).toMatchObject({ Timeout: 10, MemorySize: 1024 });
  });

  it('the worker has a whole job’s budget and ends before the job’s lease does', () => {
    const timeoutMs = Number(fn('prod', 'worker').Timeout) * 1000;
    expect(timeoutMs).toBeGreaterThan(JOB_TIME_BUDGET_MS + 5_000);
    expect(timeoutMs).toBeLessThan(JOB_TIME_BUDGET_MS + JOB_LEASE_MARGIN_MS);
    expect(SIZING.lease.toMilliseconds()).toBe(JOB_TIME_BUDGET_MS + JOB_LEASE_MARGIN_MS);
  });

  it('log groups are named for their function, kept per environment', () => {
    const retention = (env: string) =>
      Object.values(resources(synth({ env }).template, 'AWS::Logs::LogGroup')).map(
        (g) => g.Properties.RetentionInDays,
      );
    expect(new Set(retention('dev'))).toEqual(new Set([7]));
    expect(new Set(retention('staging'))).toEqual(new Set([30]));
    expect(new Set(retention('prod'))).toEqual(new Set([90]));
    const names = Object.values(resources(synth({ env: 'prod' }).template, 'AWS::Logs::LogGroup')).map(
      (g) => g.Properties.LogGroupName,
    );
    for (const name of FUNCTIONS) expect(names).toContain(`/aws/lambda/mcc-prod-${name}`);
  });
});
