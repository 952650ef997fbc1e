import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { MAX_LOGGED_LINE } from '../../app/logger';
import { signSlackRequest } from '../../dev/slack-signature';
import { handler } from '../../handlers/http';
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
import { type FuzzRequest, signedFuzzRequests } from '../helpers/signed-fuzz';

/**
 * Signed garbage and mutated Slack payloads against the HTTP Lambda (`handlers/http.ts`) as API
 * Gateway HTTP API v2 delivers them (text bodies as is or base64-encoded, bytes base64-encoded).
 * Whatever the body: no 5xx, an answer well before Slack's 3 s, bounded log lines, no crash; a
 * refused body (4xx) has no side effect: no store write, no Slack call, no job dispatched.
 */
const SECRET = 'fuzz-signing-secret-5d1e';
const RUNS = Number(process.env.FUZZ_RUNS ?? 1000);
/** Well under Bolt's 3 s no-ack timer (so no answer waited for it), with room for a loaded machine. */
const FAST_MS = 2_500;

let world: HttpHandlerWorld;
const crashes: unknown[] = [];
const onCrash = (error: unknown) => crashes.push(error);

beforeAll(async () => {
  world = await startHttpHandlerWorld('fuzz-');
  useHttpHandlerEnv(world, { SLACK_SIGNING_SECRET: SECRET, LOG_LEVEL: 'info' });
  process.on('unhandledRejection', onCrash);
  process.on('uncaughtException', onCrash);
});

afterAll(async () => {
  process.off('unhandledRejection', onCrash);
  process.off('uncaughtException', onCrash);
  await world?.close();
});

async function invoke(
  request: FuzzRequest,
  base64: boolean,
): Promise<{ result: APIGatewayProxyStructuredResultV2; lines: string[]; ms: number }> {
  const lines: string[] = [];
  const spy = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    lines.push(String(chunk));
    return true;
  });
  try {
    const event = v2Event({
      body: request.body,
      // Bytes that are not UTF-8 only survive API Gateway base64-encoded.
      base64: base64 || !Buffer.from(request.body.toString('utf8')).equals(request.body),
      headers: {
        ...(request.contentType === undefined ? {} : { 'content-type': request.contentType }),
        // Bolt verifies the body decoded as UTF-8; signing that makes every body pass.
        ...signSlackRequest(request.body.toString('utf8'), SECRET),
      },
    });
    const started = performance.now();
    const result = await handler(event, lambdaContext());
    if (typeof result === 'string') throw new Error('expected a structured result');
    return { result, lines, ms: performance.now() - started };
  } finally {
    spy.mockRestore();
  }
}

describe('signed bodies of every shape (HTTP Lambda)', () => {
  it(`${RUNS} random signed API Gateway events: no 5xx, fast, log lines within the logger's bound; refused ones change nothing`, async () => {
    const outcomes = { refused: 0, accepted: 0 };
    await fc.assert(
      fc.asyncProperty(
        signedFuzzRequests(`${world.slack.apiUrl}response-url`),
        fc.boolean(),
        async (request, base64) => {
          // Prepare
          const writes = world.dynamo.writeCount();
          const calls = world.slack.calls().length;
          const dispatched = world.lambdaApi.invocations().length;

          // Act
          const { result, lines, ms } = await invoke(request, base64);

          // Assess
          const status = result.statusCode ?? 200;
          expect(status, request.label).toBeLessThan(500);
          expect(ms, request.label).toBeLessThan(FAST_MS);
          for (const line of lines)
            expect(line.length, request.label).toBeLessThanOrEqual(MAX_LOGGED_LINE + 1);
          if (status >= 400) {
            outcomes.refused += 1;
            expect(world.dynamo.writeCount(), request.label).toBe(writes);
            expect(world.slack.calls().length, request.label).toBe(calls);
            expect(world.lambdaApi.invocations().length, request.label).toBe(dispatched);
            expect(
              lines.filter((line) => line.includes('"level":"warn"')),
              request.label,
            ).toHaveLength(1);
          } else {
            outcomes.accepted += 1;
          }
        },
      ),
      // FUZZ_SEED replays a failing run (fast-check prints its seed).
      { numRuns: RUNS, ...(process.env.FUZZ_SEED ? { seed: Number(process.env.FUZZ_SEED) } : {}) },
    );
    expect(crashes).toEqual([]);
    expect(outcomes.refused).toBeGreaterThan(RUNS / 4);
    expect(outcomes.accepted).toBeGreaterThan(RUNS / 20);
  }, 300_000);

  it('still answers a well-formed command afterwards', async () => {
    const result = await handler(
      signedSlackEvent(slashCommandForm('help'), { secret: SECRET, contentType: FORM_UTF8 }),
      lambdaContext(),
    );
    expect(typeof result === 'string' ? 0 : result.statusCode).toBe(200);
  });
});
