import type { WebClient } from '@slack/web-api';
import { campaignAnnouncementBlocks } from '../../blocks/campaign-announcement';
import { slackErrorCode } from '../adapters/slack';
import type { CampaignAnnouncement } from '../domain/announcement';
import type { RenderedMessage } from '../domain/rendered-message';
import { slackFailure } from '../jobs/slack-post';
import type { AppLogger } from '../logger';
import type { CampaignAnnouncer } from '../services/campaign-provisioning';

/**
 * The provisioning service's `CampaignAnnouncer` port on Slack (app layer, like the listeners):
 * renders the domain-level announcement with blocks/campaign-announcement.ts and posts it in the team's
 * channel. Slack failures are sorted as every job's post is (`slackFailure`, app/jobs/slack-post.ts):
 * one that may pass (rate limit, network, 5xx, Slack's own `fatal_error`) is thrown retryable, so the
 * job tries the channel again. When Slack refuses the channel for good (the bot was never invited,
 * the channel is archived), the project already exists, so the owner gets the same message by DM
 * with a note saying why, rather than the whole provisioning failing.
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
        const failure = slackFailure(error, 'chat.postMessage (announcement)');
        if (failure.retryable) throw failure;
        const refusal = slackErrorCode(error) ?? failure.message;
        logger.warn(
          { channel: announcement.teamChannelId, error: refusal },
          'team channel refused the campaign announcement; telling the owner instead',
        );
        const note = `I could not post this in the team channel (${refusal}); invite me there so campaigns are announced.`;
        try {
          return await post(announcement.campaign.ownerSlackId, render([...announcement.notes, note]));
        } catch (dmError) {
          throw slackFailure(dmError, 'chat.postMessage (announcement by DM)');
        }
      }
    },
  };
}
