import {
  BedrockAgentRuntimeClient,
  InvokeAgentCommand,
  type InvokeAgentCommandInput,
  type ResponseStream,
} from '@aws-sdk/client-bedrock-agent-runtime';
import { mockClient } from 'aws-sdk-client-mock';
import { AGENT_TURN_JOB } from '../app/services/agent/job-payloads';
import { waitForInProcessJobs } from '../app/services/jobs-wiring';
import { startHarness } from '../test/helpers/harness';
import { PAYLOAD_DEFAULTS } from '../test/helpers/payloads';

/**
 * The agent's part of `npm run bench` (issue 3), runnable alone with `npx tsx bench/agent.ts`:
 * - ack latency (p50/p95/p99) of a signed `app_mention` and of `/mcc ask` through the real HTTP app
 *   (HTTP receiver on loopback, dynalite, the Slack stand-in). Both acks include what the design
 *   requires before answering: the replay check, the persisted job (and for a mention the visible
 *   placeholder post; for `/mcc ask` the stored response_url) — the job's run is excluded (the bench
 *   waits for the in-process worker to go idle between requests);
 * - time from a job's dispatch to the first visible Slack update, with a mocked agent that streams
 *   its first chunk immediately (target: under 100 ms in-process).
 * Not a test: nothing asserts; numbers go to stdout (and are returned to the caller).
 */
export interface AgentBenchResult {
  iterations: number;
  mentionAckMs: Percentiles;
  askAckMs: Percentiles;
  dispatchToFirstUpdateMs: Percentiles;
}

export interface Percentiles {
  p50: number;
  p95: number;
  p99: number;
}

function percentiles(values: number[]): Percentiles {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (p: number) =>
    sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? Number.NaN;
  const round = (n: number) => Math.round(n * 100) / 100;
  return { p50: round(at(50)), p95: round(at(95)), p99: round(at(99)) };
}

export async function runAgentBench(options: { iterations?: number } = {}): Promise<AgentBenchResult> {
  const iterations = options.iterations ?? 200;
  const bedrock = mockClient(BedrockAgentRuntimeClient);
  const enc = new TextEncoder();
  bedrock.on(InvokeAgentCommand).callsFake((input: InvokeAgentCommandInput) => ({
    completion: (async function* (): AsyncGenerator<ResponseStream> {
      yield { chunk: { bytes: enc.encode('First chunk. ') } };
      yield { chunk: { bytes: enc.encode('Second chunk.') } };
    })(),
    contentType: 'application/json',
    sessionId: input.sessionId,
    $metadata: {},
  }));
  const h = await startHarness({
    env: { BEDROCK_AGENT_ID: 'BENCHAGENT', BEDROCK_AGENT_ALIAS_ID: 'BENCHALIAS', LOG_LEVEL: 'error' },
  });
  try {
    const jobs = h.runtime.services.jobs;
    const measure = async (send: () => Promise<unknown>): Promise<number> => {
      const start = performance.now();
      await send();
      const elapsed = performance.now() - start;
      await waitForInProcessJobs(jobs);
      return elapsed;
    };
    // Warm-up: JIT, connection pools, the first users.info.
    for (let i = 0; i < 20; i += 1) {
      await measure(() => h.event({ text: `<@${PAYLOAD_DEFAULTS.botUserId}> warm up ${i}` }));
      await measure(() => h.command(`ask warm up ${i}`));
    }
    const mention: number[] = [];
    const ask: number[] = [];
    for (let i = 0; i < iterations; i += 1) {
      mention.push(await measure(() => h.event({ text: `<@${PAYLOAD_DEFAULTS.botUserId}> question ${i}` })));
      ask.push(await measure(() => h.command(`ask question ${i}`)));
      if (i % 50 === 0) h.standin.reset();
    }

    // Dispatch → first visible update: enqueue a turn whose placeholder exists, time the first chat.update.
    const firstUpdate: number[] = [];
    for (let i = 0; i < Math.min(iterations, 200); i += 1) {
      const channel = PAYLOAD_DEFAULTS.channelId;
      const placeholder = await h.runtime.slack.chat.postMessage({ channel, text: 'Working on it…' });
      const ts = placeholder.ts ?? '';
      h.standin.reset();
      const start = Date.now();
      await jobs.enqueue({
        kind: AGENT_TURN_JOB,
        idempotencyKey: `bench:${i}:${start}`,
        payload: {
          source: 'mention',
          teamId: PAYLOAD_DEFAULTS.teamId,
          userId: PAYLOAD_DEFAULTS.userId,
          text: 'bench',
          conversation: { teamId: PAYLOAD_DEFAULTS.teamId, channelId: channel, threadTs: ts },
          target: { kind: 'thread', channelId: channel, threadTs: ts, placeholderTs: ts },
        },
      });
      await waitForInProcessJobs(jobs);
      const first = h.standin.calls('chat.update')[0];
      if (first) firstUpdate.push(first.at.getTime() - start);
    }
    const result: AgentBenchResult = {
      iterations,
      mentionAckMs: percentiles(mention),
      askAckMs: percentiles(ask),
      dispatchToFirstUpdateMs: percentiles(firstUpdate),
    };
    return result;
  } finally {
    await h.close();
    bedrock.restore();
  }
}

if (require.main === module) {
  const index = process.argv.indexOf('--iterations');
  const iterations = index >= 0 ? Number(process.argv[index + 1]) : undefined;
  runAgentBench(iterations && iterations > 0 ? { iterations } : {})
    .then((result) => {
      const row = (name: string, p: Percentiles) =>
        `${name.padEnd(34)} p50 ${String(p.p50).padStart(7)}  p95 ${String(p.p95).padStart(7)}  p99 ${String(p.p99).padStart(7)} ms`;
      console.log(`Agent bench (${result.iterations} iterations)`);
      console.log(row('ack: app_mention', result.mentionAckMs));
      console.log(row('ack: /mcc ask', result.askAckMs));
      console.log(row('dispatch → first Slack update', result.dispatchToFirstUpdateMs));
      console.log('target: dispatch → first update p50 < 100 ms in-process');
    })
    .catch((error: unknown) => {
      console.error(error);
      process.exit(1);
    });
}
