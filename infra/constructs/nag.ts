import { type CfnElement, Stack, Validations } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';

/**
 * Records why a cdk-nag (AwsSolutions) finding is accepted on `scope` and everything under it. cdk-nag 3
 * takes one acknowledgement per finding (`AwsSolutions-IAM5[Resource::…]`), so each names exactly the
 * wildcard it accepts; `test/infra/nag.test.ts` runs the checks and requires a reason on every one.
 */
export function acknowledge(scope: IConstruct, finding: string, reason: string): void {
  Validations.of(scope).acknowledge({ id: finding, reason });
}

/** How cdk-nag names a resource's ARN in a finding: `<LogicalId.Arn>`. */
export function arnRef(resource: IConstruct): string {
  const element = resource.node.defaultChild ?? resource;
  return `<${Stack.of(resource).getLogicalId(element as CfnElement)}.Arn>`;
}
