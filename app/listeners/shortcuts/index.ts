import type { App } from '@slack/bolt';
import type { AppDeps } from '../../deps';
import { CallbackIds } from '../../ids';
import { newCampaignShortcut } from './new-campaign';

/** Every shortcut by callback_id (declared in manifest.yml). One file per shortcut beside this one. */
export function registerShortcuts(app: App, deps: AppDeps): void {
  app.shortcut(CallbackIds.newCampaignShortcut, newCampaignShortcut(deps));
}
