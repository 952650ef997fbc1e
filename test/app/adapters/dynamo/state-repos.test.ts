import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { SyncStateRepository } from '../../../../app/adapters/dynamo/sync-state-repo';
import { WorkflowStateRepository } from '../../../../app/adapters/dynamo/workflow-state-repo';
import { ConflictError, StoreError, ValidationError } from '../../../../app/errors';
import { startTestDb, type TestDb, testClock } from '../../../helpers/test-db';

let testDb: TestDb;
const time = testClock('2026-03-02T15:00:00.000Z');
let workflow: WorkflowStateRepository;
let sync: SyncStateRepository;

const StepState = z.object({
  step: z.string(),
  status: z.enum(['PENDING', 'DONE']),
  attempts: z.number().int(),
});
const SyncData = z.object({
  state: z.enum(['SYNCED', 'PENDING', 'SYNCING', 'CONFLICT', 'RESOLVED']),
  syncVersion: z.number().int(),
  fields: z
    .record(z.string(), z.object({ value: z.unknown(), source: z.string(), at: z.string() }))
    .default({}),
});

beforeAll(async () => {
  testDb = await startTestDb(`state-repos-${process.pid}-`);
  workflow = new WorkflowStateRepository(testDb.db, testDb.tables.workflowState, time.clock);
  sync = new SyncStateRepository(testDb.db, testDb.tables.syncState, time.clock);
});
afterAll(async () => {
  await testDb.close();
});

describe('WorkflowStateRepository', () => {
  const key = { pk: 'workflow#cmp-001', sk: 'step#provision' };

  it('creates, reads, replaces by version and lists a partition', async () => {
    const created = await workflow.put(key, { step: 'provision', status: 'PENDING', attempts: 0 }, StepState);
    time.set('2026-03-02T15:05:00.000Z');
    const next = await workflow.put(
      key,
      { ...created.data, status: 'DONE', attempts: 1 },
      StepState,
      created.version,
    );
    await workflow.put(
      { pk: key.pk, sk: 'step#announce' },
      { step: 'announce', status: 'PENDING', attempts: 0 },
      StepState,
    );

    expect(created.version).toBe(1);
    expect(next).toMatchObject({ version: 2, updatedAt: '2026-03-02T15:05:00.000Z' });
    expect(await workflow.get(key, StepState)).toEqual(next);
    expect((await workflow.list(key.pk, StepState)).map((r) => r.sk)).toEqual([
      'step#announce',
      'step#provision',
    ]);
    expect(await workflow.get({ pk: key.pk, sk: 'step#none' }, StepState)).toBeUndefined();
  });

  it('refuses a second create, a stale version, and invalid data (nothing written)', async () => {
    await expect(
      workflow.put(key, { step: 'provision', status: 'PENDING', attempts: 0 }, StepState),
    ).rejects.toBeInstanceOf(ConflictError);
    await expect(
      workflow.put(key, { step: 'provision', status: 'PENDING', attempts: 5 }, StepState, 1),
    ).rejects.toBeInstanceOf(ConflictError);
    const invalid = { pk: 'workflow#cmp-002', sk: 'step#provision' };
    await expect(
      workflow.put(invalid, { step: 'provision', status: 'LOST', attempts: 0 } as never, StepState),
    ).rejects.toBeInstanceOf(ValidationError);

    expect(await workflow.get(invalid, StepState)).toBeUndefined();
    expect((await workflow.get(key, StepState))?.data.attempts).toBe(1);
  });

  it('reports stored data that no longer fits the schema as a StoreError naming the key', async () => {
    await testDb.db.send(
      new PutCommand({
        TableName: testDb.tables.workflowState,
        Item: {
          pk: 'workflow#bad',
          sk: 'step#x',
          data: { step: 1 },
          version: 1,
          updatedAt: '2026-03-02T15:00:00Z',
        },
      }),
    );

    await expect(workflow.get({ pk: 'workflow#bad', sk: 'step#x' }, StepState)).rejects.toThrow(
      /workflow#bad\/step#x/,
    );
    await expect(workflow.list('workflow#bad', StepState)).rejects.toBeInstanceOf(StoreError);
  });
});

describe('SyncStateRepository', () => {
  it('finds a record from its external target through target-index', async () => {
    const target = { system: 'workfront', externalId: '64f0a1b2c3d4e5f6a7b8c9d0' };
    await sync.put(
      { objectKey: 'campaign#cmp-001', target, data: { state: 'SYNCED', syncVersion: 1 } },
      SyncData,
    );

    const found = await sync.findByTarget(target, SyncData);
    const none = await sync.findByTarget(
      { system: 'asana', externalId: '64f0a1b2c3d4e5f6a7b8c9d0' },
      SyncData,
    );

    expect(found).toMatchObject({ objectKey: 'campaign#cmp-001', target, version: 1, data: { fields: {} } });
    expect(none).toBeUndefined();
  });

  it('replaces by version, moving the target with it, and refuses stale writes', async () => {
    const created = await sync.put(
      {
        objectKey: 'task#cmp-002/t1',
        target: { system: 'asana', externalId: '1201' },
        data: { state: 'SYNCED', syncVersion: 1 },
      },
      SyncData,
    );

    const moved = await sync.put(
      {
        objectKey: 'task#cmp-002/t1',
        target: { system: 'asana', externalId: '1202' },
        data: { state: 'PENDING', syncVersion: 2 },
      },
      SyncData,
      created.version,
    );

    expect(moved.version).toBe(2);
    expect(await sync.findByTarget({ system: 'asana', externalId: '1201' }, SyncData)).toBeUndefined();
    expect((await sync.findByTarget({ system: 'asana', externalId: '1202' }, SyncData))?.objectKey).toBe(
      'task#cmp-002/t1',
    );
    await expect(
      sync.put({ objectKey: 'task#cmp-002/t1', data: { state: 'SYNCED', syncVersion: 9 } }, SyncData, 1),
    ).rejects.toBeInstanceOf(ConflictError);
    expect((await sync.get('task#cmp-002/t1', SyncData))?.data.state).toBe('PENDING');
  });

  it('treats two records claiming one target as a StoreError, and validates targets', async () => {
    const target = { system: 'asana', externalId: '999' };
    await sync.put({ objectKey: 'task#a', target, data: { state: 'SYNCED', syncVersion: 1 } }, SyncData);
    await sync.put({ objectKey: 'task#b', target, data: { state: 'SYNCED', syncVersion: 1 } }, SyncData);

    await expect(sync.findByTarget(target, SyncData)).rejects.toThrow(/task#a, task#b|task#b, task#a/);
    await expect(
      sync.put(
        {
          objectKey: 'task#c',
          target: { system: 'Asana#1', externalId: '1' },
          data: { state: 'SYNCED', syncVersion: 1 },
        },
        SyncData,
      ),
    ).rejects.toBeInstanceOf(ValidationError);
    expect(await sync.get('task#c', SyncData)).toBeUndefined();
  });
});
