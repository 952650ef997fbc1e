import { addDays, isoWeekday } from './calendar';
import type { Campaign, CampaignTier, CampaignType, WorkSystem } from './model';

/**
 * Task templates per campaign type and tier: what provisioning creates in Workfront or Asana.
 * Pure data and pure functions (no I/O). Tier 1 is the biggest campaign; tier 3 the lightest.
 *
 * Due dates are offsets in calendar days from the launch date (negative = before launch). Each
 * template lists its tasks in dependency order: a task only depends on tasks listed before it, so
 * creating them in order always has the predecessor's external id at hand.
 */

/** Who does a kind of work. `owner` is the campaign owner; the rest map through `Team.roleOwners`. */
export const TEMPLATE_ROLES = [
  'owner',
  'creative',
  'legal',
  'web',
  'email',
  'qa',
  'analytics',
  'events',
] as const;
export type TemplateRole = (typeof TEMPLATE_ROLES)[number];

/**
 * Roles whose work must not silently land on the campaign owner when the team has nobody mapped:
 * a legal review done by the person who wrote the copy is no review. These stay unassigned and
 * the announcement says so.
 */
const ROLES_NEVER_DEFAULTED_TO_OWNER: ReadonlySet<TemplateRole> = new Set(['legal']);

export interface TaskTemplate {
  /** Stable within the template; also the Command Center task id. */
  key: string;
  name: string;
  role: TemplateRole;
  offsetDays: number;
  /** Keys of tasks listed earlier that must finish first (finish-to-start). */
  dependsOn: readonly string[];
  milestone?: boolean;
}

const t = (
  key: string,
  name: string,
  role: TemplateRole,
  offsetDays: number,
  dependsOn: readonly string[] = [],
  milestone = false,
): TaskTemplate => ({ key, name, role, offsetDays, dependsOn, ...(milestone ? { milestone } : {}) });

const STANDARD: Record<CampaignTier, readonly TaskTemplate[]> = {
  1: [
    t('brief', 'Campaign brief', 'owner', -35),
    t('creative', 'Creative development', 'creative', -21, ['brief']),
    t('legal-review', 'Legal review', 'legal', -14, ['creative']),
    t('landing-page', 'Landing page', 'web', -10, ['creative']),
    t('email-build', 'Email build', 'email', -8, ['creative']),
    t('qa', 'QA and sign-off', 'qa', -3, ['legal-review', 'landing-page', 'email-build']),
    t('launch', 'Launch', 'owner', 0, ['qa'], true),
    t('post-launch-report', 'Post-launch report', 'analytics', 14, ['launch']),
  ],
  2: [
    t('brief', 'Campaign brief', 'owner', -28),
    t('creative', 'Creative development', 'creative', -14, ['brief']),
    t('legal-review', 'Legal review', 'legal', -8, ['creative']),
    t('landing-page', 'Landing page', 'web', -7, ['creative']),
    t('qa', 'QA and sign-off', 'qa', -2, ['legal-review', 'landing-page']),
    t('launch', 'Launch', 'owner', 0, ['qa'], true),
    t('post-launch-report', 'Post-launch report', 'analytics', 14, ['launch']),
  ],
  3: [
    t('brief', 'Campaign brief', 'owner', -14),
    t('creative', 'Creative development', 'creative', -7, ['brief']),
    t('qa', 'QA and sign-off', 'qa', -2, ['creative']),
    t('launch', 'Launch', 'owner', 0, ['qa'], true),
  ],
};

const PARTNER: Record<CampaignTier, readonly TaskTemplate[]> = {
  1: [
    t('brief', 'Joint campaign brief', 'owner', -42),
    t('partner-agreement', 'Partner agreement and co-branding terms', 'legal', -35, ['brief']),
    t('creative', 'Co-branded creative', 'creative', -21, ['partner-agreement']),
    t('partner-review', 'Partner review of creative', 'owner', -14, ['creative']),
    t('landing-page', 'Landing page', 'web', -10, ['partner-review']),
    t('qa', 'QA and sign-off', 'qa', -3, ['landing-page']),
    t('launch', 'Launch', 'owner', 0, ['qa'], true),
    t('post-launch-report', 'Joint results report', 'analytics', 21, ['launch']),
  ],
  2: [
    t('brief', 'Joint campaign brief', 'owner', -28),
    t('partner-agreement', 'Partner agreement and co-branding terms', 'legal', -21, ['brief']),
    t('creative', 'Co-branded creative', 'creative', -12, ['partner-agreement']),
    t('partner-review', 'Partner review of creative', 'owner', -6, ['creative']),
    t('launch', 'Launch', 'owner', 0, ['partner-review'], true),
    t('post-launch-report', 'Joint results report', 'analytics', 21, ['launch']),
  ],
  3: [
    t('brief', 'Joint campaign brief', 'owner', -14),
    t('partner-review', 'Partner review of creative', 'owner', -5, ['brief']),
    t('launch', 'Launch', 'owner', 0, ['partner-review'], true),
  ],
};

const EVENT: Record<CampaignTier, readonly TaskTemplate[]> = {
  1: [
    t('venue', 'Venue and logistics', 'events', -75),
    t('speakers', 'Speakers and agenda', 'owner', -45),
    t('registrations', 'Registration page', 'web', -42, ['venue']),
    t('promotion', 'Event promotion', 'email', -30, ['registrations', 'speakers']),
    t('run-of-show', 'Run of show', 'events', -7, ['venue', 'speakers']),
    t('event-day', 'Event day', 'owner', 0, ['run-of-show', 'registrations'], true),
    t('follow-up', 'Attendee follow-up', 'email', 3, ['event-day']),
  ],
  2: [
    t('venue', 'Venue and logistics', 'events', -45),
    t('speakers', 'Speakers and agenda', 'owner', -30),
    t('registrations', 'Registration page', 'web', -28, ['venue']),
    t('run-of-show', 'Run of show', 'events', -5, ['venue', 'speakers']),
    t('event-day', 'Event day', 'owner', 0, ['run-of-show', 'registrations'], true),
    t('follow-up', 'Attendee follow-up', 'email', 3, ['event-day']),
  ],
  3: [
    t('registrations', 'Registration page', 'web', -21),
    t('run-of-show', 'Run of show', 'owner', -3),
    t('event-day', 'Event day', 'owner', 0, ['registrations', 'run-of-show'], true),
    t('follow-up', 'Attendee follow-up', 'owner', 3, ['event-day']),
  ],
};

/** The template for a campaign's type and tier. */
export function templateFor(type: CampaignType, tier: CampaignTier): readonly TaskTemplate[] {
  const byType = type === 'event' ? EVENT : type === 'partner' ? PARTNER : STANDARD;
  return byType[tier];
}

/** A template task placed on the calendar and given an owner. */
export interface PlannedTask extends TaskTemplate {
  /** `YYYY-MM-DD`. */
  dueDate: string;
  /** Slack user id, or undefined when the role is unmapped and must not default to the owner. */
  ownerSlackId: string | undefined;
}

export interface PlanInput {
  type: CampaignType;
  tier: CampaignTier;
  launchDate: string;
  ownerSlackId: string;
  /** `Team.roleOwners`. */
  roleOwners?: Partial<Record<string, string>>;
  /** Today (`YYYY-MM-DD`): nothing is planned in the past. */
  today: string;
}

/**
 * Places the template on the calendar: launch date + offset, moved back to the Friday when it
 * falls on a weekend (work before a launch is due before the weekend; milestones keep their exact
 * day), and never before `today` (a campaign created late gets its early tasks due today rather
 * than overdue on arrival). Owners: the campaign owner for `owner`; otherwise the team's mapped
 * person, else the campaign owner, except roles in `ROLES_NEVER_DEFAULTED_TO_OWNER`.
 */
export function planTasks(input: PlanInput): PlannedTask[] {
  return templateFor(input.type, input.tier).map((task) => {
    let due = addDays(input.launchDate, task.offsetDays);
    if (!task.milestone) due = previousWeekday(due);
    if (due < input.today) due = input.today;
    const mapped = task.role === 'owner' ? input.ownerSlackId : input.roleOwners?.[task.role];
    const owner = mapped ?? (ROLES_NEVER_DEFAULTED_TO_OWNER.has(task.role) ? undefined : input.ownerSlackId);
    return { ...task, dueDate: due, ownerSlackId: owner };
  });
}

function previousWeekday(isoDate: string): string {
  const weekday = isoWeekday(isoDate);
  if (weekday === 6) return addDays(isoDate, -1);
  if (weekday === 7) return addDays(isoDate, -2);
  return isoDate;
}

/**
 * The work system a campaign's project and tasks live in: the one it was provisioned in, else by
 * type (`event` campaigns go to Asana; `standard`, `partner` and anything else to Workfront).
 */
export function workSystemFor(campaign: Pick<Campaign, 'type' | 'workSystem'>): WorkSystem {
  return campaign.workSystem ?? (campaign.type === 'event' ? 'asana' : 'workfront');
}
