import { approvalHistoryMessage } from '../../../blocks/approval-history';
import { approvalListMessage } from '../../../blocks/approval-list';
import { COMMAND } from '../../ids';
import { resolveCampaignArg } from './resolve-campaign';
import type { Subcommand } from './subcommand';

const HISTORY_USAGE = `${COMMAND} approvals history <campaign name or id>`;

/**
 * `/mcc approvals`: the pending requests the caller may decide now, with Approve / Reject / View
 * details. `/mcc approvals history <campaign>`: the audit trail kept in each approval item.
 */
export const approvalsSubcommand: Subcommand = {
  name: 'approvals',
  aliases: ['approval'],
  usage: `${COMMAND} approvals [history <campaign>]`,
  description: 'What waits for your decision; with `history <campaign>`, every approval step of a campaign.',
  async run({ rest, command, respond, deps }) {
    const [first, ...others] = rest.trim().split(/\s+/);
    if (first?.toLowerCase() === 'history') {
      const found = await resolveCampaignArg(deps, others.join(' '), HISTORY_USAGE);
      if ('reply' in found) {
        await respond({ response_type: 'ephemeral', text: found.reply });
        return;
      }
      const approvals = await deps.services.approvals.history(found.campaign.campaignId);
      await respond({
        response_type: 'ephemeral',
        ...approvalHistoryMessage(found.campaign.name, approvals),
      });
      return;
    }
    const decidable = await deps.services.approvals.listDecidableBy(command.user_id);
    await respond({ response_type: 'ephemeral', ...approvalListMessage(decidable) });
  },
};
