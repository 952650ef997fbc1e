import diagnosticsChannel from 'node:diagnostics_channel';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalDynamo } from '../../dev/local-dynamo';
import { buildRuntimeCore, type Runtime } from '../../handlers/runtime-core';
import { STORE_SEND_CHANNEL, type StoreSendTiming } from '../../handlers/store-send-timing';

let dynamo: Awaited<ReturnType<typeof startLocalDynamo>>;
let runtime: Runtime;

beforeAll(async () => {
  dynamo = await startLocalDynamo({ prefix: 'send-timing-' });
  runtime = buildRuntimeCore({
    env: {
      SLACK_SIGNING_SECRET: 'send-timing-secret',
      DYNAMODB_ENDPOINT: dynamo.endpoint,
      TABLE_PREFIX: 'send-timing-',
      LOG_LEVEL: 'error',
    },
    sink: () => undefined,
  });
});
afterAll(async () => {
  await dynamo.close();
});

describe('store send timings (handlers/store-send-timing.ts)', () => {
  it('reports each DynamoDB call of the runtime once, with its command and duration, to a subscriber', async () => {
    // Prepare
    const seen: StoreSendTiming[] = [];
    const onSend = (message: unknown) => seen.push(message as StoreSendTiming);
    diagnosticsChannel.subscribe(STORE_SEND_CHANNEL, onSend);
    try {
      // Act: a conditional put that succeeds, then the same one refused (a send that throws).
      const before = performance.now();
      await runtime.repositories.dedupe.claim('send-timing-key', 60);
      await runtime.repositories.dedupe.claim('send-timing-key', 60);
      const after = performance.now();
      // Assess
      expect(seen).toHaveLength(2);
      for (const timing of seen) {
        expect(timing.command).toMatch(/Put/);
        expect(timing.start).toBeGreaterThanOrEqual(before);
        expect(timing.end).toBeGreaterThanOrEqual(timing.start);
        expect(timing.end).toBeLessThanOrEqual(after);
      }
    } finally {
      diagnosticsChannel.unsubscribe(STORE_SEND_CHANNEL, onSend);
    }
  });
});
