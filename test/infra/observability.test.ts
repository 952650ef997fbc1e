import { describe, expect, it } from 'vitest';
import { METRIC_DIMENSION, METRICS } from '../../app/metrics';
import { resources, synth } from './synth';

type AlarmProps = {
  AlarmName: string;
  ActionsEnabled: boolean;
  AlarmActions: unknown[];
  Threshold: number;
  EvaluationPeriods: number;
  ComparisonOperator: string;
  MetricName?: string;
  Namespace?: string;
  Dimensions?: { Name: string; Value: string }[];
  Metrics?: { Expression?: string; MetricStat?: { Metric: { MetricName: string; Namespace: string } } }[];
};

function alarms(env: string): Record<string, AlarmProps> {
  const out: Record<string, AlarmProps> = {};
  for (const alarm of Object.values(resources(synth({ env }).template, 'AWS::CloudWatch::Alarm'))) {
    const props = alarm.Properties as AlarmProps;
    out[props.AlarmName.replace(`mcc-${env}-`, '')] = props;
  }
  return out;
}

/** The app metric names an alarm watches (directly or inside its math expression). */
function appMetricsOf(alarm: AlarmProps | undefined, namespace: string): string[] {
  if (!alarm) return [];
  if (alarm.MetricName) return alarm.Namespace === namespace ? [alarm.MetricName] : [];
  return (alarm.Metrics ?? [])
    .flatMap((m) =>
      m.MetricStat && m.MetricStat.Metric.Namespace === namespace ? [m.MetricStat.Metric.MetricName] : [],
    )
    .sort();
}

describe('alarms (platform design §8) and the dashboard', () => {
  it('error rate over 5 % for 5 minutes, per function and for the API', () => {
    const all = alarms('prod');
    for (const name of ['http-error-rate', 'worker-error-rate', 'scheduled-error-rate', 'api-5xx-rate']) {
      expect(all[name], name).toMatchObject({
        Threshold: 5,
        EvaluationPeriods: 5,
        ComparisonOperator: 'GreaterThanThreshold',
      });
      expect(JSON.stringify(all[name]?.Metrics)).toContain('100 * n / d');
    }
  });

  it('failed jobs, webhook failures, sync conflict rate and agent errors watch the metrics the app writes', () => {
    const all = alarms('prod');
    const ns = 'CommandCenter/prod';
    expect(appMetricsOf(all['jobs-failed'], ns)).toEqual([METRICS.jobsFailed.name]);
    expect(all['jobs-failed']).toMatchObject({
      Threshold: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
    });
    expect(appMetricsOf(all['webhook-failures'], ns)).toEqual([METRICS.webhookFailures.name]);
    expect(appMetricsOf(all['sync-conflict-rate'], ns)).toEqual(
      [METRICS.syncChanges.name, METRICS.syncConflicts.name].sort(),
    );
    expect(all['sync-conflict-rate']).toMatchObject({
      Threshold: 5,
      ComparisonOperator: 'GreaterThanThreshold',
    });
    expect(appMetricsOf(all['agent-error-rate'], ns)).toEqual(
      [METRICS.agentCalls.name, METRICS.agentErrors.name].sort(),
    );
    expect(appMetricsOf(all['ack-latency'], ns)).toEqual([METRICS.ackLatency.name]);
    expect(appMetricsOf(all['job-lag'], ns)).toEqual([METRICS.jobLag.name]);
    // Every app metric is read with the one dimension the EMF lines carry.
    expect(JSON.stringify(all['jobs-failed'])).toContain(
      JSON.stringify({ Dimensions: [{ Name: METRIC_DIMENSION.name, Value: METRIC_DIMENSION.value }] }).slice(
        1,
        -1,
      ),
    );
  });

  it('notify the SNS topic; actions off in dev, on in staging and prod', () => {
    for (const [env, enabled] of [
      ['dev', false],
      ['staging', true],
      ['prod', true],
    ] as const) {
      for (const alarm of Object.values(alarms(env))) {
        expect(alarm.ActionsEnabled).toBe(enabled);
        expect(JSON.stringify(alarm.AlarmActions)).toContain('ObservabilityAlarms');
      }
    }
    const withEmail = synth({ env: 'prod', alarmEmail: 'ops@example.com' }).template;
    withEmail.hasResourceProperties('AWS::SNS::Subscription', {
      Protocol: 'email',
      Endpoint: 'ops@example.com',
    });
  });

  it('the dashboard graphs every app metric', () => {
    const { template } = synth({ env: 'prod' });
    const [dashboard] = Object.values(resources(template, 'AWS::CloudWatch::Dashboard'));
    const body = JSON.stringify(dashboard?.Properties.DashboardBody);
    for (const metric of Object.values(METRICS)) expect(body, metric.name).toContain(metric.name);
    expect(body).toContain('CommandCenter/prod');
    // The legend says which metrics no code writes yet (the Sync issue's).
    for (const metric of Object.values(METRICS).filter((m) => !m.emitted))
      expect(body).toContain(`${metric.name}: ${metric.source} — not written yet`);
  });
});
