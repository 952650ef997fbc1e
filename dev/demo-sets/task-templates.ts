import type { CampaignStatus, CampaignType } from '../../app/domain/model';

/** Statuses that only exist after approval (or when none was needed) and provisioning. */
export const PROVISIONED_STATUSES: ReadonlySet<CampaignStatus> = new Set([
  'PLANNED',
  'IN_PROGRESS',
  'ON_HOLD',
  'LAUNCHED',
  'COMPLETED',
]);

/** A task of a template: `due` in days from launch, `deps` indexes into the same template. */
export interface TaskTemplate {
  name: string;
  due: number;
  deps: number[];
  milestone?: boolean;
  /** Kept for tier 3 (a lighter plan). */
  core?: boolean;
}

export const TEMPLATES: Record<CampaignType, TaskTemplate[]> = {
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
export const EXEC_READOUT: TaskTemplate = { name: 'Executive readout', due: 14, deps: [], milestone: true };
