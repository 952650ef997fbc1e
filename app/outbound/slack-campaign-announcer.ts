import { WebAPIPlatformError, WebAPIRateLimitedError, type WebClient } from '@slack/web-api';
import { campaignAnnouncementBlocks } from '../../blocks/campaign-announcement';
import type { CampaignAnnouncement } from '../domain/announcement';
import type { RenderedMessage } from '../domain/rendered-message';
import { DownstreamError } from '../errors';
import type { AppLogger } from '../logger';
import type { CampaignAnnouncer } from '../services/campaign-provisioning';

/**
 * The provisioning service's `CampaignAnnouncer` port on Slack (app layer, like the listeners):
 * renders the domain-level announcement with blocks/campaign-announcement.ts and posts it in the team's
 * channel. When Slack refuses the channel (the bot was never invited, the channel is archived),
 * the project already exists, so the owner gets the same message by DM with a note saying why,
 * rather than the whole provisioning failing.
 */
export function createSlackCampaignAnnouncer(
  slack: Pick<WebClient, 'chat'>,
  logger: AppLogger,
): CampaignAnnouncer {
  const post = async (channel: string, message: RenderedMessage) => {
    const response = await slack.chat.postMessage({
      channel,
      text: message.text,
      blocks: message.blocks,
      unfurl_links: false,
      unfurl_media: false,
    });
    return { channel: response.channel ?? channel, ts: response.ts ?? '' };
  };

  return {
    async announce(announcement: CampaignAnnouncement) {
      const render = (notes: string[]) =>
        campaignAnnouncementBlocks({
          campaign: announcement.campaign,
          workSystem: announcement.workSystem,
          projectUrl: announcement.projectUrl,
          tasks: announcement.tasks,
          today: announcement.today,
          notes,
        });
      try {
        return await post(announcement.teamChannelId, render(announcement.notes));
      } catch (error) {
        if (!(error instanceof WebAPIPlatformError)) throw slackFailure(error);
        logger.warn(
          { channel: announcement.teamChannelId, error: error.data.error },
          'team channel refused the campaign announcement; telling the owner instead',
        );
        const note = `I could not post this in the team channel (${error.data.error}); invite me there so campaigns are announced.`;
        try {
          return await post(announcement.campaign.ownerSlackId, render([...announcement.notes, note]));
        } catch (dmError) {
          throw slackFailure(dmError);
        }
      }
    },
  };
}

/** Rate limits and transport failures retry (the job backs off); a refusal by Slack does not. */
function slackFailure(error: unknown): DownstreamError {
  if (error instanceof WebAPIPlatformError) {
    return new DownstreamError(`Slack refused the announcement: ${error.data.error}`, 'slack', false, {
      cause: error,
    });
  }
  const message =
    error instanceof WebAPIRateLimitedError
      ? `Slack rate limited the announcement; retry after ${error.retryAfter}s`
      : 'Slack announcement failed; will retry';
  return new DownstreamError(message, 'slack', true, { cause: error });
}
