import type { AllMiddlewareArgs, SlackCommandMiddlewareArgs } from '@slack/bolt';
import type { AppDeps } from '../../deps';

/** The arguments a `/mcc` subcommand handler gets: Bolt's, already acked, plus the text after the subcommand. */
type SubcommandArgs = SlackCommandMiddlewareArgs &
  AllMiddlewareArgs & { rest: string; deps: AppDeps; subcommands: readonly Subcommand[] };

/**
 * One `/mcc` subcommand. The router acks before calling `run` unless `ownsAck` is set (for
 * subcommands that must answer in the ack itself or open a modal with the trigger id first).
 */
export interface Subcommand {
  name: string;
  /** Alternative names, e.g. `list` for `campaigns`. */
  aliases?: readonly string[];
  /** `/mcc status <campaign name or id>` */
  usage: string;
  /** One line for `/mcc help`. */
  description: string;
  ownsAck?: boolean;
  run(args: SubcommandArgs): Promise<void>;
}
