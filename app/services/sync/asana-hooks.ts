import { z } from 'zod';
import type { SyncStateRepository } from '../../adapters/dynamo/sync-state-repo';
import { isoInstant } from '../../domain/model';
import { ConflictError } from '../../errors';

/**
 * Asana webhook registrations and their secrets.
 *
 * Asana sends the `X-Hook-Secret` handshake while `POST /webhooks` is still in flight, before we know
 * the webhook's gid. So each registration gets an id of our own, put in the target URL we register
 * (`/webhooks/asana?hook=<hookId>`), and the secret is stored under it: `asana-hook#<hookId>` in
 * sync-state. A handshake is accepted only for a registration we started (PENDING) within the last
 * few minutes, once (a conditional write): a stranger who learns the URL cannot swap the secret.
 * Deliveries name their hook by the same query parameter; the secret is cached per container.
 */
export const AsanaHook = z.object({
  hookId: z.string().min(1),
  resourceGid: z.string().min(1),
  campaignId: z.string().min(1).optional(),
  status: z.enum(['PENDING', 'ACTIVE']),
  secret: z.string().min(1).optional(),
  webhookGid: z.string().min(1).optional(),
  startedAt: isoInstant,
  activatedAt: isoInstant.optional(),
});
export type AsanaHook = z.infer<typeof AsanaHook>;

const ProjectHook = z.object({ hookId: z.string().min(1) });

/** How long a registration may wait for its handshake. */
const HANDSHAKE_WINDOW_MS = 5 * 60_000;

export class AsanaHookStore {
  private readonly secrets = new Map<string, string>();

  constructor(
    private readonly repo: Pick<SyncStateRepository, 'get' | 'put'>,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  /** The hook currently registered for a project, if any. */
  async forProject(resourceGid: string): Promise<AsanaHook | undefined> {
    const link = await this.repo.get(`asana-project-hook#${resourceGid}`, ProjectHook);
    if (!link) return undefined;
    return (await this.repo.get(`asana-hook#${link.data.hookId}`, AsanaHook))?.data;
  }

  /** Starts a registration: a PENDING record the handshake may complete. */
  async begin(input: {
    hookId: string;
    resourceGid: string;
    campaignId?: string | undefined;
  }): Promise<AsanaHook> {
    const hook: AsanaHook = {
      hookId: input.hookId,
      resourceGid: input.resourceGid,
      ...(input.campaignId ? { campaignId: input.campaignId } : {}),
      status: 'PENDING',
      startedAt: this.clock().toISOString(),
    };
    await this.repo.put({ objectKey: `asana-hook#${input.hookId}`, data: hook }, AsanaHook);
    const key = `asana-project-hook#${input.resourceGid}`;
    const link = await this.repo.get(key, ProjectHook);
    await this.repo.put({ objectKey: key, data: { hookId: input.hookId } }, ProjectHook, link?.version);
    return hook;
  }

  /** Stores the handshake's secret: true only for a PENDING registration within the window. */
  async acceptHandshake(hookId: string, secret: string): Promise<boolean> {
    const found = await this.repo.get(`asana-hook#${hookId}`, AsanaHook);
    if (found?.data.status !== 'PENDING') return false;
    if (this.clock().getTime() - Date.parse(found.data.startedAt) > HANDSHAKE_WINDOW_MS) return false;
    try {
      await this.repo.put(
        {
          objectKey: `asana-hook#${hookId}`,
          data: { ...found.data, status: 'ACTIVE', secret, activatedAt: this.clock().toISOString() },
        },
        AsanaHook,
        found.version,
      );
      this.secrets.set(hookId, secret);
      return true;
    } catch (error) {
      if (error instanceof ConflictError) return false;
      throw error;
    }
  }

  /** Records the webhook gid Asana returned once creation finished. */
  async completed(hookId: string, webhookGid: string): Promise<void> {
    for (let attempt = 0; attempt < 3; attempt++) {
      const found = await this.repo.get(`asana-hook#${hookId}`, AsanaHook);
      if (!found || found.data.webhookGid === webhookGid) return;
      try {
        await this.repo.put(
          { objectKey: `asana-hook#${hookId}`, data: { ...found.data, webhookGid } },
          AsanaHook,
          found.version,
        );
        return;
      } catch (error) {
        if (!(error instanceof ConflictError)) throw error;
      }
    }
  }

  /** The secret of an ACTIVE hook (cached), or undefined. */
  async secretFor(hookId: string): Promise<string | undefined> {
    const cached = this.secrets.get(hookId);
    if (cached) return cached;
    const found = await this.repo.get(`asana-hook#${hookId}`, AsanaHook);
    const secret = found?.data.status === 'ACTIVE' ? found.data.secret : undefined;
    if (secret) this.secrets.set(hookId, secret);
    return secret;
  }
}
