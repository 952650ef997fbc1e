import type { Approval } from './approval';
import type { DigestCounts } from './digest';
import type { CampaignStatus } from './model';

/**
 * What one digest says, as plain data: built by `services/digest/content.ts` from the store,
 * rendered by `blocks/digest.ts` (message) and `blocks/digest-timeline.ts` (picture). Every list is
 * complete up to the builder's caps; the renderer decides what fits in a message and says "and N more".
 */

export interface DigestCampaignItem {
  campaignId: string;
  name: string;
  teamName: string;
  status: CampaignStatus;
  /** `YYYY-MM-DD` */
  launchDate: string;
  ownerSlackId: string;
  budgetCents: number;
  externalProjectUrl?: string | undefined;
}

export interface DigestAtRiskCampaign extends DigestCampaignItem {
  openTasks: number;
  /** Open tasks already past their due date. */
  overdueTasks: number;
}

export interface DigestOverdueTask {
  campaignId: string;
  campaignName: string;
  taskId: string;
  name: string;
  ownerSlackId?: string | undefined;
  /** `YYYY-MM-DD` */
  dueDate: string;
  daysLate: number;
}

export interface DigestConflictItem {
  objectKey: string;
  summary: string;
  /** ISO instant */
  since: string;
  link?: string | undefined;
}

export type DigestChangeItem =
  | {
      kind: 'decision';
      /** ISO instant of the decision. */
      at: string;
      approval: Pick<
        Approval,
        | 'approvalId'
        | 'campaignName'
        | 'kind'
        | 'status'
        | 'budgetCents'
        | 'previousBudgetCents'
        | 'decidedBy'
        | 'permalink'
      >;
    }
  | {
      kind: 'budget';
      at: string;
      campaignId: string;
      campaignName: string;
      fromCents: number;
      toCents: number;
      by?: string | undefined;
    };

/** A bar on the 14-day launch timeline. */
interface DigestTimelineItem {
  name: string;
  /** `YYYY-MM-DD` */
  launchDate: string;
  atRisk: boolean;
}

export interface DigestContent {
  channelId: string;
  teamNames: string[];
  /** The digest's day in the subscription's zone, `YYYY-MM-DD`. */
  localDate: string;
  timeZone: string;
  locale: string;
  /** ISO instant the run was due; `late` when it is posted well after that. */
  scheduledTime: string;
  late: boolean;
  /** ISO instants: "since the last digest" runs from `since` to `asOf`. */
  since: string;
  asOf: string;
  launching: DigestCampaignItem[];
  atRisk: DigestAtRiskCampaign[];
  overdue: DigestOverdueTask[];
  approvals: Approval[];
  conflicts: DigestConflictItem[];
  changes: DigestChangeItem[];
  /** Launches in the next 14 days (the picture). */
  timeline: DigestTimelineItem[];
  counts: DigestCounts;
  /** `slack://app?team=…&id=…&tab=home` when the subscription knows the workspace and app ids. */
  appHomeUrl?: string | undefined;
}

/** Days ahead (today included) the launch list covers, the picture covers, and "at risk" looks at. */
export const LAUNCH_DAYS = 7;
export const TIMELINE_DAYS = 14;
export const AT_RISK_DAYS = 3;

/** True when there is nothing to report. */
export function isEmptyDigest(content: Pick<DigestContent, 'counts'>): boolean {
  return Object.values(content.counts).every((count) => count === 0);
}
