import { helpBlocks } from '../../../blocks/help';
import { COMMAND } from '../../ids';
import type { Subcommand } from './subcommand';

/** `/mcc help`: answered in the ack itself, so it costs no Web API call. */
export const helpSubcommand: Subcommand = {
  name: 'help',
  usage: `${COMMAND} help`,
  description: 'Show this list of commands.',
  ownsAck: true,
  async run({ ack, subcommands }) {
    await ack({ response_type: 'ephemeral', ...helpBlocks(subcommands) });
  },
};
