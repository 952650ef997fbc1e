import type { App } from '@slack/bolt';
import type { AppDeps } from '../../deps';
import { ActionIds } from '../../ids';
import { agentConfirm } from './agent-confirm';
import { agentFeedback } from './agent-feedback';
import { approveAction } from './approve';
import { campaignsShowMore } from './campaigns-show-more';
import { openCampaignLink } from './open-campaign-link';
import { openNewCampaign } from './open-new-campaign';
import { rejectAction } from './reject';
import { shareAnswer } from './share-answer';
import { statusPickCampaign } from './status-pick-campaign';
import { viewApprovalDetails } from './view-approval-details';

/**
 * Every block action, by action_id (from `ids.ts`). A capability adds its line here; the listener
 * itself lives in its own file beside this one and acks first.
 */
export function registerActions(app: App, deps: AppDeps): void {
  app.action(ActionIds.statusPickCampaign, statusPickCampaign(deps));
  app.action(ActionIds.campaignsShowMore, campaignsShowMore(deps));
  app.action(ActionIds.openCampaignLink, openCampaignLink());
  // Approvals
  app.action(ActionIds.openNewCampaign, openNewCampaign(deps));
  app.action(ActionIds.approvalApprove, approveAction(deps));
  app.action(ActionIds.approvalReject, rejectAction(deps));
  app.action(ActionIds.approvalViewDetails, viewApprovalDetails(deps));
  // Agent
  app.action(ActionIds.agentFeedbackUp, agentFeedback(deps));
  app.action(ActionIds.agentFeedbackDown, agentFeedback(deps));
  app.action(ActionIds.agentConfirm, agentConfirm(deps));
  app.action(ActionIds.agentCancel, agentConfirm(deps));
  app.action(ActionIds.agentShare, shareAnswer(deps));
}
