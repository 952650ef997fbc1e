import type { Team } from '../../app/domain/model';
import type { TemplateRole } from '../../app/domain/templates';

export type TeamId = 'team-brand' | 'team-growth' | 'team-events' | 'team-partners';

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
