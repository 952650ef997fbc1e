import {
  ArnFormat,
  Aws,
  CfnOutput,
  Duration,
  RemovalPolicy,
  SecretValue,
  Stack,
  type StackProps,
} from 'aws-cdk-lib';
import * as apigwv2 from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import * as targets from 'aws-cdk-lib/aws-scheduler-targets';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import type { Construct } from 'constructs';
import { JOB_LEASE_MARGIN_MS, JOB_TIME_BUDGET_MS } from '../../app/services/job-timing';
import { AppAgents } from '../constructs/agents';
import { AppFunction } from '../constructs/app-function';
import { acknowledge, arnRef } from '../constructs/nag';
import { Observability } from '../constructs/observability';
import { AppTables } from '../constructs/tables';
import type { DeploymentSettings } from '../environments';
import { secretPlaceholder } from './app-environment';

export interface CommandCenterStackProps extends StackProps {
  settings: DeploymentSettings;
}

/** The routes of the one HTTP app (DESIGN.md contracts). */
const ROUTES = [
  { method: apigwv2.HttpMethod.POST, path: '/slack/events' },
  { method: apigwv2.HttpMethod.POST, path: '/webhooks/workfront' },
  { method: apigwv2.HttpMethod.POST, path: '/webhooks/asana' },
  { method: apigwv2.HttpMethod.GET, path: '/healthz' },
] as const;

/** Sizing: the HTTP function answers well inside Slack's 3 s; the worker has a whole job's budget. */
export const SIZING = {
  // Timeout above Slack's 3 s so a cold start still answers the webhooks (Workfront 5 s, Asana 10 s).
  http: { memorySize: 1024, timeout: Duration.seconds(10) },
  // The job's time budget plus 10 s (the handler keeps 5 s back to store the outcome, plus init);
  // under the lease (budget + margin), so a job is never claimed again while its run is alive.
  worker: { memorySize: 1024, timeout: Duration.millis(JOB_TIME_BUDGET_MS + 10_000) },
  scheduled: { memorySize: 512, timeout: Duration.seconds(60) },
  lease: Duration.millis(JOB_TIME_BUDGET_MS + JOB_LEASE_MARGIN_MS),
} as const;

/**
 * Command Center on AWS: the HTTP API and its function, the worker and scheduled functions, the
 * DynamoDB tables, the Scheduler group and sweep, the one secret, the Bedrock agents (optional)
 * and the dashboard and alarms. Environment-agnostic (no account or Region lookups), so `cdk synth`
 * runs offline and gives the same template every time.
 */
export class CommandCenterStack extends Stack {
  readonly api: apigwv2.HttpApi;
  readonly functions: Record<'http' | 'worker' | 'scheduled', AppFunction>;

  constructor(scope: Construct, id: string, props: CommandCenterStackProps) {
    super(scope, id, { ...props, analyticsReporting: false });
    const { settings } = props;
    const prefix = `mcc-${settings.name}`;
    const removalPolicy = settings.protectData ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY;
    const names = { http: `${prefix}-http`, worker: `${prefix}-worker`, scheduled: `${prefix}-scheduled` };
    const functionArn = (name: string) =>
      this.formatArn({
        service: 'lambda',
        resource: 'function',
        resourceName: name,
        arnFormat: ArnFormat.COLON_RESOURCE_NAME,
      });

    const tables = new AppTables(this, 'Tables', { prefix: `${prefix}-`, protectData: settings.protectData });

    const secret = new secretsmanager.Secret(this, 'AppSecret', {
      secretName: `${prefix}/app`,
      description:
        'Command Center: Slack, Workfront and Asana secrets and workspace settings (README, Deploy)',
      // Placeholders only (every key, empty); never real values in a template.
      secretStringValue: SecretValue.unsafePlainText(secretPlaceholder()),
      removalPolicy,
    });
    acknowledge(
      secret,
      'AwsSolutions-SMG4',
      'Holds Slack, Workfront and Asana tokens issued by those vendors, which Secrets Manager cannot rotate; ' +
        'the admin rotates them at the vendor and updates the secret (README, Deploy).',
    );

    // EventBridge Scheduler: the group the app's one-time schedules go in, and the role schedules use
    // to invoke the scheduled function (and nothing else).
    const scheduleGroup = new scheduler.ScheduleGroup(this, 'ScheduleGroup', {
      scheduleGroupName: prefix,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    const schedulerRole = new iam.Role(this, 'SchedulerRole', {
      assumedBy: new iam.ServicePrincipal('scheduler.amazonaws.com', {
        conditions: { StringEquals: { 'aws:SourceAccount': Aws.ACCOUNT_ID } },
      }),
      description: 'EventBridge Scheduler: invoke the Command Center scheduled function',
    });

    const agents =
      settings.agent.kind === 'stack'
        ? new AppAgents(this, 'Agents', {
            namePrefix: prefix,
            modelId: settings.agentModel,
            knowledgeBaseId: settings.agent.knowledgeBaseId,
          })
        : undefined;
    const agent =
      settings.agent.kind === 'existing'
        ? { id: settings.agent.agentId, aliasId: settings.agent.agentAliasId }
        : agents
          ? { id: agents.supervisor.attrAgentId, aliasId: agents.supervisorAlias.attrAgentAliasId }
          : undefined;

    const environment: Record<string, string> = {
      LOG_LEVEL: settings.logLevel,
      METRICS_NAMESPACE: `CommandCenter/${settings.name}`,
      TABLE_PREFIX: `${prefix}-`,
      APP_SECRET_ID: secret.secretArn,
      WORKER_FUNCTION_NAME: names.worker,
      SCHEDULED_FUNCTION_ARN: functionArn(names.scheduled),
      SCHEDULER_ROLE_ARN: schedulerRole.roleArn,
      SCHEDULER_GROUP: prefix,
      APPROVAL_THRESHOLD_USD: String(settings.approvalThresholdUsd),
      VP_THRESHOLD_USD: String(settings.vpThresholdUsd),
      APPROVAL_REMINDER_HOURS: '24',
      APPROVAL_EXPIRY_DAYS: '5',
      WORKFRONT_API_VERSION: '15.0',
      WORKFRONT_AUTH_MODE: 'apiKey-param',
      ...(agent ? { BEDROCK_AGENT_ID: agent.id, BEDROCK_AGENT_ALIAS_ID: agent.aliasId } : {}),
    };
    const fn = (key: keyof typeof names, entry: 'http' | 'worker' | 'scheduled', description: string) =>
      new AppFunction(this, `${key.charAt(0).toUpperCase()}${key.slice(1)}`, {
        entry,
        functionName: names[key],
        description,
        ...SIZING[key],
        environment,
        logRetention: settings.logRetention,
        removalPolicy,
      });
    this.functions = {
      http: fn('http', 'http', 'Command Center HTTP app: Slack, webhooks, health (API Gateway)'),
      worker: fn('worker', 'worker', 'Command Center worker: agent turns, approvals, provisioning (jobs)'),
      scheduled: fn('scheduled', 'scheduled', 'Command Center scheduled work: sweep, reminders, expiry'),
    };

    // What every function may do: its tables' items, the secret, dispatch jobs to the worker, and
    // create, read, replace and delete schedules in the group (passing only the scheduler role): digest
    // subscriptions are recurring schedules updated by reading then fully replacing them (GetSchedule).
    const workerArn = functionArn(names.worker);
    for (const { role } of Object.values(this.functions)) {
      tables.grantReadWriteData(role);
      secret.grantRead(role);
      role.addToPrincipalPolicy(
        new iam.PolicyStatement({ actions: ['lambda:InvokeFunction'], resources: [workerArn] }),
      );
      scheduleGroup.grantReadSchedules(role);
      scheduleGroup.grantWriteSchedules(role);
      scheduleGroup.grantDeleteSchedules(role);
      schedulerRole.grantPassRole(role);
      for (const table of Object.values(tables.tables)) {
        acknowledge(
          role,
          `AwsSolutions-IAM5[Resource::${arnRef(table)}/index/*]`,
          'Queries on the app’s own table’s global secondary indexes (index/*), granted by grantReadWriteData.',
        );
      }
      acknowledge(
        role,
        `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:scheduler:<AWS::Region>:<AWS::AccountId>:schedule/${prefix}/*]`,
        'Schedules the app names at run time (approval reminders and expiry, digest subscriptions), only inside its own group.',
      );
    }
    // The Bedrock agent: the worker runs agent turns, so it alone may invoke the supervisor's alias.
    if (agent) {
      const aliasArn = this.formatArn({
        service: 'bedrock',
        resource: 'agent-alias',
        resourceName: `${agent.id}/${agent.aliasId}`,
        arnFormat: ArnFormat.SLASH_RESOURCE_NAME,
      });
      this.functions.worker.role.addToPrincipalPolicy(
        new iam.PolicyStatement({
          // Streaming the final answer (streamFinalResponse) also needs InvokeModelWithResponseStream.
          actions: ['bedrock:InvokeAgent', 'bedrock:InvokeModelWithResponseStream'],
          resources: [aliasArn],
        }),
      );
    }
    this.functions.scheduled.function.grantInvoke(schedulerRole);
    acknowledge(
      schedulerRole,
      `AwsSolutions-IAM5[Resource::${arnRef(this.functions.scheduled.function)}:*]`,
      'lambda:InvokeFunction on the scheduled function and its versions (grantInvoke adds <arn>:*), nothing else.',
    );

    // The recurring sweep: re-dispatches lost jobs and runs retries that waited (DESIGN.md).
    new scheduler.Schedule(this, 'JobsSweep', {
      scheduleName: `${prefix}-jobs-sweep`,
      description: 'Command Center: re-dispatch due and lapsed jobs every 5 minutes',
      schedule: scheduler.ScheduleExpression.rate(Duration.minutes(5)),
      scheduleGroup,
      target: new targets.LambdaInvoke(this.functions.scheduled.function, {
        role: schedulerRole,
        input: scheduler.ScheduleTargetInput.fromObject({ kind: 'jobs.sweep' }),
        retryAttempts: 2,
        maxEventAge: Duration.minutes(5),
      }),
    });

    // The HTTP API: the four routes reach the one HTTP app; anything else is API Gateway's 404.
    this.api = new apigwv2.HttpApi(this, 'Api', {
      apiName: prefix,
      description: 'Command Center: Slack events, Workfront and Asana webhooks, health',
      createDefaultStage: false,
    });
    const accessLogs = new logs.LogGroup(this, 'ApiAccessLogs', {
      retention: settings.logRetention,
      removalPolicy,
    });
    new apigwv2.HttpStage(this, 'DefaultStage', {
      httpApi: this.api,
      stageName: '$default',
      autoDeploy: true,
      throttle: { rateLimit: 100, burstLimit: 200 },
      accessLogSettings: { destination: new apigwv2.LogGroupLogDestination(accessLogs) },
    });
    const integration = new HttpLambdaIntegration('HttpApp', this.functions.http.function, {
      payloadFormatVersion: apigwv2.PayloadFormatVersion.VERSION_2_0,
    });
    for (const route of ROUTES) {
      this.api.addRoutes({ path: route.path, methods: [route.method], integration });
    }
    acknowledge(
      this.api,
      'AwsSolutions-APIG4',
      'Called by Slack, Workfront and Asana, which cannot sign with IAM or Cognito: the app authenticates every ' +
        'request itself (Slack signature, webhook token/HMAC) and answers 401 otherwise; /healthz is public by design.',
    );

    const observability = new Observability(this, 'Observability', {
      name: prefix,
      namespace: environment.METRICS_NAMESPACE ?? '',
      functions: {
        http: this.functions.http.function,
        worker: this.functions.worker.function,
        scheduled: this.functions.scheduled.function,
      },
      api: this.api,
      alarmsEnabled: settings.alarmsEnabled,
      alarmEmail: settings.alarmEmail,
    });

    const apiUrl = this.api.apiEndpoint;
    new CfnOutput(this, 'ApiUrl', { value: apiUrl, description: 'Base URL of the HTTP API' });
    new CfnOutput(this, 'SlackRequestUrl', {
      value: `${apiUrl}/slack/events`,
      description: 'Slack: slash command, event subscription and interactivity request URL',
    });
    new CfnOutput(this, 'WorkfrontWebhookUrl', { value: `${apiUrl}/webhooks/workfront` });
    new CfnOutput(this, 'AsanaWebhookUrl', { value: `${apiUrl}/webhooks/asana` });
    new CfnOutput(this, 'SecretArn', {
      value: secret.secretArn,
      description: 'Fill this secret (README, Deploy)',
    });
    new CfnOutput(this, 'SecretConsoleUrl', {
      value: `https://${Aws.REGION}.console.aws.amazon.com/secretsmanager/secret?name=${encodeURIComponent(`${prefix}/app`)}&region=${Aws.REGION}`,
      description: 'Open the secret in the AWS console to fill it',
    });
    new CfnOutput(this, 'AlarmTopicArn', { value: observability.topic.topicArn });
    new CfnOutput(this, 'DashboardUrl', {
      value: `https://${Aws.REGION}.console.aws.amazon.com/cloudwatch/home?region=${Aws.REGION}#dashboards:name=${prefix}`,
    });
    if (agent) {
      new CfnOutput(this, 'AgentId', { value: agent.id });
      new CfnOutput(this, 'AgentAliasId', { value: agent.aliasId });
    }
  }
}
