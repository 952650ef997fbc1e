import type { Campaign, WorkSystem } from './model';

/** One task line of the announcement. */
export interface AnnouncedTask {
  name: string;
  dueDate: string;
  ownerSlackId: string | undefined;
  milestone: boolean;
}

/** What is announced in the team channel once the project exists. */
export interface CampaignAnnouncement {
  campaign: Campaign;
  teamChannelId: string;
  workSystem: WorkSystem;
  projectUrl: string;
  tasks: AnnouncedTask[];
  /** The team's calendar day. */
  today: string;
  /** Things a person should know or fix. */
  notes: string[];
}
