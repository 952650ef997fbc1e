import { afterEach, describe, expect, it } from 'vitest';
import { waitFor } from '../../../helpers/harness';
import {
  ACTOR,
  provisionedCampaign,
  type SyncWorld,
  startSyncWorld,
  taskService,
  WF_TOKEN,
} from '../../../helpers/sync-world';

/**
 * Two-way sync with Workfront, end to end on loopback: Command Center's task service and approvals,
 * the Workfront stand-in's REST API and its event subscriptions delivering to POST
 * /webhooks/workfront, jobs running in-process.
 */
let world: SyncWorld | undefined;
afterEach(async () => {
  await world?.close();
  world = undefined;
});

const APPROVERS = {
  APPROVERS_LEADERSHIP: 'S0LEADERS',
  APPROVERS_VP: 'S0VPS',
  APPROVALS_CHANNEL: 'C0APPROVAL',
};

/** Waits until the campaign's sync record agrees on a budget (the first push after provisioning fills it in). */
async function budgetEstablished(w: SyncWorld, campaignId: string): Promise<void> {
  await waitFor(
    async () => {
      await w.settle();
      const record = await w.harness.runtime.services.sync.store.get(`campaign#${campaignId}`);
      return record?.data.fields.budgetCents !== undefined && record.data.state === 'SYNCED';
    },
    { timeoutMs: 15_000, message: 'budget not established' },
  );
}

async function firstTask(w: SyncWorld, campaignId: string) {
  const tasks = await w.harness.runtime.repositories.tasks.listByCampaign(campaignId);
  const task = tasks.find((t) => t.externalId);
  if (!task?.externalId) throw new Error('no provisioned task');
  return task as typeof task & { externalId: string };
}

// Each test provisions a campaign in the Workfront stand-in and runs webhooks, jobs and pushes over real
// HTTP: seconds on a quiet machine, past the default 20 s on a loaded one (one timed out at load 18).
describe('two-way sync with Workfront', { timeout: 120_000 }, () => {
  it('pushes a task change made in Command Center, and its echo changes nothing (no loop)', async () => {
    // Prepare
    world = await startSyncWorld();
    const campaign = await provisionedCampaign(world, { name: 'Sync Outbound' });
    const task = await firstTask(world, campaign.campaignId);
    const tasks = taskService(world.harness.runtime);
    // Act
    await tasks.updateStatus(campaign.campaignId, task.taskId, 'IN_PROGRESS', ACTOR.slackUserId);
    await tasks.reschedule(campaign.campaignId, task.taskId, '2031-01-15', ACTOR.slackUserId);
    await world.settle();
    const putsAfterPush = world.workfront.calls().filter((c) => c.method === 'PUT').length;
    await world.settle();
    // Assess: Workfront has both changes, written with its real request shape
    const remote = world.workfront.tasks().find((t) => t.ID === task.externalId);
    expect(remote).toMatchObject({ status: 'INP', plannedCompletionDate: '2031-01-15' });
    const put = world.workfront
      .calls()
      .find((c) => c.method === 'PUT' && c.path.endsWith(`/TASK/${task.externalId}`));
    expect(put?.path).toMatch(/^\/attask\/api\/v15\.0\/TASK\//);
    expect(JSON.parse(put?.query.updates ?? '{}')).toEqual(expect.objectContaining({}));
    // The echoes were delivered and acknowledged, and triggered no further write.
    expect(world.workfront.events.deliveries().some((d) => d.status === 200)).toBe(true);
    expect(world.workfront.calls().filter((c) => c.method === 'PUT').length).toBe(putsAfterPush);
    const stored = await world.harness.runtime.repositories.tasks.get(campaign.campaignId, task.taskId);
    expect(stored).toMatchObject({ status: 'IN_PROGRESS', dueDate: '2031-01-15' });
    const record = await world.harness.runtime.services.sync.store.get(
      `task#${campaign.campaignId}#${task.taskId}`,
    );
    expect(record?.data).toMatchObject({
      state: 'SYNCED',
      fields: { status: { value: 'IN_PROGRESS', source: 'cc' } },
    });
  });

  it('applies a change made in Workfront to Command Center, field by field', async () => {
    // Prepare
    world = await startSyncWorld();
    const campaign = await provisionedCampaign(world, { name: 'Sync Inbound' });
    const task = await firstTask(world, campaign.campaignId);
    // Act: a person renames the task and moves its date in Workfront
    world.workfront.humanChange(task.externalId, {
      name: 'Renamed in Workfront',
      plannedCompletionDate: '2031-02-01T17:00:00.000-0700',
    });
    await world.settle();
    // Assess
    const stored = await world.harness.runtime.repositories.tasks.get(campaign.campaignId, task.taskId);
    expect(stored).toMatchObject({ name: 'Renamed in Workfront', dueDate: '2031-02-01' });
    const record = await world.harness.runtime.services.sync.store.get(
      `task#${campaign.campaignId}#${task.taskId}`,
    );
    expect(record?.data.fields.name).toMatchObject({
      value: 'Renamed in Workfront',
      source: 'workfront',
      by: 'wf-person',
    });
    const log = await world.harness.runtime.repositories.eventsLog.list(`campaign#${campaign.campaignId}`, {
      newestFirst: true,
      limit: 50,
    });
    expect(
      log.items.some(
        (e) => e.type === 'sync.field.applied' && JSON.stringify(e.data).includes('Renamed in Workfront'),
      ),
    ).toBe(true);
  });

  it('imports a task a person adds to the project in Workfront, and records a note on a task as activity', async () => {
    world = await startSyncWorld();
    const campaign = await provisionedCampaign(world, { name: 'Sync Import' });
    const task = await firstTask(world, campaign.campaignId);
    // A person adds a task in Workfront.
    const added = world.workfront.humanCreateTask(campaign.externalProjectId ?? '', {
      name: 'Added in Workfront',
      plannedCompletionDate: '2031-03-01',
    });
    // A note on an existing task (Workfront NOTE; `objID` names the task — UNCONFIRMED field name).
    const note = {
      eventType: 'CREATE',
      subscriptionId: 'sub-notes',
      eventTime: { epochSecond: Math.floor(Date.now() / 1000), nano: 5 },
      newState: {
        ID: 'note-1',
        objCode: 'NOTE',
        objID: task.externalId,
        noteObjCode: 'TASK',
        noteText: 'Legal signed off',
      },
      oldState: {},
    };
    const response = await fetch(`${world.harness.baseUrl}/webhooks/workfront`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${WF_TOKEN}` },
      body: JSON.stringify(note),
    });
    await world.settle();
    // Assess
    expect(response.status).toBe(200);
    const imported = await world.harness.runtime.repositories.tasks.get(
      campaign.campaignId,
      `wf-${added.ID}`,
    );
    expect(imported).toMatchObject({
      name: 'Added in Workfront',
      dueDate: '2031-03-01',
      status: 'NOT_STARTED',
      externalId: added.ID,
    });
    const log = await world.harness.runtime.repositories.eventsLog.list(`campaign#${campaign.campaignId}`, {
      newestFirst: true,
      limit: 50,
    });
    expect(log.items.find((e) => e.type === 'sync.activity')?.data).toMatchObject({
      objCode: 'NOTE',
      summary: 'Legal signed off',
    });
  });

  it('a status changed on both sides: Workfront wins, and the conflict is recorded with both values', async () => {
    // Prepare
    world = await startSyncWorld();
    const campaign = await provisionedCampaign(world, { name: 'Sync Conflict' });
    const task = await firstTask(world, campaign.campaignId);
    // Workfront is briefly down, so Command Center's change is still waiting to be pushed…
    world.workfront.failNext(`GET /attask/api/v15.0/TASK/${task.externalId}`, { status: 503 });
    await taskService(world.harness.runtime).updateStatus(
      campaign.campaignId,
      task.taskId,
      'BLOCKED',
      ACTOR.slackUserId,
    );
    await world.harness.idle();
    // …when a person completes the task in Workfront.
    world.workfront.humanChange(task.externalId, { status: 'CPL' });
    await world.settle();
    // Assess
    const stored = await world.harness.runtime.repositories.tasks.get(campaign.campaignId, task.taskId);
    expect(stored?.status).toBe('DONE');
    const conflicts = await world.harness.runtime.services.sync.listConflicts({
      campaignId: campaign.campaignId,
    });
    const conflict = conflicts.find((c) => c.conflict.field === 'status')?.conflict;
    expect(conflict).toMatchObject({
      kind: 'field',
      rule: 'external_wins',
      cc: { value: 'BLOCKED', by: ACTOR.slackUserId },
      external: { value: 'DONE', by: 'wf-person' },
      decision: { winner: 'external', value: 'DONE', by: 'rule' },
    });
  });

  it('a deleted task escalates to a person; keeping Command Center’s creates it again', async () => {
    // Prepare
    world = await startSyncWorld();
    const campaign = await provisionedCampaign(world, { name: 'Sync Structural' });
    const task = await firstTask(world, campaign.campaignId);
    // Act
    world.workfront.humanDelete(task.externalId);
    await world.settle();
    const [open] = (
      await world.harness.runtime.services.sync.listConflicts({ campaignId: campaign.campaignId })
    ).filter((c) => c.conflict.status === 'OPEN');
    // Assess: escalated, nothing changed yet
    expect(open?.conflict).toMatchObject({ kind: 'deleted', rule: 'person' });
    expect(open?.record.data.state).toBe('CONFLICT');
    const before = await world.harness.runtime.repositories.tasks.get(campaign.campaignId, task.taskId);
    expect(before?.status).not.toBe('CANCELLED');
    // The team's digest and App Home see it through the open-conflict marker.
    const { syncState } = world.harness.runtime.repositories;
    const { sync } = world.harness.runtime.services;
    expect(await syncState.listOpenConflicts(campaign.teamId)).toEqual([
      expect.objectContaining({
        objectKey: open?.record.objectKey,
        teamId: campaign.teamId,
        since: open?.conflict.detectedAt,
        summary: `Task “${task.name}” was deleted in Workfront`,
      }),
    ]);
    expect(
      (await sync.listConflicts({ teamId: campaign.teamId })).map((c) => c.conflict.conflictId),
    ).toContain(open?.conflict.conflictId);
    // A person keeps Command Center's task: one conditional write, then the push recreates it.
    const resolved = await world.harness.runtime.services.sync.resolve(
      open?.conflict.conflictId ?? '',
      { kind: 'keep_cc' },
      'U0AISHA',
    );
    const again = await world.harness.runtime.services.sync.resolve(
      open?.conflict.conflictId ?? '',
      { kind: 'accept_external' },
      'U0LENA',
    );
    await world.settle();
    expect(resolved.outcome).toBe('resolved');
    expect(again.outcome).toBe('already_resolved');
    expect(await syncState.listOpenConflicts(campaign.teamId)).toEqual([]);
    const relinked = await world.harness.runtime.repositories.tasks.get(campaign.campaignId, task.taskId);
    expect(relinked?.externalId).toBeDefined();
    expect(relinked?.externalId).not.toBe(task.externalId);
    expect(
      world.workfront
        .tasks()
        .some((t) => t.ID === relinked?.externalId && t.extRefID === `${campaign.campaignId}:${task.taskId}`),
    ).toBe(true);
  });

  it('a budget raised in Workfront past the approved amount asks for approval; the budget stays until decided', async () => {
    // Prepare
    world = await startSyncWorld({ env: APPROVERS });
    const campaign = await provisionedCampaign(world, { name: 'Sync Budget', budgetCents: 800_000 });
    const project = campaign.externalProjectId ?? '';
    await budgetEstablished(world, campaign.campaignId);
    expect(world.workfront.projects().find((p) => p.ID === project)?.budget).toBe(8_000);
    // Act: someone raises it in Workfront to $25,000 (over the $10,000 threshold)
    world.workfront.humanChange(project, { budget: 25_000 });
    await world.settle();
    // Assess: a budget request exists, Command Center's budget is unchanged
    const { approvals } = world.harness.runtime.services;
    const { campaigns } = world.harness.runtime.repositories;
    const pending = await approvals.pendingFor(campaign.campaignId);
    expect(pending).toMatchObject({ kind: 'budget_change', budgetCents: 2_500_000, status: 'PENDING' });
    expect((await campaigns.get(campaign.campaignId))?.budgetCents).toBe(800_000);
    // Approving applies it in Command Center (and Workfront already has it).
    await approvals.decide({
      approvalId: pending?.approvalId ?? '',
      actorId: 'U0AISHA',
      decision: 'approve',
    });
    await world.settle();
    expect((await campaigns.get(campaign.campaignId))?.budgetCents).toBe(2_500_000);
    expect(world.workfront.projects().find((p) => p.ID === project)?.budget).toBe(25_000);
  });

  it('a rejected raise made in Workfront is taken back there', async () => {
    world = await startSyncWorld({ env: APPROVERS });
    const campaign = await provisionedCampaign(world, { name: 'Sync Budget Rejected', budgetCents: 800_000 });
    const project = campaign.externalProjectId ?? '';
    await budgetEstablished(world, campaign.campaignId);
    world.workfront.humanChange(project, { budget: 40_000 });
    await world.settle();
    const { approvals } = world.harness.runtime.services;
    const { campaigns } = world.harness.runtime.repositories;
    const pending = await approvals.pendingFor(campaign.campaignId);
    await approvals.decide({
      approvalId: pending?.approvalId ?? '',
      actorId: 'U0AISHA',
      decision: 'reject',
      reason: 'Not this quarter',
    });
    await world.settle();
    expect((await campaigns.get(campaign.campaignId))?.budgetCents).toBe(800_000);
    expect(world.workfront.projects().find((p) => p.ID === project)?.budget).toBe(8_000);
  });
});
