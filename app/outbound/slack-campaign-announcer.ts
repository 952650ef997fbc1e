import type { WebClient } from '@slack/web-api';
import { campaignAnnouncementBlocks } from '../../blocks/campaign-announcement';
import { slackErrorCode } from '../adapters/slack';
import { SlackPoster } from '../adapters/slack-post-once';
import type { CampaignAnnouncement } from '../domain/announcement';
import type { OncePost, PostLedgers } from '../domain/outbound-post';
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
 * Both are crash-safe posts (`announce:<campaign id>`, and `…:dm`): a provisioning job retried after
 * a crash finds the announcement it already posted.
 */
export function createSlackCampaignAnnouncer(
  slack: Pick<WebClient, 'chat' | 'conversations'>,
  logger: AppLogger,
  /** The crash-safe posts' ledgers; without them (tests) each call posts once. */
  ledgers?: PostLedgers,
): CampaignAnnouncer {
  const poster = new SlackPoster(slack);
  const post = async (key: string, channel: string, message: RenderedMessage) => {
    const once: OncePost = { key, channel, message };
    return ledgers ? poster.postOnce(ledgers(key), once) : poster.post(once);
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
      const key = `announce:${announcement.campaign.campaignId}`;
      try {
        const { channel, ts } = await post(key, announcement.teamChannelId, render(announcement.notes));
        return { channel, ts };
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
          const { channel, ts } = await post(
            `${key}:dm`,
            announcement.campaign.ownerSlackId,
            render([...announcement.notes, note]),
          );
          return { channel, ts };
        } catch (dmError) {
          throw slackFailure(dmError, 'chat.postMessage (announcement by DM)');
        }
      }
    },
  };
}
