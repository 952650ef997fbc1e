import {
  BedrockAgentRuntimeClient,
  InvokeAgentCommand,
  type InvokeAgentCommandInput,
  type InvokeAgentCommandOutput,
} from '@aws-sdk/client-bedrock-agent-runtime';
import type { Config } from '../config';

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

/** The real invoker over the shared client. */
export function bedrockInvoker(client: BedrockAgentRuntimeClient): AgentInvoker {
  return {
    invoke: (input, signal) => client.send(new InvokeAgentCommand(input), { abortSignal: signal }),
  };
}
