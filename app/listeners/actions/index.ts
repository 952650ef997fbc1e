import type { App } from '@slack/bolt';
import type { AppDeps } from '../../deps';
import { ActionIds } from '../../ids';
import { routeById } from '../route-by-id';
import { agentConfirm } from './agent-confirm';
import { agentFeedback } from './agent-feedback';
import { approveAction } from './approve';
import { campaignsShowMore } from './campaigns-show-more';
import { openCampaignLink } from './open-campaign-link';
import { openNewCampaign } from './open-new-campaign';
import { rejectAction } from './reject';
import type { BlockActionArgs } from './respond-failure';
import { shareAnswer } from './share-answer';
import { statusPickCampaign } from './status-pick-campaign';
import { viewApprovalDetails } from './view-approval-details';

/**
 * Every block action, by action_id (from `ids.ts`), behind one Bolt listener (`routeById`: one
 * middleware chain per request instead of one per action). A capability adds its line here; the
 * listener itself lives in its own file beside this one and acks first.
 */
export function registerActions(app: App, deps: AppDeps): void {
  const routes: Record<string, (args: BlockActionArgs) => Promise<void>> = {
    [ActionIds.statusPickCampaign]: statusPickCampaign(deps),
    [ActionIds.campaignsShowMore]: campaignsShowMore(deps),
    [ActionIds.openCampaignLink]: openCampaignLink(),
    // Approvals
    [ActionIds.openNewCampaign]: openNewCampaign(deps),
    [ActionIds.approvalApprove]: approveAction(deps),
    [ActionIds.approvalReject]: rejectAction(deps),
    [ActionIds.approvalViewDetails]: viewApprovalDetails(deps),
    // Agent
    [ActionIds.agentFeedbackUp]: agentFeedback(deps),
    [ActionIds.agentFeedbackDown]: agentFeedback(deps),
    [ActionIds.agentConfirm]: agentConfirm(deps),
    [ActionIds.agentCancel]: agentConfirm(deps),
    [ActionIds.agentShare]: shareAnswer(deps),
  };
  app.action(
    { type: 'block_actions' },
    routeById((args: BlockActionArgs) => args.action.action_id, routes),
  );
}
