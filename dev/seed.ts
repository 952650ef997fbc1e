/**
 * Demo data for `npm start` and the tests: 4 teams, 35 campaigns, 157 tasks, all relative to the
 * clock passed in ("today" = its UTC calendar day), written through the repositories so the same
 * validation applies. Seeds only an empty store (no teams).
 *
 * Id scheme (stable; tests may rely on it):
 * - teams: `team-brand` (C0BRAND, America/New_York), `team-growth` (C0GROWTH, America/Los_Angeles),
 *   `team-events` (C0EVENTS, Europe/Paris), `team-partners` (C0PARTNERS, Asia/Tokyo).
 * - campaigns: `cmp-001` … `cmp-035`.
 * - tasks: `<campaignId>-tNN` in plan order (`cmp-001-t01` is the first task of cmp-001), plus
 *   `cmp-028-t90` (no owner) and `cmp-028-t91` (no due date).
 * - Workfront ids are 32 hex characters, Asana gids 16 digits, both derived from the ids above.
 *
 * Notable campaigns (days are from today; thresholds are $10,000 leadership, $100,000 VP):
 * | id      | name                          | status           | budget       | notes                                   |
 * | cmp-001 | Spring Launch                 | IN_PROGRESS      | $85,000      | Workfront, launches +5, 2 overdue tasks |
 * | cmp-002 | Spring Launch Retargeting     | PLANNED          | $10,000.00   | exactly at the leadership threshold     |
 * | cmp-003 | Lancement Été                 | PLANNED          | $150,000     | event, Asana, launches +40              |
 * | cmp-004 | Año Nuevo Promo               | DRAFT            | $8,500       | accented; cmp-031 shares its words      |
 * | cmp-005 | Global Brand Refresh          | PENDING_APPROVAL | $250,000     | over the VP threshold                   |
 * | cmp-006 | Q3 Demand Gen Webinar Series  | PENDING_APPROVAL | $10,000.01   | just over the leadership threshold      |
 * | cmp-007 | Partner Summit EMEA           | PENDING_APPROVAL | $100,000.00  | exactly at the VP threshold (leadership)|
 * | cmp-008 | DevConf Booth                 | PENDING_APPROVAL | $100,000.01  | event, just over the VP threshold       |
 * | cmp-009 | Holiday Gift Guide            | COMPLETED        | $42,000      | every task DONE                         |
 * | cmp-010 | Black Friday Early Access     | LAUNCHED         | $120,000     | launched −3                             |
 * | cmp-011 | Customer Advocacy Spotlight   | ON_HOLD          | $6,000       | tier 3, a BLOCKED overdue task          |
 * | cmp-012 | Tokyo Partner Roadshow        | IN_PROGRESS      | $99,999.99   | partner, launches +9, 1 overdue task    |
 * | cmp-013 | Retail Media Pilot            | REJECTED         | $180,000     |                                         |
 * | cmp-014 | Sommet Clients Paris          | CANCELLED        | $55,000      | Asana project, open tasks CANCELLED     |
 * | cmp-015 | Spring Launch Webinar         | IN_PROGRESS      | $9,999.99    | event, Asana, launches +2               |
 * | cmp-020 | Annual Customer Conference    | IN_PROGRESS      | $480,000     | event, Asana, tier 1, launches +95      |
 * | cmp-027 | Website Relaunch              | CANCELLED        | $300,000     | never provisioned (no project)          |
 * | cmp-028 | Customer Stories Video Series | IN_PROGRESS      | $38,000      | has an unowned and an undated task      |
 * | cmp-033 | ISV Partner Webinar           | LAUNCHED         | $5,000       | launched today                          |
 * The rest fill in every status × type × tier; `DEMO_IDS` in dev/demo-data.ts names these in code.
 * PENDING_APPROVAL campaigns get no approval records here: dev/seed-approvals.ts requests them
 * through the approvals service once the app is built (`npm start` does; tests call it).
 *
 * Provisioned campaigns (PLANNED, IN_PROGRESS, ON_HOLD, LAUNCHED, COMPLETED, and cmp-014/cmp-035)
 * carry `approvedBudgetCents` = budget and an external project: event → Asana, others → Workfront.
 */

import { ConflictError } from '../app/errors';
import type { Repositories } from '../app/services';
import { buildDemoData } from './demo-data';

export { buildDemoData, DEMO_IDS } from './demo-data';
export { DEMO_TEAMS } from './demo-sets/teams';

/** What a seeding call wrote (zeros when the store already had data). */
export interface SeedResult {
  seeded: boolean;
  teams: number;
  campaigns: number;
  tasks: number;
}

/** Writes this many items at once: fast on dynalite, gentle on a real table's on-demand capacity. */
const CONCURRENCY = 8;

/**
 * Seeds the demo portfolio when the store has no teams; otherwise does nothing.
 *
 * Teams are written last and are the "seeded" marker: an interrupted run left no teams, so the
 * next run starts again, and items the interrupted run already wrote lose their create condition
 * (`ConflictError`) and are skipped rather than overwritten. Two concurrent runs therefore write
 * each item once between them.
 */
export async function seedDemoData(
  repositories: Pick<Repositories, 'teams' | 'campaigns' | 'tasks'>,
  options: { clock: () => Date },
): Promise<SeedResult> {
  const existing = await repositories.teams.list();
  if (existing.length > 0) return { seeded: false, teams: 0, campaigns: 0, tasks: 0 };
  const data = buildDemoData(options.clock());
  const campaigns = await createAll(data.campaigns, (c) => repositories.campaigns.create(c));
  const tasks = await createAll(data.tasks, (t) => repositories.tasks.create(t));
  const teams = await createAll(data.teams, (t) => repositories.teams.create(t));
  return { seeded: teams + campaigns + tasks > 0, teams, campaigns, tasks };
}

/** Creates every item (a few at a time); returns how many were new. */
async function createAll<T>(items: T[], create: (item: T) => Promise<unknown>): Promise<number> {
  let created = 0;
  let next = 0;
  const worker = async () => {
    for (let index = next++; index < items.length; index = next++) {
      const item = items[index];
      if (item === undefined) continue;
      try {
        await create(item);
        created += 1;
      } catch (error) {
        if (!(error instanceof ConflictError)) throw error;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(CONCURRENCY, items.length) }, worker));
  return created;
}
