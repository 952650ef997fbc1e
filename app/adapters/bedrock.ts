import {
  BedrockAgentRuntimeClient,
  InvokeAgentCommand,
  type InvokeAgentCommandInput,
  type InvokeAgentCommandOutput,
} from '@aws-sdk/client-bedrock-agent-runtime';
import type { Config } from '../config';
import type { AppLogger } from '../logger';

/**
 * The Bedrock Agent Runtime client, created once per container (cold start pays for it once; every
 * turn on a warm container reuses its connection pool). `maxAttempts: 2`: the job runner owns
 * retries with backoff (platform-facts §8: throttling is retried by the job, not by spinning here);
 * the SDK's own retry of `ModelNotReadyException` still applies inside those attempts.
 */
let shared: { key: string; client: BedrockAgentRuntimeClient } | undefined;

export function bedrockAgentClient(config: Pick<Config, 'dynamo'>): BedrockAgentRuntimeClient {
  const key = config.dynamo.region;
  if (!shared || shared.key !== key) {
    shared = { key, client: new BedrockAgentRuntimeClient({ region: key, maxAttempts: 2 }) };
  }
  return shared.client;
}

/** What the agent service needs from Bedrock: one InvokeAgent call that can be aborted. */
export interface AgentInvoker {
  invoke(input: InvokeAgentCommandInput, signal: AbortSignal): Promise<InvokeAgentCommandOutput>;
}

/**
 * The real invoker over the shared client. With a `metrics` logger, every call records AgentCalls,
 * AgentLatency (request to the end of the answer's stream, or to the failure) and, when the call or
 * its stream fails, AgentErrors (`app/metrics.ts`). An abort by the caller is neither.
 */
export function bedrockInvoker(
  client: BedrockAgentRuntimeClient,
  metrics?: Pick<AppLogger, 'metric'>,
  clock: () => number = Date.now,
): AgentInvoker {
  const send: AgentInvoker['invoke'] = (input, signal) =>
    client.send(new InvokeAgentCommand(input), { abortSignal: signal });
  return { invoke: metrics ? measured(send, metrics, clock) : send };
}

function measured(
  send: AgentInvoker['invoke'],
  metrics: Pick<AppLogger, 'metric'>,
  clock: () => number,
): AgentInvoker['invoke'] {
  return async (input, signal) => {
    const started = clock();
    metrics.metric('agentCalls', 1);
    const finish = (failed: boolean) => {
      metrics.metric('agentLatency', clock() - started);
      if (failed && !signal.aborted) metrics.metric('agentErrors', 1);
    };
    let output: InvokeAgentCommandOutput;
    try {
      output = await send(input, signal);
    } catch (error) {
      finish(true);
      throw error;
    }
    const stream = output.completion;
    if (!stream) {
      finish(false);
      return output;
    }
    // The answer arrives as a stream: the call is over when the stream ends (or fails).
    async function* observed() {
      let failed = false;
      try {
        for await (const event of stream ?? []) {
          // A failure can also arrive as an exception member of the stream (e.g. throttlingException).
          if (Object.entries(event).some(([key, value]) => key.endsWith('Exception') && value)) failed = true;
          yield event;
        }
      } catch (error) {
        failed = true;
        throw error;
      } finally {
        finish(failed);
      }
    }
    return { ...output, completion: observed() };
  };
}
