import { AwsSolutionsChecks } from 'cdk-nag';
import { describe, expect, it } from 'vitest';
import { synth } from './synth';

const CONTEXTS = [
  { env: 'prod' },
  { env: 'dev' },
  { env: 'staging', agents: 'existing', agentId: 'AGENT12345', agentAliasId: 'ALIAS12345' },
  { env: 'dev', agents: 'offline' },
  { env: 'prod', knowledgeBaseId: 'KB12345678', agentModel: 'anthropic.claude-3-haiku-20240307-v1:0' },
];

describe('cdk-nag AwsSolutions', () => {
  it.each(CONTEXTS.map((context) => [JSON.stringify(context), context] as const))(
    '%s: no finding left unacknowledged',
    (_name, context) => {
      const { stack } = synth(context);
      const report = new AwsSolutionsChecks(stack).validateScope(stack);
      const findings = report.violations.map(
        (v) =>
          `${v.ruleName} at ${v.violatingResources.map((r) => r.locations?.join(',') ?? r.resourceLogicalId).join('; ')}`,
      );
      expect(findings).toEqual([]);
    },
  );

  it('every acknowledgement names one finding and says why', () => {
    const { stack } = synth({ env: 'prod' });
    const acknowledged: [string, string][] = [];
    for (const construct of stack.node.findAll())
      for (const entry of construct.node.metadata)
        if (entry.type === 'aws:cdk:acknowledged-rules')
          acknowledged.push(...Object.entries(entry.data as Record<string, string>));
    expect(acknowledged.length).toBeGreaterThan(0);
    for (const [rule, reason] of acknowledged) {
      expect(rule).toMatch(/^Annotation::AwsSolutions-(IAM5\[Resource::.+\]|SMG4|APIG4)$/);
      expect(reason.length, rule).toBeGreaterThan(40);
    }
    // IAM5 is acknowledged per wildcard, never for a whole resource.
    expect(acknowledged.map(([rule]) => rule)).not.toContain('Annotation::AwsSolutions-IAM5');
  });
});
