import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { deploymentSettings } from '../environments';
import { CommandCenterStack } from './command-center-stack';

export interface BuildAppOptions {
  /** CDK context (`-c key=value` on the command line, or set directly by tests). */
  context?: Record<string, unknown>;
  /** Cloud assembly directory (default: what the CDK CLI passes, else a temp dir). */
  outdir?: string;
}

/**
 * The CDK app: one Command Center stack for the environment named by `-c env=` (default dev),
 * checked by cdk-nag's AwsSolutions rules (a finding without a recorded reason fails the synth).
 */
export function buildCommandCenterApp(options: BuildAppOptions = {}): {
  app: App;
  stack: CommandCenterStack;
} {
  const app = new App({
    ...(options.context ? { context: options.context } : {}),
    ...(options.outdir ? { outdir: options.outdir } : {}),
    analyticsReporting: false,
  });
  const settings = deploymentSettings((key) => app.node.tryGetContext(key));
  const stack = new CommandCenterStack(app, `CommandCenter-${settings.name}`, {
    settings,
    description: `Command Center (${settings.name}): Slack chat-ops bot for marketing operations`,
  });
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app, { verbose: true }));
  return { app, stack };
}
