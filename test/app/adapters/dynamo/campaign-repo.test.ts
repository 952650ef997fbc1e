import { DeleteCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CampaignRepository } from '../../../../app/adapters/dynamo/campaign-repo';
import { encodeCursor } from '../../../../app/adapters/dynamo/cursor';
import { queryAll } from '../../../../app/adapters/dynamo/repo-support';
import { CAMPAIGN_STATUSES, type Campaign } from '../../../../app/domain/model';
import { ConflictError, StoreError, ValidationError } from '../../../../app/errors';
import { campaignFixture, collectPages, startTestDb, type TestDb, testClock } from '../../../helpers/test-db';

let testDb: TestDb;
let repo: CampaignRepository;
const time = testClock('2026-03-02T15:00:00.000Z');

beforeAll(async () => {
  testDb = await startTestDb(`campaign-repo-${process.pid}-`);
  repo = new CampaignRepository(testDb.db, testDb.tables.campaigns, time.clock);
});
afterAll(async () => {
  await testDb.close();
});

const day = (n: number) => `2026-05-${String(n).padStart(2, '0')}`;

describe('CampaignRepository create/get/update', () => {
  it('stores a new campaign at version 1 and reads it back', async () => {
    // Prepare
    const input = campaignFixture({ campaignId: 'cmp-crud-1', version: 7, name: 'Lancement Été' });

    // Act
    const created = await repo.create(input);
    const read = await repo.get('cmp-crud-1');

    // Assess
    expect(created.version).toBe(1);
    expect(read).toEqual({ ...input, version: 1 });
    expect(await repo.get('cmp-missing')).toBeUndefined();
  });

  it('refuses to create a campaign whose id exists', async () => {
    await repo.create(campaignFixture({ campaignId: 'cmp-crud-dup' }));

    await expect(
      repo.create(campaignFixture({ campaignId: 'cmp-crud-dup', name: 'Other' })),
    ).rejects.toBeInstanceOf(ConflictError);
    expect((await repo.get('cmp-crud-dup'))?.name).toBe('Spring Launch');
  });

  it('updates with the expected version, bumping version and updatedAt from the clock', async () => {
    const created = await repo.create(campaignFixture({ campaignId: 'cmp-crud-2' }));
    time.set('2026-03-03T09:30:00.000Z');

    const updated = await repo.update({ ...created, budgetCents: 1_000_000 }, created.version);

    expect(updated).toMatchObject({
      version: 2,
      budgetCents: 1_000_000,
      updatedAt: '2026-03-03T09:30:00.000Z',
    });
    expect(await repo.get('cmp-crud-2')).toEqual(updated);
  });

  it('rejects a stale update with ConflictError and keeps the stored item', async () => {
    const created = await repo.create(campaignFixture({ campaignId: 'cmp-crud-3' }));
    const v2 = await repo.update({ ...created, name: 'Second' }, 1);

    await expect(repo.update({ ...created, name: 'Stale' }, 1)).rejects.toBeInstanceOf(ConflictError);

    expect(await repo.get('cmp-crud-3')).toEqual(v2);
  });

  it('lets exactly one of two concurrent updates from the same version win', async () => {
    const created = await repo.create(campaignFixture({ campaignId: 'cmp-race' }));

    const results = await Promise.allSettled([
      repo.update({ ...created, budgetCents: 111 }, created.version),
      repo.update({ ...created, budgetCents: 222 }, created.version),
    ]);

    const won = results.filter((r) => r.status === 'fulfilled');
    const lost = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    expect(won).toHaveLength(1);
    expect(lost).toHaveLength(1);
    expect(lost[0]?.reason).toBeInstanceOf(ConflictError);
    const stored = await repo.get('cmp-race');
    expect(stored?.version).toBe(2);
    expect(won[0]?.status === 'fulfilled' && won[0].value.budgetCents).toBe(stored?.budgetCents);
  });

  it('treats an update of a campaign that does not exist as a conflict', async () => {
    await expect(repo.update(campaignFixture({ campaignId: 'cmp-ghost' }), 1)).rejects.toBeInstanceOf(
      ConflictError,
    );
    expect(await repo.get('cmp-ghost')).toBeUndefined();
  });

  it('rejects an invalid campaign before writing anything', async () => {
    const invalid = campaignFixture({ campaignId: 'cmp-invalid', budgetCents: 10.5, ownerSlackId: 'maya' });

    const error = await repo.create(invalid).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).fields).toMatchObject({
      budgetCents: expect.any(String),
      ownerSlackId: expect.any(String),
    });
    expect(await repo.get('cmp-invalid')).toBeUndefined();
  });

  it('rejects an invalid update and leaves the stored version alone', async () => {
    const created = await repo.create(campaignFixture({ campaignId: 'cmp-invalid-update' }));

    await expect(repo.update({ ...created, launchDate: '03/04/2026' }, 1)).rejects.toBeInstanceOf(
      ValidationError,
    );

    expect(await repo.get('cmp-invalid-update')).toEqual(created);
  });

  it('reports a malformed stored item as a StoreError naming the key', async () => {
    await testDb.db.send(
      new PutCommand({
        TableName: testDb.tables.campaigns,
        Item: {
          campaignId: 'cmp-corrupt',
          status: 'ON_HOLD',
          launchDate: '2026-01-01',
          teamId: 'team-corrupt',
        },
      }),
    );

    const error = await repo.get('cmp-corrupt').catch((e: unknown) => e);

    expect(error).toBeInstanceOf(StoreError);
    expect((error as Error).message).toContain('cmp-corrupt');
    await expect(repo.listByTeam('team-corrupt')).rejects.toBeInstanceOf(StoreError);
    await expect(repo.listAll()).rejects.toThrow(/cmp-corrupt/);
    await testDb.db.send(
      new DeleteCommand({ TableName: testDb.tables.campaigns, Key: { campaignId: 'cmp-corrupt' } }),
    );
  });
});

describe('CampaignRepository listings', () => {
  const team = 'team-paging';
  const planned: Campaign[] = [];

  beforeAll(async () => {
    // 23 PLANNED (not a multiple of the page size) and 20 LAUNCHED (an exact multiple), in one team.
    for (let i = 1; i <= 23; i++) {
      planned.push(
        await repo.create(
          campaignFixture({
            campaignId: `cmp-p-${String(i).padStart(2, '0')}`,
            status: 'PLANNED',
            teamId: team,
            launchDate: day(((i * 7) % 28) + 1),
          }),
        ),
      );
    }
    for (let i = 1; i <= 20; i++) {
      await repo.create(
        campaignFixture({
          campaignId: `cmp-l-${String(i).padStart(2, '0')}`,
          status: 'LAUNCHED',
          teamId: team,
        }),
      );
    }
  });

  it('pages through a status with cursors, in launch-date order, without duplicates', async () => {
    const pages = await collectPages((cursor) => repo.listByStatus('PLANNED', { limit: 5, cursor }));

    const ids = pages.flatMap((p) => p.items.map((c) => c.campaignId));
    expect(pages.map((p) => p.items.length)).toEqual([5, 5, 5, 5, 3]);
    expect(pages.at(-1)?.cursor).toBeUndefined();
    expect(new Set(ids)).toEqual(new Set(planned.map((c) => c.campaignId)));
    const dates = pages.flatMap((p) => p.items.map((c) => c.launchDate));
    expect(dates).toEqual([...dates].sort());
  });

  it('gives the last page no cursor when the count is an exact multiple of the page size', async () => {
    const pages = await collectPages((cursor) => repo.listByStatus('LAUNCHED', { limit: 5, cursor }));

    expect(pages.map((p) => p.items.length)).toEqual([5, 5, 5, 5]);
    expect(pages.every((p) => p.items.every((c) => c.status === 'LAUNCHED'))).toBe(true);
  });

  it('pages through a team across statuses', async () => {
    const pages = await collectPages((cursor) => repo.listByTeam(team, { limit: 10, cursor }));

    const ids = pages.flatMap((p) => p.items.map((c) => c.campaignId));
    expect(ids).toHaveLength(43);
    expect(new Set(ids).size).toBe(43);
  });

  it('refuses a cursor from another listing, a forged cursor and an out-of-range limit', async () => {
    const draftCursor = (await repo.listByStatus('LAUNCHED', { limit: 1 })).cursor;
    expect(draftCursor).toBeDefined();

    await expect(repo.listByStatus('PLANNED', { limit: 1, cursor: draftCursor })).rejects.toBeInstanceOf(
      ValidationError,
    );
    await expect(repo.listByTeam(team, { cursor: draftCursor })).rejects.toBeInstanceOf(ValidationError);
    await expect(repo.listByStatus('PLANNED', { cursor: 'not a cursor!' })).rejects.toBeInstanceOf(
      ValidationError,
    );
    await expect(
      repo.listByStatus('PLANNED', {
        cursor: encodeCursor({ campaignId: { S: 'x' }, status: 'PLANNED', launchDate: 'x' }),
      }),
    ).rejects.toBeInstanceOf(ValidationError);
    await expect(repo.listByStatus('PLANNED', { limit: 0 })).rejects.toBeInstanceOf(ValidationError);
    await expect(repo.listByStatus('PLANNED', { limit: 101 })).rejects.toBeInstanceOf(ValidationError);
    await expect(repo.listByStatus('NOT_A_STATUS' as never)).rejects.toBeInstanceOf(ValidationError);
  });

  it('lists every campaign of every status through status-index queries only', async () => {
    const otherStatuses = CAMPAIGN_STATUSES.filter((s) => s !== 'PLANNED' && s !== 'LAUNCHED');
    for (const [i, status] of otherStatuses.entries()) {
      await repo.create(campaignFixture({ campaignId: `cmp-all-${i}`, status, teamId: 'team-all' }));
    }
    const sentBefore = testDb.commands.length;

    const all = (await repo.listAll()).filter(
      (c) => c.campaignId.startsWith('cmp-all-') || c.teamId === team,
    );

    expect(new Set(all.map((c) => c.status))).toEqual(new Set(CAMPAIGN_STATUSES));
    expect(all.filter((c) => c.teamId === team)).toHaveLength(43);
    const sent = testDb.commands.slice(sentBefore);
    expect(sent.filter((name) => name === 'QueryCommand')).toHaveLength(CAMPAIGN_STATUSES.length);
    expect(sent).not.toContain('ScanCommand');
  });

  it('follows LastEvaluatedKey to the end in queryAll', async () => {
    const sentBefore = testDb.commands.length;

    const items = await queryAll(
      testDb.db,
      {
        TableName: testDb.tables.campaigns,
        IndexName: 'status-index',
        KeyConditionExpression: '#s = :s',
        ExpressionAttributeNames: { '#s': 'status' },
        ExpressionAttributeValues: { ':s': 'PLANNED' },
        Limit: 4,
      },
      'planned campaigns',
    );

    expect(items).toHaveLength(23);
    expect(testDb.commands.length - sentBefore).toBeGreaterThanOrEqual(6);
  });
});
