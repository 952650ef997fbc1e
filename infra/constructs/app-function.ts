import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { AssetHashType, DockerImage, type Duration, type RemovalPolicy } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { ENTRIES, type EntryName } from '../../scripts/build';
import { acknowledge } from './nag';

const ROOT = resolve(__dirname, '..', '..');

export interface AppFunctionProps {
  /** Which Lambda entry point (`scripts/build.ts` ENTRIES). */
  entry: EntryName;
  functionName: string;
  description: string;
  memorySize: number;
  timeout: Duration;
  environment: Record<string, string>;
  logRetention: logs.RetentionDays;
  removalPolicy: RemovalPolicy;
}

/**
 * One of the app's Lambda functions: Node.js 24 on ARM64, X-Ray active tracing, source maps on,
 * its own log group (retention per environment) and its own role that may write only to that group.
 *
 * The code is the bundle `npm run build` makes (`scripts/build.ts`), built at synth time by the local
 * esbuild — never Docker: that build carries plugins `NodejsFunction` cannot run (Bolt's unused
 * receivers stubbed out, the Lambda-only credential chain, zod's tree-shakable import), so the deployed
 * code is exactly the measured one (bench/README.md). The asset is hashed on the bundle itself, so an
 * unchanged build deploys nothing. In tests that skip bundling (`aws:cdk:bundling-stacks: []`) CDK
 * does not call the build at all.
 */
export class AppFunction extends Construct {
  readonly function: lambda.Function;
  readonly role: iam.Role;
  readonly logGroup: logs.LogGroup;

  constructor(scope: Construct, id: string, props: AppFunctionProps) {
    super(scope, id);
    this.logGroup = new logs.LogGroup(this, 'Logs', {
      logGroupName: `/aws/lambda/${props.functionName}`,
      retention: props.logRetention,
      removalPolicy: props.removalPolicy,
    });
    this.role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: `${props.functionName}: its log group, and what the stack grants it`,
    });
    this.logGroup.grantWrite(this.role);
    this.function = new lambda.Function(this, 'Function', {
      functionName: props.functionName,
      description: props.description,
      runtime: lambda.Runtime.NODEJS_24_X,
      architecture: lambda.Architecture.ARM_64,
      handler: 'index.handler',
      code: bundledCode(props.entry),
      memorySize: props.memorySize,
      timeout: props.timeout,
      role: this.role,
      logGroup: this.logGroup,
      tracing: lambda.Tracing.ACTIVE,
      environment: { ...props.environment, NODE_OPTIONS: '--enable-source-maps' },
    });
    acknowledge(
      this.role,
      'AwsSolutions-IAM5[Resource::*]',
      'X-Ray PutTraceSegments/PutTelemetryRecords (active tracing) support no resource-level permissions.',
    );
  }
}

/** The entry's bundle, built by `scripts/build.ts` into the asset directory CDK hands us. */
function bundledCode(entry: EntryName): lambda.Code {
  return lambda.Code.fromAsset(ROOT, {
    assetHashType: AssetHashType.OUTPUT,
    bundling: {
      // Never used: local bundling either succeeds or throws (a failed local build must not fall back to Docker).
      image: DockerImage.fromRegistry('local-esbuild-only'),
      // Part of CDK's asset cache key (the local bundler is not): one asset per entry, not one for all.
      command: ['scripts/build.ts', entry, '--out', '/asset-output'],
      local: {
        tryBundle(outputDir: string): boolean {
          const result = spawnSync(
            process.execPath,
            [require.resolve('tsx/cli'), 'scripts/build.ts', entry, '--out', outputDir],
            { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] },
          );
          if (result.status !== 0) {
            throw new Error(
              `building ${ENTRIES[entry]} failed (${result.error?.message ?? `exit ${result.status}`}): ${result.stderr}`,
            );
          }
          return true;
        },
      },
    },
  });
}
