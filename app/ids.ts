/**
 * Every action_id, callback_id and block_id the app uses, in one place, `as const`, so listeners,
 * blocks and tests agree. Group by capability; keep values ≤ 255 characters (Slack's limit).
 */
export const COMMAND = '/mcc' as const;

export const ActionIds = {
  campaignsShowMore: 'campaigns_show_more',
  statusPickCampaign: 'status_pick_campaign',
  openCampaignLink: 'open_campaign_link',
  // Approvals (campaign creation and budget changes)
  openNewCampaign: 'open_new_campaign',
  approvalApprove: 'approval_approve',
  approvalReject: 'approval_reject',
  approvalViewDetails: 'approval_view_details',
  /** Inside the modals, each input's action id equals its block id (see CampaignModalBlocks). */
  modalInput: 'value',
  // Agent (answers, feedback, return-of-control confirmation, sharing an ephemeral answer)
  agentFeedbackUp: 'agent_feedback_up',
  agentFeedbackDown: 'agent_feedback_down',
  agentConfirm: 'agent_confirm',
  agentCancel: 'agent_cancel',
  agentShare: 'agent_share_answer',
} as const;

export const BlockIds = {
  statusPicker: 'status_picker',
  campaignCardActions: 'campaign_card_actions',
  campaignsMore: 'campaigns_more',
  // Approvals
  approvalOutcome: 'approval_outcome',
  approvalDecision: 'approval_decision',
  /** Prefix of each request's buttons in `/mcc approvals` (followed by the approval id). */
  approvalListItemPrefix: 'approval_list:',
  rejectReason: 'reject_reason',
  budgetAmount: 'budget_amount',
  budgetReason: 'budget_reason',
  // Agent
  agentFeedback: 'agent_feedback',
  agentConfirmation: 'agent_confirmation',
  agentShare: 'agent_share',
} as const;

/** The new-campaign modal's input blocks, keyed by the `NewCampaignInput` field they hold. */
export const CampaignModalBlocks = {
  name: 'campaign_name',
  type: 'campaign_type',
  tier: 'campaign_tier',
  teamId: 'campaign_team',
  budgetCents: 'campaign_budget',
  launchDate: 'campaign_launch_date',
  endDate: 'campaign_end_date',
  audience: 'campaign_audience',
  channels: 'campaign_channels',
  description: 'campaign_description',
} as const;

export const CallbackIds = {
  // Approvals
  newCampaignShortcut: 'new_campaign',
  newCampaignModal: 'new_campaign_modal',
  rejectReasonModal: 'approval_reject_reason',
  budgetChangeModal: 'budget_change_modal',
  approvalDetailsModal: 'approval_details',
} as const;
