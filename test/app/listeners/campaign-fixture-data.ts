import type { Campaign } from '../../../app/domain/model';
import type { Repositories } from '../../../app/services';
import type { StandInUser } from '../../../dev/slack-standin';
import { DEFAULT_USERS } from '../../../dev/slack-standin/fixtures';
import { aCampaign, aTask, aTeam } from '../../helpers/campaign-fixtures';
import { type Harness, startHarness } from '../../helpers/harness';

/**
 * A small, known portfolio for the `/mcc status` and `/mcc campaigns` integration tests: names
 * chosen for matching (accents, a name inside another), tasks chosen for time zones, and 35
 * fillers so the list needs three pages.
 *
 * The app's clock in these tests is YEAR-11-22T05:00Z: Saturday 21 November, 21:00 in
 * Los Angeles (U0LOCALVP), Sunday 22 November, 00:00 in New York (U0LOCALUSER).
 */
export const YEAR = 2099;
/**
 * The app's clock in these tests, owned by them: any year works, past or future (tried with 2020),
 * because request signatures are checked against the wall clock only (Bolt's staleness check and
 * the receiver's future-timestamp guard) and every date below is relative to this one. The day
 * matters: 22 November is a Sunday in YEAR, which the week and time-zone cases rely on.
 */
const TEST_NOW = new Date(`${YEAR}-11-22T05:00:00Z`);
/** `MM-DD` of YEAR as `YYYY-MM-DD`. */
export const day = (monthDay: string, yearOffset = 0) => `${YEAR + yearOffset}-${monthDay}`;
export const LA_USER = 'U0TESTLA';
export const NY_USER = 'U0TESTNY';
/** A user whose `users.info` the tests make fail. */
export const OTHER_USER = 'U0TESTLON';

/** People these tests act as, added to the stand-in's own (demo) workspace users. */
const TEST_USERS: StandInUser[] = [
  { id: LA_USER, name: 'lee', realName: 'Lee Angeles', tz: 'America/Los_Angeles', email: 'lee@example.com' },
  { id: NY_USER, name: 'nia', realName: 'Nia York', tz: 'America/New_York', email: 'nia@example.com' },
  { id: OTHER_USER, name: 'lon', realName: 'Lon Don', tz: 'Europe/London', email: 'lon@example.com' },
];

/** Starts the harness at TEST_NOW with the test users and the portfolio below. */
export async function startCampaignHarness(): Promise<Harness> {
  const harness = await startHarness({ clock: () => TEST_NOW });
  try {
    harness.standin.setUsers([...DEFAULT_USERS, ...TEST_USERS]);
    await seedCampaignFixtures(harness.runtime.repositories);
    return harness;
  } catch (error) {
    await harness.close();
    throw error;
  }
}

export const NAMED: Campaign[] = [
  aCampaign({
    campaignId: 'cmp-001',
    name: 'Spring Launch',
    status: 'IN_PROGRESS',
    tier: 1,
    teamId: 'team-growth',
    launchDate: day('11-21'),
    budgetCents: 1_250_000,
    ownerSlackId: 'U0TESTLON',
    workSystem: 'workfront',
    externalProjectId: 'wf-1',
    externalProjectUrl: 'https://example.my.workfront.com/project/wf-1',
  }),
  aCampaign({
    campaignId: 'cmp-002',
    name: 'Spring Launch Retargeting',
    status: 'PLANNED',
    tier: 2,
    teamId: 'team-brand',
    launchDate: day('12-01'),
  }),
  aCampaign({
    campaignId: 'cmp-003',
    name: 'Fête de la Musique',
    type: 'event',
    status: 'PLANNED',
    tier: 1,
    teamId: 'team-events',
    launchDate: day('11-23'),
    budgetCents: 4_500_050,
    workSystem: 'asana',
    externalProjectUrl: 'https://app.asana.com/0/1200/list',
  }),
  aCampaign({
    campaignId: 'cmp-004',
    name: 'Summer Sale',
    status: 'DRAFT',
    tier: 3,
    launchDate: day('06-01', 1),
  }),
  aCampaign({
    campaignId: 'cmp-005',
    name: 'Holiday Gift Guide',
    status: 'PENDING_APPROVAL',
    tier: 2,
    teamId: 'team-brand',
    launchDate: day('11-18'),
  }),
];

const FILLER_STATUSES = ['PLANNED', 'IN_PROGRESS', 'LAUNCHED', 'COMPLETED', 'ON_HOLD'] as const;
const FILLERS: Campaign[] = Array.from({ length: 35 }, (_, i) =>
  aCampaign({
    campaignId: `cmp-${String(100 + i)}`,
    name: `Evergreen Content ${String(i + 1).padStart(2, '0')}`,
    status: FILLER_STATUSES[i % FILLER_STATUSES.length],
    tier: ((i % 3) + 1) as 1 | 2 | 3,
    teamId: i % 2 === 0 ? 'team-growth' : 'team-brand',
    // Several share a day, so the id must break ties for paging to be exact.
    launchDate: new Date(Date.UTC(YEAR, 10, 10) + Math.floor(i / 2) * 4 * 86_400_000)
      .toISOString()
      .slice(0, 10),
  }),
);

export const ALL = [...NAMED, ...FILLERS];

async function seedCampaignFixtures(repositories: Repositories): Promise<void> {
  await Promise.all([
    repositories.teams.create(aTeam({ teamId: 'team-growth', name: 'Growth Marketing' })),
    repositories.teams.create(
      aTeam({ teamId: 'team-brand', name: 'Brand Studio', slackChannelId: 'C0BRAND01' }),
    ),
    repositories.teams.create(
      aTeam({ teamId: 'team-events', name: 'Événements & Field', slackChannelId: 'C0EVENT01' }),
    ),
  ]);
  await Promise.all(ALL.map((campaign) => repositories.campaigns.create(campaign)));
  await Promise.all(
    [
      aTask({
        campaignId: 'cmp-001',
        taskId: 't1',
        name: 'Kickoff',
        status: 'DONE',
        milestone: true,
        dueDate: day('11-01'),
      }),
      aTask({
        campaignId: 'cmp-001',
        taskId: 't2',
        name: 'Landing page copy',
        status: 'IN_PROGRESS',
        dueDate: day('11-20'),
      }),
      // Due "yesterday" in New York but "today" in Los Angeles at TEST_NOW.
      aTask({
        campaignId: 'cmp-001',
        taskId: 't3',
        name: 'Creative approved',
        milestone: true,
        dueDate: day('11-21'),
      }),
      aTask({
        campaignId: 'cmp-001',
        taskId: 't4',
        name: 'Dropped idea',
        status: 'CANCELLED',
        dueDate: day('11-02'),
      }),
    ].map((task) => repositories.tasks.create(task)),
  );
}

/** Sort order of the list: launch date, then id. */
export function byLaunch(list: Campaign[]): string[] {
  return [...list]
    .sort((a, b) => a.launchDate.localeCompare(b.launchDate) || a.campaignId.localeCompare(b.campaignId))
    .map((campaign) => campaign.campaignId);
}
