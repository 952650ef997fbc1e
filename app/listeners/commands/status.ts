import { campaignCardBlocks } from '../../../blocks/campaign-card';
import {
  campaignIdNotFoundBlocks,
  campaignNotFoundBlocks,
  campaignPickerBlocks,
  statusUsageBlocks,
} from '../../../blocks/campaign-picker';
import { todayIn } from '../../domain/calendar';
import { summarizeTasks } from '../../domain/campaign-summary';
import type { RenderedMessage } from '../../domain/rendered-message';
import { COMMAND } from '../../ids';
import type { CampaignCard } from '../../services/campaign-query';
import type { UserProfile } from '../../services/user-profile';
import type { Subcommand } from './subcommand';

/**
 * `/mcc status <campaign name or id>`: the campaign card, a picker when several names match, or
 * the closest names when none does — answered in the ack body itself (ephemeral), not through
 * response_url. The HTTP receiver holds the response until the listener returns
 * (`processBeforeResponse`), so an empty ack followed by `respond()` only added a round trip to
 * Slack before the same response, and showed the card later. A failure before the ack is acked
 * with the error by the router (`mcc.ts`).
 *
 * Cost, warm: one `users.info` (cached per container) in parallel with the lookup — the name
 * matched in memory (`CampaignDirectory`), then the campaign, its tasks and its team read fresh
 * in parallel: 3 DynamoDB calls after the dedupe claim.
 */
export const statusSubcommand: Subcommand = {
  name: 'status',
  aliases: ['campaign', 'show'],
  usage: `${COMMAND} status <campaign name or id>`,
  description: 'A campaign at a glance: owner, budget, launch date, task progress, next milestone.',
  ownsAck: true,
  async run({ rest, ack, command, deps }) {
    if (rest.trim() === '') {
      await ack({ response_type: 'ephemeral', ...statusUsageBlocks() });
      return;
    }
    const { campaignQuery, userProfiles } = deps.services;
    const [profile, found] = await Promise.all([
      userProfiles.get(command.user_id),
      campaignQuery.findCampaignCard(rest),
    ]);
    const today = todayIn(profile.timezone, deps.clock());
    let message: RenderedMessage;
    if (found.kind === 'one') {
      message = campaignCardMessage(found.card, profile, deps.clock());
    } else if (found.kind === 'several') {
      message = campaignPickerBlocks({ query: rest, campaigns: found.items, today });
    } else if (found.kind === 'no_such_id') {
      message = campaignIdNotFoundBlocks(found.id);
    } else {
      message = campaignNotFoundBlocks({ query: rest, closest: found.closest });
    }
    await ack({ response_type: 'ephemeral', ...message });
  },
};

/**
 * The card for one campaign as `profile` sees it (their calendar day at `now` decides "today"
 * and "overdue"). Shared with the picker's action listener.
 */
export function campaignCardMessage(card: CampaignCard, profile: UserProfile, now: Date): RenderedMessage {
  const today = todayIn(profile.timezone, now);
  const { campaign, team, tasks } = card;
  return campaignCardBlocks({
    campaign,
    ...(team ? { teamName: team.name, teamChannelId: team.slackChannelId } : {}),
    progress: summarizeTasks(tasks, today),
    today,
    timezone: profile.timezone,
    timezoneKnown: profile.timezoneKnown,
  });
}
