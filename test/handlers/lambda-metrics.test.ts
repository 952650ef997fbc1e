import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { ApprovalRepository } from '../../app/adapters/dynamo/approval-repo';
import { createDocumentClient } from '../../app/adapters/dynamo/client';
import { tableNames } from '../../app/adapters/dynamo/tables';
import { handler as httpHandler } from '../../handlers/http';
import { resetForTests as resetScheduled, handler as scheduledHandler } from '../../handlers/scheduled';
import { anApproval } from '../helpers/approvals/records';
import {
  type HttpHandlerWorld,
  startHttpHandlerWorld,
  useHttpHandlerEnv,
} from '../helpers/http-handler-world';
import {
  FORM_UTF8,
  lambdaContext,
  signedSlackEvent,
  slashCommandForm,
  v2Event,
} from '../helpers/lambda-events';

const SECRET = 'metrics-test-signing-secret';
const PREFIX = 'lambda-metrics-';
const NAMESPACE = 'CommandCenter/test';
let world: HttpHandlerWorld;
let lines: string[] = [];

/** The values of `name` in the EMF lines written so far. */
function metricValues(name: string): unknown[] {
  return lines
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as Record<string, unknown>)
    .filter((entry) => '_aws' in entry && name in entry)
    .map((entry) => entry[name]);
}

beforeAll(async () => {
  world = await startHttpHandlerWorld(PREFIX);
});
afterAll(async () => {
  vi.unstubAllEnvs();
  await world.close();
});
beforeEach(() => {
  lines = [];
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    lines.push(String(chunk));
    return true;
  });
});

describe('metrics the Lambda entry points write (EMF) when METRICS_NAMESPACE is set', () => {
  it('handlers/http: AckLatency for each Slack request, none for other routes', async () => {
    useHttpHandlerEnv(world, {
      SLACK_SIGNING_SECRET: SECRET,
      METRICS_NAMESPACE: NAMESPACE,
      LOG_LEVEL: 'error',
    });
    const result = await httpHandler(
      signedSlackEvent(slashCommandForm('help'), { secret: SECRET, contentType: FORM_UTF8 }),
      lambdaContext(),
    );
    expect(result).toMatchObject({ statusCode: 200 });
    await httpHandler(v2Event({ method: 'GET', path: '/healthz' }), lambdaContext());
    const values = metricValues('AckLatency');
    expect(values).toHaveLength(1);
    expect(typeof values[0]).toBe('number');
    expect(values[0] as number).toBeGreaterThanOrEqual(0);
  });

  it('handlers/http: no metric lines without METRICS_NAMESPACE (local and test runs)', async () => {
    useHttpHandlerEnv(world, {
      SLACK_SIGNING_SECRET: SECRET,
      METRICS_NAMESPACE: undefined,
      LOG_LEVEL: 'error',
    });
    await httpHandler(
      signedSlackEvent(slashCommandForm('help'), { secret: SECRET, contentType: FORM_UTF8 }),
      lambdaContext(),
    );
    expect(metricValues('AckLatency')).toEqual([]);
  });

  it('handlers/scheduled: the sweep counts pending approvals (PendingApprovals) and reports JobLag', async () => {
    mockClient(LambdaClient).on(InvokeCommand).resolves({ StatusCode: 202 });
    const db = createDocumentClient({ region: 'us-east-1', endpoint: world.dynamo.endpoint });
    const repo = new ApprovalRepository(db, tableNames(PREFIX).approvals);
    await repo.create(anApproval({ approvalId: 'apr_metrics_1' }));
    await repo.create(anApproval({ approvalId: 'apr_metrics_2' }));
    await repo.create(anApproval({ approvalId: 'apr_metrics_3', status: 'APPROVED' }));
    db.destroy();
    vi.stubEnv('SLACK_SIGNING_SECRET', SECRET);
    vi.stubEnv('METRICS_NAMESPACE', NAMESPACE);
    vi.stubEnv('DYNAMODB_ENDPOINT', world.dynamo.endpoint);
    vi.stubEnv('TABLE_PREFIX', PREFIX);
    vi.stubEnv('WORKER_FUNCTION_NAME', 'mcc-test-worker');
    vi.stubEnv('LOG_LEVEL', 'error');
    resetScheduled();
    await scheduledHandler({ kind: 'jobs.sweep' }, { awsRequestId: 'req-metrics' });
    expect(metricValues('PendingApprovals')).toEqual([2]);
    expect(metricValues('JobLag')).toHaveLength(1);
    resetScheduled();
  });
});
