import { createHash } from 'node:crypto';
import type {
  Campaign,
  CampaignStatus,
  CampaignTier,
  CampaignType,
  Task,
  TaskStatus,
  Team,
} from '../app/domain/model';
import type { TemplateRole } from '../app/domain/templates';
import { DEMO_USER_GROUPS } from './demo-users';

/**
 * The demo portfolio, built as plain data relative to one instant (`buildDemoData(now)`), so the
 * same clock always gives the same teams, campaigns and tasks. "Today" is the UTC calendar day of
 * `now`; launch and due dates are whole days from it. `dev/seed.ts` writes this through the
 * repositories; its header lists the notable ids.
 */

const DAY_MS = 86_400_000;

/** Notable seeded ids other parts (and their tests) can rely on. See the table in dev/seed.ts. */
export const DEMO_IDS = {
  /** IN_PROGRESS, Workfront, launches in 5 days, two overdue tasks. */
  springLaunch: 'cmp-001',
  /** PLANNED, exactly $10,000.00 (no approval needed); shares words with cmp-001 and cmp-015. */
  springLaunchRetargeting: 'cmp-002',
  /** PLANNED event in Asana, accented name. */
  lancementEte: 'cmp-003',
  /** DRAFT, accented name; cmp-031 shares its words. */
  anoNuevoPromo: 'cmp-004',
  /** PENDING_APPROVAL at $250,000 (over the VP threshold). */
  pendingOverVp: 'cmp-005',
  /** PENDING_APPROVAL at $10,000.01 (just over the leadership threshold). */
  pendingJustOverLeadership: 'cmp-006',
  /** PENDING_APPROVAL at exactly $100,000.00 (leadership, not VP). */
  pendingAtVpThreshold: 'cmp-007',
  /** PENDING_APPROVAL at $100,000.01 (just over the VP threshold). */
  pendingJustOverVp: 'cmp-008',
  /** COMPLETED, every task DONE. */
  completed: 'cmp-009',
  /** LAUNCHED three days ago, $120,000 approved. */
  launched: 'cmp-010',
  /** ON_HOLD with a BLOCKED, overdue task (due 4 days ago). */
  onHold: 'cmp-011',
  /** IN_PROGRESS partner campaign at $99,999.99, launches in 9 days, one overdue task. */
  partnerRoadshow: 'cmp-012',
  /** REJECTED at $180,000. */
  rejected: 'cmp-013',
  /** CANCELLED after provisioning (Asana project, remaining tasks CANCELLED). */
  cancelledProvisioned: 'cmp-014',
  /** IN_PROGRESS event in Asana at $9,999.99, launches in 2 days. */
  springLaunchWebinar: 'cmp-015',
  /** IN_PROGRESS event in Asana, $480,000, launches in ~3 months. */
  annualConference: 'cmp-020',
  /** IN_PROGRESS in Workfront, has an unowned task and an undated one. */
  customerStories: 'cmp-028',
  /** LAUNCHED today. */
  launchedToday: 'cmp-033',
} as const;

type TeamId = 'team-brand' | 'team-growth' | 'team-events' | 'team-partners';

/** A team's person for each template role but `owner` (every role mapped: a missing one fails to compile). */
type RoleOwners = Record<Exclude<TemplateRole, 'owner'>, string>;

/**
 * Who does which kind of work (`Team.roleOwners`, used by provisioning to assign template tasks).
 * Team members first; the shared specialists fill the rest: Tom Nguyen (Senior Designer) does
 * creative for every team, Lena Fischer (Marketing Operations) routes legal reviews and signs off
 * QA, Amélie Laurent (Field & Events) runs event logistics.
 */
const ROLE_OWNERS: Record<TeamId, RoleOwners> = {
  'team-brand': {
    creative: 'U0TOM',
    legal: 'U0LENA',
    web: 'U0SAM',
    email: 'U0SAM',
    qa: 'U0LENA',
    analytics: 'U0MAYA',
    events: 'U0AMELIE',
  },
  'team-growth': {
    creative: 'U0TOM',
    legal: 'U0LENA',
    web: 'U0DIEGO',
    email: 'U0JORDAN',
    qa: 'U0AISHA',
    analytics: 'U0JORDAN',
    events: 'U0AMELIE',
  },
  'team-events': {
    creative: 'U0TOM',
    legal: 'U0LENA',
    web: 'U0LENA',
    email: 'U0AMELIE',
    qa: 'U0LENA',
    analytics: 'U0LENA',
    events: 'U0AMELIE',
  },
  'team-partners': {
    creative: 'U0TOM',
    legal: 'U0LENA',
    web: 'U0TOM',
    email: 'U0KENJI',
    qa: 'U0LENA',
    analytics: 'U0KENJI',
    events: 'U0AMELIE',
  },
};

export const DEMO_TEAMS: Omit<Team, 'version'>[] = [
  {
    teamId: 'team-brand',
    name: 'Brand & Content',
    slackChannelId: 'C0BRAND',
    timezone: 'America/New_York',
    slackUserGroupId: 'S0BRAND',
    roleOwners: ROLE_OWNERS['team-brand'],
  },
  {
    teamId: 'team-growth',
    name: 'Growth Marketing',
    slackChannelId: 'C0GROWTH',
    timezone: 'America/Los_Angeles',
    slackUserGroupId: 'S0GROWTH',
    roleOwners: ROLE_OWNERS['team-growth'],
  },
  {
    teamId: 'team-events',
    name: 'Field & Events',
    slackChannelId: 'C0EVENTS',
    timezone: 'Europe/Paris',
    slackUserGroupId: 'S0EVENTS',
    roleOwners: ROLE_OWNERS['team-events'],
  },
  {
    teamId: 'team-partners',
    name: 'Partner Marketing',
    slackChannelId: 'C0PARTNERS',
    timezone: 'Asia/Tokyo',
    slackUserGroupId: 'S0PARTNERS',
    roleOwners: ROLE_OWNERS['team-partners'],
  },
];

/** One demo campaign. `launch`/`end` are days from today; `late` leaves recent past-due tasks open. */
interface CampaignSpec {
  n: number;
  name: string;
  type: CampaignType;
  tier: CampaignTier;
  status: CampaignStatus;
  team: TeamId;
  owner: string;
  budgetCents: number;
  launch: number;
  end?: number;
  audience: string;
  channels: string[];
  description?: string;
  /** Provisioned in Workfront/Asana (external project, tasks). Default: from the status. */
  provisioned?: boolean;
  late?: boolean;
  createdBy?: string;
}

const usd = (dollars: number) => Math.round(dollars * 100);

const CAMPAIGNS: CampaignSpec[] = [
  {
    n: 1,
    name: 'Spring Launch',
    type: 'standard',
    tier: 1,
    status: 'IN_PROGRESS',
    team: 'team-brand',
    owner: 'U0MAYA',
    budgetCents: usd(85_000),
    launch: 5,
    end: 40,
    audience: 'Existing customers and high-intent trial users in North America',
    channels: ['email', 'paid social', 'web'],
    description: 'Flagship launch of the spring product line: new homepage, launch video, nurture emails.',
    late: true,
  },
  {
    n: 2,
    name: 'Spring Launch Retargeting',
    type: 'standard',
    tier: 2,
    status: 'PLANNED',
    team: 'team-growth',
    owner: 'U0DIEGO',
    budgetCents: usd(10_000),
    launch: 12,
    end: 42,
    audience: 'Visitors of the spring launch pages who did not sign up',
    channels: ['paid social', 'display'],
  },
  {
    n: 3,
    name: 'Lancement Été',
    type: 'event',
    tier: 1,
    status: 'PLANNED',
    team: 'team-events',
    owner: 'U0AMELIE',
    budgetCents: usd(150_000),
    launch: 40,
    end: 41,
    audience: 'Clients et prospects grands comptes en France et Belgique',
    channels: ['event', 'email', 'linkedin'],
    description: 'Soirée de lancement de la collection été à Paris, avec démonstrations produit.',
  },
  {
    n: 4,
    name: 'Año Nuevo Promo',
    type: 'standard',
    tier: 2,
    status: 'DRAFT',
    team: 'team-growth',
    owner: 'U0DIEGO',
    budgetCents: usd(8_500),
    launch: 60,
    end: 75,
    audience: 'Clientes hispanohablantes en EE. UU. y México',
    channels: ['email', 'paid social'],
  },
  {
    n: 5,
    name: 'Global Brand Refresh',
    type: 'standard',
    tier: 1,
    status: 'PENDING_APPROVAL',
    team: 'team-brand',
    owner: 'U0MAYA',
    budgetCents: usd(250_000),
    launch: 30,
    end: 120,
    audience: 'All markets',
    channels: ['web', 'ooh', 'video', 'paid social'],
    description: 'New visual identity, website and launch film across every region.',
  },
  {
    n: 6,
    name: 'Q3 Demand Gen Webinar Series',
    type: 'standard',
    tier: 2,
    status: 'PENDING_APPROVAL',
    team: 'team-growth',
    owner: 'U0JORDAN',
    budgetCents: 1_000_001,
    launch: 21,
    end: 84,
    audience: 'Mid-market IT decision makers',
    channels: ['webinar', 'email'],
  },
  {
    n: 7,
    name: 'Partner Summit EMEA',
    type: 'partner',
    tier: 1,
    status: 'PENDING_APPROVAL',
    team: 'team-partners',
    owner: 'U0KENJI',
    budgetCents: usd(100_000),
    launch: 45,
    end: 46,
    audience: 'Top 50 resellers and system integrators in EMEA',
    channels: ['event', 'partner portal'],
  },
  {
    n: 8,
    name: 'DevConf Booth',
    type: 'event',
    tier: 2,
    status: 'PENDING_APPROVAL',
    team: 'team-events',
    owner: 'U0AMELIE',
    budgetCents: 10_000_001,
    launch: 25,
    end: 27,
    audience: 'Developers and platform engineers',
    channels: ['event', 'social'],
  },
  {
    n: 9,
    name: 'Holiday Gift Guide',
    type: 'standard',
    tier: 2,
    status: 'COMPLETED',
    team: 'team-brand',
    owner: 'U0SAM',
    budgetCents: usd(42_000),
    launch: -75,
    end: -45,
    audience: 'Consumers shopping for the holidays',
    channels: ['email', 'web', 'paid social'],
  },
  {
    n: 10,
    name: 'Black Friday Early Access',
    type: 'standard',
    tier: 1,
    status: 'LAUNCHED',
    team: 'team-growth',
    owner: 'U0AISHA',
    budgetCents: usd(120_000),
    launch: -3,
    end: 25,
    audience: 'Loyalty members',
    channels: ['email', 'sms', 'paid social'],
  },
  {
    n: 11,
    name: 'Customer Advocacy Spotlight',
    type: 'standard',
    tier: 3,
    status: 'ON_HOLD',
    team: 'team-brand',
    owner: 'U0SAM',
    budgetCents: usd(6_000),
    launch: 14,
    audience: 'Prospects evaluating the enterprise plan',
    channels: ['blog', 'linkedin'],
    description: 'On hold until legal approves the customer quotes.',
    late: true,
  },
  {
    n: 12,
    name: 'Tokyo Partner Roadshow',
    type: 'partner',
    tier: 2,
    status: 'IN_PROGRESS',
    team: 'team-partners',
    owner: 'U0KENJI',
    budgetCents: 9_999_999,
    launch: 9,
    end: 16,
    audience: 'Japanese resellers and their enterprise customers',
    channels: ['event', 'partner portal', 'email'],
    late: true,
  },
  {
    n: 13,
    name: 'Retail Media Pilot',
    type: 'standard',
    tier: 3,
    status: 'REJECTED',
    team: 'team-growth',
    owner: 'U0JORDAN',
    budgetCents: usd(180_000),
    launch: 35,
    end: 95,
    audience: 'Shoppers on partner retail sites',
    channels: ['retail media'],
  },
  {
    n: 14,
    name: 'Sommet Clients Paris',
    type: 'event',
    tier: 2,
    status: 'CANCELLED',
    team: 'team-events',
    owner: 'U0AMELIE',
    budgetCents: usd(55_000),
    launch: 20,
    end: 20,
    audience: 'Clients stratégiques en France',
    channels: ['event'],
    provisioned: true,
  },
  {
    n: 15,
    name: 'Spring Launch Webinar',
    type: 'event',
    tier: 3,
    status: 'IN_PROGRESS',
    team: 'team-events',
    owner: 'U0LENA',
    budgetCents: 999_999,
    launch: 2,
    end: 2,
    audience: 'Trial users',
    channels: ['webinar', 'email'],
  },
  {
    n: 16,
    name: 'Summer Sale',
    type: 'standard',
    tier: 2,
    status: 'PLANNED',
    team: 'team-growth',
    owner: 'U0AISHA',
    budgetCents: usd(30_000),
    launch: 70,
    end: 84,
    audience: 'All customers',
    channels: ['email', 'web', 'paid search'],
  },
  {
    n: 17,
    name: 'Summer Sale Social Boost',
    type: 'standard',
    tier: 3,
    status: 'DRAFT',
    team: 'team-growth',
    owner: 'U0JORDAN',
    budgetCents: usd(4_500),
    launch: 75,
    audience: 'Lookalike audiences of recent buyers',
    channels: ['paid social'],
  },
  {
    n: 18,
    name: 'AWS Marketplace Co-Marketing',
    type: 'partner',
    tier: 1,
    status: 'IN_PROGRESS',
    team: 'team-partners',
    owner: 'U0KENJI',
    budgetCents: usd(210_000),
    launch: 28,
    end: 118,
    audience: 'Cloud buyers procuring through AWS Marketplace',
    channels: ['partner portal', 'webinar', 'paid search'],
  },
  {
    n: 19,
    name: 'Product Hunt Launch',
    type: 'standard',
    tier: 3,
    status: 'LAUNCHED',
    team: 'team-growth',
    owner: 'U0DIEGO',
    budgetCents: usd(2_500),
    launch: -1,
    end: 6,
    audience: 'Early adopters and makers',
    channels: ['social', 'community'],
  },
  {
    n: 20,
    name: 'Annual Customer Conference',
    type: 'event',
    tier: 1,
    status: 'IN_PROGRESS',
    team: 'team-events',
    owner: 'U0AMELIE',
    budgetCents: usd(480_000),
    launch: 95,
    end: 97,
    audience: 'Customers, partners and analysts worldwide',
    channels: ['event', 'email', 'web', 'paid social'],
    createdBy: 'U0PRIYA',
  },
  {
    n: 21,
    name: 'Brand Awareness Podcast Tour',
    type: 'standard',
    tier: 3,
    status: 'COMPLETED',
    team: 'team-brand',
    owner: 'U0MAYA',
    budgetCents: usd(12_000),
    launch: -40,
    end: -10,
    audience: 'Marketing leaders who listen to industry podcasts',
    channels: ['podcast'],
  },
  {
    n: 22,
    name: 'Reseller Enablement Kit',
    type: 'partner',
    tier: 3,
    status: 'COMPLETED',
    team: 'team-partners',
    owner: 'U0TOM',
    budgetCents: usd(7_800),
    launch: -20,
    end: -5,
    audience: 'Reseller sales teams',
    channels: ['partner portal'],
  },
  {
    n: 23,
    name: 'München Tech Meetup',
    type: 'event',
    tier: 3,
    status: 'LAUNCHED',
    team: 'team-events',
    owner: 'U0LENA',
    budgetCents: usd(3_200),
    launch: -2,
    end: 1,
    audience: 'Entwickler und Architekten in München',
    channels: ['event', 'meetup'],
  },
  {
    n: 24,
    name: 'Back to School Email Series',
    type: 'standard',
    tier: 2,
    status: 'ON_HOLD',
    team: 'team-growth',
    owner: 'U0JORDAN',
    budgetCents: usd(15_000),
    launch: 50,
    end: 80,
    audience: 'Education customers',
    channels: ['email'],
  },
  {
    n: 25,
    name: 'Channel Partner Incentive Q4',
    type: 'partner',
    tier: 2,
    status: 'REJECTED',
    team: 'team-partners',
    owner: 'U0KENJI',
    budgetCents: usd(95_000),
    launch: 30,
    end: 120,
    audience: 'Gold and platinum resellers',
    channels: ['partner portal'],
  },
  {
    n: 26,
    name: 'Webinar: Data Privacy Essentials',
    type: 'event',
    tier: 3,
    status: 'DRAFT',
    team: 'team-events',
    owner: 'U0LENA',
    budgetCents: usd(1_200),
    launch: 14,
    end: 14,
    audience: 'Compliance and security officers',
    channels: ['webinar'],
  },
  {
    n: 27,
    name: 'Website Relaunch',
    type: 'standard',
    tier: 1,
    status: 'CANCELLED',
    team: 'team-brand',
    owner: 'U0MAYA',
    budgetCents: usd(300_000),
    launch: -5,
    audience: 'All visitors',
    channels: ['web'],
    description: 'Folded into the Global Brand Refresh.',
    provisioned: false,
  },
  {
    n: 28,
    name: 'Customer Stories Video Series',
    type: 'standard',
    tier: 2,
    status: 'IN_PROGRESS',
    team: 'team-brand',
    owner: 'U0SAM',
    budgetCents: usd(38_000),
    launch: 6,
    end: 60,
    audience: 'Prospects in the consideration stage',
    channels: ['video', 'web', 'linkedin'],
  },
  {
    n: 29,
    name: 'Partner Awards Gala',
    type: 'event',
    tier: 1,
    status: 'PLANNED',
    team: 'team-partners',
    owner: 'U0KENJI',
    budgetCents: usd(135_000),
    launch: 13,
    end: 13,
    audience: 'Partner executives',
    channels: ['event'],
  },
  {
    n: 30,
    name: 'Lead Nurture Refresh',
    type: 'standard',
    tier: 3,
    status: 'PLANNED',
    team: 'team-growth',
    owner: 'U0JORDAN',
    budgetCents: usd(9_000),
    launch: 8,
    end: 90,
    audience: 'Marketing-qualified leads that went cold',
    channels: ['email'],
  },
  {
    n: 31,
    name: 'Año Nuevo Promo LATAM',
    type: 'standard',
    tier: 2,
    status: 'PENDING_APPROVAL',
    team: 'team-growth',
    owner: 'U0DIEGO',
    budgetCents: usd(48_000),
    launch: 62,
    end: 77,
    audience: 'Clientes en América Latina',
    channels: ['email', 'paid social', 'whatsapp'],
  },
  {
    n: 32,
    name: 'Trade Show Kit Refresh',
    type: 'event',
    tier: 3,
    status: 'COMPLETED',
    team: 'team-events',
    owner: 'U0AMELIE',
    budgetCents: usd(9_500),
    launch: -30,
    end: -28,
    audience: 'Booth visitors',
    channels: ['event'],
  },
  {
    n: 33,
    name: 'ISV Partner Webinar',
    type: 'partner',
    tier: 3,
    status: 'LAUNCHED',
    team: 'team-partners',
    owner: 'U0TOM',
    budgetCents: usd(5_000),
    launch: 0,
    end: 0,
    audience: 'Independent software vendors',
    channels: ['webinar'],
  },
  {
    n: 34,
    name: 'Q2 Analyst Day',
    type: 'event',
    tier: 2,
    status: 'ON_HOLD',
    team: 'team-events',
    owner: 'U0LENA',
    budgetCents: usd(72_000),
    launch: 33,
    end: 33,
    audience: 'Industry analysts',
    channels: ['event'],
  },
  {
    n: 35,
    name: 'Holiday Gift Guide Retargeting',
    type: 'standard',
    tier: 3,
    status: 'CANCELLED',
    team: 'team-growth',
    owner: 'U0DIEGO',
    budgetCents: usd(3_000),
    launch: 10,
    end: 20,
    audience: 'Gift guide visitors',
    channels: ['display'],
    provisioned: true,
  },
];

/** Statuses that only exist after approval (or when none was needed) and provisioning. */
const PROVISIONED_STATUSES: ReadonlySet<CampaignStatus> = new Set([
  'PLANNED',
  'IN_PROGRESS',
  'ON_HOLD',
  'LAUNCHED',
  'COMPLETED',
]);

/** A task of a template: `due` in days from launch, `deps` indexes into the same template. */
interface TaskTemplate {
  name: string;
  due: number;
  deps: number[];
  milestone?: boolean;
  /** Kept for tier 3 (a lighter plan). */
  core?: boolean;
}

const TEMPLATES: Record<CampaignType, TaskTemplate[]> = {
  standard: [
    { name: 'Campaign brief approved', due: -28, deps: [], milestone: true, core: true },
    { name: 'Audience & channel plan', due: -21, deps: [0] },
    { name: 'Creative concepts', due: -18, deps: [0], core: true },
    { name: 'Copywriting', due: -14, deps: [1] },
    { name: 'Design production', due: -10, deps: [2, 3], core: true },
    { name: 'Legal & brand review', due: -6, deps: [4] },
    { name: 'Launch QA', due: -2, deps: [5] },
    { name: 'Launch', due: 0, deps: [6], milestone: true, core: true },
  ],
  event: [
    { name: 'Venue & date confirmed', due: -45, deps: [], milestone: true, core: true },
    { name: 'Speaker lineup', due: -30, deps: [0] },
    { name: 'Registration page live', due: -28, deps: [0], core: true },
    { name: 'Promotion emails', due: -21, deps: [2], core: true },
    { name: 'Booth & swag materials', due: -14, deps: [0] },
    { name: 'Run of show', due: -5, deps: [1] },
    { name: 'Event day', due: 0, deps: [3, 4, 5], milestone: true, core: true },
    { name: 'Post-event follow-up', due: 3, deps: [6], core: true },
  ],
  partner: [
    { name: 'Partner agreement signed', due: -30, deps: [], milestone: true, core: true },
    { name: 'Joint messaging', due: -21, deps: [0], core: true },
    { name: 'Co-branded assets', due: -14, deps: [1] },
    { name: 'Partner enablement session', due: -7, deps: [2] },
    { name: 'Go-live', due: 0, deps: [1, 3], milestone: true, core: true },
    { name: 'Pipeline review', due: 30, deps: [4] },
  ],
};

/** Tier 1 campaigns also get an executive readout after launch. */
const EXEC_READOUT: TaskTemplate = { name: 'Executive readout', due: 14, deps: [], milestone: true };

/** How many days of past-due work a `late` campaign leaves open. */
const LATE_WINDOW_DAYS = 7;

export interface DemoData {
  teams: Team[];
  campaigns: Campaign[];
  tasks: Task[];
}

/** Builds the whole demo portfolio relative to `now`; pure and deterministic. */
export function buildDemoData(now: Date): DemoData {
  const today = utcDay(now);
  const teams: Team[] = DEMO_TEAMS.map((team) => ({ ...team, version: 1 }));
  const campaigns: Campaign[] = [];
  const tasks: Task[] = [];
  for (const spec of CAMPAIGNS) {
    const campaign = buildCampaign(spec, today, now);
    campaigns.push(campaign);
    if (campaign.workSystem) tasks.push(...buildTasks(spec, campaign, today, now));
  }
  return { teams, campaigns, tasks };
}

function campaignId(n: number): string {
  return `cmp-${String(n).padStart(3, '0')}`;
}

function buildCampaign(spec: CampaignSpec, today: number, now: Date): Campaign {
  const id = campaignId(spec.n);
  const provisioned = spec.provisioned ?? PROVISIONED_STATUSES.has(spec.status);
  // Created a while before launch (and before today), edited once a day later.
  const createdDay = Math.min(today + spec.launch - 30, today - 3) - (spec.n % 5);
  const createdAt = `${isoDay(createdDay)}T14:${String(spec.n).padStart(2, '0')}:00.000Z`;
  const updatedAt = new Date(Math.min(Date.parse(createdAt) + DAY_MS, now.getTime() - 60_000)).toISOString();
  const workSystem = spec.type === 'event' ? 'asana' : 'workfront';
  const projectId = workSystem === 'asana' ? asanaGid(`project:${id}`) : workfrontId(`project:${id}`);
  return {
    campaignId: id,
    name: spec.name,
    type: spec.type,
    tier: spec.tier,
    status: spec.status,
    ownerSlackId: spec.owner,
    teamId: spec.team,
    budgetCents: spec.budgetCents,
    // Anything that reached provisioning had its budget approved (or needed no approval).
    ...(provisioned ? { approvedBudgetCents: spec.budgetCents } : {}),
    launchDate: isoDay(today + spec.launch),
    ...(spec.end !== undefined ? { endDate: isoDay(today + spec.end) } : {}),
    audience: spec.audience,
    channels: spec.channels,
    ...(spec.description ? { description: spec.description } : {}),
    ...(provisioned
      ? {
          workSystem,
          externalProjectId: projectId,
          externalProjectUrl:
            workSystem === 'asana'
              ? `https://app.asana.com/0/${projectId}/list`
              : `https://demo.my.workfront.com/project/${projectId}/overview`,
        }
      : {}),
    createdBy: spec.createdBy ?? spec.owner,
    createdAt,
    updatedAt,
    version: 1,
  };
}

function buildTasks(spec: CampaignSpec, campaign: Campaign, today: number, now: Date): Task[] {
  const template = TEMPLATES[spec.type];
  const chosen = template.map((t, index) => ({ t, index })).filter(({ t }) => spec.tier !== 3 || t.core);
  const plan: { t: TaskTemplate; index: number }[] = [...chosen];
  if (spec.tier === 1)
    plan.push({ t: { ...EXEC_READOUT, deps: [template.length - 1] }, index: template.length });
  const taskIdOf = new Map<number, string>();
  plan.forEach(({ index }, i) => {
    taskIdOf.set(index, `${campaign.campaignId}-t${String(i + 1).padStart(2, '0')}`);
  });
  const members = teamMembers(spec.team, spec.owner);
  const launchDay = today + spec.launch;
  const statuses = new Map<string, TaskStatus>();
  const tasks: Task[] = [];
  plan.forEach(({ t, index }, i) => {
    const taskId = taskIdOf.get(index) ?? `${campaign.campaignId}-t${String(i + 1).padStart(2, '0')}`;
    const dueDay = launchDay + t.due;
    const dependsOn = t.deps.flatMap((d) => {
      // A lighter plan drops tasks: depend on the nearest kept ancestor instead.
      const kept = nearestKept(d, template, taskIdOf);
      return kept ? [kept] : [];
    });
    const status = taskStatus(spec, dueDay, today, dependsOn, statuses);
    statuses.set(taskId, status);
    const owner = t.milestone ? spec.owner : members[i % members.length];
    const system = campaign.workSystem ?? 'workfront';
    const doneAt =
      status === 'DONE'
        ? new Date(
            Math.min(
              Date.parse(`${isoDay(Math.min(dueDay, today - 1))}T16:00:00.000Z`),
              now.getTime() - 60_000,
            ),
          )
        : undefined;
    tasks.push({
      campaignId: campaign.campaignId,
      taskId,
      teamId: campaign.teamId,
      name: t.name,
      ...(owner ? { ownerSlackId: owner } : {}),
      dueDate: isoDay(dueDay),
      status,
      milestone: t.milestone ?? false,
      dependsOn: [...new Set(dependsOn)],
      workSystem: system,
      externalId: system === 'asana' ? asanaGid(`task:${taskId}`) : workfrontId(`task:${taskId}`),
      ...(doneAt ? { completedAt: doneAt.toISOString() } : {}),
      updatedAt: doneAt ? doneAt.toISOString() : campaign.updatedAt,
      version: 1,
    });
  });
  if (campaign.campaignId === DEMO_IDS.customerStories) {
    // Edge cases for "my tasks" and assignment: an unowned task and an undated one.
    const system = campaign.workSystem ?? 'workfront';
    tasks.push(
      {
        campaignId: campaign.campaignId,
        taskId: `${campaign.campaignId}-t90`,
        teamId: campaign.teamId,
        name: 'License stock footage',
        dueDate: isoDay(launchDay - 3),
        status: 'NOT_STARTED',
        milestone: false,
        dependsOn: [],
        workSystem: system,
        externalId: workfrontId(`task:${campaign.campaignId}-t90`),
        updatedAt: campaign.updatedAt,
        version: 1,
      },
      {
        campaignId: campaign.campaignId,
        taskId: `${campaign.campaignId}-t91`,
        teamId: campaign.teamId,
        name: 'Collect customer release forms',
        ownerSlackId: 'U0SAM',
        status: 'IN_PROGRESS',
        milestone: false,
        dependsOn: [],
        workSystem: system,
        externalId: workfrontId(`task:${campaign.campaignId}-t91`),
        updatedAt: campaign.updatedAt,
        version: 1,
      },
    );
  }
  return tasks;
}

/** The id of template task `index`, or of its nearest kept ancestor when a lighter plan dropped it. */
function nearestKept(index: number, template: TaskTemplate[], kept: Map<number, string>): string | undefined {
  const id = kept.get(index);
  if (id) return id;
  for (const dep of template[index]?.deps ?? []) {
    const found = nearestKept(dep, template, kept);
    if (found) return found;
  }
  return undefined;
}

/**
 * A task's status from its campaign's status and its due day: work due before today is DONE,
 * except on `late` campaigns, where the last week's past-due work is still open (overdue).
 * The first open task whose dependencies are all DONE is IN_PROGRESS (BLOCKED when the
 * campaign is ON_HOLD); the rest wait.
 */
function taskStatus(
  spec: CampaignSpec,
  dueDay: number,
  today: number,
  dependsOn: string[],
  previous: Map<string, TaskStatus>,
): TaskStatus {
  if (spec.status === 'COMPLETED') return 'DONE';
  const pastDue = dueDay < today;
  const openLate = spec.late === true && pastDue && dueDay >= today - LATE_WINDOW_DAYS;
  if (spec.status === 'LAUNCHED' && dueDay <= today) return 'DONE';
  if (pastDue && !openLate) return 'DONE';
  if (spec.status === 'CANCELLED') return 'CANCELLED';
  const ready = dependsOn.every((id) => previous.get(id) === 'DONE');
  const alreadyActive = [...previous.values()].some((s) => s === 'IN_PROGRESS' || s === 'BLOCKED');
  // A PLANNED campaign has ready work but nobody on it yet.
  if (ready && !alreadyActive && spec.status !== 'PLANNED') {
    return spec.status === 'ON_HOLD' ? 'BLOCKED' : 'IN_PROGRESS';
  }
  return 'NOT_STARTED';
}

function teamMembers(team: TeamId, owner: string): string[] {
  const groupId = DEMO_TEAMS.find((t) => t.teamId === team)?.slackUserGroupId;
  const members = DEMO_USER_GROUPS.find((g) => g.id === groupId)?.userIds ?? [];
  return members.length > 0 ? members : [owner];
}

/** Days since the epoch of the UTC calendar day of `instant`. */
function utcDay(instant: Date): number {
  return Math.floor(instant.getTime() / DAY_MS);
}

function isoDay(day: number): string {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}

/** A stable 32-hex id, shaped like Workfront's object ids. */
function workfrontId(seed: string): string {
  return createHash('sha256').update(`workfront:${seed}`).digest('hex').slice(0, 32);
}

/** A stable 16-digit numeric gid, shaped like Asana's. */
function asanaGid(seed: string): string {
  const hex = createHash('sha256').update(`asana:${seed}`).digest('hex').slice(0, 13);
  return `120${(Number.parseInt(hex, 16) % 10_000_000_000_000).toString().padStart(13, '0')}`;
}
