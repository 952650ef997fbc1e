import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CampaignRepository } from '../../app/adapters/dynamo/campaign-repo';
import { TaskRepository } from '../../app/adapters/dynamo/task-repo';
import { TeamRepository } from '../../app/adapters/dynamo/team-repo';
import {
  CAMPAIGN_STATUSES,
  CAMPAIGN_TIERS,
  CAMPAIGN_TYPES,
  type Campaign,
  type Task,
} from '../../app/domain/model';
import { planTasks, TEMPLATE_ROLES } from '../../app/domain/templates';
import { DEMO_CHANNELS, DEMO_USER_GROUPS, DEMO_USERS } from '../../dev/demo-users';
import { buildDemoData, DEMO_IDS, seedDemoData } from '../../dev/seed';
import { startTestDb, type TestDb } from '../helpers/test-db';

const NOW = new Date('2026-03-02T15:00:00.000Z');
const TODAY = '2026-03-02';
const clock = () => new Date(NOW.getTime());

let testDb: TestDb;
let repositories: { teams: TeamRepository; campaigns: CampaignRepository; tasks: TaskRepository };

beforeAll(async () => {
  testDb = await startTestDb(`seed-${process.pid}-`);
  repositories = {
    teams: new TeamRepository(testDb.db, testDb.tables.teams),
    campaigns: new CampaignRepository(testDb.db, testDb.tables.campaigns, clock),
    tasks: new TaskRepository(testDb.db, testDb.tables.tasks, clock),
  };
});
afterAll(async () => {
  await testDb.close();
});

async function allTasks(campaigns: Campaign[]): Promise<Task[]> {
  return (await Promise.all(campaigns.map((c) => repositories.tasks.listByCampaign(c.campaignId)))).flat();
}

describe('seedDemoData', () => {
  let campaigns: Campaign[];
  let tasks: Task[];

  it('seeds an empty store once; a second call seeds nothing', async () => {
    const first = await seedDemoData(repositories, { clock });
    const second = await seedDemoData(repositories, { clock });

    expect(first).toMatchObject({ seeded: true, teams: 4 });
    expect(first.campaigns).toBeGreaterThanOrEqual(30);
    expect(first.tasks).toBeGreaterThan(100);
    expect(second).toEqual({ seeded: false, teams: 0, campaigns: 0, tasks: 0 });
    campaigns = await repositories.campaigns.listAll();
    tasks = await allTasks(campaigns);
    expect(campaigns).toHaveLength(first.campaigns);
    expect(tasks).toHaveLength(first.tasks);
  });

  it('stores exactly what buildDemoData derives from the clock (deterministic)', () => {
    const expected = buildDemoData(clock());
    const again = buildDemoData(clock());

    expect(again).toEqual(expected);
    const byId = (a: { campaignId: string }, b: { campaignId: string }) =>
      a.campaignId.localeCompare(b.campaignId);
    expect([...campaigns].sort(byId)).toEqual([...expected.campaigns].sort(byId));
    expect(new Set(tasks.map((t) => t.taskId))).toEqual(new Set(expected.tasks.map((t) => t.taskId)));
    expect(campaigns.map((c) => c.campaignId)).toContain('cmp-001');
  });

  it('covers every status, type and tier, and both work systems', () => {
    expect(new Set(campaigns.map((c) => c.status))).toEqual(new Set(CAMPAIGN_STATUSES));
    expect(new Set(campaigns.map((c) => c.type))).toEqual(new Set(CAMPAIGN_TYPES));
    expect(new Set(campaigns.map((c) => c.tier))).toEqual(new Set(CAMPAIGN_TIERS));
    expect(new Set(campaigns.flatMap((c) => (c.workSystem ? [c.workSystem] : [])))).toEqual(
      new Set(['workfront', 'asana']),
    );
    expect(new Set(tasks.map((t) => t.workSystem))).toEqual(new Set(['workfront', 'asana']));
    for (const c of campaigns.filter((c) => c.workSystem)) {
      expect(c.workSystem).toBe(c.type === 'event' ? 'asana' : 'workfront');
      expect(c.externalProjectUrl).toMatch(
        c.workSystem === 'asana'
          ? /^https:\/\/app\.asana\.com\/0\/\d{16}\/list$/
          : /^https:\/\/demo\.my\.workfront\.com\/project\/[0-9a-f]{32}\/overview$/,
      );
    }
  });

  it('has budgets at and on both sides of the $10,000 and $100,000 thresholds', () => {
    const budgets = campaigns.map((c) => c.budgetCents);

    expect(budgets).toEqual(
      expect.arrayContaining([1_000_000, 1_000_001, 999_999, 10_000_000, 10_000_001, 9_999_999]),
    );
    expect(budgets.some((b) => b < 1_000_000)).toBe(true);
    expect(budgets.some((b) => b > 1_000_000 && b < 10_000_000)).toBe(true);
    expect(budgets.some((b) => b > 10_000_000)).toBe(true);
    const pending = campaigns.filter((c) => c.status === 'PENDING_APPROVAL');
    expect(pending.some((c) => c.budgetCents > 10_000_000)).toBe(true);
    expect(pending.every((c) => c.budgetCents > 1_000_000 && c.approvedBudgetCents === undefined)).toBe(true);
  });

  it('gives campaigns past approval an approved budget, and nothing else one', () => {
    const past = campaigns.filter((c) =>
      ['PLANNED', 'IN_PROGRESS', 'ON_HOLD', 'LAUNCHED', 'COMPLETED'].includes(c.status),
    );

    expect(past.length).toBeGreaterThan(15);
    expect(past.every((c) => c.approvedBudgetCents === c.budgetCents && c.externalProjectId)).toBe(true);
    expect(
      campaigns
        .filter((c) => ['DRAFT', 'PENDING_APPROVAL', 'REJECTED'].includes(c.status))
        .every((c) => !c.approvedBudgetCents),
    ).toBe(true);
  });

  it('spreads launch dates over the past, this week, next week and later', () => {
    const offsets = campaigns.map((c) => (Date.parse(c.launchDate) - Date.parse(TODAY)) / 86_400_000);

    expect(offsets.some((d) => d < 0)).toBe(true);
    expect(offsets.some((d) => d >= 0 && d < 7)).toBe(true);
    expect(offsets.some((d) => d >= 7 && d < 14)).toBe(true);
    expect(offsets.some((d) => d >= 30)).toBe(true);
  });

  it('has names with accents and names that share words', () => {
    const names = campaigns.map((c) => c.name);

    expect(names).toEqual(
      expect.arrayContaining([
        'Lancement Été',
        'Año Nuevo Promo',
        'Spring Launch',
        'Spring Launch Retargeting',
      ]),
    );
    expect(names.filter((n) => n.startsWith('Spring Launch')).length).toBeGreaterThanOrEqual(3);
  });

  it('has tasks with owners, dependencies, milestones, DONE work and overdue work', () => {
    const overdue = tasks.filter(
      (t) => t.dueDate && t.dueDate < TODAY && t.status !== 'DONE' && t.status !== 'CANCELLED',
    );
    const byKey = new Map(tasks.map((t) => [`${t.campaignId}/${t.taskId}`, t]));
    const unblocked = tasks.filter(
      (t) =>
        t.status === 'NOT_STARTED' &&
        t.dependsOn.length > 0 &&
        t.dependsOn.every((d) => byKey.get(`${t.campaignId}/${d}`)?.status === 'DONE'),
    );

    expect(overdue.map((t) => t.campaignId)).toEqual(
      expect.arrayContaining([DEMO_IDS.springLaunch, DEMO_IDS.onHold]),
    );
    expect(overdue.filter((t) => t.campaignId === DEMO_IDS.springLaunch)).toHaveLength(2);
    expect(tasks.some((t) => t.status === 'DONE' && t.completedAt)).toBe(true);
    expect(tasks.some((t) => t.milestone)).toBe(true);
    expect(tasks.filter((t) => t.ownerSlackId).length).toBeGreaterThan(tasks.length - 2);
    expect(unblocked.length).toBeGreaterThan(0);
    for (const t of tasks) {
      for (const dep of t.dependsOn) expect(byKey.has(`${t.campaignId}/${dep}`)).toBe(true);
      if (t.ownerSlackId) expect(DEMO_USERS.map((u) => u.id)).toContain(t.ownerSlackId);
    }
  });

  it('seeds teams whose channels and groups exist in the demo workspace', async () => {
    const teams = await repositories.teams.list();
    const channelIds = DEMO_CHANNELS.map((c) => c.id);
    const groupIds = DEMO_USER_GROUPS.map((g) => g.id);

    expect(teams.length).toBeGreaterThanOrEqual(3);
    expect(new Set(teams.map((t) => t.timezone)).size).toBe(teams.length);
    for (const team of teams) {
      expect(channelIds).toContain(team.slackChannelId);
      expect(groupIds).toContain(team.slackUserGroupId);
    }
    expect(campaigns.every((c) => teams.some((t) => t.teamId === c.teamId))).toBe(true);
  });

  it('gives every team a demo person for every template role, so provisioning leaves nothing unassigned', async () => {
    // Prepare
    const teams = await repositories.teams.list();
    const userIds = DEMO_USERS.map((u) => u.id);
    const roles = TEMPLATE_ROLES.filter((role) => role !== 'owner');

    // Assess: stored as built, every role mapped to a demo user
    expect(teams).toHaveLength(4);
    for (const team of teams) {
      expect(Object.keys(team.roleOwners ?? {}).sort()).toEqual([...roles].sort());
      for (const owner of Object.values(team.roleOwners ?? {})) expect(userIds).toContain(owner);
      // Planning every type and tier with this mapping assigns every task
      for (const type of CAMPAIGN_TYPES) {
        for (const tier of CAMPAIGN_TIERS) {
          const plan = planTasks({
            type,
            tier,
            launchDate: '2026-06-01',
            ownerSlackId: 'U0MAYA',
            ...(team.roleOwners ? { roleOwners: team.roleOwners } : {}),
            today: TODAY,
          });
          expect(plan.filter((task) => !task.ownerSlackId)).toEqual([]);
        }
      }
    }
    const brand = teams.find((t) => t.teamId === 'team-brand');
    expect(brand?.roleOwners).toMatchObject({ creative: 'U0TOM', legal: 'U0LENA' });
  });

  it('builds the same teams for any clock', () => {
    expect(buildDemoData(NOW).teams).toEqual(buildDemoData(new Date('2027-01-01T00:00:00Z')).teams);
  });
});

describe('seedDemoData after an interrupted run', () => {
  it('fills in what is missing without overwriting what was written', async () => {
    const other = await startTestDb(`seed-partial-${process.pid}-`);
    try {
      const repos = {
        teams: new TeamRepository(other.db, other.tables.teams),
        campaigns: new CampaignRepository(other.db, other.tables.campaigns, clock),
        tasks: new TaskRepository(other.db, other.tables.tasks, clock),
      };
      const data = buildDemoData(clock());
      const [firstCampaign] = data.campaigns;
      if (!firstCampaign) throw new Error('no demo campaigns');
      await repos.campaigns.create({ ...firstCampaign, name: 'Written before the interruption' });

      const result = await seedDemoData(repos, { clock });

      expect(result).toEqual({
        seeded: true,
        teams: data.teams.length,
        campaigns: data.campaigns.length - 1,
        tasks: data.tasks.length,
      });
      expect((await repos.campaigns.get(firstCampaign.campaignId))?.name).toBe(
        'Written before the interruption',
      );
    } finally {
      await other.close();
    }
  });
});

describe('demo workspace', () => {
  it('has 8–12 people across at least 3 time zones, and the approver groups and channels', () => {
    expect(DEMO_USERS.length).toBeGreaterThanOrEqual(8);
    expect(DEMO_USERS.length).toBeLessThanOrEqual(12);
    expect(new Set(DEMO_USERS.map((u) => u.tz)).size).toBeGreaterThanOrEqual(3);
    expect(DEMO_USERS.every((u) => /^U0[A-Z0-9]+$/.test(u.id) && u.email.endsWith('@example.com'))).toBe(
      true,
    );
    expect(DEMO_USER_GROUPS.find((g) => g.id === 'S0LEADERS')?.handle).toBe('mktg-leadership');
    expect(DEMO_USER_GROUPS.find((g) => g.id === 'S0VPS')?.handle).toBe('mktg-vps');
    expect(DEMO_CHANNELS.find((c) => c.id === 'C0APPROVAL')?.name).toBe('mcc-approvals');
    const userIds = new Set(DEMO_USERS.map((u) => u.id));
    expect(DEMO_USER_GROUPS.every((g) => g.userIds.every((id) => userIds.has(id)))).toBe(true);
  });
});
