import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EventsLogRepository } from '../../../../app/adapters/dynamo/events-log-repo';
import { ValidationError } from '../../../../app/errors';
import { collectPages, startTestDb, type TestDb, testClock } from '../../../helpers/test-db';

let testDb: TestDb;
const time = testClock('2026-03-02T15:00:00.000Z');
let counter = 0;
const newId = () => `01TESTID${String(++counter).padStart(6, '0')}`;
let repo: EventsLogRepository;

beforeAll(async () => {
  testDb = await startTestDb(`events-log-${process.pid}-`);
  repo = new EventsLogRepository(testDb.db, testDb.tables.eventsLog, time.clock, newId);
});
afterAll(async () => {
  await testDb.close();
});

describe('EventsLogRepository', () => {
  it('appends with pk = stream, sk = <ISO time>#<id> and a 90-day TTL by default', async () => {
    time.set('2026-03-02T15:00:00.000Z');

    const entry = await repo.append({
      stream: 'campaign#cmp-001',
      type: 'campaign.created',
      actor: 'U0MAYA',
      data: { budgetCents: 1_000_000 },
    });

    const raw = await testDb.db.send(
      new GetCommand({
        TableName: testDb.tables.eventsLog,
        Key: { pk: 'campaign#cmp-001', sk: `2026-03-02T15:00:00.000Z#${entry.eventId}` },
      }),
    );
    expect(raw.Item).toMatchObject({
      type: 'campaign.created',
      actor: 'U0MAYA',
      data: { budgetCents: 1_000_000 },
    });
    expect(entry.expiresAt).toBe(Date.parse('2026-03-02T15:00:00.000Z') / 1000 + 90 * 86_400);
  });

  it('uses a monotonic ULID by default, so entries in one millisecond keep their order', async () => {
    const ulidRepo = new EventsLogRepository(testDb.db, testDb.tables.eventsLog, time.clock);
    for (let i = 0; i < 5; i++) await ulidRepo.append({ stream: 'ulid-order', type: 't', data: { i } });

    const { items } = await ulidRepo.list('ulid-order');

    expect(items.map((e) => e.data.i)).toEqual([0, 1, 2, 3, 4]);
    expect(items[0]?.eventId).toMatch(/^[0-9A-HJKMNP-TV-Z]{26}$/);
  });

  it('hides expired entries that DynamoDB (or dynalite) has not deleted yet', async () => {
    time.set('2026-03-02T15:00:00.000Z');
    await repo.append({ stream: 'approval#ap-1', type: 'short', data: {}, ttlDays: 1 });
    await repo.append({ stream: 'approval#ap-1', type: 'long', data: {} });

    const before = await repo.list('approval#ap-1');
    time.advanceDays(2);
    const after = await repo.list('approval#ap-1');

    expect(before.items.map((e) => e.type)).toEqual(['short', 'long']);
    expect(after.items.map((e) => e.type)).toEqual(['long']);
  });

  it('pages correctly when expired entries are interleaved, oldest or newest first', async () => {
    time.set('2026-03-10T00:00:00.000Z');
    for (let i = 0; i < 12; i++) {
      time.set(`2026-03-10T00:00:${String(i).padStart(2, '0')}.000Z`);
      await repo.append({ stream: 'feedback', type: `e${i}`, data: { i }, ttlDays: i % 3 === 0 ? 1 : 30 });
    }
    time.set('2026-03-12T00:00:00.000Z');

    const ascending = await collectPages((cursor) => repo.list('feedback', { limit: 3, cursor }));
    const descending = await collectPages((cursor) =>
      repo.list('feedback', { limit: 3, cursor, newestFirst: true }),
    );

    const expected = ['e1', 'e2', 'e4', 'e5', 'e7', 'e8', 'e10', 'e11'];
    expect(ascending.flatMap((p) => p.items.map((e) => e.type))).toEqual(expected);
    expect(ascending.map((p) => p.items.length)).toEqual([3, 3, 2]);
    expect(descending.flatMap((p) => p.items.map((e) => e.type))).toEqual([...expected].reverse());
  });

  it('refuses a cursor from another stream and invalid entries, writing nothing', async () => {
    const page = await repo.list('feedback', { limit: 1 });

    await expect(repo.list('campaign#cmp-001', { cursor: page.cursor })).rejects.toBeInstanceOf(
      ValidationError,
    );
    await expect(repo.append({ stream: '', type: 'x', data: {} })).rejects.toBeInstanceOf(ValidationError);
    await expect(repo.append({ stream: 'empty-type', type: '', data: {} })).rejects.toBeInstanceOf(
      ValidationError,
    );
    await expect(repo.append({ stream: 'ttl', type: 'x', data: {}, ttlDays: 0 })).rejects.toBeInstanceOf(
      ValidationError,
    );
    await expect(
      repo.append({ stream: 'big', type: 'x', data: { blob: 'x'.repeat(400_000) } }),
    ).rejects.toBeInstanceOf(ValidationError);
    expect((await repo.list('big')).items).toEqual([]);
    expect((await repo.list('empty-type')).items).toEqual([]);
  });
});
