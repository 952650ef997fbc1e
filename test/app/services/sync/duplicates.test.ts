import { afterEach, describe, expect, it } from 'vitest';
import { jobIdFor } from '../../../../app/services/jobs';
import { waitFor } from '../../../helpers/harness';
import { provisionedCampaign, type SyncWorld, startSyncWorld } from '../../../helpers/sync-world';

/**
 * Issue 8: "The same event delivered 1,000 times, in any order and concurrently, changes state
 * exactly as once." Real HTTP deliveries from the stand-ins to the running app, all at once.
 */
let world: SyncWorld | undefined;
afterEach(async () => {
  await world?.close();
  world = undefined;
});

/**
 * Runs `run` over `items` in their order with at most `width` in flight: concurrent, yet no request
 * waits behind hundreds of others long enough to hit the sender's 10 s timeout on a busy machine.
 */
async function inPool<T, R>(items: T[], width: number, run: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  const lane = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await run(items[i] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.min(width, items.length) }, lane));
  return out;
}

/** Fisher–Yates with a fixed seed: a scrambled but reproducible order. */
function shuffled<T>(items: T[], seed = 7): T[] {
  const out = [...items];
  let s = seed;
  for (let i = out.length - 1; i > 0; i--) {
    s = (s * 1_103_515_245 + 12_345) % 2 ** 31;
    const j = s % (i + 1);
    [out[i], out[j]] = [out[j] as T, out[i] as T];
  }
  return out;
}

// 1,000 real HTTP deliveries (each two conditional writes on dynalite): seconds on an idle machine,
// much longer on a busy one, so these tests get minutes rather than the default 20 s.
describe('duplicate deliveries', { timeout: 180_000 }, () => {
  it('two Workfront changes, each delivered 500 more times, shuffled and concurrent: applied exactly once each', async () => {
    // Prepare
    world = await startSyncWorld();
    const campaign = await provisionedCampaign(world, { name: 'Thousand Duplicates' });
    const { tasks, eventsLog } = world.harness.runtime.repositories;
    const { jobs } = world.harness.runtime.services;
    const task = (await tasks.listByCampaign(campaign.campaignId)).find((t) => t.externalId);
    if (!task?.externalId) throw new Error('no task');
    const sentBefore = world.workfront.events.deliveries().length;
    world.workfront.humanChange(task.externalId, { name: 'First rename' });
    world.workfront.humanChange(task.externalId, { name: 'Second rename' });
    await world.settle();
    const applied = await tasks.get(campaign.campaignId, task.taskId);
    const deliveries = world.workfront.events.deliveries().slice(sentBefore);
    const firstIndex = world.workfront.events
      .deliveries()
      .findIndex((d, i) => i >= sentBefore && d.body.includes('First rename'));
    const secondIndex = world.workfront.events
      .deliveries()
      .findIndex((d, i) => i >= sentBefore && d.body.includes('Second rename'));
    expect(deliveries.length).toBeGreaterThanOrEqual(2);
    // Act: 1,000 more deliveries of the two messages, in a scrambled order, 100 at a time
    const order = shuffled([...Array(500).fill(firstIndex), ...Array(500).fill(secondIndex)]);
    const statuses = await inPool(
      order,
      100,
      (index) => world?.workfront.events.redeliver(index, 1) ?? Promise.resolve([]),
    );
    await world.settle();
    // Assess: every duplicate acknowledged; the task changed exactly as by the two messages once
    expect(statuses.flat().every((s) => s === 200)).toBe(true);
    const after = await tasks.get(campaign.campaignId, task.taskId);
    expect(after?.name).toBe('Second rename');
    expect(after?.version).toBe(applied?.version);
    const log = await eventsLog.list(`campaign#${campaign.campaignId}`, { limit: 100 });
    const renames = log.items.filter(
      (e) => e.type === 'sync.field.applied' && JSON.stringify(e.data).includes('rename'),
    );
    expect(renames).toHaveLength(2);
    // One delivery record and one job per distinct message.
    const keys = new Set(
      world.harness.logs
        .filter((l) => l.includes('"event":"sync_delivery"'))
        .map((l) => (JSON.parse(l) as { key: string }).key),
    );
    for (const key of keys) {
      const job = await jobs.get(jobIdFor('sync.delivery', `sync.delivery:workfront:${key}`));
      expect(job?.status).toBe('SUCCEEDED');
    }
  });

  it('an Asana batch delivered 1,000 times, 100 at a time, is stored and applied once', async () => {
    // Prepare
    world = await startSyncWorld();
    const campaign = await provisionedCampaign(world, { name: 'Thousand Asana', type: 'event' });
    await waitFor(async () => {
      await world?.settle();
      return (
        (await world?.harness.runtime.services.sync.hooks.forProject(campaign.externalProjectId ?? ''))
          ?.status === 'ACTIVE'
      );
    });
    const { tasks, eventsLog } = world.harness.runtime.repositories;
    const task = (await tasks.listByCampaign(campaign.campaignId)).find((t) => t.externalId);
    if (!task?.externalId) throw new Error('no task');
    const sentBefore = world.asana.webhooks.deliveries().length;
    world.asana.humanChange(task.externalId, { name: 'Renamed once' });
    await world.settle();
    const applied = await tasks.get(campaign.campaignId, task.taskId);
    const index = world.asana.webhooks
      .deliveries()
      .findIndex((d, i) => i >= sentBefore && d.body.includes(task.externalId ?? ''));
    // Act
    const statuses = (
      await inPool(
        Array.from({ length: 1_000 }),
        100,
        () => world?.asana.webhooks.redeliver(index, 1) ?? Promise.resolve([]),
      )
    ).flat();
    await world.settle();
    // Assess
    expect(statuses.every((s) => s === 200)).toBe(true);
    const after = await tasks.get(campaign.campaignId, task.taskId);
    expect(after).toMatchObject({ name: 'Renamed once', version: applied?.version });
    const log = await eventsLog.list(`campaign#${campaign.campaignId}`, { limit: 100 });
    expect(
      log.items.filter(
        (e) => e.type === 'sync.field.applied' && JSON.stringify(e.data).includes('Renamed once'),
      ),
    ).toHaveLength(1);
    const fetches = world.asana
      .calls()
      .filter((c) => c.method === 'GET' && c.path.endsWith(`/tasks/${task.externalId}`));
    // The delivery was stored once, so the task was fetched for it once (plus reads of pushes).
    expect(fetches.length).toBeLessThan(10);
  });
});
