import {
  BedrockAgentRuntimeClient,
  InvokeAgentCommand,
  type InvokeAgentCommandInput,
  type InvokeAgentCommandOutput,
  type ResponseStream,
} from '@aws-sdk/client-bedrock-agent-runtime';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, beforeEach } from 'vitest';
import { addDays, todayIn } from '../../app/domain/calendar';
import type { JobContext } from '../../app/services/job-types';
import { waitForInProcessJobs } from '../../app/services/jobs-wiring';
import { type Harness, startHarness } from './harness';
import { PAYLOAD_DEFAULTS } from './payloads';

export const bedrock = mockClient(BedrockAgentRuntimeClient);
const enc = new TextEncoder();
const bot = PAYLOAD_DEFAULTS.botUserId;
export const channel = PAYLOAD_DEFAULTS.channelId;
export const user = PAYLOAD_DEFAULTS.userId;

// The test's clock: the wall clock at the start of this file, moved only by `tick` steps.
let now = Date.now();
const clock = () => new Date(now);
/** The calendar day `days` from the test clock's today (UTC): dates in fixtures never go stale. */
export const inDays = (days: number) => addDays(todayIn('UTC', clock()), days);

export type Step =
  | ResponseStream
  | { throw: Error }
  | { tick: number }
  | { run: () => void }
  | { stall: true }
  | { until: () => Promise<unknown> };

function completion(steps: Step[]): AsyncIterable<ResponseStream> {
  return (async function* () {
    for (const step of steps) {
      if ('throw' in step && step.throw instanceof Error) throw step.throw;
      if ('tick' in step && typeof step.tick === 'number') {
        now += step.tick;
        continue;
      }
      if ('run' in step && typeof step.run === 'function') {
        step.run();
        continue;
      }
      if ('stall' in step) await new Promise(() => undefined);
      if ('until' in step && typeof step.until === 'function') {
        await step.until();
        continue;
      }
      yield step as ResponseStream;
    }
  })();
}

export const chunk = (text: string, citations?: { title: string; url: string }[]): ResponseStream => ({
  chunk: {
    bytes: enc.encode(text),
    ...(citations
      ? {
          attribution: {
            citations: [
              {
                generatedResponsePart: { textResponsePart: { text } },
                retrievedReferences: citations.map((c) => ({
                  content: { text: 'excerpt' },
                  location: { type: 'WEB' as const, webLocation: { url: c.url } },
                  metadata: { title: c.title },
                })),
              },
            ],
          },
        }
      : {}),
  },
});

export const collaboratorTrace = (name: string): ResponseStream => ({
  trace: {
    sessionId: 's',
    collaboratorName: name,
    callerChain: [
      { agentAliasArn: 'arn:aws:bedrock:us-east-1:1:agent-alias/SUP/1' },
      { agentAliasArn: 'arn:aws:bedrock:us-east-1:1:agent-alias/COL/1' },
    ],
    trace: {
      orchestrationTrace: {
        invocationInput: {
          invocationType: 'AGENT_COLLABORATOR',
          agentCollaboratorInvocationInput: {
            agentCollaboratorName: name,
            input: { type: 'TEXT', text: 'q' },
          },
        },
      },
    },
  },
});

export const returnControl = (
  invocationId: string,
  fn: string,
  parameters: Record<string, string>,
  actionInvocationType: 'RESULT' | 'USER_CONFIRMATION' = 'RESULT',
): ResponseStream => ({
  returnControl: {
    invocationId,
    invocationInputs: [
      {
        functionInvocationInput: {
          actionGroup: 'campaign-actions',
          function: fn,
          actionInvocationType,
          parameters: Object.entries(parameters).map(([name, value]) => ({ name, type: 'string', value })),
        },
      },
    ],
  },
});

const output = (input: InvokeAgentCommandInput, steps: Step[]): InvokeAgentCommandOutput => ({
  completion: completion(steps),
  contentType: 'application/json',
  sessionId: input.sessionId,
  $metadata: {},
});

export const awsError = (name: string, message = name) =>
  Object.assign(new Error(message), { name, $metadata: {} });

/** Scripts InvokeAgent: one list of steps per call, in order; records every input. */
export function script(...calls: Step[][]): InvokeAgentCommandInput[] {
  const inputs: InvokeAgentCommandInput[] = [];
  bedrock.on(InvokeAgentCommand).callsFake((input: InvokeAgentCommandInput) => {
    inputs.push(input);
    const steps = calls[inputs.length - 1] ?? [chunk('(no more script)')];
    return output(input, steps);
  });
  return inputs;
}

export const text = (blocks: unknown) => JSON.stringify(blocks ?? []);
/** The first function result an InvokeAgent call sent back (return of control). */
export const functionResult = (input: InvokeAgentCommandInput | undefined) =>
  input?.sessionState?.returnControlInvocationResults?.[0]?.functionResult;
export const lastUpdate = (h: Harness) => h.standin.calls('chat.update').at(-1)?.args;
export const buttonValue = (blocks: unknown, actionId: string): string | undefined => {
  for (const block of Array.isArray(blocks) ? blocks : []) {
    for (const element of (block as { elements?: { action_id?: string; value?: string }[] }).elements ?? []) {
      if (element.action_id === actionId) return element.value;
    }
  }
  return undefined;
};

/**
 * Bedrock mode end to end, the shared set-up of the agent-bedrock-*.test.ts files: InvokeAgent faked
 * with aws-sdk-client-mock and realistic event streams (async generators), everything else real —
 * signed events in, jobs on dynalite, every Slack post and update asserted on the Web API stand-in.
 * Call inside a `describe`: it registers the hooks and gives the harness and the turn helpers.
 */
export function useBedrockHarness() {
  let h: Harness;

  /** The context the worker gives a job attempt. */
  function jobContext(
    jobId: string,
    kind: string,
    payload: Record<string, unknown>,
    options: { attempt: number; isFinalAttempt: boolean; deadlineMs: number },
  ): JobContext {
    const at = clock().toISOString();
    return {
      job: {
        jobId,
        kind,
        status: 'RUNNING',
        payload,
        attempts: options.attempt,
        maxAttempts: 5,
        nextAttemptAt: at,
        createdAt: at,
        updatedAt: at,
        version: options.attempt + 1,
      },
      attempt: options.attempt,
      isFinalAttempt: options.isFinalAttempt,
      deadline: new Date(clock().getTime() + options.deadlineMs),
      logger: h.runtime.logger,
    };
  }

  beforeAll(async () => {
    h = await startHarness({
      seed: true,
      clock,
      env: { BEDROCK_AGENT_ID: 'AGENT12345', BEDROCK_AGENT_ALIAS_ID: 'ALIAS12345', LOG_LEVEL: 'info' },
    });
  });
  afterAll(async () => {
    await h?.close();
    bedrock.restore();
  });
  beforeEach(() => {
    bedrock.reset();
    h.standin.reset();
    now = Date.now();
  });

  /** An `agent.turn` payload for a question answered in a new thread under a posted placeholder. */
  const turnWithPlaceholder = async (question: string) => {
    const placeholder = await h.runtime.slack.chat.postMessage({ channel, text: 'Working on it…' });
    const payload = {
      source: 'mention',
      teamId: PAYLOAD_DEFAULTS.teamId,
      userId: user,
      text: question,
      conversation: { teamId: PAYLOAD_DEFAULTS.teamId, channelId: channel, threadTs: placeholder.ts },
      target: { kind: 'thread', channelId: channel, threadTs: placeholder.ts, placeholderTs: placeholder.ts },
    };
    return { payload, placeholder };
  };

  /**
   * An `agent.turn` payload as the mention listener stores it: the thread is a person's message and
   * there is no placeholder yet (the job posts it).
   */
  const turnInThread = (question: string) => {
    const parent = h.standin.addUserMessage(channel, { user, text: `<@${bot}> ${question}` });
    const payload = {
      source: 'mention',
      teamId: PAYLOAD_DEFAULTS.teamId,
      userId: user,
      text: question,
      conversation: { teamId: PAYLOAD_DEFAULTS.teamId, channelId: channel, threadTs: parent.ts },
      target: { kind: 'thread', channelId: channel, threadTs: parent.ts },
    };
    return { payload, threadTs: parent.ts };
  };

  const ask = async (question: string, overrides: Record<string, unknown> = {}) => {
    const response = await h.event({ text: `<@${bot}> ${question}`, ...overrides });
    await waitForInProcessJobs(h.runtime.services.jobs);
    return response;
  };

  return {
    get h(): Harness {
      return h;
    },
    jobContext,
    turnWithPlaceholder,
    turnInThread,
    ask,
  };
}
