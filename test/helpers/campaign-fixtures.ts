import type { Campaign, Task, Team } from '../../app/domain/model';

/** A valid campaign with overrides; every field real-shaped so zod-parsing repositories accept it. */
export function aCampaign(overrides: Partial<Campaign> = {}): Campaign {
  return {
    campaignId: 'cmp-900',
    name: 'Test Campaign',
    type: 'standard',
    tier: 2,
    status: 'PLANNED',
    ownerSlackId: 'U0OWNER01',
    teamId: 'team-growth',
    budgetCents: 1_250_000,
    launchDate: '2026-12-01',
    channels: [],
    createdBy: 'U0OWNER01',
    createdAt: '2026-11-01T10:00:00.000Z',
    updatedAt: '2026-11-01T10:00:00.000Z',
    version: 1,
    ...overrides,
  };
}

export function aTask(overrides: Partial<Task> = {}): Task {
  return {
    campaignId: 'cmp-900',
    taskId: 'tsk-1',
    teamId: 'team-growth',
    name: 'Brief',
    status: 'NOT_STARTED',
    milestone: false,
    dependsOn: [],
    workSystem: 'workfront',
    updatedAt: '2026-11-01T10:00:00.000Z',
    version: 1,
    ...overrides,
  };
}

export function aTeam(overrides: Partial<Team> = {}): Team {
  return {
    teamId: 'team-growth',
    name: 'Growth Marketing',
    slackChannelId: 'C0GROWTH1',
    timezone: 'America/New_York',
    version: 1,
    ...overrides,
  };
}

/** `count` campaigns with distinct ids, names and launch dates spread over days. */
export function manyCampaigns(
  count: number,
  overrides: (index: number) => Partial<Campaign> = () => ({}),
): Campaign[] {
  return Array.from({ length: count }, (_, index) => {
    const day = new Date(Date.UTC(2026, 11, 1) + (index % 60) * 86_400_000).toISOString().slice(0, 10);
    return aCampaign({
      campaignId: `cmp-${String(index + 1).padStart(4, '0')}`,
      name: `Campaign number ${index + 1}`,
      launchDate: day,
      ...overrides(index),
    });
  });
}
