import { z } from 'zod';
import { type Campaign, CampaignStatus, CampaignTier, CampaignType } from '../domain/model';

/*
 * A resolved campaign list filter (what `/mcc campaigns` pages through), its sort key, and the
 * "Show more" cursor that carries both between pages.
 */

/** A filter with the team resolved to an id and "this week" to dates, ready to page through. */
export const CampaignListFilter = z.object({
  statuses: z.array(CampaignStatus).max(CampaignStatus.options.length).optional(),
  /** Leave out CANCELLED and REJECTED campaigns (a launch window without a status filter). */
  liveOnly: z.boolean().optional(),
  teamId: z.string().min(1).max(100).optional(),
  /** For the heading only; the id is what filters. */
  teamName: z.string().max(100).optional(),
  tiers: z.array(CampaignTier).max(3).optional(),
  types: z.array(CampaignType).max(3).optional(),
  launchFrom: z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}$/)
    .optional(),
  launchTo: z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}$/)
    .optional(),
  weekLabel: z.enum(['this week', 'next week']).optional(),
});
export type CampaignListFilter = z.infer<typeof CampaignListFilter>;

/** The sort and cursor key: launch date, then id. Keyset paging on it cannot repeat or skip a row. */
export function campaignSortKey(campaign: Pick<Campaign, 'launchDate' | 'campaignId'>): string {
  return `${campaign.launchDate}|${campaign.campaignId}`;
}

/** Whether a campaign passes every condition of the filter. */
export function matchesFilter(campaign: Campaign, filter: CampaignListFilter): boolean {
  if (filter.statuses?.length && !filter.statuses.includes(campaign.status)) return false;
  if (filter.liveOnly && (campaign.status === 'CANCELLED' || campaign.status === 'REJECTED')) return false;
  if (filter.teamId !== undefined && campaign.teamId !== filter.teamId) return false;
  if (filter.tiers?.length && !filter.tiers.includes(campaign.tier)) return false;
  if (filter.types?.length && !filter.types.includes(campaign.type)) return false;
  if (filter.launchFrom !== undefined && campaign.launchDate < filter.launchFrom) return false;
  if (filter.launchTo !== undefined && campaign.launchDate > filter.launchTo) return false;
  return true;
}

/** Plain code-unit order, the same everywhere (localeCompare would vary with the runtime's ICU). */
export function compareKeys(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Encoded in the "Show more" button (≤ 2000 characters): the resolved filter and the cursor. */
export const ListCursor = z.object({
  v: z.literal(1),
  f: CampaignListFilter,
  /** Sort key of the last campaign shown. */
  a: z.string().min(1).max(300),
});
export type ListCursor = z.infer<typeof ListCursor>;

/** The "Show more" button value for the page after `after`. Always ≤ 2000 characters. */
export function encodeListCursor(filter: CampaignListFilter, after: string): string {
  const value = JSON.stringify({ v: 1, f: filter, a: after } satisfies ListCursor);
  if (value.length <= 2000) return value;
  // Only the heading label is optional; everything else is short by construction.
  const { teamName: _dropped, ...rest } = filter;
  return JSON.stringify({ v: 1, f: rest, a: after } satisfies ListCursor);
}

/** Parses a "Show more" value; undefined when it is not one of ours (or from an older version). */
export function decodeListCursor(value: string): ListCursor | undefined {
  try {
    const parsed = ListCursor.safeParse(JSON.parse(value));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}
