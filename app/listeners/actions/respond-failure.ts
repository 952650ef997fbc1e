import type { AllMiddlewareArgs, BlockAction, RespondFn, SlackActionMiddlewareArgs } from '@slack/bolt';
import { asCodedError, isUserFacing } from '../../errors';
import type { AppLogger } from '../../logger';

/**
 * After an action was acked, a failure can only reach the user through `respond()`: say what went
 * wrong (the message itself for a `UserFacingError`, else a short note with a reference) without
 * replacing the message they clicked in.
 */
async function respondFailure(
  respond: RespondFn,
  logger: Pick<AppLogger, 'error' | 'warn'>,
  error: unknown,
  context: { action: string; requestId?: unknown },
): Promise<void> {
  const coded = asCodedError(error);
  logger.error({ code: coded.code, action: context.action }, coded);
  const reference = String(context.requestId ?? '').slice(-8) || 'n/a';
  const text = isUserFacing(error)
    ? coded.message
    : `Something went wrong. Try again in a moment; if it keeps failing, give your admin this reference: \`${reference}\`.`;
  await respond({ response_type: 'ephemeral', replace_original: false, text }).catch(
    (respondError: unknown) => logger.warn(respondError, 'could not tell the user about the failure'),
  );
}

export type BlockActionArgs = SlackActionMiddlewareArgs<BlockAction> & AllMiddlewareArgs;

/**
 * The shape every button listener shares: ack at once (Slack's 3 s), run `handle`, and turn any
 * failure into a message the clicker sees (`respondFailure`), logged under `action`.
 */
export function ackedAction(action: string, handle: (args: BlockActionArgs) => Promise<void>) {
  return async (args: BlockActionArgs): Promise<void> => {
    await args.ack();
    try {
      await handle(args);
    } catch (error) {
      await respondFailure(args.respond, args.logger, error, { action, requestId: args.context.requestId });
    }
  };
}
