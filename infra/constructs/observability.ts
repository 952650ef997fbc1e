import { Duration } from 'aws-cdk-lib';
import type * as apigwv2 from 'aws-cdk-lib/aws-apigatewayv2';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import { Construct } from 'constructs';
import { METRIC_DIMENSION, METRICS, type MetricKey } from '../../app/metrics';

export interface ObservabilityProps {
  /** Dashboard name and alarm name prefix, e.g. `mcc-prod`. */
  name: string;
  /** Namespace the app writes its metrics to (`METRICS_NAMESPACE`). */
  namespace: string;
  functions: Record<'http' | 'worker' | 'scheduled', lambda.IFunction>;
  api: apigwv2.HttpApi;
  /** Alarm actions on (notifications to the topic); the alarms exist either way. */
  alarmsEnabled: boolean;
  alarmEmail: string | undefined;
}

const FIVE_MINUTES = Duration.minutes(5);
/** "Over 5 %" is strictly greater; counts alarm at their threshold. */
const OVER = cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD;

/**
 * The platform design's health view (§8): a dashboard (ack latency, job lag and failures, agent
 * latency and errors, webhook failures, sync conflicts, pending approvals) and alarms to one SNS
 * topic. App metrics come from the EMF lines the code writes (`app/metrics.ts`, same names);
 * Lambda and API Gateway metrics from the services.
 */
export class Observability extends Construct {
  readonly topic: sns.Topic;
  readonly dashboard: cloudwatch.Dashboard;
  readonly alarms: cloudwatch.Alarm[] = [];

  constructor(scope: Construct, id: string, props: ObservabilityProps) {
    super(scope, id);
    this.topic = new sns.Topic(this, 'Alarms', {
      displayName: `Command Center alarms (${props.name})`,
      enforceSSL: true,
    });
    if (props.alarmEmail) this.topic.addSubscription(new subscriptions.EmailSubscription(props.alarmEmail));

    const app = (key: MetricKey, statistic: string, period = FIVE_MINUTES) =>
      new cloudwatch.Metric({
        namespace: props.namespace,
        metricName: METRICS[key].name,
        dimensionsMap: { [METRIC_DIMENSION.name]: METRIC_DIMENSION.value },
        statistic,
        period,
        label: METRICS[key].name,
      });
    const rate = (label: string, numerator: cloudwatch.IMetric, denominator: cloudwatch.IMetric) =>
      new cloudwatch.MathExpression({
        expression: 'IF(d > 0, 100 * n / d, 0)',
        usingMetrics: { n: numerator, d: denominator },
        label,
        period: Duration.minutes(1),
      });

    // Error rate over 5 % for 5 minutes, per function and for the API.
    for (const [name, fn] of Object.entries(props.functions)) {
      this.alarm(
        `${name}-error-rate`,
        `${name} function: more than 5 % of invocations failed for 5 minutes`,
        {
          metric: rate(
            `${name} error %`,
            fn.metricErrors({ period: Duration.minutes(1), statistic: 'Sum' }),
            fn.metricInvocations({ period: Duration.minutes(1), statistic: 'Sum' }),
          ),
          threshold: 5,
          evaluationPeriods: 5,
          comparison: OVER,
        },
        props,
      );
    }
    const api5xx = props.api.metricServerError({ period: Duration.minutes(1), statistic: 'Sum' });
    const apiCount = props.api.metricCount({ period: Duration.minutes(1), statistic: 'Sum' });
    this.alarm(
      'api-5xx-rate',
      'HTTP API: more than 5 % of requests answered 5xx for 5 minutes',
      {
        metric: rate('API 5xx %', api5xx, apiCount),
        threshold: 5,
        evaluationPeriods: 5,
        comparison: OVER,
      },
      props,
    );
    this.alarm(
      'jobs-failed',
      'A job failed for good (the user was told; see the worker logs for job_failed)',
      {
        metric: app('jobsFailed', 'Sum'),
        threshold: 1,
      },
      props,
    );
    this.alarm(
      'webhook-failures',
      'Workfront/Asana webhook deliveries failed (vendors disable failing webhooks)',
      {
        metric: app('webhookFailures', 'Sum'),
        threshold: 1,
      },
      props,
    );
    this.alarm(
      'sync-conflict-rate',
      'More than 5 % of synced changes conflicted in 5 minutes',
      {
        metric: new cloudwatch.MathExpression({
          expression: 'IF(d > 0, 100 * n / d, 0)',
          usingMetrics: { n: app('syncConflicts', 'Sum'), d: app('syncChanges', 'Sum') },
          label: 'sync conflict %',
          period: FIVE_MINUTES,
        }),
        threshold: 5,
        comparison: OVER,
      },
      props,
    );
    this.alarm(
      'agent-error-rate',
      'More than 5 % of agent calls failed for 5 minutes',
      {
        metric: rate(
          'agent error %',
          app('agentErrors', 'Sum', Duration.minutes(1)),
          app('agentCalls', 'Sum', Duration.minutes(1)),
        ),
        threshold: 5,
        evaluationPeriods: 5,
        comparison: OVER,
      },
      props,
    );
    this.alarm(
      'ack-latency',
      'Slack acks slower than 2.5 s (p99, 5 minutes): Slack gives up at 3 s',
      {
        metric: app('ackLatency', 'p99'),
        threshold: 2_500,
      },
      props,
    );
    this.alarm(
      'job-lag',
      'The oldest due job has waited more than 15 minutes',
      {
        metric: app('jobLag', 'Maximum'),
        threshold: 15 * 60_000,
      },
      props,
    );

    this.dashboard = new cloudwatch.Dashboard(this, 'Dashboard', {
      dashboardName: props.name,
      defaultInterval: Duration.hours(3),
    });
    const graph = (title: string, left: cloudwatch.IMetric[], right: cloudwatch.IMetric[] = []) =>
      new cloudwatch.GraphWidget({ title, left, right, width: 8, height: 6 });
    this.dashboard.addWidgets(
      graph('Slack ack latency (ms)', [app('ackLatency', 'p50'), app('ackLatency', 'p99')]),
      graph('Job lag (ms, oldest due job)', [app('jobLag', 'Maximum')]),
      graph('Jobs failed / retried', [app('jobsFailed', 'Sum'), app('jobRetries', 'Sum')]),
    );
    this.dashboard.addWidgets(
      graph('Agent latency (ms)', [app('agentLatency', 'p50'), app('agentLatency', 'p90')]),
      graph('Agent calls / errors', [app('agentCalls', 'Sum'), app('agentErrors', 'Sum')]),
      graph('Pending approvals', [app('pendingApprovals', 'Maximum')]),
    );
    this.dashboard.addWidgets(
      graph('Webhook failures (Sync)', [app('webhookFailures', 'Sum')]),
      graph('Sync changes / conflicts (Sync)', [app('syncChanges', 'Sum'), app('syncConflicts', 'Sum')]),
      graph(
        'Lambda errors',
        Object.entries(props.functions).map(([name, fn]) =>
          fn.metricErrors({ label: name, statistic: 'Sum' }),
        ),
      ),
    );
    this.dashboard.addWidgets(
      new cloudwatch.AlarmStatusWidget({ title: 'Alarms', alarms: this.alarms, width: 16, height: 6 }),
      new cloudwatch.TextWidget({
        width: 8,
        height: 6,
        markdown: [
          `**App metrics** (${props.namespace}, EMF log lines)`,
          ...Object.values(METRICS).map(
            (m) => `- ${m.name}: ${m.source}${m.emitted ? '' : ' — not written yet'}`,
          ),
        ].join('\n'),
      }),
    );
  }

  private alarm(
    name: string,
    description: string,
    options: {
      metric: cloudwatch.IMetric;
      threshold: number;
      evaluationPeriods?: number;
      comparison?: cloudwatch.ComparisonOperator;
    },
    props: ObservabilityProps,
  ): void {
    const evaluationPeriods = options.evaluationPeriods ?? 1;
    const alarm = new cloudwatch.Alarm(this, name, {
      alarmName: `${props.name}-${name}`,
      alarmDescription: description,
      metric: options.metric,
      threshold: options.threshold,
      evaluationPeriods,
      datapointsToAlarm: evaluationPeriods,
      comparisonOperator:
        options.comparison ?? cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      actionsEnabled: props.alarmsEnabled,
    });
    alarm.addAlarmAction(new actions.SnsAction(this.topic));
    alarm.addOkAction(new actions.SnsAction(this.topic));
    this.alarms.push(alarm);
  }
}
