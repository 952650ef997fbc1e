import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CampaignRepository } from '../../../app/adapters/dynamo/campaign-repo';
import { createDocumentClient } from '../../../app/adapters/dynamo/client';
import { tableNames } from '../../../app/adapters/dynamo/tables';
import { TaskRepository } from '../../../app/adapters/dynamo/task-repo';
import { TeamRepository } from '../../../app/adapters/dynamo/team-repo';
import type { Campaign } from '../../../app/domain/model';
import { ValidationError } from '../../../app/errors';
import {
  CampaignDirectory,
  DIRECTORY_REFRESH_ON_MISS_AFTER_MS,
  DIRECTORY_TTL_MS,
} from '../../../app/services/campaign-directory';
import { parseCampaignFilter } from '../../../app/services/campaign-filters';
import {
  type CampaignListFilter,
  decodeListCursor,
  encodeListCursor,
} from '../../../app/services/campaign-list-filter';
import { CampaignQueryService, type CampaignReader } from '../../../app/services/campaign-query';
import { startLocalDynamo } from '../../../dev/local-dynamo';
import { aCampaign, aTask, aTeam } from '../../helpers/campaign-fixtures';

const STATUSES = ['PLANNED', 'IN_PROGRESS', 'DRAFT', 'LAUNCHED'] as const;
const TEAMS = ['team-growth', 'team-brand', 'team-events'] as const;

/** 45 campaigns: statuses, teams and tiers cycle; launch dates repeat so the id breaks ties. */
const campaigns: Campaign[] = Array.from({ length: 45 }, (_, i) =>
  aCampaign({
    campaignId: `cmp-${String(i + 1).padStart(3, '0')}`,
    name: `Campaign ${i + 1}`,
    status: STATUSES[i % STATUSES.length],
    teamId: TEAMS[i % TEAMS.length],
    tier: ((Math.floor(i / 3) % 3) + 1) as 1 | 2 | 3,
    launchDate: `2026-11-${String(10 + (i % 15)).padStart(2, '0')}`,
  }),
);

/** Records which repository method each query used, around the real repository. */
function recording(repo: CampaignRepository): { calls: string[]; reader: CampaignReader } {
  const calls: string[] = [];
  return {
    calls,
    reader: {
      get(id) {
        calls.push('get');
        return repo.get(id);
      },
      listByStatus(status, opts) {
        calls.push(`listByStatus:${status}`);
        return repo.listByStatus(status, opts);
      },
      listByTeam(teamId, opts) {
        calls.push(`listByTeam:${teamId}`);
        return repo.listByTeam(teamId, opts);
      },
      listAll() {
        calls.push('listAll');
        return repo.listAll();
      },
    },
  };
}

describe('CampaignQueryService (dynalite)', () => {
  let close: () => Promise<void>;
  let repo: CampaignRepository;
  let tasks: TaskRepository;
  let teams: TeamRepository;

  beforeAll(async () => {
    const prefix = 'cq-';
    const dynamo = await startLocalDynamo({ prefix });
    const db = createDocumentClient({ region: 'us-east-1', endpoint: dynamo.endpoint });
    const tables = tableNames(prefix);
    repo = new CampaignRepository(db, tables.campaigns);
    tasks = new TaskRepository(db, tables.tasks);
    teams = new TeamRepository(db, tables.teams);
    await Promise.all(campaigns.map((c) => repo.create(c)));
    await Promise.all([
      teams.create(aTeam({ teamId: 'team-growth', name: 'Growth Marketing' })),
      teams.create(aTeam({ teamId: 'team-brand', name: 'Brand Studio', slackChannelId: 'C0BRAND01' })),
      teams.create(aTeam({ teamId: 'team-events', name: 'Événements', slackChannelId: 'C0EVENT01' })),
    ]);
    await tasks.create(aTask({ campaignId: 'cmp-001', taskId: 't1', status: 'DONE' }));
    close = async () => {
      db.destroy();
      await dynamo.close();
    };
  });

  afterAll(async () => {
    await close();
  });

  async function pageThrough(service: CampaignQueryService, filter: CampaignListFilter) {
    const seen: string[] = [];
    let after: string | undefined;
    let pages = 0;
    for (;;) {
      const page = await service.listPage(filter, { pageSize: 7, ...(after ? { after } : {}) });
      expect(page.start).toBe(seen.length);
      seen.push(...page.items.map((c) => c.campaignId));
      pages += 1;
      if (!page.nextAfter) return { seen, pages, total: page.total };
      // The cursor travels inside the button value: round-trip it as the action would.
      const cursor = decodeListCursor(encodeListCursor(filter, page.nextAfter));
      after = cursor?.a;
    }
  }

  const sorted = (list: Campaign[]) =>
    [...list]
      .sort((a, b) => a.launchDate.localeCompare(b.launchDate) || a.campaignId.localeCompare(b.campaignId))
      .map((c) => c.campaignId);

  it('pages a status filter through status-index only, every match once, by launch date', async () => {
    const { calls, reader } = recording(repo);
    const service = new CampaignQueryService({ campaigns: reader, tasks, teams });
    const filter = await service.resolveFilter(
      parseCampaignFilter('status:planned,in progress'),
      '2026-11-22',
    );

    const { seen, pages, total } = await pageThrough(service, filter);

    const expected = sorted(campaigns.filter((c) => c.status === 'PLANNED' || c.status === 'IN_PROGRESS'));
    expect(seen).toEqual(expected);
    expect(total).toBe(expected.length);
    expect(pages).toBe(Math.ceil(expected.length / 7));
    expect(new Set(calls)).toEqual(new Set(['listByStatus:PLANNED', 'listByStatus:IN_PROGRESS']));
  });

  it('resolves a team by forgiving name and reads team-index only', async () => {
    const { calls, reader } = recording(repo);
    const service = new CampaignQueryService({ campaigns: reader, tasks, teams });
    const filter = await service.resolveFilter(parseCampaignFilter('team:evenements tier:1'), '2026-11-22');
    expect(filter).toMatchObject({ teamId: 'team-events', teamName: 'Événements', tiers: [1] });

    const { seen } = await pageThrough(service, filter);

    expect(seen).toEqual(sorted(campaigns.filter((c) => c.teamId === 'team-events' && c.tier === 1)));
    expect(seen.length).toBeGreaterThan(0);
    expect(new Set(calls)).toEqual(new Set(['listByTeam:team-events']));
  });

  it('accepts a team id, and refuses an unknown or ambiguous team naming the teams', async () => {
    const service = new CampaignQueryService({ campaigns: repo, tasks, teams });
    await expect(service.resolveFilter({ team: 'team-brand' }, '2026-11-22')).resolves.toMatchObject({
      teamId: 'team-brand',
    });
    const unknown = service.resolveFilter({ team: 'finance' }, '2026-11-22');
    await expect(unknown).rejects.toThrow(ValidationError);
    await expect(unknown).rejects.toThrow(/No team matches `finance`.*Brand Studio \(`team-brand`\)/);
  });

  it('lists "this week" (Monday–Sunday of the viewer’s day) from listAll', async () => {
    const { calls, reader } = recording(repo);
    const service = new CampaignQueryService({ campaigns: reader, tasks, teams });
    // 2026-11-18 is a Wednesday: its week is Nov 16–22.
    const filter = await service.resolveFilter(parseCampaignFilter('launching this week'), '2026-11-18');
    expect(filter).toMatchObject({
      launchFrom: '2026-11-16',
      launchTo: '2026-11-22',
      weekLabel: 'this week',
    });

    const { seen } = await pageThrough(service, filter);

    expect(seen).toEqual(
      sorted(campaigns.filter((c) => c.launchDate >= '2026-11-16' && c.launchDate <= '2026-11-22')),
    );
    // One listAll per page: each "Show more" is its own request.
    expect(new Set(calls)).toEqual(new Set(['listAll']));
  });

  it('finds a campaign by exact id with one GetItem, and by name from the directory, re-read by id', async () => {
    const { calls, reader } = recording(repo);
    let now = 0;
    const directory = new CampaignDirectory({ load: () => reader.listAll(), now: () => now });
    const service = new CampaignQueryService({ campaigns: reader, tasks, teams, directory });

    // An id is read by key; the directory is not loaded for it.
    await expect(service.findCampaign('cmp-007')).resolves.toMatchObject({
      kind: 'one',
      item: { campaignId: 'cmp-007' },
    });
    expect(calls).toEqual(['get']);

    // A name: the directory loads (listAll), and the one match is read fresh by id.
    calls.length = 0;
    await expect(service.findCampaign('campaign 45')).resolves.toMatchObject({
      kind: 'one',
      item: { campaignId: 'cmp-045' },
    });
    expect(calls).toEqual(['listAll', 'get']);

    // Within the TTL: no listAll, only the fresh read.
    calls.length = 0;
    now += DIRECTORY_TTL_MS - 1;
    await expect(service.findCampaign('campaign 44')).resolves.toMatchObject({
      kind: 'one',
      item: { campaignId: 'cmp-044' },
    });
    expect(calls).toEqual(['get']);

    // Once the TTL has passed, the directory reloads.
    calls.length = 0;
    now += 1;
    await service.findCampaign('campaign 43');
    expect(calls).toEqual(['listAll', 'get']);
  });

  it('finds a campaign created after the directory loaded, by its name, with one reload', async () => {
    const { calls, reader } = recording(repo);
    let now = 0;
    const directory = new CampaignDirectory({ load: () => reader.listAll(), now: () => now });
    const service = new CampaignQueryService({ campaigns: reader, tasks, teams, directory });
    await service.findCampaign('campaign 1');
    await repo.create(aCampaign({ campaignId: 'cmp-new', name: 'Zebra Crossing Promo', status: 'DRAFT' }));
    now += DIRECTORY_REFRESH_ON_MISS_AFTER_MS;
    calls.length = 0;

    const found = await service.findCampaign('zebra crossing promo');

    expect(found).toMatchObject({ kind: 'one', item: { campaignId: 'cmp-new', status: 'DRAFT' } });
    expect(calls).toEqual(['listAll', 'get']);
  });

  it('reads a card by name with the campaign, its tasks and its team in parallel, fresh', async () => {
    const { calls, reader } = recording(repo);
    const reads: string[] = [];
    const service = new CampaignQueryService({
      campaigns: reader,
      tasks: {
        listByCampaign: (id) => {
          reads.push(`tasks:${id}`);
          return tasks.listByCampaign(id);
        },
      },
      teams: {
        get: (id) => {
          reads.push(`team:${id}`);
          return teams.get(id);
        },
        list: () => teams.list(),
      },
    });
    await service.findCampaignCard('campaign 1'); // warms the directory
    // Changed after the directory loaded: the card must show the new budget.
    const before = await repo.get('cmp-001');
    if (!before) throw new Error('cmp-001 missing');
    await repo.update({ ...before, budgetCents: 4_242_00 }, before.version);
    calls.length = 0;
    reads.length = 0;

    const found = await service.findCampaignCard('campaign 1');

    expect(found.kind).toBe('one');
    if (found.kind !== 'one') return;
    expect(found.card.campaign.budgetCents).toBe(4_242_00);
    expect(found.card.tasks.map((t) => t.taskId)).toEqual(['t1']);
    expect(found.card.team?.name).toBe('Growth Marketing');
    expect(calls).toEqual(['get']);
    expect(reads.sort()).toEqual(['tasks:cmp-001', 'team:team-growth']);
  });

  it('reads a card by an id the directory does not know with the campaign first (a miss costs one GetItem)', async () => {
    const { calls, reader } = recording(repo);
    const service = new CampaignQueryService({ campaigns: reader, tasks, teams });

    const found = await service.findCampaignCard('cmp-002');
    expect(found).toMatchObject({ kind: 'one', card: { campaign: { campaignId: 'cmp-002' } } });
    expect(calls).toEqual(['get']);

    calls.length = 0;
    const missing = await service.getCard('cmp-999');
    expect(missing).toBeUndefined();
    expect(calls).toEqual(['get']);
  });

  it('loads a card’s tasks and team', async () => {
    const service = new CampaignQueryService({ campaigns: repo, tasks, teams });
    const details = await service.cardDetails(campaigns[0] as Campaign);
    expect(details.tasks.map((t) => t.taskId)).toEqual(['t1']);
    expect(details.team?.name).toBe('Growth Marketing');
  });
});

describe('list cursors', () => {
  it('round-trip, stay ≤ 2000 characters, and refuse anything else', () => {
    const filter: CampaignListFilter = {
      statuses: [
        'DRAFT',
        'PENDING_APPROVAL',
        'PLANNED',
        'IN_PROGRESS',
        'ON_HOLD',
        'LAUNCHED',
        'COMPLETED',
        'REJECTED',
        'CANCELLED',
      ],
      teamId: 't'.repeat(100),
      teamName: 'n'.repeat(100),
      tiers: [1, 2, 3],
      types: ['standard', 'event', 'partner'],
      launchFrom: '2026-11-16',
      launchTo: '2026-11-22',
      weekLabel: 'this week',
    };
    const value = encodeListCursor(filter, `2026-11-20|${'x'.repeat(250)}`);
    expect(value.length).toBeLessThanOrEqual(2000);
    expect(decodeListCursor(value)).toEqual({ v: 1, f: filter, a: `2026-11-20|${'x'.repeat(250)}` });
    expect(decodeListCursor('not json')).toBeUndefined();
    expect(decodeListCursor(JSON.stringify({ v: 2, f: {}, a: 'x' }))).toBeUndefined();
    expect(decodeListCursor(JSON.stringify({ v: 1, f: { statuses: ['NOPE'] }, a: 'x' }))).toBeUndefined();
  });
});
