import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ApprovalRepository } from '../../../../app/adapters/dynamo/approval-repo';
import { CampaignRepository } from '../../../../app/adapters/dynamo/campaign-repo';
import { EventsLogRepository } from '../../../../app/adapters/dynamo/events-log-repo';
import { SyncStateRepository } from '../../../../app/adapters/dynamo/sync-state-repo';
import { TaskRepository } from '../../../../app/adapters/dynamo/task-repo';
import { WorkflowStateRepository } from '../../../../app/adapters/dynamo/workflow-state-repo';
import { ConflictError } from '../../../../app/errors';
import { anApproval } from '../../../helpers/approvals/records';
import { campaignFixture, startTestDb, type TestDb, taskFixture, testClock } from '../../../helpers/test-db';

let testDb: TestDb;
const time = testClock('2026-12-03T15:00:00.000Z');

beforeAll(async () => {
  testDb = await startTestDb(`digest-queries-${process.pid}-`);
});
afterAll(async () => {
  await testDb.close();
});

/** Items DynamoDB evaluated (ScannedCount) for each Query the client sends from now on. */
function scanned(): { total: () => number; stop: () => void } {
  let total = 0;
  const name = `scanned-${Math.random()}`;
  testDb.db.middlewareStack.add(
    (next) => async (args) => {
      const out = await next(args);
      const body = out.output as { ScannedCount?: number };
      if (args.input && 'KeyConditionExpression' in (args.input as object)) total += body.ScannedCount ?? 0;
      return out;
    },
    { step: 'initialize', name },
  );
  return { total: () => total, stop: () => testDb.db.middlewareStack.remove(name) };
}

describe('the digest’s key-only reads', () => {
  it('a team’s launches in a date range read only those days', async () => {
    const repo = new CampaignRepository(testDb.db, testDb.tables.campaigns, time.clock);
    const days = ['2026-11-01', '2026-12-02', '2026-12-03', '2026-12-09', '2026-12-10', '2027-03-01'];
    for (const [i, launchDate] of days.entries()) {
      await repo.create(campaignFixture({ campaignId: `cmp-range-${i}`, teamId: 'team-range', launchDate }));
    }
    await repo.create(
      campaignFixture({ campaignId: 'cmp-other', teamId: 'team-else', launchDate: '2026-12-04' }),
    );
    const meter = scanned();
    const launching = await repo.listByTeamLaunching('team-range', '2026-12-03', '2026-12-10');
    meter.stop();
    expect(launching.map((c) => c.launchDate)).toEqual(['2026-12-03', '2026-12-09', '2026-12-10']);
    expect(meter.total()).toBe(3);
  });

  it('a team’s overdue open tasks come from a sparse index: done, undated and future tasks are never read', async () => {
    // Prepare
    const repo = new TaskRepository(testDb.db, testDb.tables.tasks, time.clock);
    const base = { campaignId: 'cmp-od', teamId: 'team-od' };
    await repo.create(
      taskFixture({ ...base, taskId: 'late-1', dueDate: '2026-11-30', status: 'IN_PROGRESS' }),
    );
    await repo.create(taskFixture({ ...base, taskId: 'late-2', dueDate: '2026-12-02', status: 'BLOCKED' }));
    await repo.create(taskFixture({ ...base, taskId: 'done', dueDate: '2026-11-01', status: 'DONE' }));
    await repo.create(taskFixture({ ...base, taskId: 'undated', dueDate: undefined, status: 'NOT_STARTED' }));
    await repo.create(taskFixture({ ...base, taskId: 'today', dueDate: '2026-12-03' }));
    await repo.create(taskFixture({ ...base, taskId: 'future', dueDate: '2027-01-10' }));
    await repo.create(
      taskFixture({ campaignId: 'cmp-x', teamId: 'team-x', taskId: 'late', dueDate: '2026-11-01' }),
    );
    // Act: one of them gets done.
    const late2 = await repo.get('cmp-od', 'late-2');
    if (late2) await repo.update({ ...late2, status: 'DONE' }, late2.version);
    const meter = scanned();
    const overdue = await repo.listOpenDueBefore('team-od', '2026-12-03');
    meter.stop();
    // Assess
    expect(overdue.map((t) => t.taskId)).toEqual(['late-1']);
    expect(overdue[0]).not.toHaveProperty('openTeamId');
    expect(meter.total()).toBe(1);
  });

  it('a team’s pending approvals and decisions in a window, by team and time', async () => {
    const repo = new ApprovalRepository(testDb.db, testDb.tables.approvals);
    await repo.create(anApproval({ approvalId: 'apr_P1', teamId: 'team-apr' }));
    await repo.create(anApproval({ approvalId: 'apr_P2', teamId: 'team-other' }));
    const decided = (id: string, at: string, status: 'APPROVED' | 'REJECTED') =>
      anApproval({ approvalId: id, teamId: 'team-apr', status, decidedAt: at, decidedBy: 'U0LEAD' });
    await repo.create(decided('apr_D1', '2026-12-01T08:00:00.000Z', 'APPROVED'));
    await repo.create(decided('apr_D2', '2026-12-02T16:00:00.000Z', 'REJECTED'));
    await repo.create(decided('apr_D3', '2026-12-03T09:00:00.000Z', 'APPROVED'));

    const pending = await repo.listByTeamStatus('team-apr', 'PENDING');
    const since = await repo.listByTeamDecided(
      'team-apr',
      '2026-12-01T08:00:00.000Z',
      '2026-12-03T08:00:00.000Z',
    );

    expect(pending.map((a) => a.approvalId)).toEqual(['apr_P1']);
    expect(since.map((a) => a.approvalId)).toEqual(['apr_D2']);
  });

  it('a stream’s events after one instant and up to another', async () => {
    const clock = testClock('2026-12-01T10:00:00.000Z');
    const repo = new EventsLogRepository(testDb.db, testDb.tables.eventsLog, clock.clock);
    await repo.append({ stream: 'team#t1', type: 'budget.changed', data: { n: 1 } });
    clock.set('2026-12-02T10:00:00.000Z');
    await repo.append({ stream: 'team#t1', type: 'budget.changed', data: { n: 2 } });
    clock.set('2026-12-03T10:00:00.000Z');
    await repo.append({ stream: 'team#t1', type: 'budget.changed', data: { n: 3 } });
    const between = await repo.listBetween('team#t1', '2026-12-01T10:00:00.000Z', '2026-12-03T09:00:00.000Z');
    expect(between.map((e) => e.data.n)).toEqual([2]);
  });

  it('open sync conflicts by team, from the records that carry the marker', async () => {
    const repo = new SyncStateRepository(testDb.db, testDb.tables.syncState, time.clock);
    const Data = z.object({ state: z.string() });
    const marker = {
      teamId: 'team-sync',
      since: '2026-12-02T10:00:00.000Z',
      summary: 'Task “Legal review” was deleted in Workfront',
    };
    const open = await repo.put(
      {
        objectKey: 'task#cmp-1#t1',
        target: { system: 'workfront', externalId: 'wf-1' },
        openConflict: marker,
        data: { state: 'CONFLICT' },
      },
      Data,
    );
    await repo.put({ objectKey: 'task#cmp-1#t2', data: { state: 'SYNCED' } }, Data);
    expect(await repo.listOpenConflicts('team-sync')).toEqual([
      { ...marker, objectKey: 'task#cmp-1#t1', target: { system: 'workfront', externalId: 'wf-1' } },
    ]);
    // Resolved: the next put leaves the marker out, and the record leaves the index.
    await repo.put({ objectKey: 'task#cmp-1#t1', data: { state: 'RESOLVED' } }, Data, open.version);
    expect(await repo.listOpenConflicts('team-sync')).toEqual([]);
    expect((await repo.get('task#cmp-1#t1', Data))?.openConflict).toBeUndefined();
  });

  it('workflow state: the latest record of a partition, and conditional delete', async () => {
    const repo = new WorkflowStateRepository(testDb.db, testDb.tables.workflowState, time.clock);
    const Data = z.object({ n: z.number() });
    await repo.put({ pk: 'digest#C0LATEST', sk: 'run#2026-12-01' }, { n: 1 }, Data);
    await repo.put({ pk: 'digest#C0LATEST', sk: 'run#2026-12-02' }, { n: 2 }, Data);
    await repo.put({ pk: 'digest#C0LATEST', sk: 'zzz' }, { n: 9 }, Data);
    expect((await repo.latest('digest#C0LATEST', 'run#', Data))?.data.n).toBe(2);
    expect(await repo.latest('digest#C0NONE', 'run#', Data)).toBeUndefined();
    await expect(repo.delete({ pk: 'digest#C0LATEST', sk: 'zzz' }, 5)).rejects.toBeInstanceOf(ConflictError);
    await repo.delete({ pk: 'digest#C0LATEST', sk: 'zzz' }, 1);
    await repo.delete({ pk: 'digest#C0LATEST', sk: 'zzz' });
    expect(await repo.get({ pk: 'digest#C0LATEST', sk: 'zzz' }, Data)).toBeUndefined();
  });
});
