import type { CampaignStatus, CampaignTier, CampaignType } from '../../app/domain/model';
import type { TeamId } from './teams';

/** One demo campaign. `launch`/`end` are days from today; `late` leaves recent past-due tasks open. */
export interface CampaignSpec {
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

/** Whole dollars (or with cents) to integer cents. */
export const usd = (dollars: number) => Math.round(dollars * 100);
