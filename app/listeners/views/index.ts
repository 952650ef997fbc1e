import type { App } from '@slack/bolt';
import type { AppDeps } from '../../deps';
import { CallbackIds } from '../../ids';
import { budgetChangeSubmit } from './budget-change-submit';
import { newCampaignSubmit } from './new-campaign-submit';
import { rejectReasonSubmit } from './reject-reason-submit';

/** Every modal submission by callback_id. One file per view beside this one. */
export function registerViews(app: App, deps: AppDeps): void {
  app.view(CallbackIds.newCampaignModal, newCampaignSubmit(deps));
  app.view(CallbackIds.rejectReasonModal, rejectReasonSubmit(deps));
  app.view(CallbackIds.budgetChangeModal, budgetChangeSubmit(deps));
}
