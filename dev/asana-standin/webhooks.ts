import { createHmac, randomBytes } from 'node:crypto';
import type { Routed } from '../workfront-standin/http-standin';
import { createWebhookSender, type DeliveryAttempt } from '../workfront-standin/webhook-sender';

/**
 * Asana webhooks for the stand-in (platform-facts §6): `POST /webhooks` `{data:{resource, target}}`
 * performs the `X-Hook-Secret` handshake against `target` while the request is in flight (the
 * target must answer 200/204 echoing the header, or creation fails with 400), then every change to
 * the resource (a project: itself and its tasks) is delivered as compact events `{events:[…]}`,
 * batched, signed `X-Hook-Signature` = hex HMAC-SHA256 of the body with the secret, and retried
 * when not answered 2xx. `heartbeat()` sends the empty batch Asana sends every 8 hours.
 */
interface AsanaWebhook {
  gid: string;
  resource: string;
  target: string;
  secret: string;
  active: boolean;
}

export interface CompactEvent {
  user: { gid: string; resource_type: 'user' } | null;
  created_at: string;
  action: 'changed' | 'added' | 'removed' | 'deleted' | 'undeleted';
  resource: { gid: string; resource_type: 'task' | 'project'; resource_subtype?: string };
  parent: { gid: string; resource_type: 'project' } | null;
  change?: { field: string; action: 'changed' };
}

export interface AsanaWebhooks {
  create(resource: string, target: string): Promise<Routed>;
  /** Queues events for every webhook watching `projects` (delivered in one batch per webhook, shortly). */
  emit(projects: string[], events: CompactEvent[]): void;
  heartbeat(): Promise<void>;
  /** Sends a delivered batch again exactly as before, `times` times, concurrently. */
  redeliver(index: number, times?: number): Promise<number[]>;
  webhooks(): AsanaWebhook[];
  deliveries(): DeliveryAttempt[];
  settled(): Promise<void>;
}

export function createAsanaWebhooks(options: {
  retryDelaysMs?: number[];
  newGid: () => string;
}): AsanaWebhooks {
  const hooks: AsanaWebhook[] = [];
  const sender = createWebhookSender(options.retryDelaysMs ? { retryDelaysMs: options.retryDelaysMs } : {});
  const pending = new Map<string, CompactEvent[]>();
  const sent: { url: string; body: string; headers: Record<string, string> }[] = [];
  let scheduled: Promise<void> | undefined;

  const sign = (hook: AsanaWebhook, body: string) =>
    createHmac('sha256', hook.secret).update(body).digest('hex');
  const deliver = (hook: AsanaWebhook, events: CompactEvent[]) => {
    const body = JSON.stringify({ events });
    const headers = { 'x-hook-signature': sign(hook, body) };
    sent.push({ url: hook.target, body, headers });
    return sender.send(hook.target, body, headers);
  };
  const flush = async () => {
    await new Promise((resolve) => setImmediate(resolve));
    scheduled = undefined;
    for (const [gid, events] of pending) {
      pending.delete(gid);
      const hook = hooks.find((h) => h.gid === gid);
      if (hook?.active && events.length > 0) void deliver(hook, events);
    }
  };

  return {
    async create(resource, target) {
      const secret = randomBytes(32).toString('hex');
      let echoed: string | null = null;
      let status = 0;
      try {
        const response = await fetch(target, {
          method: 'POST',
          headers: { 'x-hook-secret': secret, 'content-type': 'application/json' },
          body: '',
        });
        status = response.status;
        echoed = response.headers.get('x-hook-secret');
        await response.arrayBuffer();
      } catch {
        status = 0;
      }
      if ((status !== 200 && status !== 204) || echoed !== secret) {
        return {
          status: 400,
          body: {
            errors: [
              { message: `The remote server did not respond with the handshake secret (HTTP ${status}).` },
            ],
          },
        };
      }
      const hook: AsanaWebhook = { gid: options.newGid(), resource, target, secret, active: true };
      hooks.push(hook);
      return {
        status: 201,
        body: {
          data: {
            gid: hook.gid,
            resource_type: 'webhook',
            resource: { gid: resource, resource_type: 'project' },
            target,
            active: true,
            last_success_at: null,
            last_failure_at: null,
          },
        },
      };
    },
    emit(projects, events) {
      for (const hook of hooks) {
        if (!hook.active || !projects.includes(hook.resource)) continue;
        pending.set(hook.gid, [...(pending.get(hook.gid) ?? []), ...events]);
      }
      scheduled ??= flush();
    },
    async heartbeat() {
      await Promise.all(hooks.filter((h) => h.active).map((h) => deliver(h, [])));
    },
    async redeliver(index, times = 1) {
      const message = sent[index];
      if (!message) throw new Error(`no delivery ${index}`);
      return Promise.all(
        Array.from({ length: times }, () => sender.send(message.url, message.body, message.headers)),
      );
    },
    webhooks: () => hooks.map((h) => ({ ...h })),
    deliveries: () => sender.attempts(),
    async settled() {
      if (scheduled) await scheduled;
      await sender.settled();
    },
  };
}
