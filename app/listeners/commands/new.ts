import { COMMAND } from '../../ids';
import { openCampaignModal } from '../shortcuts/new-campaign';
import type { Subcommand } from './subcommand';

/**
 * `/mcc new [name]`: opens the new-campaign modal (the text, if any, prefills the name), then acks
 * empty. `views.open` is the one Slack call before the response, and stays there: the `trigger_id`
 * must be used within 3 seconds of the command, which a job cannot promise. If it fails, the router
 * acks with the error (in the ack body, no `respond()`).
 */
export const newSubcommand: Subcommand = {
  name: 'new',
  aliases: ['create'],
  usage: `${COMMAND} new [campaign name]`,
  description: 'Create a campaign in a form; budgets over the threshold go to the approvers.',
  ownsAck: true,
  async run({ rest, command, client, ack, deps }) {
    const name = rest.trim().slice(0, 150);
    await openCampaignModal(deps, client, command.trigger_id, name ? { prefill: { name } } : {});
    await ack();
  },
};
