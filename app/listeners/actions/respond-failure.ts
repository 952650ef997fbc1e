import type { AllMiddlewareArgs, BlockAction, RespondFn, SlackActionMiddlewareArgs } from '@slack/bolt';
import type { AppDeps } from '../../deps';
import { asCodedError, isUserFacing } from '../../errors';
import type { AppLogger } from '../../logger';
import { messageAnswer, respondLater } from './respond-later';

/**
 * After an action was acked, a failure can only reach the user through the click's `response_url`:
 * say what went wrong (the message itself for a `UserFacingError`, else a short note with a
 * reference) without replacing the message they clicked in. The note is sent by a `slack.respond`
 * job like every other answer to a click; only when the job cannot be stored either (the store is
 * down) is it sent from here, the one Slack call a click listener still makes before its response.
 */
async function respondFailure(
  respond: RespondFn,
  deps: Pick<AppDeps, 'services'> & { logger: Pick<AppLogger, 'error' | 'warn'> },
  body: unknown,
  error: unknown,
  context: { action: string; requestId?: unknown },
): Promise<void> {
  const { logger } = deps;
  const coded = asCodedError(error);
  logger.error({ code: coded.code, action: context.action }, coded);
  const reference = String(context.requestId ?? '').slice(-8) || 'n/a';
  const text = isUserFacing(error)
    ? coded.message
    : `Something went wrong. Try again in a moment; if it keeps failing, give your admin this reference: \`${reference}\`.`;
  try {
    await respondLater(deps, body, messageAnswer({ text }));
  } catch (enqueueError) {
    logger.warn(enqueueError, 'could not store the failure note; answering directly');
    await respond({ response_type: 'ephemeral', replace_original: false, text }).catch(
      (respondError: unknown) => logger.warn(respondError, 'could not tell the user about the failure'),
    );
  }
}

export type BlockActionArgs = SlackActionMiddlewareArgs<BlockAction> & AllMiddlewareArgs;

/**
 * The shape every button listener shares: ack at once (Slack's 3 s), run `handle`, and turn any
 * failure into a message the clicker sees (`respondFailure`), logged under `action`.
 */
export function ackedAction(
  action: string,
  deps: Pick<AppDeps, 'services'>,
  handle: (args: BlockActionArgs) => Promise<void>,
) {
  return async (args: BlockActionArgs): Promise<void> => {
    await args.ack();
    try {
      await handle(args);
    } catch (error) {
      await respondFailure(args.respond, { services: deps.services, logger: args.logger }, args.body, error, {
        action,
        requestId: args.context.requestId,
      });
    }
  };
}
