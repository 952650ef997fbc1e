import { fromSlackText } from '../../domain/text';
import { asCodedError, isUserFacing } from '../../errors';
import type { AppLogger } from '../../logger';

/**
 * What a modal submission answers when it fails: an inline error on `blockId` (the modal stays open,
 * so the user can try again without retyping). A `UserFacingError` is shown as is; anything else is
 * logged with its code and shown as `fallback` with a reference the admin can find in the logs.
 */
export function viewFailure(
  logger: Pick<AppLogger, 'error'>,
  error: unknown,
  context: { view: string; blockId: string; fallback: string; requestId?: unknown },
): { response_action: 'errors'; errors: Record<string, string> } {
  const coded = asCodedError(error);
  logger.error({ code: coded.code, view: context.view }, coded);
  const reference = String(context.requestId ?? '').slice(-8) || 'n/a';
  return {
    response_action: 'errors',
    errors: {
      // Inline errors are plain text, where Slack shows `&amp;` as typed: the message (mrkdwn) is
      // shown with its escapes undone.
      [context.blockId]: isUserFacing(error)
        ? fromSlackText(coded.message)
        : `${context.fallback} (reference ${reference}).`,
    },
  };
}
