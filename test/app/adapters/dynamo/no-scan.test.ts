import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { CampaignRepository } from '../../../../app/adapters/dynamo/campaign-repo';
import { EventsLogRepository } from '../../../../app/adapters/dynamo/events-log-repo';
import { SyncStateRepository } from '../../../../app/adapters/dynamo/sync-state-repo';
import { TaskRepository } from '../../../../app/adapters/dynamo/task-repo';
import { TeamRepository } from '../../../../app/adapters/dynamo/team-repo';
import { WorkflowStateRepository } from '../../../../app/adapters/dynamo/workflow-state-repo';
import { CAMPAIGN_STATUSES } from '../../../../app/domain/model';
import { seedDemoData } from '../../../../dev/seed';
import { startTestDb, type TestDb, testClock } from '../../../helpers/test-db';

/** The SDK's ways to scan (comments saying "no Scan" are fine). */
const SCAN_API = /ScanCommand|paginateScan/;

let testDb: TestDb;
const time = testClock('2026-03-02T15:00:00.000Z');

beforeAll(async () => {
  testDb = await startTestDb(`no-scan-${process.pid}-`);
});
afterAll(async () => {
  await testDb.close();
});

describe('no Scan', () => {
  // The recorder sits on the low-level client's stack, so it sees `GetItemCommand`, `QueryCommand`, …
  it('no repository method or the seed sends a ScanCommand', async () => {
    const { db, tables } = testDb;
    const campaigns = new CampaignRepository(db, tables.campaigns, time.clock);
    const tasks = new TaskRepository(db, tables.tasks, time.clock);
    const teams = new TeamRepository(db, tables.teams);
    const events = new EventsLogRepository(db, tables.eventsLog, time.clock);
    const workflow = new WorkflowStateRepository(db, tables.workflowState, time.clock);
    const sync = new SyncStateRepository(db, tables.syncState, time.clock);
    const Data = z.object({ n: z.number() });

    await seedDemoData({ campaigns, tasks, teams }, { clock: time.clock });
    const all = await campaigns.listAll();
    for (const status of CAMPAIGN_STATUSES) await campaigns.listByStatus(status, { limit: 2 });
    await campaigns.listByTeam('team-brand', { limit: 3 });
    const first = await campaigns.get('cmp-001');
    if (first) await campaigns.update({ ...first, name: 'Spring Launch 2' }, first.version);
    await teams.list();
    await teams.get('team-brand');
    const ownTasks = await tasks.listByOwner('U0MAYA');
    await tasks.listByCampaign('cmp-001');
    const task = ownTasks[0];
    if (task) await tasks.update({ ...task, status: 'DONE' }, task.version);
    await events.append({ stream: 'campaign#cmp-001', type: 'test', data: {} });
    await events.list('campaign#cmp-001');
    await workflow.put({ pk: 'w', sk: 's' }, { n: 1 }, Data);
    await workflow.get({ pk: 'w', sk: 's' }, Data);
    await workflow.list('w', Data);
    await sync.put({ objectKey: 'o', target: { system: 'asana', externalId: '1' }, data: { n: 1 } }, Data);
    await sync.get('o', Data);
    await sync.findByTarget({ system: 'asana', externalId: '1' }, Data);

    expect(all.length).toBeGreaterThan(30);
    expect(testDb.commands).toEqual(
      expect.arrayContaining(['QueryCommand', 'GetItemCommand', 'PutItemCommand']),
    );
    expect(testDb.commands).not.toContain('ScanCommand');
  });

  it('no data-layer source file refers to Scan', () => {
    const dir = resolve(__dirname, '../../../../app/adapters/dynamo');
    const sources = readdirSync(dir)
      .filter((name) => name.endsWith('.ts'))
      .map((name) => ({ name, text: readFileSync(join(dir, name), 'utf8') }));

    expect(sources.length).toBeGreaterThan(5);
    for (const { name, text } of sources) {
      expect({ name, scans: SCAN_API.test(text) }).toEqual({ name, scans: false });
    }
    expect(SCAN_API.test(readFileSync(resolve(__dirname, '../../../../dev/seed.ts'), 'utf8'))).toBe(false);
  });
});
