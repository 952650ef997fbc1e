import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InProcessJobDispatcher } from '../../../app/adapters/job-dispatch';
import { MAX_LOGGED_LINE } from '../../../app/logger';
import { signSlackRequest } from '../../../dev/slack-signature';
import { type Harness, startHarness } from '../../helpers/harness';
import { slashCommandBody } from '../../helpers/payloads';
import { type FuzzRequest, signedFuzzRequests } from '../../helpers/signed-fuzz';

/**
 * Signed garbage and mutated Slack payloads against the local server: the app on Bolt's own HTTP
 * server, as `npm start` serves it. Whatever the body, as long as it is signed: no 5xx, an answer
 * well before Slack's 3 s, bounded log lines, the process alive; and a refused body (4xx) has no
 * side effect: no write reached the store and no Slack call was made.
 */
const RUNS = Number(process.env.FUZZ_RUNS ?? 1000);
/** Well under Bolt's 3 s no-ack timer (so no answer waited for it), with room for a loaded machine. */
const FAST_MS = 2_500;

let h: Harness;
const crashes: unknown[] = [];
const onCrash = (error: unknown) => crashes.push(error);

beforeAll(async () => {
  h = await startHarness({ env: { LOG_LEVEL: 'info' } });
  // Jobs an accepted body enqueues stay queued: work running behind later requests would blur
  // which request wrote what. The HTTP path is unchanged.
  const dispatcher = h.runtime.services.jobs.dispatcher;
  if (dispatcher instanceof InProcessJobDispatcher) dispatcher.close();
  process.on('unhandledRejection', onCrash);
  process.on('uncaughtException', onCrash);
});

afterAll(async () => {
  process.off('unhandledRejection', onCrash);
  process.off('uncaughtException', onCrash);
  await h?.close();
});

async function send(request: FuzzRequest): Promise<{ status: number; ms: number }> {
  const started = performance.now();
  const response = await fetch(`${h.baseUrl}/slack/events`, {
    method: 'POST',
    headers: {
      ...(request.contentType === undefined ? {} : { 'content-type': request.contentType }),
      // Bolt verifies the body decoded as UTF-8; signing that makes every body pass, bytes included.
      ...signSlackRequest(request.body.toString('utf8'), h.runtime.config.slack.signingSecret),
    },
    body: request.body,
  });
  await response.arrayBuffer();
  return { status: response.status, ms: performance.now() - started };
}

describe('signed bodies of every shape (local server)', () => {
  it(`${RUNS} random signed bodies: no 5xx, fast, log lines within the logger's bound; refused ones change nothing`, async () => {
    const outcomes = { refused: 0, accepted: 0 };
    await fc.assert(
      fc.asyncProperty(signedFuzzRequests(h.standin.responseUrl()), async (request) => {
        // Prepare
        const writes = h.dynamo.writeCount();
        const calls = h.standin.calls().length + h.standin.responses().length;
        const logged = h.logs.length;

        // Act
        const { status, ms } = await send(request);

        // Assess
        expect(status, request.label).toBeLessThan(500);
        expect(ms, request.label).toBeLessThan(FAST_MS);
        const lines = h.logs.slice(logged);
        for (const line of lines) expect(line.length, request.label).toBeLessThanOrEqual(MAX_LOGGED_LINE + 1);
        if (status >= 400) {
          outcomes.refused += 1;
          expect(h.dynamo.writeCount(), request.label).toBe(writes);
          expect(h.standin.calls().length + h.standin.responses().length, request.label).toBe(calls);
          expect(
            lines.filter((line) => line.includes('"level":"warn"')),
            request.label,
          ).toHaveLength(1);
        } else {
          outcomes.accepted += 1;
        }
      }),
      // FUZZ_SEED replays a failing run (fast-check prints its seed).
      { numRuns: RUNS, ...(process.env.FUZZ_SEED ? { seed: Number(process.env.FUZZ_SEED) } : {}) },
    );
    expect(crashes).toEqual([]);
    // Both kinds were exercised: most garbage is refused, most mutated payloads still routed.
    expect(outcomes.refused).toBeGreaterThan(RUNS / 4);
    expect(outcomes.accepted).toBeGreaterThan(RUNS / 20);
  }, 300_000);

  it('is still up and answering afterwards', async () => {
    const body = slashCommandBody({ text: 'help' });
    const response = await h.postSlack(body, 'application/x-www-form-urlencoded');
    expect(response.status).toBe(200);
    expect(response.json<{ blocks: unknown[] }>().blocks.length).toBeGreaterThan(1);
  });
});
