import { afterEach, describe, expect, it } from 'vitest';
import { waitFor } from '../../helpers/harness';
import { HOSTILE, hostileName, scanSlackText } from '../../helpers/slack-text-scan';
import {
  ACTOR,
  provisionedCampaign,
  type SyncWorld,
  startSyncWorld,
  taskService,
} from '../../helpers/sync-world';

/**
 * The sync.push job against a misbehaving Workfront: 429 with Retry-After honoured (and shared with
 * every container through the limiter item), 5xx retried with backoff until it goes through, a 4xx
 * ending in a DM a person can act on.
 */
let world: SyncWorld | undefined;
afterEach(async () => {
  await world?.close();
  world = undefined;
});

async function setup(name: string) {
  world = await startSyncWorld();
  const campaign = await provisionedCampaign(world, { name });
  const task = (await world.harness.runtime.repositories.tasks.listByCampaign(campaign.campaignId)).find(
    (t) => t.externalId,
  );
  if (!task?.externalId) throw new Error('no task');
  return { w: world, campaign, task: { ...task, externalId: task.externalId } };
}

const taskPuts = (w: SyncWorld, id: string) =>
  w.workfront.calls().filter((c) => c.method === 'PUT' && c.path.endsWith(`/TASK/${id}`));

describe('sync.push against Workfront failures', () => {
  it('waits out a 429 Retry-After (holding back every container) and then writes', async () => {
    const { w, campaign, task } = await setup('Push 429');
    w.workfront.failNext(`PUT /attask/api/v15.0/TASK/${task.externalId}`, { status: 429, retryAfter: 1 });
    const started = Date.now();
    await taskService(w.harness.runtime).updateStatus(
      campaign.campaignId,
      task.taskId,
      'IN_PROGRESS',
      ACTOR.slackUserId,
    );
    await waitFor(() => w.workfront.tasks().find((t) => t.ID === task.externalId)?.status === 'INP', {
      timeoutMs: 10_000,
    });
    expect(taskPuts(w, task.externalId).map((c) => c.status)).toEqual([429, 200]);
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
  });

  it('retries a 5xx with backoff until Workfront takes the change', async () => {
    const { w, campaign, task } = await setup('Push 5xx');
    w.workfront.failNext(`PUT /attask/api/v15.0/TASK/${task.externalId}`, { status: 503 });
    await taskService(w.harness.runtime).updateStatus(
      campaign.campaignId,
      task.taskId,
      'IN_PROGRESS',
      ACTOR.slackUserId,
    );
    await waitFor(() => w.workfront.tasks().find((t) => t.ID === task.externalId)?.status === 'INP', {
      timeoutMs: 15_000,
    });
    expect(taskPuts(w, task.externalId).map((c) => c.status)).toEqual([503, 200]);
    // The push's finish (SYNCED, the failed attempt's error cleared) is recorded after Workfront has the value.
    const key = `task#${campaign.campaignId}#${task.taskId}`;
    await waitFor(
      async () => (await w.harness.runtime.services.sync.store.get(key))?.data.state === 'SYNCED',
    );
    const record = await w.harness.runtime.services.sync.store.get(key);
    expect(record?.data.lastError).toBeUndefined();
  });

  it('ends a 4xx in a DM saying what Workfront refused, keeping the change in Command Center', async () => {
    // A hostile campaign name and a hostile refusal: both shown as text in the DM.
    const { w, campaign, task } = await setup(hostileName('Push 4xx'));
    w.workfront.failNext(`PUT /attask/api/v15.0/TASK/${task.externalId}`, {
      status: 422,
      body: {
        error: {
          message: `Status INP is not allowed for this task ${HOSTILE}`,
          class: 'com.attask.common.InvalidParameterException',
        },
      },
    });
    await taskService(w.harness.runtime).updateStatus(
      campaign.campaignId,
      task.taskId,
      'IN_PROGRESS',
      ACTOR.slackUserId,
    );
    await w.settle();
    const dm = await waitFor(() =>
      w.harness.standin.messages(ACTOR.slackUserId).find((m) => m.text.includes("couldn't update")),
    );
    expect(dm.text).toContain('Status INP is not allowed for this task &lt;!channel&gt;');
    expect(dm.text).toContain('*Push 4xx &lt;!channel&gt;');
    expect(scanSlackText(dm, { users: [ACTOR.slackUserId] })).toEqual([]);
    expect(dm.text).toContain('Command Center keeps the change');
    expect((await w.harness.runtime.repositories.tasks.get(campaign.campaignId, task.taskId))?.status).toBe(
      'IN_PROGRESS',
    );
    const record = await w.harness.runtime.services.sync.store.get(
      `task#${campaign.campaignId}#${task.taskId}`,
    );
    expect(record?.data).toMatchObject({
      state: 'PENDING',
      lastError: { message: expect.stringContaining('422') },
    });
    expect(w.workfront.tasks().find((t) => t.ID === task.externalId)?.status).toBe('NEW');
  });
});
