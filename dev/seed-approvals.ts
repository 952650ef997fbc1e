/**
 * Approval requests for the demo portfolio's PENDING_APPROVAL campaigns (cmp-005, -006, -007,
 * -008, -031; see dev/seed.ts). The seed writes campaigns only; without this, `/mcc approvals`
 * would show nothing and the approvals channel would be empty while five campaigns "wait".
 *
 * Each request goes through the real path a submitted modal takes
 * (`campaignCommands.requestApprovalForExisting` → `approvals.request`): the approval item is
 * stored with its history, `approval.publish` posts it to the approvals channel and creates the
 * reminder and expiry schedules. The requester is the campaign's creator (else its owner).
 */

import type { AppLogger } from '../app/logger';
import type { Services } from '../app/services';
import { buildDemoData } from './demo-data';
import { DEMO_USERS } from './demo-users';

/** What one `seedDemoApprovals` call did, per campaign id. */
export interface SeedApprovalsResult {
  /** Campaigns that got a new request now. */
  requested: string[];
  /** Campaigns left alone, with why (`already_requested`, `not_pending`, `missing`, or an error). */
  skipped: { campaignId: string; reason: string }[];
}

/** The demo campaigns seeded as PENDING_APPROVAL (ids are stable; the clock does not matter here). */
export function demoPendingCampaignIds(now: Date): string[] {
  return buildDemoData(now)
    .campaigns.filter((campaign) => campaign.status === 'PENDING_APPROVAL')
    .map((campaign) => campaign.campaignId);
}

/**
 * Requests approval for every demo campaign still PENDING_APPROVAL that has no creation request.
 * Idempotent: run it on every start (with DATA_DIR the second run finds the requests and creates
 * nothing; a campaign decided since then is no longer pending and is skipped). One campaign's
 * failure is logged and does not stop the others or the start.
 */
export async function seedDemoApprovals(runtime: {
  services: Pick<Services, 'campaignQuery' | 'campaignCommands'>;
  clock: () => Date;
  logger?: AppLogger;
}): Promise<SeedApprovalsResult> {
  const { services, clock, logger } = runtime;
  const result: SeedApprovalsResult = { requested: [], skipped: [] };
  // One at a time, in id order, so the channel shows the requests in a stable order.
  for (const campaignId of demoPendingCampaignIds(clock())) {
    const campaign = await services.campaignQuery.getCampaign(campaignId);
    if (!campaign) {
      result.skipped.push({ campaignId, reason: 'missing' });
      continue;
    }
    if (campaign.status !== 'PENDING_APPROVAL') {
      result.skipped.push({ campaignId, reason: 'not_pending' });
      continue;
    }
    const requesterId = campaign.createdBy ?? campaign.ownerSlackId;
    const requester = DEMO_USERS.find((user) => user.id === requesterId);
    try {
      const outcome = await services.campaignCommands.requestApprovalForExisting(campaignId, {
        slackUserId: requesterId,
        ...(requester ? { displayName: requester.realName, timezone: requester.tz } : {}),
      });
      if (outcome.outcome === 'requested') result.requested.push(campaignId);
      else result.skipped.push({ campaignId, reason: outcome.outcome });
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      logger?.warn({ campaignId, err: error }, 'demo approval request not created');
      result.skipped.push({ campaignId, reason });
    }
  }
  return result;
}
