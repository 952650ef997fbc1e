/**
 * The app's CloudWatch metrics: one definition that the code emitting them and the CDK stack's
 * dashboard and alarms (`infra/constructs/observability.ts`) both import, so a renamed metric
 * cannot leave an alarm watching nothing.
 *
 * Metrics are written as CloudWatch Embedded Metric Format (EMF) lines through the app's logger
 * (`AppLogger.metric`): on Lambda, CloudWatch Logs turns each such line into a metric value, with
 * no PutMetricData call on the request path and no extra dependency. Outside Lambda (no
 * `METRICS_NAMESPACE`) nothing is written.
 */

/** Every metric carries this one dimension, so alarms and graphs can name the series exactly. */
export const METRIC_DIMENSION = { name: 'Service', value: 'command-center' } as const;

type MetricUnit = 'Milliseconds' | 'Count';

export interface MetricDef {
  name: string;
  unit: MetricUnit;
  /** Where the value comes from (shown on the dashboard and in the README). */
  source: string;
  /** False while no code path emits it yet (its alarm is defined so it is ready when it does). */
  emitted: boolean;
}

export const METRICS = {
  /** Request to response on `POST /slack/events`, measured in the HTTP Lambda (Slack allows 3 s). */
  ackLatency: {
    name: 'AckLatency',
    unit: 'Milliseconds',
    source: 'handlers/http.ts, per Slack request',
    emitted: true,
  },
  /** Age of the oldest due job when the sweep runs (0 when none waits): how far the worker is behind. */
  jobLag: { name: 'JobLag', unit: 'Milliseconds', source: 'JobService.sweep', emitted: true },
  /** Jobs that ran out of attempts or failed for good. */
  jobsFailed: { name: 'JobsFailed', unit: 'Count', source: 'JobService, on final failure', emitted: true },
  /** Job attempts that failed and were scheduled again. */
  jobRetries: { name: 'JobRetries', unit: 'Count', source: 'JobService, on retry', emitted: true },
  /** One InvokeAgent call from request to the end of its stream. */
  agentLatency: {
    name: 'AgentLatency',
    unit: 'Milliseconds',
    source: 'adapters/bedrock.ts, per InvokeAgent call',
    emitted: true,
  },
  /** InvokeAgent calls that failed (at the call or mid-stream). */
  agentErrors: {
    name: 'AgentErrors',
    unit: 'Count',
    source: 'adapters/bedrock.ts, per failed call',
    emitted: true,
  },
  /** InvokeAgent calls started (the denominator of the agent error rate). */
  agentCalls: { name: 'AgentCalls', unit: 'Count', source: 'adapters/bedrock.ts, per call', emitted: true },
  /** Approval requests waiting for a decision, counted by the sweep every 5 minutes. */
  pendingApprovals: {
    name: 'PendingApprovals',
    unit: 'Count',
    source: 'the jobs.sweep schedule',
    emitted: true,
  },
  /** Workfront/Asana webhook deliveries refused or failed (bad token/signature, malformed, store error). */
  webhookFailures: {
    name: 'WebhookFailures',
    unit: 'Count',
    source: 'the webhook routes (Sync issue)',
    emitted: false,
  },
  /** Synced-object changes processed (the denominator of the conflict rate). */
  syncChanges: { name: 'SyncChanges', unit: 'Count', source: 'the sync engine (Sync issue)', emitted: false },
  /** Changes that found both sides changed the same field (a conflict). */
  syncConflicts: {
    name: 'SyncConflicts',
    unit: 'Count',
    source: 'the sync engine (Sync issue)',
    emitted: false,
  },
} as const satisfies Record<string, MetricDef>;

export type MetricKey = keyof typeof METRICS;

/**
 * The fields of one EMF log line for `value` of `metric` (merged into a JSON log entry).
 * https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/CloudWatch_Embedded_Metric_Format_Specification.html
 */
export function emfFields(
  namespace: string,
  metric: MetricDef,
  value: number,
  timestampMs: number,
): Record<string, unknown> {
  return {
    _aws: {
      Timestamp: timestampMs,
      CloudWatchMetrics: [
        {
          Namespace: namespace,
          Dimensions: [[METRIC_DIMENSION.name]],
          Metrics: [{ Name: metric.name, Unit: metric.unit }],
        },
      ],
    },
    [METRIC_DIMENSION.name]: METRIC_DIMENSION.value,
    [metric.name]: value,
  };
}
