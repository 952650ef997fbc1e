import type { Approval } from '../domain/approval';
import type { Campaign, Team } from '../domain/model';
import type { JobEnqueuer } from './approval-ports';
import type { ApprovalService } from './approvals';
import type { PolicyThresholds } from './policy';
import type { SyncHook } from './sync/hook';

/* The campaign commands' contract: the stores and logs they are built on, and their results. */

interface CampaignStore {
  get(campaignId: string): Promise<Campaign | undefined>;
  create(campaign: Campaign): Promise<Campaign>;
  update(next: Campaign, expectedVersion: number): Promise<Campaign>;
  listByTeam(
    teamId: string,
    opts?: { limit?: number; cursor?: string },
  ): Promise<{ items: Campaign[]; cursor?: string }>;
}

interface TeamStore {
  get(teamId: string): Promise<Team | undefined>;
}

/** A short-lived conditional claim (the dedupe table's `claim`): true for the first caller only. */
interface NameGuard {
  claim(key: string, ttlSeconds: number): Promise<boolean>;
}

/**
 * How long a new campaign's name is held while it is created. The uniqueness check reads the
 * team-index GSI, which is eventually consistent, so two submissions of one name a moment apart could
 * both pass it; the claim (one conditional write) lets only the first through until the index has
 * caught up.
 */
export const NAME_CLAIM_SECONDS = 60;

/** Appends to the events log (a team's activity stream, `team#<teamId>`). */
interface TeamActivityLog {
  append(input: {
    stream: string;
    type: string;
    actor?: string;
    data: Record<string, unknown>;
  }): Promise<unknown>;
}

/** The events-log stream of a team's activity, which the digest reads by time range. */
export function teamActivityStream(teamId: string): string {
  return `team#${teamId}`;
}

/** The events-log type of a budget change applied at once (without an approval). */
export const BUDGET_CHANGED_EVENT = 'budget.changed';

export interface CampaignCommandsDeps {
  campaigns: CampaignStore;
  teams: TeamStore;
  approvals: ApprovalService;
  jobs: JobEnqueuer;
  thresholds: PolicyThresholds;
  clock: () => Date;
  newId: () => string;
  nameGuard?: NameGuard;
  /** Where applied budget changes are recorded for the team's digest ("budget changes since the last digest"). */
  activity?: TeamActivityLog;
  logger?: { warn(fields: Record<string, unknown>, message: string): void };
  /** Two-way sync: told about a budget change applied here, so the work system gets it. */
  sync?: Pick<SyncHook, 'campaignChanged'>;
}

export type CreateCampaignResult = {
  outcome: 'created' | 'pending_approval';
  campaign: Campaign;
  approval?: Approval;
};
/** `requestApprovalForExisting`: a new request, or the one the campaign already has. */
export type ExistingApprovalResult = {
  outcome: 'requested' | 'already_requested';
  campaign: Campaign;
  approval: Approval;
};
export type ChangeBudgetResult = {
  outcome: 'updated' | 'pending_approval';
  campaign: Campaign;
  approval?: Approval;
};
