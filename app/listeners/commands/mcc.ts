import type { AllMiddlewareArgs, SlackCommandMiddlewareArgs } from '@slack/bolt';
import { distance } from 'fastest-levenshtein';
import { helpBlocks } from '../../../blocks/help';
import type { AppDeps } from '../../deps';
import { fromSlackText } from '../../domain/text';
import { asCodedError, isUserFacing } from '../../errors';
import type { Subcommand } from './subcommand';

/**
 * Splits `/mcc status Spring Launch` into `status` and `Spring Launch`, as typed: Slack's `&amp;`,
 * `&lt;`, `&gt;` are decoded here, once, so what is echoed back is escaped exactly once.
 */
function parseCommandText(text: string): { name: string; rest: string } {
  const trimmed = fromSlackText(text).trim();
  const space = trimmed.search(/\s/);
  if (space === -1) return { name: trimmed.toLowerCase(), rest: '' };
  return { name: trimmed.slice(0, space).toLowerCase(), rest: trimmed.slice(space + 1).trim() };
}

/**
 * The subcommand a mistyped name most likely meant, or none when nothing is close: a typo
 * (`helo`, `campains`) or a prefix (`camp`) earns a "did you mean", gibberish does not — a
 * suggestion of an unrelated command is worse than none.
 */
export function suggestSubcommand(
  typed: string,
  byName: ReadonlyMap<string, { name: string }>,
): string | undefined {
  if (typed === '') return undefined;
  const canonical = (key: string) => byName.get(key)?.name ?? key;
  const prefixed = new Set(
    [...byName.keys()].filter((key) => typed.length >= 2 && key.startsWith(typed)).map(canonical),
  );
  if (prefixed.size === 1) return [...prefixed][0];
  let best: { key: string; distance: number } | undefined;
  for (const key of byName.keys()) {
    const d = distance(typed, key);
    if (!best || d < best.distance) best = { key, distance: d };
  }
  // At most one edit in three characters (at least one for short names).
  const allowed = Math.max(1, Math.floor(typed.length / 3));
  return best && best.distance <= allowed ? canonical(best.key) : undefined;
}

/** The `/mcc` listener: routes to a subcommand; an empty or unknown one gets help (with a suggestion). */
export function mccCommand(list: Subcommand[], deps: AppDeps) {
  const byName = new Map<string, Subcommand>();
  for (const sub of list) {
    byName.set(sub.name, sub);
    for (const alias of sub.aliases ?? []) byName.set(alias, sub);
  }

  return async (args: SlackCommandMiddlewareArgs & AllMiddlewareArgs): Promise<void> => {
    const { command, ack, respond, logger } = args;
    const { name, rest } = parseCommandText(command.text ?? '');
    const sub = name === '' ? byName.get('help') : byName.get(name);
    if (!sub) {
      const help = helpBlocks(list, { unknown: name, suggestion: suggestSubcommand(name, byName) });
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
