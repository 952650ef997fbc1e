import { weekRange } from '../domain/calendar';
import type { Campaign, CampaignStatus, Task, Team } from '../domain/model';
import { escapeMrkdwn } from '../domain/text';
import { ValidationError } from '../errors';
import { CampaignDirectory } from './campaign-directory';
import type { ParsedCampaignFilter } from './campaign-filters';
import { type CampaignListFilter, campaignSortKey, compareKeys, matchesFilter } from './campaign-list-filter';
import { type MatchResult, matchByName } from './campaign-match';

/**
 * Read-side queries behind `/mcc status` and `/mcc campaigns`: find a campaign by a forgiving
 * name, load what its card shows, and list campaigns a page at a time. Reads only, through the
 * repositories' keys and indexes (no Scan); the listeners render the results with `blocks/`.
 * Names are matched against an in-memory `CampaignDirectory` (staleness bounds there); cards and
 * lists are always read from the store.
 */

/** The slice of the campaign repository these queries use (structural, so tests can pass fakes). */
export interface CampaignReader {
  get(campaignId: string): Promise<Campaign | undefined>;
  listByStatus(
    status: CampaignStatus,
    opts?: { limit?: number; cursor?: string },
  ): Promise<{ items: Campaign[]; cursor?: string }>;
  listByTeam(
    teamId: string,
    opts?: { limit?: number; cursor?: string },
  ): Promise<{ items: Campaign[]; cursor?: string }>;
  listAll(): Promise<Campaign[]>;
}
interface TaskReader {
  listByCampaign(campaignId: string): Promise<Task[]>;
}
interface TeamReader {
  get(teamId: string): Promise<Team | undefined>;
  list(): Promise<Team[]>;
}

/** One page of a campaign list, sorted by launch date (then id, so the order is total). */
export interface CampaignPage {
  items: Campaign[];
  /** How many campaigns match in all. */
  total: number;
  /** 0-based position of `items[0]` in the whole list. */
  start: number;
  /** Set when more follow: pass it back as `after` for the next page. */
  nextAfter?: string;
  /** Team id → name, for the list lines. */
  teamNames: Map<string, string>;
}

/** Campaigns shown per page: 15 compact lines keep a page readable and far under 50 blocks. */
const CAMPAIGN_PAGE_SIZE = 15;
/** Items per index query while draining an index (the repositories' maximum). */
const INDEX_PAGE_SIZE = 100;
/** Guards against a runaway pagination loop if a repository kept returning a cursor. */
const MAX_INDEX_PAGES = 50;

export interface CampaignQueryDeps {
  campaigns: CampaignReader;
  tasks: TaskReader;
  teams: TeamReader;
  /**
   * The name directory (see `CampaignDirectory` for its staleness bounds). Default: one over
   * `campaigns.listAll()` with the default TTLs; tests pass one with their own clock.
   */
  directory?: CampaignDirectory;
}

/** Everything a campaign card shows, read fresh: the campaign, its tasks and its team. */
export interface CampaignCard {
  campaign: Campaign;
  tasks: Task[];
  team: Team | undefined;
}

/** `findCampaignCard`'s answer: the card of the one campaign meant, else what `findCampaign` found. */
export type CardLookup =
  | { kind: 'one'; card: CampaignCard }
  | { kind: 'several'; items: Campaign[] }
  | { kind: 'none'; closest: Campaign[] }
  | { kind: 'no_such_id'; id: string };

export class CampaignQueryService {
  private readonly directory: CampaignDirectory;

  constructor(private readonly deps: CampaignQueryDeps) {
    this.directory = deps.directory ?? new CampaignDirectory({ load: () => deps.campaigns.listAll() });
  }

  /**
   * Finds the campaign meant by `query`: an exact id (one GetItem), else a forgiving name match
   * over the in-memory directory (no store call while it is fresh). A single match is re-read by
   * id, so the campaign returned is never older than this call; several or none come from the
   * directory (up to its TTL old).
   */
  async findCampaign(query: string): Promise<MatchResult<Campaign>> {
    return this.lookup(query, (campaignId) => this.deps.campaigns.get(campaignId));
  }

  /**
   * `/mcc status`: finds the campaign like `findCampaign` and, when it is one, reads its card in
   * the same round: the campaign (GetItem), its tasks (Query) and its team (GetItem) in parallel,
   * the team id taken from the directory. Warm, that is 3 store calls in one round trip's time.
   */
  async findCampaignCard(query: string): Promise<CardLookup> {
    let card: CampaignCard | undefined;
    const found = await this.lookup(query, async (campaignId, hint) => {
      card = await this.loadCard(campaignId, hint?.teamId);
      return card?.campaign;
    });
    if (found.kind !== 'one') return found;
    if (!card) throw new Error(`campaign ${found.item.campaignId} was matched without its card`);
    return { kind: 'one', card };
  }

  /**
   * The card for a campaign id (the picker's choice), or undefined when it no longer exists. With
   * the team id known from the directory, all three reads run in parallel; otherwise the team
   * follows the campaign.
   */
  async getCard(campaignId: string): Promise<CampaignCard | undefined> {
    return this.loadCard(campaignId, this.directory.peek(campaignId)?.teamId);
  }

  /** What a campaign card shows beyond the campaign itself: its tasks and its team. */
  async cardDetails(campaign: Campaign): Promise<{ tasks: Task[]; team: Team | undefined }> {
    const [tasks, team] = await Promise.all([
      this.deps.tasks.listByCampaign(campaign.campaignId),
      this.deps.teams.get(campaign.teamId),
    ]);
    return { tasks, team };
  }

  /**
   * The lookup both finders share. `read(id, hint)` reads the campaign fresh (and whatever else
   * the caller wants in the same round); `hint` is the directory's copy, when it has one.
   */
  private async lookup(
    query: string,
    read: (campaignId: string, hint: Campaign | undefined) => Promise<Campaign | undefined>,
  ): Promise<MatchResult<Campaign>> {
    // Names are ≤ 150 characters; a longer query cannot be one, and would only cost CPU to score.
    const trimmed = query.trim().slice(0, 200);
    // Only what looks like an id (one word with a digit, `-` or `_`) is tried as a key first, so a
    // one-word name ("spring") does not pay a GetItem before the match it needs anyway. An id
    // skips the directory: it is read by key, fresh, whatever the directory holds.
    if (!/\s/.test(trimmed) && /[\d_-]/.test(trimmed) && trimmed.length <= 100) {
      const byId = await read(trimmed, this.directory.peek(trimmed));
      if (byId) return { kind: 'one', item: byId };
    }
    const match = await this.directory.match(trimmed, { closest: 3 });
    if (match.kind !== 'one') return match;
    const fresh = await read(match.item.campaignId, match.item);
    if (fresh) return { kind: 'one', item: fresh };
    // Deleted since the directory was loaded: forget the snapshot and look once more.
    this.directory.invalidate();
    const again = await this.directory.match(trimmed, { closest: 3 });
    if (again.kind !== 'one') return again;
    const retried = await read(again.item.campaignId, again.item);
    return retried ? { kind: 'one', item: retried } : { kind: 'none', closest: [] };
  }

  /**
   * Campaign, tasks and team for one id. With `teamIdHint` (the directory's copy, so the campaign
   * almost surely exists) all three are read in parallel; if the campaign's team has changed
   * since, the right team is read after. Without it (an id the directory does not know: maybe no
   * campaign at all) the campaign is read first, so a miss costs one GetItem and nothing more.
   */
  private async loadCard(
    campaignId: string,
    teamIdHint: string | undefined,
  ): Promise<CampaignCard | undefined> {
    if (teamIdHint === undefined) {
      const campaign = await this.deps.campaigns.get(campaignId);
      return campaign ? { campaign, ...(await this.cardDetails(campaign)) } : undefined;
    }
    const [campaign, tasks, hintedTeam] = await Promise.all([
      this.deps.campaigns.get(campaignId),
      this.deps.tasks.listByCampaign(campaignId),
      this.deps.teams.get(teamIdHint),
    ]);
    if (!campaign) return undefined;
    const team = teamIdHint === campaign.teamId ? hintedTeam : await this.deps.teams.get(campaign.teamId);
    return { campaign, tasks, team };
  }

  /**
   * Turns a parsed filter into a list filter: the team (id or forgiving name) to its id, and
   * "this/next week" to the Monday–Sunday dates around `today` (the viewer's calendar day).
   * Throws `ValidationError` (shown to the user) for an unknown or ambiguous team. `teams`, when
   * the caller has already read them (`listTeams`), saves reading them again.
   */
  async resolveFilter(
    parsed: ParsedCampaignFilter,
    today: string,
    teams?: readonly Team[],
  ): Promise<CampaignListFilter> {
    const filter: CampaignListFilter = {};
    if (parsed.statuses?.length) filter.statuses = parsed.statuses;
    if (parsed.tiers?.length) filter.tiers = parsed.tiers;
    if (parsed.types?.length) filter.types = parsed.types;
    if (parsed.weeksAhead !== undefined) {
      const week = weekRange(today, parsed.weeksAhead);
      filter.launchFrom = week.from;
      filter.launchTo = week.to;
      filter.weekLabel = parsed.weeksAhead === 0 ? 'this week' : 'next week';
      // "What launches this week" means what will actually launch: cancelled and rejected
      // campaigns are left out unless a status filter asks for them.
      if (!filter.statuses) filter.liveOnly = true;
    }
    if (parsed.team !== undefined) {
      const team = await this.resolveTeam(parsed.team, teams);
      filter.teamId = team.teamId;
      filter.teamName = team.name.slice(0, 100);
    }
    return filter;
  }

  /** One campaign by id, as stored (no tasks, no team). */
  async getCampaign(campaignId: string): Promise<Campaign | undefined> {
    return this.deps.campaigns.get(campaignId);
  }

  /** Every team (one `all-index` query), for `resolveFilter` and `listPage` to share. */
  async listTeams(): Promise<Team[]> {
    return this.deps.teams.list();
  }

  private async resolveTeam(typed: string, known?: readonly Team[]): Promise<Team> {
    const teams = known ?? (await this.deps.teams.list());
    const match = matchByName(typed, teams, { name: (t) => t.name, id: (t) => t.teamId, closest: 3 });
    const named = (list: Team[]) => list.map((t) => `${escapeMrkdwn(t.name)} (\`${t.teamId}\`)`).join(', ');
    if (match.kind === 'one') return match.item;
    if (match.kind === 'several') {
      throw new ValidationError(
        `\`team:${typed}\` matches several teams: ${named(match.items.slice(0, 10))}. Use more of the name or the team id.`,
      );
    }
    const all = [...teams].sort((a, b) => a.name.localeCompare(b.name)).slice(0, 20);
    throw new ValidationError(
      teams.length === 0
        ? 'There are no teams yet.'
        : `No team matches \`${typed}\`. Teams: ${named(all)}${teams.length > all.length ? ', …' : ''}.`,
    );
  }

  /**
   * One page of campaigns matching `filter`, after the cursor `after` (from the previous page's
   * `nextAfter`). Reads through the narrowest index: team-index for a team, status-index per
   * status for statuses, else `listAll`; the remaining conditions filter in memory. `teams`, when
   * already read, saves the team list query that names the teams on each line.
   */
  async listPage(
    filter: CampaignListFilter,
    page: { after?: string; pageSize?: number; teams?: readonly Team[] } = {},
  ): Promise<CampaignPage> {
    const pageSize = page.pageSize ?? CAMPAIGN_PAGE_SIZE;
    const [candidates, teams] = await Promise.all([
      this.fetchCandidates(filter),
      page.teams ?? this.deps.teams.list(),
    ]);
    const matching = candidates.filter((campaign) => matchesFilter(campaign, filter));
    // Deduplicate by id: a campaign whose status changed mid-query could come back from two partitions.
    const byId = new Map(matching.map((campaign) => [campaign.campaignId, campaign]));
    const sorted = [...byId.values()].sort((a, b) => compareKeys(campaignSortKey(a), campaignSortKey(b)));
    const after = page.after;
    const start =
      after === undefined ? 0 : sorted.findIndex((c) => compareKeys(campaignSortKey(c), after) > 0);
    const from = start === -1 ? sorted.length : start;
    const items = sorted.slice(from, from + pageSize);
    const last = items.at(-1);
    return {
      items,
      total: sorted.length,
      start: from,
      ...(last && from + items.length < sorted.length ? { nextAfter: campaignSortKey(last) } : {}),
      teamNames: new Map(teams.map((team) => [team.teamId, team.name])),
    };
  }

  private async fetchCandidates(filter: CampaignListFilter): Promise<Campaign[]> {
    if (filter.teamId !== undefined) {
      const teamId = filter.teamId;
      return drain((cursor) =>
        this.deps.campaigns.listByTeam(teamId, { limit: INDEX_PAGE_SIZE, ...(cursor ? { cursor } : {}) }),
      );
    }
    if (filter.statuses?.length) {
      const perStatus = await Promise.all(
        filter.statuses.map((status) =>
          drain((cursor) =>
            this.deps.campaigns.listByStatus(status, {
              limit: INDEX_PAGE_SIZE,
              ...(cursor ? { cursor } : {}),
            }),
          ),
        ),
      );
      return perStatus.flat();
    }
    // Unfiltered lists read the store, not the directory: a list shows status, budget and launch
    // date, which someone may have changed seconds ago, and a list that lags its own edits (or
    // differs between two containers) would be noticed. What was read refreshes the directory.
    const all = await this.deps.campaigns.listAll();
    this.directory.prime(all);
    return all;
  }
}

async function drain(
  fetchPage: (cursor: string | undefined) => Promise<{ items: Campaign[]; cursor?: string }>,
): Promise<Campaign[]> {
  const out: Campaign[] = [];
  let cursor: string | undefined;
  for (let pages = 0; pages < MAX_INDEX_PAGES; pages += 1) {
    const page = await fetchPage(cursor);
    out.push(...page.items);
    cursor = page.cursor;
    if (!cursor) break;
  }
  return out;
}
