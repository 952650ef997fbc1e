import { z } from 'zod';
import type { SyncStateRepository } from '../../adapters/dynamo/sync-state-repo';
import type { WorkSystem } from '../../domain/model';
import { ConflictError } from '../../errors';
import type { PeoplePort } from './codecs';

/**
 * Who is who across systems: a Slack user's Workfront user id and Asana user gid, stored in
 * sync-state (`person#<slackUserId>`, and `person-ext#<system>#<id>` for the way back). Phase 1
 * stores and reads the links (`link`); matching people by email (`users.lookupByEmail`) and the
 * admin view (`/mcc people`) fill them in phase 2. Without a link, an assignee is left out of the
 * sync with a note saying who is missing, never guessed.
 */
const PersonLinks = z.object({
  slackUserId: z.string().min(1),
  workfront: z.string().min(1).optional(),
  asana: z.string().min(1).optional(),
  email: z.string().optional(),
});
type PersonLinks = z.infer<typeof PersonLinks>;

const ExternalPerson = z.object({ slackUserId: z.string().min(1) });

/** Links are cached this long per container (admins' edits show up within it). */
const CACHE_MS = 60_000;

export class PeopleDirectory implements PeoplePort {
  private readonly cache = new Map<string, { at: number; value: string | undefined }>();

  constructor(
    private readonly repo: Pick<SyncStateRepository, 'get' | 'put'>,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  async externalUserFor(system: WorkSystem, slackUserId: string): Promise<string | undefined> {
    return this.cached(`to#${system}#${slackUserId}`, async () => {
      const found = await this.repo.get(`person#${slackUserId}`, PersonLinks);
      return found?.data[system];
    });
  }

  async slackUserFor(system: WorkSystem, externalUserId: string): Promise<string | undefined> {
    return this.cached(`from#${system}#${externalUserId}`, async () => {
      const found = await this.repo.get(`person-ext#${system}#${externalUserId}`, ExternalPerson);
      return found?.data.slackUserId;
    });
  }

  /** Links a Slack user to a work-system user (both directions; re-linking replaces the old link). */
  async link(slackUserId: string, system: WorkSystem, externalUserId: string, email?: string): Promise<void> {
    for (let attempt = 0; attempt < 5; attempt++) {
      const current = await this.repo.get(`person#${slackUserId}`, PersonLinks);
      const next: PersonLinks = {
        ...(current?.data ?? { slackUserId }),
        [system]: externalUserId,
        ...(email ? { email } : {}),
      };
      try {
        await this.repo.put(
          { objectKey: `person#${slackUserId}`, data: next },
          PersonLinks,
          current?.version,
        );
        break;
      } catch (error) {
        if (!(error instanceof ConflictError) || attempt === 4) throw error;
      }
    }
    const key = `person-ext#${system}#${externalUserId}`;
    const back = await this.repo.get(key, ExternalPerson);
    await this.repo.put({ objectKey: key, data: { slackUserId } }, ExternalPerson, back?.version);
    this.cache.clear();
  }

  private async cached(key: string, load: () => Promise<string | undefined>): Promise<string | undefined> {
    const now = this.clock().getTime();
    const hit = this.cache.get(key);
    if (hit && now - hit.at < CACHE_MS) return hit.value;
    const value = await load();
    this.cache.set(key, { at: now, value });
    return value;
  }
}
