import {
  BedrockAgentRuntimeClient,
  InvokeAgentCommand,
  ThrottlingException,
} from '@aws-sdk/client-bedrock-agent-runtime';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { bedrockInvoker } from '../../app/adapters/bedrock';
import { AppLogger } from '../../app/logger';
import { METRIC_DIMENSION, METRICS } from '../../app/metrics';

const NAMESPACE = 'CommandCenter/test';

function metricsLogger(level: 'debug' | 'error' = 'debug', namespace: string | null = NAMESPACE) {
  const lines: Record<string, unknown>[] = [];
  const logger = new AppLogger({
    level,
    clock: () => new Date('2026-12-03T10:00:00.000Z'),
    sink: (line) => lines.push(JSON.parse(line) as Record<string, unknown>),
    ...(namespace ? { metricsNamespace: namespace } : {}),
  });
  const values = (name: string) => lines.filter((l) => name in l && '_aws' in l).map((l) => l[name]);
  return { logger, lines, values };
}

describe('AppLogger.metric (Embedded Metric Format)', () => {
  it('writes one EMF line CloudWatch turns into a metric value', () => {
    const { logger, lines } = metricsLogger();
    logger.child({ jobId: 'job_1' }).metric('jobsFailed', 1);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({
      _aws: {
        Timestamp: Date.parse('2026-12-03T10:00:00.000Z'),
        CloudWatchMetrics: [
          {
            Namespace: NAMESPACE,
            Dimensions: [[METRIC_DIMENSION.name]],
            Metrics: [{ Name: 'JobsFailed', Unit: 'Count' }],
          },
        ],
      },
      [METRIC_DIMENSION.name]: METRIC_DIMENSION.value,
      JobsFailed: 1,
      jobId: 'job_1',
    });
  });

  it('is written at any log level, and not at all without a namespace', () => {
    const quiet = metricsLogger('error');
    quiet.logger.info('not written');
    quiet.logger.metric('ackLatency', 120);
    expect(quiet.values('AckLatency')).toEqual([120]);
    expect(quiet.lines).toHaveLength(1);
    const local = metricsLogger('debug', null);
    local.logger.metric('ackLatency', 120);
    expect(local.lines).toEqual([]);
    expect(local.logger.metricsEnabled).toBe(false);
  });

  it('defines every metric once, with a unit CloudWatch knows', () => {
    const names = Object.values(METRICS).map((m) => m.name);
    expect(new Set(names).size).toBe(names.length);
    for (const metric of Object.values(METRICS)) expect(['Milliseconds', 'Count']).toContain(metric.unit);
  });
});

describe('bedrockInvoker metrics', () => {
  const bedrock = mockClient(BedrockAgentRuntimeClient);
  afterEach(() => bedrock.reset());
  const input = { agentId: 'AGENT1', agentAliasId: 'ALIAS1', sessionId: 'session-1', inputText: 'hi' };

  function ticking(): () => number {
    let now = 1_000;
    return () => {
      now += 250;
      return now;
    };
  }

  async function drain(stream: AsyncIterable<unknown> | undefined): Promise<void> {
    for await (const _ of stream ?? []) {
      // read to the end, as the agent service does
    }
  }

  it('records calls and the latency to the end of the stream', async () => {
    bedrock.on(InvokeAgentCommand).resolves({
      completion: (async function* () {
        yield { chunk: { bytes: new TextEncoder().encode('hello') } };
      })(),
      contentType: 'application/json',
      sessionId: 'session-1',
    });
    const { logger, values } = metricsLogger();
    const invoker = bedrockInvoker(new BedrockAgentRuntimeClient({ region: 'us-east-1' }), logger, ticking());
    const output = await invoker.invoke(input, new AbortController().signal);
    expect(values('AgentLatency')).toEqual([]);
    await drain(output.completion);
    expect(values('AgentCalls')).toEqual([1]);
    expect(values('AgentLatency')).toEqual([250]);
    expect(values('AgentErrors')).toEqual([]);
  });

  it('counts a refused call, a stream that breaks and an exception event as errors', async () => {
    const { logger, values } = metricsLogger();
    const client = new BedrockAgentRuntimeClient({ region: 'us-east-1' });
    const invoker = bedrockInvoker(client, logger, ticking());
    bedrock
      .on(InvokeAgentCommand)
      .rejectsOnce(new Error('AccessDeniedException'))
      .resolvesOnce({
        completion: (async function* () {
          yield { chunk: { bytes: new TextEncoder().encode('par') } };
          throw new Error('stream reset');
        })(),
        contentType: 'application/json',
        sessionId: 'session-1',
      })
      .resolvesOnce({
        completion: (async function* () {
          yield { throttlingException: new ThrottlingException({ message: 'slow down', $metadata: {} }) };
        })(),
        contentType: 'application/json',
        sessionId: 'session-1',
      });
    await expect(invoker.invoke(input, new AbortController().signal)).rejects.toThrow('AccessDenied');
    const broken = await invoker.invoke(input, new AbortController().signal);
    await expect(drain(broken.completion)).rejects.toThrow('stream reset');
    const throttled = await invoker.invoke(input, new AbortController().signal);
    await drain(throttled.completion);
    expect(values('AgentCalls')).toEqual([1, 1, 1]);
    expect(values('AgentErrors')).toEqual([1, 1, 1]);
    expect(values('AgentLatency')).toHaveLength(3);
  });

  it('does not count a call the caller aborted as an agent error', async () => {
    const { logger, values } = metricsLogger();
    const controller = new AbortController();
    controller.abort();
    bedrock.on(InvokeAgentCommand).rejects(new Error('aborted'));
    const invoker = bedrockInvoker(new BedrockAgentRuntimeClient({ region: 'us-east-1' }), logger, ticking());
    await expect(invoker.invoke(input, controller.signal)).rejects.toThrow();
    expect(values('AgentErrors')).toEqual([]);
    expect(values('AgentLatency')).toHaveLength(1);
  });
});
