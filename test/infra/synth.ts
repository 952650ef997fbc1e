import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Template } from 'aws-cdk-lib/assertions';
import { buildCommandCenterApp } from '../../infra/stacks/command-center-app';
import type { CommandCenterStack } from '../../infra/stacks/command-center-stack';

/** cdk.json's context, so tests build the app the way `cdk synth` does. */
export const CDK_JSON_CONTEXT = (
  JSON.parse(readFileSync(join(__dirname, '..', '..', 'cdk.json'), 'utf8')) as {
    context: Record<string, unknown>;
  }
).context;

export interface Synthesized {
  stack: CommandCenterStack;
  template: Template;
}

const cache = new Map<string, Synthesized>();

/**
 * The stack's template for `context` (`env`, `agents`, …), built once per test file. Bundling is
 * skipped (`aws:cdk:bundling-stacks: []`, the documented switch): assertion tests look at the
 * template, and `test/infra/synth.test.ts` and `.ci/run` synthesise with the real bundles. CDK's
 * built-in CloudFormation schema validation is left to those too (`CDK_VALIDATION=false` here).
 */
export function synth(context: Record<string, unknown> = {}): Synthesized {
  const key = JSON.stringify(context);
  const hit = cache.get(key);
  if (hit) return hit;
  const previous = process.env.CDK_VALIDATION;
  process.env.CDK_VALIDATION = 'false';
  try {
    const { stack } = buildCommandCenterApp({
      context: { ...CDK_JSON_CONTEXT, 'aws:cdk:bundling-stacks': [], ...context },
      outdir: mkdtempSync(join(tmpdir(), 'mcc-cdk-')),
    });
    const synthesized = { stack, template: Template.fromStack(stack) };
    cache.set(key, synthesized);
    return synthesized;
  } finally {
    if (previous === undefined) delete process.env.CDK_VALIDATION;
    else process.env.CDK_VALIDATION = previous;
  }
}

/** Resources of one type, by logical id. */
export function resources(
  template: Template,
  type: string,
): Record<string, { Properties: Record<string, unknown> }> {
  return template.findResources(type) as Record<string, { Properties: Record<string, unknown> }>;
}

/** The logical id of the function named `name` (e.g. `mcc-prod-worker`). */
export function functionId(template: Template, name: string): string {
  const [id] = Object.entries(resources(template, 'AWS::Lambda::Function')).find(
    ([, r]) => r.Properties.FunctionName === name,
  ) ?? [''];
  if (!id) throw new Error(`no function ${name}`);
  return id;
}

/** Every IAM statement attached (inline policies) to the role with logical id `roleId`. */
export function statementsOfRole(template: Template, roleId: string): Record<string, unknown>[] {
  return Object.values(resources(template, 'AWS::IAM::Policy'))
    .filter((policy) => (policy.Properties.Roles as { Ref: string }[]).some((role) => role.Ref === roleId))
    .flatMap(
      (policy) => (policy.Properties.PolicyDocument as { Statement: Record<string, unknown>[] }).Statement,
    );
}

/** The role logical id of the function named `name`. */
export function roleOfFunction(template: Template, name: string): string {
  const fn = resources(template, 'AWS::Lambda::Function')[functionId(template, name)];
  const role = fn?.Properties.Role as { 'Fn::GetAtt': [string, string] } | undefined;
  if (!role) throw new Error(`function ${name} has no role`);
  return role['Fn::GetAtt'][0];
}

/** Actions of a statement as a list. */
export function actionsOf(statement: Record<string, unknown>): string[] {
  const action = statement.Action;
  return Array.isArray(action) ? (action as string[]) : [String(action)];
}
