import { Match } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { SLACK_EVENTS_PATH } from '../../app/http/receiver';
import { JOBS_SWEEP_KIND } from '../../app/scheduled/registry';
import { functionId, resources, synth } from './synth';

describe('HTTP API routes', () => {
  it('routes exactly the four contract routes to the HTTP function (payload v2)', () => {
    const { template } = synth({ env: 'prod' });
    const routeKeys = Object.values(resources(template, 'AWS::ApiGatewayV2::Route'))
      .map((route) => route.Properties.RouteKey)
      .sort();
    expect(routeKeys).toEqual(
      [
        `POST ${SLACK_EVENTS_PATH}`,
        'POST /webhooks/workfront',
        'POST /webhooks/asana',
        'GET /healthz',
      ].sort(),
    );
    const integrations = Object.values(resources(template, 'AWS::ApiGatewayV2::Integration'));
    expect(integrations).toHaveLength(1);
    expect(integrations[0]?.Properties).toMatchObject({
      IntegrationType: 'AWS_PROXY',
      PayloadFormatVersion: '2.0',
    });
    expect(JSON.stringify(integrations[0]?.Properties.IntegrationUri)).toContain(
      functionId(template, 'mcc-prod-http'),
    );
  });

  it('the default stage deploys itself, logs access and is throttled', () => {
    synth({ env: 'prod' }).template.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
      StageName: '$default',
      AutoDeploy: true,
      AccessLogSettings: { DestinationArn: Match.anyValue() },
      DefaultRouteSettings: { ThrottlingRateLimit: 100, ThrottlingBurstLimit: 200 },
    });
  });

  it('outputs the request URL to paste into the Slack app', () => {
    const { template } = synth({ env: 'prod' });
    const output = template.findOutputs('SlackRequestUrl').SlackRequestUrl as { Value: unknown };
    expect(JSON.stringify(output.Value)).toContain(`${SLACK_EVENTS_PATH}`);
  });
});

describe('EventBridge Scheduler', () => {
  it('a group named as SCHEDULER_GROUP, and the 5-minute sweep in it invoking the scheduled function', () => {
    const { template } = synth({ env: 'prod' });
    template.hasResourceProperties('AWS::Scheduler::ScheduleGroup', { Name: 'mcc-prod' });
    const [schedule, ...others] = Object.values(resources(template, 'AWS::Scheduler::Schedule'));
    expect(others).toEqual([]);
    expect(schedule?.Properties).toMatchObject({
      ScheduleExpression: 'rate(5 minutes)',
      GroupName: 'mcc-prod',
      State: 'ENABLED',
    });
    const target = schedule?.Properties.Target as {
      Arn: unknown;
      RoleArn: unknown;
      Input: string;
      RetryPolicy: unknown;
    };
    expect(JSON.parse(target.Input)).toEqual({ kind: JOBS_SWEEP_KIND });
    expect(JSON.stringify(target.Arn)).toContain(functionId(template, 'mcc-prod-scheduled'));
    expect(JSON.stringify(target.RoleArn)).toContain('SchedulerRole');
    expect(target.RetryPolicy).toEqual({ MaximumEventAgeInSeconds: 300, MaximumRetryAttempts: 2 });
  });
});
