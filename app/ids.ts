/**
 * Every action_id, callback_id and block_id the app uses, in one place, `as const`, so listeners,
 * blocks and tests agree. Group by capability; keep values ≤ 255 characters (Slack's limit).
 */
export const COMMAND = '/mcc' as const;

export const ActionIds = {
  campaignsShowMore: 'campaigns_show_more',
  statusPickCampaign: 'status_pick_campaign',
  openCampaignLink: 'open_campaign_link',
} as const;

export const BlockIds = {
  statusPicker: 'status_picker',
} as const;

export const CallbackIds = {} as const;
