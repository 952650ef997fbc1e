import { budgetModal } from '../../../blocks/budget-modal';
import { formatUsd } from '../../domain/text';
import { COMMAND } from '../../ids';
import { resolveCampaignArg } from './resolve-campaign';
import type { Subcommand } from './subcommand';

const USAGE = `${COMMAND} budget <campaign name or id>`;

/**
 * `/mcc budget <campaign>`: opens the budget modal; a raise past the approved amount goes to the
 * approvers. No campaign, or several, is answered in the ack body (the receiver holds the response
 * until the listener returns, so a `respond()` would only add a round trip to Slack); a failure to
 * open the modal is acked with the error by the router. `views.open` is the one Slack call before the
 * response and stays there: the command's `trigger_id` must be used within 3 seconds.
 */
export const budgetSubcommand: Subcommand = {
  name: 'budget',
  usage: USAGE,
  description: 'Change a campaign’s budget; raises past what was approved need approval again.',
  ownsAck: true,
  async run({ rest, command, client, ack, deps }) {
    const found = await resolveCampaignArg(deps, rest, USAGE);
    if ('reply' in found) {
      await ack({ response_type: 'ephemeral', text: found.reply });
      return;
    }
    const { thresholdCents, vpThresholdCents } = deps.config.approvals;
    await client.views.open({
      trigger_id: command.trigger_id,
      view: budgetModal(
        found.campaign,
        {},
        `Raises past the approved amount need leadership approval over ${formatUsd(thresholdCents)}, and a VP over ${formatUsd(vpThresholdCents)}.`,
      ),
    });
    await ack();
  },
};
