import { campaignListBlocks, describeFilter } from '../../../blocks/campaign-list';
import type { AppDeps } from '../../deps';
import { todayIn } from '../../domain/calendar';
import type { Team } from '../../domain/model';
import type { RenderedMessage } from '../../domain/rendered-message';
import { COMMAND } from '../../ids';
import { parseCampaignFilter } from '../../services/campaign-filters';
import {
  type CampaignListFilter,
  campaignSortKey,
  encodeListCursor,
} from '../../services/campaign-list-filter';
import type { UserProfile } from '../../services/user-profile';
import type { Subcommand } from './subcommand';

/**
 * `/mcc campaigns [launching this week | status:<s> | team:<t> | tier:<n> | type:<t>]`: a page of
 * campaigns by launch date, with "Show more" for the rest. A bad filter is a `ValidationError`,
 * which the router shows as is (it names the bad part and lists the valid filters).
 *
 * The first page is the ack body itself (ephemeral): the receiver holds the HTTP response until
 * the listener returns anyway, so answering through response_url only added a round trip to
 * Slack. "Show more" answers through response_url (a block action replaces the message).
 */
export const campaignsSubcommand: Subcommand = {
  name: 'campaigns',
  aliases: ['list'],
  usage: `${COMMAND} campaigns [launching this week | next week | status:<s> | team:<t> | tier:<n>]`,
  description: 'List campaigns by launch date; filters combine, e.g. `status:planned tier:1`.',
  ownsAck: true,
  async run({ rest, ack, command, deps }) {
    // Parse before any I/O: a typo in a filter costs no store call. A ValidationError thrown
    // before the ack is acked by the router with its message.
    const parsed = parseCampaignFilter(rest);
    const { campaignQuery, userProfiles } = deps.services;
    // A team filter needs the team list to resolve the name, and the page needs it for the team
    // names: read it once, alongside users.info.
    const [profile, teams] = await Promise.all([
      userProfiles.get(command.user_id),
      parsed.team === undefined ? undefined : campaignQuery.listTeams(),
    ]);
    const today = todayIn(profile.timezone, deps.clock());
    const filter = await campaignQuery.resolveFilter(parsed, today, teams);
    const message = await renderCampaignPage(deps, filter, profile, undefined, teams);
    await ack({ response_type: 'ephemeral', ...message });
  },
};

/**
 * One page of the list for `profile`, after `after` (a previous page's cursor). Shared with "Show
 * more". `teams`: the team list when already read.
 */
export async function renderCampaignPage(
  deps: AppDeps,
  filter: CampaignListFilter,
  profile: UserProfile,
  after?: string,
  teams?: readonly Team[],
): Promise<RenderedMessage> {
  const page = await deps.services.campaignQuery.listPage(filter, {
    ...(after === undefined ? {} : { after }),
    ...(teams === undefined ? {} : { teams }),
  });
  const today = todayIn(profile.timezone, deps.clock());
  return campaignListBlocks({
    campaigns: page.items,
    total: page.total,
    start: page.start,
    filterLabel: describeFilter(filter, today),
    teamNames: page.teamNames,
    today,
    timezone: profile.timezone,
    timezoneKnown: profile.timezoneKnown,
    moreValue: (last) => encodeListCursor(filter, campaignSortKey(last)),
  });
}
