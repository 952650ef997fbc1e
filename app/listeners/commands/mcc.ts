import type { AllMiddlewareArgs, SlackCommandMiddlewareArgs } from '@slack/bolt';
import { closest } from 'fastest-levenshtein';
import { helpBlocks } from '../../../blocks/help';
import type { AppDeps } from '../../deps';
import { asCodedError, isUserFacing } from '../../errors';
import type { Subcommand } from './subcommand';

/** Splits `/mcc status Spring Launch` into `status` and `Spring Launch`. */
export function parseCommandText(text: string): { name: string; rest: string } {
  const trimmed = text.trim();
  const space = trimmed.search(/\s/);
  if (space === -1) return { name: trimmed.toLowerCase(), rest: '' };
  return { name: trimmed.slice(0, space).toLowerCase(), rest: trimmed.slice(space + 1).trim() };
}

/** The `/mcc` listener: routes to a subcommand; an empty or unknown one gets help (with a suggestion). */
export function mccCommand(list: Subcommand[], deps: AppDeps) {
  const byName = new Map<string, Subcommand>();
  for (const sub of list) {
    byName.set(sub.name, sub);
    for (const alias of sub.aliases ?? []) byName.set(alias, sub);
  }
  const names = [...byName.keys()];

  return async (args: SlackCommandMiddlewareArgs & AllMiddlewareArgs): Promise<void> => {
    const { command, ack, respond, logger } = args;
    const { name, rest } = parseCommandText(command.text ?? '');
    const sub = name === '' ? byName.get('help') : byName.get(name);
    if (!sub) {
      const suggestion = names.length > 0 ? closest(name, names) : undefined;
      const help = helpBlocks(list, {
        unknown: name,
        suggestion: suggestion ? (byName.get(suggestion)?.name ?? suggestion) : undefined,
      });
      await ack({ response_type: 'ephemeral', ...help });
      return;
    }
    let acked = false;
    const trackedAck: typeof ack = async (response) => {
      acked = true;
      await ack(response);
    };
    if (!sub.ownsAck) await trackedAck();
    try {
      await sub.run({ ...args, ack: trackedAck, rest, deps, subcommands: list });
    } catch (error) {
      const coded = asCodedError(error);
      const reference = String(args.context.requestId ?? '').slice(-8) || 'n/a';
      logger.error({ code: coded.code, subcommand: sub.name }, coded);
      const text = isUserFacing(error)
        ? coded.message
        : `Something went wrong running \`/mcc ${sub.name}\`. Try again in a moment; if it keeps failing, give your admin this reference: \`${reference}\`.`;
      if (!acked) {
        await ack({ response_type: 'ephemeral', text });
        return;
      }
      await respond({ response_type: 'ephemeral', text, replace_original: false }).catch(
        (respondError: unknown) => logger.warn(respondError, 'could not tell the user about the failure'),
      );
    }
  };
}
