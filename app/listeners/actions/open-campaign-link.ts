import type { AllMiddlewareArgs, BlockAction, SlackActionMiddlewareArgs } from '@slack/bolt';

/**
 * The card's "Open in Workfront/Asana" link button. Slack opens the URL itself but still sends a
 * block_actions payload, which must be acked or the user sees a warning icon; nothing else to do.
 */
export function openCampaignLink() {
  return async ({ ack }: SlackActionMiddlewareArgs<BlockAction> & AllMiddlewareArgs) => {
    await ack();
  };
}
