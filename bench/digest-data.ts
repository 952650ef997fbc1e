import { type ChildProcess, spawn } from 'node:child_process';
import { BatchWriteCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { TableNames } from '../app/adapters/dynamo/tables';
import { taskStorageItem } from '../app/adapters/dynamo/task-repo';
import type { Approval } from '../app/domain/approval';
import { addDays } from '../app/domain/calendar';
import type { Campaign, Task } from '../app/domain/model';
import { teamActivityStream } from '../app/services/campaign-command-ports';

/**
 * Data for the digest benchmark, written straight into the tables in the repositories' own storage
 * format (BatchWriteItem, 25 at a time), since a million conditional puts one by one would take an
 * hour on dynalite. dynalite runs in a child process so its work and ours use both cores.
 */

export const BENCH_TEAM = 'team-bench';
export const BENCH_CHANNEL = 'C0BENCH';
const TASKS_PER_CAMPAIGN = 10;

/** dynalite in its own process on a free loopback port. */
export async function startDynaliteProcess(): Promise<{ endpoint: string; close(): void }> {
  const script = `const d=require('dynalite')({createTableMs:0,deleteTableMs:0,updateTableMs:0});d.listen(0,'127.0.0.1',()=>process.stdout.write(String(d.address().port)+'\\n'));`;
  const child: ChildProcess = spawn(process.execPath, ['--max-old-space-size=8192', '-e', script], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const port = await new Promise<string>((resolve, reject) => {
    child.once('error', reject);
    child.stdout?.once('data', (chunk: Buffer) => resolve(chunk.toString().trim()));
  });
  return { endpoint: `http://127.0.0.1:${port}`, close: () => child.kill() };
}

/**
 * Writes items with BatchWriteItem (25 per call, 24 calls in flight: dynalite is latency-bound, not
 * CPU-bound, at this size), retrying unprocessed ones.
 */
async function batchWrite(
  db: DynamoDBDocumentClient,
  table: string,
  items: Iterable<Record<string, unknown>>,
): Promise<number> {
  const batches: Record<string, unknown>[][] = [];
  let current: Record<string, unknown>[] = [];
  for (const item of items) {
    current.push(item);
    if (current.length === 25) {
      batches.push(current);
      current = [];
    }
  }
  if (current.length > 0) batches.push(current);
  let next = 0;
  let written = 0;
  await Promise.all(
    Array.from({ length: 24 }, async () => {
      while (next < batches.length) {
        const batch = batches[next++] ?? [];
        let request: Record<string, { PutRequest: { Item: Record<string, unknown> } }[]> | undefined = {
          [table]: batch.map((Item) => ({ PutRequest: { Item } })),
        };
        while (request && Object.keys(request).length > 0) {
          const out = await db.send(new BatchWriteCommand({ RequestItems: request }));
          request = out.UnprocessedItems as typeof request;
        }
        written += batch.length;
      }
    }),
  );
  return written;
}

function campaign(id: string, launchDate: string, status: Campaign['status'], teamId = BENCH_TEAM): Campaign {
  return {
    campaignId: id,
    name: `Campaign ${id}`,
    type: 'standard',
    tier: 2,
    status,
    ownerSlackId: 'U0MAYA',
    teamId,
    budgetCents: 2_500_000,
    launchDate,
    channels: ['email'],
    createdBy: 'U0MAYA',
    createdAt: '2026-01-01T00:00:00.000Z',
    updatedAt: '2026-01-01T00:00:00.000Z',
    version: 1,
  };
}

function task(campaignId: string, n: number, status: Task['status'], dueDate: string, owner?: string): Task {
  return {
    campaignId,
    taskId: `t${String(n).padStart(2, '0')}`,
    teamId: BENCH_TEAM,
    name: `Task ${n} of ${campaignId}`,
    ...(owner ? { ownerSlackId: owner } : {}),
    dueDate,
    status,
    milestone: n === TASKS_PER_CAMPAIGN - 1,
    dependsOn: [],
    workSystem: 'workfront',
    updatedAt: '2026-01-01T00:00:00.000Z',
    version: 1,
  };
}

/** What the digest must find, the same at every scale. */
const MATCHING = {
  launching14: 30,
  atRiskCampaigns: 10,
  overdueCampaigns: 8,
  overduePerCampaign: 5,
  pendingApprovals: 10,
  decisions: 20,
  budgetEvents: 15,
  conflicts: 5,
} as const;

/**
 * The matching set: 30 launches in the next 14 days (10 within 3 days with open tasks), 8 active
 * campaigns further out with 5 overdue tasks each, pending and recently decided approvals, recent
 * budget changes and open sync conflicts. Returns the number of campaigns and tasks it wrote.
 */
export async function seedMatching(
  db: DynamoDBDocumentClient,
  tables: TableNames,
  today: string,
  since: string,
): Promise<{ campaigns: number; tasks: number }> {
  const campaigns: Campaign[] = [];
  const tasks: Task[] = [];
  for (let i = 0; i < MATCHING.launching14; i++) {
    const soon = i < MATCHING.atRiskCampaigns;
    const launch = addDays(today, soon ? i % 4 : 4 + (i % 10));
    const id = `m-launch-${i}`;
    campaigns.push(campaign(id, launch, 'IN_PROGRESS'));
    for (let n = 0; n < TASKS_PER_CAMPAIGN; n++) {
      tasks.push(task(id, n, n < 5 ? 'NOT_STARTED' : 'DONE', addDays(launch, 1), 'U0SAM'));
    }
  }
  for (let i = 0; i < MATCHING.overdueCampaigns; i++) {
    const id = `m-late-${i}`;
    campaigns.push(campaign(id, addDays(today, 30 + i), 'IN_PROGRESS'));
    for (let n = 0; n < TASKS_PER_CAMPAIGN; n++) {
      const overdue = n < MATCHING.overduePerCampaign;
      tasks.push(
        task(id, n, overdue ? 'IN_PROGRESS' : 'NOT_STARTED', addDays(today, overdue ? -1 - n : 20), 'U0SAM'),
      );
    }
  }
  await batchWrite(db, tables.campaigns, campaigns);
  await batchWrite(db, tables.tasks, tasks.map(taskStorageItem));
  const sinceMs = Date.parse(since);
  await batchWrite(db, tables.approvals, [
    ...Array.from({ length: MATCHING.pendingApprovals }, (_, i) => benchApproval(`P${i}`, 'PENDING')),
    ...Array.from({ length: MATCHING.decisions }, (_, i) =>
      benchApproval(`D${i}`, 'APPROVED', new Date(sinceMs + (i + 1) * 60_000).toISOString()),
    ),
  ]);
  await batchWrite(
    db,
    tables.eventsLog,
    Array.from({ length: MATCHING.budgetEvents }, (_, i) => {
      const at = new Date(sinceMs + (i + 1) * 120_000).toISOString();
      return budgetEvent(at, `01BENCHNEW${String(i).padStart(16, '0')}`);
    }),
  );
  await batchWrite(
    db,
    tables.syncState,
    Array.from({ length: MATCHING.conflicts }, (_, i) => ({
      objectKey: `task#m-launch-${i}#t09`,
      openConflictTeamId: BENCH_TEAM,
      openConflictSince: new Date(sinceMs - 3_600_000).toISOString(),
      openConflictSummary: `Task “Task 9” of m-launch-${i} was deleted in Workfront`,
      data: {},
      version: 1,
      updatedAt: since,
    })),
  );
  return { campaigns: campaigns.length, tasks: tasks.length };
}

function benchApproval(suffix: string, status: Approval['status'], decidedAt?: string): Approval {
  return {
    approvalId: `apr_BENCH${suffix}`,
    campaignId: 'm-launch-0',
    campaignName: `Campaign ${suffix}`,
    teamId: BENCH_TEAM,
    kind: 'budget_change',
    status,
    levels: ['leadership'],
    stageIndex: 0,
    stageApprovals: [],
    requesterId: 'U0MAYA',
    budgetCents: 3_000_000,
    previousBudgetCents: 2_500_000,
    policyId: 'leadership-budget-approval',
    policyMessage: 'Budgets over $10,000.00 need marketing leadership approval.',
    channelId: 'C0APPROVAL',
    notify: { channelId: 'U0MAYA' },
    reminderAt: '2026-01-02T00:00:00.000Z',
    expiresAt: '2026-01-06T00:00:00.000Z',
    schedules: { reminder: `r-${suffix}`, expiry: `e-${suffix}` },
    ...(decidedAt ? { decidedAt, decidedBy: 'U0LEAD' } : {}),
    history: [],
    createdAt: '2026-01-01T00:00:00.000Z',
    updatedAt: decidedAt ?? '2026-01-01T00:00:00.000Z',
    version: 1,
  };
}

function budgetEvent(at: string, id: string): Record<string, unknown> {
  const stream = teamActivityStream(BENCH_TEAM);
  return {
    pk: stream,
    sk: `${at}#${id}`,
    stream,
    at,
    eventId: id,
    type: 'budget.changed',
    actor: 'U0MAYA',
    data: { campaignId: 'm-launch-0', campaignName: 'Campaign m-launch-0', fromCents: 100, toCents: 200 },
    expiresAt: 4_102_444_800,
  };
}

/**
 * `count` campaigns of the team that the digest must NOT read, each with its tasks: 70% finished in
 * the past (tasks done, no owner), 30% far in the future (tasks open, due well after the digest's
 * 14 days, owned). Also `count / 10` old decided approvals and old budget events. `offset` keeps ids
 * distinct between calls.
 */
export async function seedNonMatching(
  db: DynamoDBDocumentClient,
  tables: TableNames,
  today: string,
  count: number,
  offset: number,
): Promise<{ campaigns: number; tasks: number }> {
  const campaigns: Campaign[] = [];
  for (let i = offset; i < offset + count; i++) {
    const past = i % 10 < 7;
    const launch = past ? addDays(today, -30 - (i % 3600)) : addDays(today, 30 + (i % 3600));
    campaigns.push(campaign(`x-${i}`, launch, past ? 'COMPLETED' : 'PLANNED'));
  }
  await batchWrite(db, tables.campaigns, campaigns);
  function* tasks(): Generator<Record<string, unknown>> {
    for (const c of campaigns) {
      const past = c.status === 'COMPLETED';
      for (let n = 0; n < TASKS_PER_CAMPAIGN; n++) {
        yield taskStorageItem(
          past
            ? task(c.campaignId, n, 'DONE', addDays(c.launchDate, -n))
            : task(
                c.campaignId,
                n,
                'NOT_STARTED',
                addDays(today, 15 + n),
                n % 2 === 0 ? 'U0MAYA' : undefined,
              ),
        );
      }
    }
  }
  const taskCount = await batchWrite(db, tables.tasks, tasks());
  const old = Math.floor(count / 10);
  const oldDecision = (i: number) =>
    new Date(Date.parse(`${addDays(today, -400)}T00:00:00.000Z`) + (offset + i) * 1000).toISOString();
  await batchWrite(
    db,
    tables.approvals,
    Array.from({ length: old }, (_, i) => benchApproval(`OLD${offset + i}`, 'APPROVED', oldDecision(i))),
  );
  await batchWrite(
    db,
    tables.eventsLog,
    Array.from({ length: old }, (_, i) =>
      budgetEvent(oldDecision(i), `01BENCHOLD${String(offset + i).padStart(16, '0')}`),
    ),
  );
  return { campaigns: campaigns.length, tasks: taskCount };
}
