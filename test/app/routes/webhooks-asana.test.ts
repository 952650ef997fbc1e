import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Campaign } from '../../../app/domain/model';
import { AsanaHook } from '../../../app/services/sync/asana-hooks';
import { waitFor } from '../../helpers/harness';
import { storedItems } from '../../helpers/store-count';
import {
  ACTOR,
  provisionedCampaign,
  type SyncWorld,
  startSyncWorld,
  taskService,
} from '../../helpers/sync-world';

/**
 * POST /webhooks/asana end to end with the Asana stand-in: the webhook registered by the real job
 * (the `X-Hook-Secret` handshake arrives while `POST /webhooks` is in flight and is stored under the
 * registration id in the target URL), signed batches verified in constant time, heartbeats
 * answered, changes completed by fetching the task, our own writes recognised when they come back.
 */
let world: SyncWorld;
let campaign: Campaign;
let hookId: string;
let secret: string;

beforeAll(async () => {
  world = await startSyncWorld();
  campaign = await provisionedCampaign(world, { name: 'Asana Intake Event', type: 'event' });
  const hook = await waitFor(async () => {
    await world.settle();
    const h = await world.harness.runtime.services.sync.hooks.forProject(campaign.externalProjectId ?? '');
    return h?.status === 'ACTIVE' ? h : undefined;
  });
  hookId = hook.hookId;
  secret = hook.secret ?? '';
});
afterAll(async () => {
  await world.close();
});

const sign = (body: string, key = secret) => createHmac('sha256', key).update(body).digest('hex');

async function post(body: string, headers: Record<string, string>, hook = hookId) {
  const response = await fetch(`${world.harness.baseUrl}/webhooks/asana?hook=${hook}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body,
  });
  return {
    status: response.status,
    headers: response.headers,
    body: (await response.json()) as Record<string, unknown>,
  };
}

describe('POST /webhooks/asana', () => {
  it('registered the project’s webhook through the handshake, keyed by the registration id in its URL', async () => {
    const [webhook] = world.asana.webhooks.webhooks();
    expect(webhook?.resource).toBe(campaign.externalProjectId);
    expect(webhook?.target).toBe(`${world.harness.baseUrl}/webhooks/asana?hook=${hookId}`);
    // The secret Asana generated is the one stored, and only under that registration.
    expect(secret).toBe(webhook?.secret);
    const stored = await world.harness.runtime.repositories.syncState.get(`asana-hook#${hookId}`, AsanaHook);
    expect(stored?.data).toMatchObject({
      status: 'ACTIVE',
      resourceGid: campaign.externalProjectId,
      webhookGid: webhook?.gid,
    });
  });

  it('refuses a handshake no registration waits for (and a second one for an active hook): 401, secret unchanged', async () => {
    const before = await storedItems(world.harness);
    const unknown = await post('', { 'x-hook-secret': 'forged' }, 'no-such-hook');
    const again = await post('', { 'x-hook-secret': 'forged' });
    expect([unknown.status, again.status]).toEqual([401, 401]);
    expect(await storedItems(world.harness)).toBe(before);
    expect((await world.harness.runtime.services.sync.hooks.secretFor(hookId)) ?? '').toBe(secret);
  });

  it('answers a heartbeat (empty events) with 200 and stores nothing', async () => {
    const before = await storedItems(world.harness);
    await world.asana.webhooks.heartbeat();
    const body = JSON.stringify({ events: [] });
    const result = await post(body, { 'x-hook-signature': sign(body) });
    expect(result).toMatchObject({ status: 200, body: { ok: true, heartbeat: true } });
    expect(
      world.asana.webhooks
        .deliveries()
        .filter((d) => d.body === '{"events":[]}')
        .every((d) => d.status === 200),
    ).toBe(true);
    expect(await storedItems(world.harness)).toBe(before);
  });

  it.each([
    ['a wrong signature', (body: string) => ({ 'x-hook-signature': sign(body, 'another-secret') })],
    ['no signature', () => ({})],
  ])('refuses %s with 401 and stores nothing', async (_what, headers) => {
    const body = JSON.stringify({ events: [{ action: 'changed' }] });
    const before = await storedItems(world.harness);
    const result = await post(body, headers(body));
    expect(result.status).toBe(401);
    expect(await storedItems(world.harness)).toBe(before);
  });

  it('refuses a signature that is the right HMAC in base64 (the hex assumption) with 401, counting it', async () => {
    const body = JSON.stringify({ events: [] });
    const base64 = createHmac('sha256', secret).update(body).digest('base64');
    const result = await post(body, { 'x-hook-signature': base64 });
    expect(result.status).toBe(401);
    const counters = await world.harness.runtime.repositories.syncState.counters(
      'assumption#asana.signature.hex',
    );
    expect(Number(counters?.count)).toBe(1);
    expect(world.harness.logs.some((l) => l.includes('"assumption":"asana.signature.hex"'))).toBe(true);
  });

  it('answers a correctly signed malformed batch with 400 and stores nothing', async () => {
    const body = JSON.stringify({ events: [{ action: 'teleported', resource: {} }] });
    const before = await storedItems(world.harness);
    const result = await post(body, { 'x-hook-signature': sign(body) });
    expect(result).toMatchObject({ status: 400, body: { error: 'malformed' } });
    expect(await storedItems(world.harness)).toBe(before);
  });

  it('applies a change made in Asana (fetched, since events are compact) and ignores the echo of ours', async () => {
    const tasks = await world.harness.runtime.repositories.tasks.listByCampaign(campaign.campaignId);
    const task = tasks.find((t) => t.externalId);
    if (!task?.externalId) throw new Error('no Asana task');
    // A person renames it in Asana.
    world.asana.humanChange(task.externalId, { name: 'Renamed in Asana' });
    await world.settle();
    expect((await world.harness.runtime.repositories.tasks.get(campaign.campaignId, task.taskId))?.name).toBe(
      'Renamed in Asana',
    );
    // Command Center completes it: pushed as completed=true; the event Asana sends back (our user) changes nothing.
    await taskService(world.harness.runtime).updateStatus(
      campaign.campaignId,
      task.taskId,
      'DONE',
      ACTOR.slackUserId,
    );
    await world.settle();
    const puts = world.asana
      .calls()
      .filter((c) => c.method === 'PUT' && c.path.endsWith(`/tasks/${task.externalId}`));
    expect(world.asana.tasks().find((t) => t.gid === task.externalId)?.completed).toBe(true);
    await world.settle();
    expect(
      world.asana.calls().filter((c) => c.method === 'PUT' && c.path.endsWith(`/tasks/${task.externalId}`)),
    ).toHaveLength(puts.length);
    expect(puts.at(-1)?.body).toEqual({ data: expect.objectContaining({ completed: true }) });
  });
});
