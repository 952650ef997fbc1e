import { COMMAND } from '../../ids';
import { openCampaignModal } from '../shortcuts/new-campaign';
import type { Subcommand } from './subcommand';

/** `/mcc new [name]`: opens the new-campaign modal (the text, if any, prefills the name). */
export const newSubcommand: Subcommand = {
  name: 'new',
  aliases: ['create'],
  usage: `${COMMAND} new [campaign name]`,
  description: 'Create a campaign in a form; budgets over the threshold go to the approvers.',
  async run({ rest, command, client, deps }) {
    const name = rest.trim().slice(0, 150);
    await openCampaignModal(deps, client, command.trigger_id, name ? { prefill: { name } } : {});
  },
};
