import type { AllMiddlewareArgs, App, SlackViewAction, SlackViewMiddlewareArgs } from '@slack/bolt';
import type { AppDeps } from '../../deps';
import { CallbackIds } from '../../ids';
import { routeById } from '../route-by-id';
import { budgetChangeSubmit } from './budget-change-submit';
import { newCampaignSubmit } from './new-campaign-submit';
import { rejectReasonSubmit } from './reject-reason-submit';

type ViewArgs = SlackViewMiddlewareArgs<SlackViewAction> & AllMiddlewareArgs;

/**
 * Every modal submission by callback_id, behind one Bolt listener (`routeById`). One file per view
 * beside this one.
 */
export function registerViews(app: App, deps: AppDeps): void {
  const routes: Record<string, (args: ViewArgs) => Promise<void>> = {
    [CallbackIds.newCampaignModal]: newCampaignSubmit(deps),
    [CallbackIds.rejectReasonModal]: rejectReasonSubmit(deps),
    [CallbackIds.budgetChangeModal]: budgetChangeSubmit(deps),
  };
  app.view(
    { type: 'view_submission' },
    routeById((args: ViewArgs) => args.view.callback_id, routes),
  );
}
