import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TaskRepository } from '../../../../app/adapters/dynamo/task-repo';
import { ConflictError, StoreError, ValidationError } from '../../../../app/errors';
import { startTestDb, type TestDb, taskFixture, testClock } from '../../../helpers/test-db';

let testDb: TestDb;
let repo: TaskRepository;
const time = testClock('2026-03-02T15:00:00.000Z');

beforeAll(async () => {
  testDb = await startTestDb(`task-repo-${process.pid}-`);
  repo = new TaskRepository(testDb.db, testDb.tables.tasks, time.clock);
});
afterAll(async () => {
  await testDb.close();
});

describe('TaskRepository', () => {
  it('creates, reads and lists a campaign’s tasks in task-id order', async () => {
    await repo.create(taskFixture({ campaignId: 'cmp-a', taskId: 't02', dependsOn: ['t01'] }));
    await repo.create(taskFixture({ campaignId: 'cmp-a', taskId: 't01', milestone: true }));
    await repo.create(taskFixture({ campaignId: 'cmp-b', taskId: 't01' }));

    const tasks = await repo.listByCampaign('cmp-a');
    const one = await repo.get('cmp-a', 't02');

    expect(tasks.map((t) => t.taskId)).toEqual(['t01', 't02']);
    expect(one).toMatchObject({ dependsOn: ['t01'], version: 1 });
    expect(one).not.toHaveProperty('ownerDueKey');
    expect(await repo.get('cmp-a', 't99')).toBeUndefined();
  });

  it('lists a person’s tasks by due date with undated tasks last, and only theirs', async () => {
    const owner = 'U0OWNER';
    await repo.create(
      taskFixture({ campaignId: 'cmp-o1', taskId: 't1', ownerSlackId: owner, dueDate: '2026-04-10' }),
    );
    await repo.create(
      taskFixture({
        campaignId: 'cmp-o1',
        taskId: 't2',
        ownerSlackId: owner,
        dueDate: undefined,
        status: 'DONE',
      }),
    );
    await repo.create(
      taskFixture({ campaignId: 'cmp-o2', taskId: 't1', ownerSlackId: owner, dueDate: '2026-03-05' }),
    );
    await repo.create(taskFixture({ campaignId: 'cmp-o2', taskId: 't2', ownerSlackId: 'U0SOMEONE' }));
    await repo.create(taskFixture({ campaignId: 'cmp-o2', taskId: 't3', ownerSlackId: undefined }));

    const mine = await repo.listByOwner(owner);

    expect(mine.map((t) => `${t.campaignId}/${t.taskId}`)).toEqual(['cmp-o2/t1', 'cmp-o1/t1', 'cmp-o1/t2']);
    expect(mine.every((t) => !('ownerDueKey' in t))).toBe(true);
  });

  it('moves a task between owners’ lists on reassignment', async () => {
    const created = await repo.create(
      taskFixture({ campaignId: 'cmp-move', taskId: 't1', ownerSlackId: 'U0FROM', dueDate: '2026-03-20' }),
    );
    time.set('2026-03-04T08:00:00.000Z');

    const updated = await repo.update({ ...created, ownerSlackId: 'U0TO', status: 'IN_PROGRESS' }, 1);

    expect(updated).toMatchObject({ version: 2, updatedAt: '2026-03-04T08:00:00.000Z' });
    expect(await repo.listByOwner('U0FROM')).toEqual([]);
    expect((await repo.listByOwner('U0TO')).map((t) => t.taskId)).toEqual(['t1']);
  });

  it('drops the index key when a task loses its owner', async () => {
    const created = await repo.create(
      taskFixture({ campaignId: 'cmp-unown', taskId: 't1', ownerSlackId: 'U0GONE' }),
    );

    await repo.update({ ...created, ownerSlackId: undefined }, 1);

    const raw = await testDb.db.send(
      new GetCommand({ TableName: testDb.tables.tasks, Key: { campaignId: 'cmp-unown', taskId: 't1' } }),
    );
    expect(raw.Item).not.toHaveProperty('ownerDueKey');
    expect(await repo.listByOwner('U0GONE')).toEqual([]);
  });

  it('rejects duplicates, stale versions and invalid tasks', async () => {
    const created = await repo.create(taskFixture({ campaignId: 'cmp-c', taskId: 't1' }));
    await repo.update({ ...created, status: 'DONE' }, 1);

    await expect(repo.create(taskFixture({ campaignId: 'cmp-c', taskId: 't1' }))).rejects.toBeInstanceOf(
      ConflictError,
    );
    await expect(repo.update({ ...created, status: 'BLOCKED' }, 1)).rejects.toBeInstanceOf(ConflictError);
    await expect(
      repo.create(taskFixture({ campaignId: 'cmp-c', taskId: 't2', status: 'WAITING' as never })),
    ).rejects.toBeInstanceOf(ValidationError);
    expect(await repo.get('cmp-c', 't2')).toBeUndefined();
    expect((await repo.get('cmp-c', 't1'))?.status).toBe('DONE');
  });

  it('reports a malformed stored task as a StoreError naming it', async () => {
    await testDb.db.send(
      new PutCommand({
        TableName: testDb.tables.tasks,
        Item: { campaignId: 'cmp-bad', taskId: 't1', status: 'DONE' },
      }),
    );

    await expect(repo.listByCampaign('cmp-bad')).rejects.toThrow(StoreError);
    await expect(repo.get('cmp-bad', 't1')).rejects.toThrow(/cmp-bad\/t1/);
  });
});
