import { CAMPAIGN_ID_SHAPE, type Campaign } from '../domain/model';
import { type MatchResult, matchByName, normalizeName, scoreNormalized } from './campaign-match';

/** How `CampaignDirectory` loads and ages its snapshot. */
export interface CampaignDirectoryOptions {
  /** Every campaign (in production `CampaignRepository.listAll`). */
  load: () => Promise<Campaign[]>;
  /**
   * Milliseconds for the snapshot's age. Elapsed time, not the domain clock: the app's clock is
   * the business "today" (frozen in tests and the demo), while a cache expires in real time.
   * Default `Date.now`.
   */
  now?: () => number;
  /** How long a snapshot is used without reloading. Default 60 s. */
  ttlMs?: number;
  /** A lookup that finds nothing, or one campaign only in part, reloads a snapshot at least this old. Default 2 s. */
  refreshOnMissAfterMs?: number;
}

/** What the directory keeps per campaign: the campaign as loaded, and its name normalized once. */
interface Entry {
  campaign: Campaign;
  normalizedName: string;
}

interface Snapshot {
  entries: Entry[];
  byId: Map<string, Campaign>;
  loadedAt: number;
}

/** How long a snapshot answers lookups without a reload. */
export const DIRECTORY_TTL_MS = 60_000;
/** A lookup that finds nothing good reloads a snapshot at least this old (bounds reloads per container). */
export const DIRECTORY_REFRESH_ON_MISS_AFTER_MS = 2_000;

/**
 * A per-container, in-memory directory of every campaign, for matching the names people type in
 * `/mcc status <name>` (and the subcommands that take a campaign name).
 *
 * Why: a name lookup needs every campaign, and the store can only give that as one
 * `status-index` Query per status (9 round trips, `CampaignRepository.listAll`). Loading that
 * once a minute instead of on every command takes a warm `/mcc status <name>` from 12 DynamoDB
 * round trips to 4 (the dedupe claim, then the campaign, its tasks and its team in parallel).
 *
 * Staleness, and why it is acceptable:
 * - The directory is used to find *which* campaign is meant (id, name, team, status). The card
 *   itself is always read fresh by id (GetItem + the tasks Query + the team GetItem), so what a
 *   person sees on a card is never older than the request.
 * - A snapshot lives `ttlMs` (60 s). A campaign created after the snapshot is still found: when a
 *   lookup finds nothing, or a single campaign only by part of its name, a snapshot older than
 *   `refreshOnMissAfterMs` (2 s) is reloaded once and the lookup repeated. What can be missed: a
 *   campaign created less than 2 s after a load and looked up by name within those same 2 s (it
 *   is found by id at once, or by name a moment later); and a campaign created in the last minute
 *   whose name only adds an option to a picker ("spring" → the picker lacks the newest "Spring
 *   …" until the TTL; typing more of its name finds it). A renamed campaign can be found under
 *   its old name (and is shown with its new one) for up to the TTL.
 * - The picker ("several match") and the "closest names" answer show the snapshot's status, tier
 *   and launch date, up to `ttlMs` old; choosing from the picker reads the campaign fresh.
 * - A deleted campaign still in the snapshot reads as missing on the fresh GetItem; the caller
 *   then calls `invalidate()` and looks again.
 * - Each Lambda container has its own snapshot; two requests may see snapshots of different ages
 *   (both within the bounds above).
 *
 * Misses cannot turn into a stream of reloads: at most one reload per `refreshOnMissAfterMs` per
 * container, and concurrent lookups share one load in flight. A failed load throws (the command
 * answers with the error) and caches nothing; the next lookup tries again.
 */
export class CampaignDirectory {
  private snapshot: Snapshot | undefined;
  private inFlight: Promise<Snapshot> | undefined;
  private readonly now: () => number;
  private readonly ttlMs: number;
  private readonly refreshOnMissAfterMs: number;

  constructor(private readonly options: CampaignDirectoryOptions) {
    this.now = options.now ?? Date.now;
    this.ttlMs = options.ttlMs ?? DIRECTORY_TTL_MS;
    this.refreshOnMissAfterMs = options.refreshOnMissAfterMs ?? DIRECTORY_REFRESH_ON_MISS_AFTER_MS;
  }

  /**
   * Matches `query` against every campaign's name (and id), with `matchByName`'s rules. Loads the
   * directory when it is empty or older than the TTL; reloads it once on a miss (see above).
   * The campaigns returned are the snapshot's: read a chosen one fresh by id before showing it.
   */
  async match(query: string, options: { closest?: number } = {}): Promise<MatchResult<Campaign>> {
    const fresh = this.snapshot === undefined || this.age(this.snapshot) >= this.ttlMs;
    const snapshot = fresh ? await this.reload() : (this.snapshot as Snapshot);
    const first = matchIn(snapshot, query, options.closest);
    if (fresh || isConfident(first, query) || this.age(snapshot) < this.refreshOnMissAfterMs) return first;
    // Nothing exact or whole-word in a snapshot old enough to be missing a new campaign: look again.
    return matchIn(await this.reload(), query, options.closest);
  }

  /** The snapshot's copy of a campaign, without loading (a hint, e.g. its team id, or undefined). */
  peek(campaignId: string): Campaign | undefined {
    const snapshot = this.snapshot;
    if (!snapshot || this.age(snapshot) >= this.ttlMs) return undefined;
    return snapshot.byId.get(campaignId);
  }

  /** Replaces the snapshot with campaigns just read in full elsewhere (a free refresh). */
  prime(campaigns: readonly Campaign[]): void {
    this.snapshot = toSnapshot(campaigns, this.now());
  }

  /** Forgets the snapshot: the next lookup loads. */
  invalidate(): void {
    this.snapshot = undefined;
  }

  private age(snapshot: Snapshot): number {
    return this.now() - snapshot.loadedAt;
  }

  /** One load at a time: concurrent callers share it. A failed load rejects and leaves the old snapshot. */
  private reload(): Promise<Snapshot> {
    if (this.inFlight) return this.inFlight;
    const startedAt = this.now();
    const loading = this.options
      .load()
      .then((campaigns) => {
        // Age from when the load started: a write racing the load may be missing from it.
        const snapshot = toSnapshot(campaigns, startedAt);
        this.snapshot = snapshot;
        return snapshot;
      })
      .finally(() => {
        this.inFlight = undefined;
      });
    this.inFlight = loading;
    return loading;
  }
}

function toSnapshot(campaigns: readonly Campaign[], loadedAt: number): Snapshot {
  const entries = campaigns.map((campaign) => ({ campaign, normalizedName: normalizeName(campaign.name) }));
  return { entries, byId: new Map(campaigns.map((c) => [c.campaignId, c])), loadedAt };
}

function matchIn(snapshot: Snapshot, query: string, closest = 3): MatchResult<Campaign> {
  const result = matchByName(query, snapshot.entries, {
    name: (entry) => entry.campaign.name,
    id: (entry) => entry.campaign.campaignId,
    normalizedName: (entry) => entry.normalizedName,
    idShape: CAMPAIGN_ID_SHAPE,
    closest,
  });
  if (result.kind === 'no_such_id') return result;
  if (result.kind === 'one') return { kind: 'one', item: result.item.campaign };
  if (result.kind === 'several') return { kind: 'several', items: result.items.map((e) => e.campaign) };
  return { kind: 'none', closest: result.closest.map((e) => e.campaign) };
}

/**
 * Whether a result is good enough to answer from the snapshot without reloading: one campaign by
 * exact id, exact name or whole-word match (a campaign created since could not beat it), or
 * several to choose from (the picker; a campaign created in the last minute may be missing from
 * it, and typing more of its name finds it). A single *partial* match could be a newer campaign's
 * name typed in full ("spring launch" while only "Spring Launch Retargeting" is in the
 * snapshot), and none could be a campaign created since: both reload. An unknown id does not: the
 * caller reads an id-shaped query by key, fresh, before it asks the directory
 * (`CampaignQueryService.lookup`), so a reload could not find it either.
 */
function isConfident(result: MatchResult<Campaign>, query: string): boolean {
  if (result.kind === 'one') {
    const campaign = result.item;
    return (
      campaign.campaignId.toLowerCase() === query.trim().toLowerCase() ||
      scoreNormalized(normalizeName(query), normalizeName(campaign.name)).full
    );
  }
  return result.kind === 'several' || result.kind === 'no_such_id';
}
