import { approvalHistoryMessage } from '../../../blocks/approval-history';
import { approvalListMessage } from '../../../blocks/approval-list';
import { COMMAND } from '../../ids';
import { resolveCampaignArg } from './resolve-campaign';
import type { Subcommand } from './subcommand';

const HISTORY_USAGE = `${COMMAND} approvals history <campaign name or id>`;

/**
 * `/mcc approvals`: the pending requests the caller may decide now, with Approve / Reject / View
 * details. `/mcc approvals history <campaign>`: the audit trail kept in each approval item. Both are
 * answered in the ack body (the receiver holds the HTTP response until the listener returns, so a
 * `respond()` would only add a Slack round trip before the same answer). What may be decided depends
 * on group membership, read from Slack (cached a minute per container, and bounded in time).
 */
export const approvalsSubcommand: Subcommand = {
  name: 'approvals',
  aliases: ['approval'],
  usage: `${COMMAND} approvals [history <campaign>]`,
  description: 'What waits for your decision; with `history <campaign>`, every approval step of a campaign.',
  ownsAck: true,
  async run({ rest, command, ack, deps }) {
    const [first, ...others] = rest.trim().split(/\s+/);
    if (first?.toLowerCase() === 'history') {
      const found = await resolveCampaignArg(deps, others.join(' '), HISTORY_USAGE);
      if ('reply' in found) {
        await ack({ response_type: 'ephemeral', text: found.reply });
        return;
      }
      const approvals = await deps.services.approvals.history(found.campaign.campaignId);
      await ack({ response_type: 'ephemeral', ...approvalHistoryMessage(found.campaign.name, approvals) });
      return;
    }
    const decidable = await deps.services.approvals.listDecidableBy(command.user_id);
    await ack({ response_type: 'ephemeral', ...approvalListMessage(decidable) });
  },
};
