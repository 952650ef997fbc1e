import { campaignCardBlocks } from '../../../blocks/campaign-card';
import {
  campaignNotFoundBlocks,
  campaignPickerBlocks,
  statusUsageBlocks,
} from '../../../blocks/campaign-picker';
import type { RenderedMessage } from '../../../blocks/help';
import type { AppDeps } from '../../deps';
import { todayIn } from '../../domain/calendar';
import type { Campaign } from '../../domain/model';
import { COMMAND } from '../../ids';
import { summarizeTasks } from '../../services/campaign-summary';
import type { UserProfile } from '../../services/user-profile';
import type { Subcommand } from './subcommand';

/**
 * `/mcc status <campaign name or id>`: the campaign card, a picker when several names match, or
 * the closest names when none does. Acked by the router first; answered through `respond()`
 * (response_url), ephemerally. Cost: one `users.info` (cached) in parallel with the lookup
 * (a GetItem for an id, else `listAll`), then the campaign's tasks and team.
 */
export const statusSubcommand: Subcommand = {
  name: 'status',
  aliases: ['campaign', 'show'],
  usage: `${COMMAND} status <campaign name or id>`,
  description: 'A campaign at a glance: owner, budget, launch date, task progress, next milestone.',
  async run({ rest, respond, command, deps }) {
    if (rest.trim() === '') {
      await respond({ response_type: 'ephemeral', ...statusUsageBlocks() });
      return;
    }
    const { campaignQuery, userProfiles } = deps.services;
    const [profile, match] = await Promise.all([
      userProfiles.get(command.user_id),
      campaignQuery.findCampaign(rest),
    ]);
    const today = todayIn(profile.timezone, deps.clock());
    let message: RenderedMessage;
    if (match.kind === 'one') {
      message = await renderCampaignCard(deps, match.item, profile);
    } else if (match.kind === 'several') {
      message = campaignPickerBlocks({ query: rest, campaigns: match.items, today });
    } else {
      message = campaignNotFoundBlocks({ query: rest, closest: match.closest });
    }
    await respond({ response_type: 'ephemeral', ...message });
  },
};

/**
 * The card for one campaign as `profile` sees it (their calendar day decides "today" and
 * "overdue"). Shared with the picker's action listener.
 */
export async function renderCampaignCard(
  deps: AppDeps,
  campaign: Campaign,
  profile: UserProfile,
): Promise<RenderedMessage> {
  const { tasks, team } = await deps.services.campaignQuery.cardDetails(campaign);
  const today = todayIn(profile.timezone, deps.clock());
  return campaignCardBlocks({
    campaign,
    ...(team ? { teamName: team.name, teamChannelId: team.slackChannelId } : {}),
    progress: summarizeTasks(tasks, today),
    today,
    timezone: profile.timezone,
    timezoneKnown: profile.timezoneKnown,
  });
}
