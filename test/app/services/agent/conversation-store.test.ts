import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDocumentClient } from '../../../../app/adapters/dynamo/client';
import { tableNames } from '../../../../app/adapters/dynamo/tables';
import { WorkflowStateRepository } from '../../../../app/adapters/dynamo/workflow-state-repo';
import {
  ConversationStore,
  type PendingData,
  RECORD_TTL_MS,
} from '../../../../app/services/agent/conversation-store';
import { startLocalDynamo } from '../../../../dev/local-dynamo';
import { FakeClock } from '../../../helpers/job-fixtures';

/**
 * Expiry of the agent's workflow-state records on dynalite (which, like DynamoDB for a while after
 * the TTL passes, still returns expired items): each write sets the table's TTL attribute, and the
 * store's reads treat an expired record as absent.
 */
describe('ConversationStore expiry', () => {
  const prefix = 'conv-store-test-';
  const clock = new FakeClock();
  let close: () => Promise<void>;
  let store: ConversationStore;
  let raw: (pk: string, sk: string) => Promise<Record<string, unknown> | undefined>;

  beforeAll(async () => {
    const dynamo = await startLocalDynamo({ prefix });
    const db = createDocumentClient({ region: 'us-east-1', endpoint: dynamo.endpoint });
    const table = tableNames(prefix).workflowState;
    store = new ConversationStore(new WorkflowStateRepository(db, table, clock.now), clock.now);
    raw = async (pk, sk) => (await db.send(new GetCommand({ TableName: table, Key: { pk, sk } }))).Item;
    close = async () => {
      db.destroy();
      await dynamo.close();
    };
  });
  afterAll(async () => {
    await close?.();
  });

  const epoch = (ms: number) => Math.floor(ms / 1000);

  it('an ask (holding a response_url) expires after a day and then reads as absent', async () => {
    // Prepare
    const createdAt = clock.now();
    await store.createAsk('ask-1', {
      userId: 'U1',
      channelId: 'C1',
      responseUrl: 'https://hooks.slack.com/commands/T1/1/abc',
      posts: 0,
      createdAt: createdAt.toISOString(),
    });
    // Act: an update later in the day (Share) must not extend its life
    clock.advance(RECORD_TTL_MS.ask / 2);
    const before = await store.getAsk('ask-1');
    if (!before) throw new Error('the ask should be readable before it expires');
    await store.putAsk('ask-1', { ...before.data, answerMrkdwn: 'hi' }, before.version);
    const stored = await raw('ask#ask-1', 'ask');
    clock.advance(RECORD_TTL_MS.ask / 2);
    const after = await store.getAsk('ask-1');
    // Assess
    expect(before.data.userId).toBe('U1');
    expect(stored?.expiresAt).toBe(epoch(createdAt.getTime() + RECORD_TTL_MS.ask));
    expect(await raw('ask#ask-1', 'ask')).toBeDefined(); // still stored (no TTL deletion locally)…
    expect(after).toBeUndefined(); // …but read as absent
  });

  it('a conversation idle past its TTL starts afresh (same session id), and each turn extends it', async () => {
    // Prepare
    const address = { teamId: 'T1', channelId: 'C1', threadTs: '1763720000.000100' };
    const first = await store.beginTurn(address, 'U1');
    clock.advance(RECORD_TTL_MS.conversation - 1000);
    const second = await store.beginTurn(address, 'U2');
    const extended = await raw(ConversationStore.partition(first.key), 'conversation');
    const secondTurnAt = clock.now().getTime();
    // Act
    clock.advance(RECORD_TTL_MS.conversation);
    const afterExpiry = await store.beginTurn(address, 'U3');
    // Assess
    expect(second.turns).toBe(2);
    expect(second.participants).toEqual(['U1', 'U2']);
    expect(extended?.expiresAt).toBe(epoch(secondTurnAt + RECORD_TTL_MS.conversation));
    expect(afterExpiry.turns).toBe(1);
    expect(afterExpiry.participants).toEqual(['U3']);
    expect(afterExpiry.startedBy).toBe('U3');
    expect(afterExpiry.sessionId).toBe(first.sessionId);
  });

  it('a pending action expires 30 days after its last change', async () => {
    // Prepare
    const pending: PendingData = {
      invocationId: 'inv-1',
      conversationKey: 'T1.C1.1',
      sessionId: 'T1.C1.1',
      teamId: 'T1',
      userId: 'U1',
      target: { kind: 'thread', channelId: 'C1', threadTs: '1' },
      calls: [],
      apiCalls: [],
      outcomes: [],
      state: 'awaiting_approval',
    };
    await store.putPending(pending);
    // Act
    clock.advance(RECORD_TTL_MS.pending - 1000);
    const stillThere = await store.getPending('T1.C1.1', 'inv-1');
    clock.advance(2000);
    const gone = await store.getPending('T1.C1.1', 'inv-1');
    // Assess
    expect(stillThere?.data.state).toBe('awaiting_approval');
    expect(gone).toBeUndefined();
  });
});
