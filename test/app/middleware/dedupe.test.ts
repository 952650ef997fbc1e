import { type AnyMiddlewareArgs, ErrorCode, ReceiverMultipleAckError } from '@slack/bolt';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createDocumentClient } from '../../../app/adapters/dynamo/client';
import { DedupeRepository } from '../../../app/adapters/dynamo/dedupe-repo';
import { tableNames } from '../../../app/adapters/dynamo/tables';
import { DeliveryInProgressError } from '../../../app/errors';
import { dedupeMiddleware, deliveryKey, IN_PROGRESS_SECONDS, trackAck } from '../../../app/middleware/dedupe';
import { type LocalDynamo, startLocalDynamo } from '../../../dev/local-dynamo';

const PREFIX = 'dedupe-mw-';
let dynamo: LocalDynamo;
let now = new Date('2026-11-22T10:00:00Z');
let repo: DedupeRepository;
let db: ReturnType<typeof createDocumentClient>;

beforeAll(async () => {
  dynamo = await startLocalDynamo({ prefix: PREFIX });
  db = createDocumentClient({ region: 'us-east-1', endpoint: dynamo.endpoint });
  repo = new DedupeRepository(db, tableNames(PREFIX).dedupe, () => now);
});

afterAll(async () => {
  await dynamo.close();
});

interface Harness {
  args: AnyMiddlewareArgs & Record<string, unknown>;
  acks: unknown[];
  /** Second `ack()` calls, each refused with `ReceiverMultipleAckError` as Bolt's receivers do. */
  refusedAcks: number;
  nextCalls: number;
  warnings: unknown[][];
}

/** Middleware arguments as Bolt passes them; `listener` plays the listeners behind `next()`. */
function harness(
  body: Record<string, unknown>,
  context: Record<string, unknown>,
  listener: (h: Harness) => Promise<void> = async () => undefined,
  withAck = true,
): Harness {
  const h: Harness = { args: {} as Harness['args'], acks: [], refusedAcks: 0, nextCalls: 0, warnings: [] };
  let acked = false;
  const receiverAck = async (response?: unknown) => {
    if (acked) {
      h.refusedAcks += 1;
      throw new ReceiverMultipleAckError();
    }
    acked = true;
    h.acks.push(response);
  };
  // As the HTTP receiver does (slack-endpoint.ts), unless the test plays Socket Mode (no `ackState`).
  const tracked = 'noAckState' in context ? undefined : trackAck(receiverAck);
  const ack = tracked?.ack ?? receiverAck;
  if (tracked) context.ackState = tracked.state;
  h.args = {
    body,
    payload: body,
    context,
    ...(withAck ? { ack } : {}),
    logger: {
      debug: () => undefined,
      info: () => undefined,
      warn: (...m: unknown[]) => h.warnings.push(m),
      error: () => undefined,
    },
    next: async () => {
      h.nextCalls += 1;
      await listener(h);
    },
  } as unknown as Harness['args'];
  return h;
}

async function run(h: Harness): Promise<void> {
  await dedupeMiddleware(repo)(h.args as never);
}

describe('deliveryKey', () => {
  it('uses the event_id for Events API callbacks, else the signature, else the Socket Mode envelope', () => {
    expect(deliveryKey({ type: 'event_callback', event_id: 'Ev1' }, { slackSignature: 'v0=abc' })).toBe(
      'event:Ev1',
    );
    expect(deliveryKey({ type: 'block_actions' }, { slackSignature: 'v0=abc' })).toBe('sig:v0=abc');
    expect(deliveryKey({ command: '/mcc' }, { socketEnvelopeId: 'env-1' })).toBe('env:env-1');
    expect(deliveryKey({ command: '/mcc' }, {})).toBeUndefined();
    expect(deliveryKey(null, { slackSignature: '' })).toBeUndefined();
  });
});

describe('dedupeMiddleware', () => {
  it('lets the first delivery through and stops a duplicate with an ack and nothing else', async () => {
    const body = { type: 'block_actions', actions: [] };
    const first = harness(body, { slackSignature: 'v0=first-sig' }, async (h) => {
      await (h.args.ack as (r?: unknown) => Promise<void>)({ text: 'done' });
    });
    const replay = harness(body, { slackSignature: 'v0=first-sig' });
    await run(first);
    await run(replay);
    expect(first.nextCalls).toBe(1);
    expect(first.acks).toEqual([{ text: 'done' }]);
    expect(replay.nextCalls).toBe(0);
    expect(replay.acks).toEqual([undefined]);
  });

  it('treats a Slack retry (same event_id, new signature) as a duplicate', async () => {
    const body = { type: 'event_callback', event_id: 'EvRETRY1', event: { type: 'app_mention' } };
    const first = harness(body, { slackSignature: 'v0=one' }, async () => undefined, false);
    const retry = harness(body, { slackSignature: 'v0=two', retryNum: 1 }, async () => undefined, false);
    await run(first);
    await run(retry);
    expect(first.nextCalls).toBe(1);
    expect(retry.nextCalls).toBe(0);
  });

  it('gives the key back when the listeners fail, so the sender can retry', async () => {
    const body = { type: 'event_callback', event_id: 'EvFAIL1' };
    const failing = harness(
      body,
      {},
      async () => {
        throw new Error('downstream down');
      },
      false,
    );
    await expect(run(failing)).rejects.toThrow('downstream down');
    const retry = harness(body, { retryNum: 1 }, async () => undefined, false);
    await run(retry);
    expect(retry.nextCalls).toBe(1);
  });

  it('acks a request no listener acknowledged (e.g. a link button) instead of leaving it to the 3 s timer', async () => {
    const h = harness({ type: 'block_actions' }, { slackSignature: 'v0=unhandled' });
    await run(h);
    expect(h.nextCalls).toBe(1);
    expect(h.acks).toEqual([undefined]);
    expect(h.warnings).toHaveLength(1);
  });

  it('does not ack twice when a listener already did', async () => {
    const h = harness({ command: '/mcc' }, { slackSignature: 'v0=handled' }, async (x) => {
      await (x.args.ack as () => Promise<void>)();
    });
    await run(h);
    expect(h.acks).toHaveLength(1);
    expect(h.warnings).toEqual([]);
    // It knew from the receiver's ack state: no second ack() tried (no error built and caught).
    expect(h.refusedAcks).toBe(0);
  });

  it('without the receiver’s ack state (Socket Mode), takes Bolt’s refusal of a second ack as “already acked”', async () => {
    const h = harness({ command: '/mcc' }, { slackSignature: 'v0=socket', noAckState: true }, async (x) => {
      await (x.args.ack as () => Promise<void>)();
    });
    await run(h);
    expect(h.acks).toHaveLength(1);
    expect(h.refusedAcks).toBe(1);
    expect(h.warnings).toEqual([]);
  });

  it('passes requests without a key straight through, still acking unhandled ones', async () => {
    const h = harness({ command: '/mcc' }, {});
    await run(h);
    expect(h.nextCalls).toBe(1);
    expect(h.acks).toHaveLength(1);
  });

  it('reclaims a key whose TTL has passed even though the store has not deleted it yet', async () => {
    const body = { type: 'block_actions' };
    await run(harness(body, { slackSignature: 'v0=old' }));
    now = new Date(now.getTime() + 16 * 60 * 1000);
    const later = harness(body, { slackSignature: 'v0=old' });
    await run(later);
    expect(later.nextCalls).toBe(1);
  });

  it('rethrows ack failures other than a second ack', async () => {
    const h = harness({ command: '/mcc' }, { slackSignature: 'v0=ackfail' });
    h.args.ack = async () => {
      throw Object.assign(new Error('socket closed'), { code: ErrorCode.UnknownError });
    };
    await expect(run(h)).rejects.toThrow('socket closed');
  });

  describe('a delivery whose listener died (crash mid-listener: no release, no completion)', () => {
    const seconds = (n: number) => new Date(now.getTime() + n * 1000);

    it('holds while in progress (the retry is told to come back), then lets a retry run', async () => {
      // Prepare: the first delivery claims the key and its process dies inside the listener.
      const body = { type: 'event_callback', event_id: 'EvCRASH1', event: { type: 'app_mention' } };
      const start = now;
      void run(harness(body, {}, () => new Promise<void>(() => undefined), false));
      await new Promise((r) => setTimeout(r, 50));

      // Act: Slack's first retry comes ~3 s later, inside the claim's in-progress window.
      now = seconds(3);
      const early = harness(body, { retryNum: 1 }, async () => undefined, false);
      const earlyRun = run(early);

      // Assess: not run, and not acknowledged as done (the receiver answers 409, Slack retries later).
      await expect(earlyRun).rejects.toBeInstanceOf(DeliveryInProgressError);
      expect(early.nextCalls).toBe(0);

      // Act: the next retry, after the in-progress expiry.
      now = new Date(start.getTime() + (IN_PROGRESS_SECONDS + 1) * 1000);
      const later = harness(body, { retryNum: 2 }, async () => undefined, false);
      await run(later);

      // Assess: it runs; and once done, a further copy is an ordinary duplicate.
      expect(later.nextCalls).toBe(1);
      now = seconds(60 * 60);
      const replay = harness(body, { retryNum: 3 }, async () => undefined, false);
      await run(replay);
      expect(replay.nextCalls).toBe(0);
    });

    it('keeps a completed delivery a duplicate for its whole TTL, long past the in-progress window', async () => {
      const body = { type: 'event_callback', event_id: 'EvDONE1', event: { type: 'app_mention' } };
      await run(harness(body, {}, async () => undefined, false));
      now = seconds(23 * 60 * 60);
      const retry = harness(body, { retryNum: 1 }, async () => undefined, false);
      await run(retry);
      expect(retry.nextCalls).toBe(0);
    });

    it('a slow first run that outlasts its claim neither completes nor releases the retry’s claim', async () => {
      // Prepare: the first run holds the key and is still working when its claim lapses.
      const body = { type: 'event_callback', event_id: 'EvSLOW1', event: { type: 'app_mention' } };
      let finishFirst: () => void = () => undefined;
      const first = harness(body, {}, () => new Promise<void>((r) => (finishFirst = r)), false);
      const firstRun = run(first);
      await new Promise((r) => setTimeout(r, 50));
      now = seconds(IN_PROGRESS_SECONDS + 1);
      let finishRetry: () => void = () => undefined;
      const retry = harness(body, { retryNum: 1 }, () => new Promise<void>((r) => (finishRetry = r)), false);
      const retryRun = run(retry);
      await new Promise((r) => setTimeout(r, 50));

      // Act: the first run finishes while the retry still runs.
      finishFirst();
      await firstRun;

      // Assess: the first run says it outlasted its claim; the retry's claim still holds.
      expect(first.warnings.some((w) => String(w.at(-1)).includes('outlasted its claim'))).toBe(true);
      const third = harness(body, { retryNum: 2 }, async () => undefined, false);
      await expect(run(third)).rejects.toBeInstanceOf(DeliveryInProgressError);
      finishRetry();
      await retryRun;
      const fourth = harness(body, { retryNum: 3 }, async () => undefined, false);
      await run(fourth);
      expect(fourth.nextCalls).toBe(0);
    });
  });

  describe('a signed command or interaction (Slack never retries these: one claim write, done at once)', () => {
    it('costs one store write, and a replay while the first still runs is ignored (acked, not run, no 409)', async () => {
      // Prepare: count the store calls the middleware makes.
      const send = vi.spyOn(db, 'send');
      let finishFirst: () => void = () => undefined;
      const body = { type: 'block_actions', actions: [] };
      const first = harness(body, { slackSignature: 'v0=single-write' }, async (h) => {
        await (h.args.ack as () => Promise<void>)();
        await new Promise<void>((r) => (finishFirst = r));
      });

      // Act: the first run claims and works; a byte-identical replay arrives meanwhile.
      const firstRun = run(first);
      await new Promise((r) => setTimeout(r, 50));
      const replay = harness(body, { slackSignature: 'v0=single-write' });
      await run(replay);
      finishFirst();
      await firstRun;

      // Assess: one write for the first run (the claim, nothing after), one failed claim for the replay.
      expect(first.nextCalls).toBe(1);
      expect(replay.nextCalls).toBe(0);
      expect(replay.acks).toEqual([undefined]);
      expect(send).toHaveBeenCalledTimes(2);
      send.mockRestore();
    });

    it('gives the key back when its listener fails', async () => {
      const body = { type: 'view_submission' };
      const failing = harness(body, { slackSignature: 'v0=fails' }, async () => {
        throw new Error('store down');
      });
      await expect(run(failing)).rejects.toThrow('store down');
      const again = harness(body, { slackSignature: 'v0=fails' });
      await run(again);
      expect(again.nextCalls).toBe(1);
    });
  });
});
