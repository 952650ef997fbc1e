import { CommandCenterError, ErrorCode } from '../../errors';
import type { AppLogger } from '../../logger';

/**
 * Vendor shapes we rely on without a primary source (platform-facts §6, §7: UNCONFIRMED). Each has
 * a stable name; when a delivery or a response contradicts one, the code throws or records an
 * `AssumptionError` naming it, the line is logged at error level with `assumption`, and the
 * rejection is counted per assumption (`AssumptionLedger`), so a wrong guess is loud and countable,
 * never a silent drop.
 */
export const ASSUMPTIONS = {
  /** Asana `X-Hook-Signature` is the lower-case hex HMAC-SHA256 of the raw body. */
  asanaSignatureHex: 'asana.signature.hex',
  /** Workfront presents the subscription's `authToken` in `Authorization` (bearer or bare). */
  workfrontTokenHeader: 'workfront.token.authorization-header',
  /** Workfront status codes other than `CUR` (PLN, ONH, CPL, DED; tasks NEW, INP, CPL). */
  workfrontStatus: 'workfront.status.codes',
  /** Workfront PROJ has a numeric `budget` field, in the project's currency (dollars). */
  workfrontBudget: 'workfront.project.budget',
  /** Workfront delivers `newState`/`oldState` as objects, or base64 JSON with `base64Encoding`. */
  workfrontStateEncoding: 'workfront.state.encoding',
  /** Workfront DELETE deliveries carry the deleted object in `oldState`. */
  workfrontDeleteShape: 'workfront.delete.old-state',
  /** Asana custom field values (`number_value`, `date_value.date`, `text_value`). */
  asanaCustomFieldShape: 'asana.custom-field.shape',
  /** Asana projects report `completed` (boolean). */
  asanaProjectCompleted: 'asana.project.completed',
} as const;
export type AssumptionName = (typeof ASSUMPTIONS)[keyof typeof ASSUMPTIONS];

/** A delivery or response contradicted an unconfirmed vendor shape. Never retried (it would fail again). */
export class AssumptionError extends CommandCenterError {
  override code = ErrorCode.DownstreamError;
  constructor(
    readonly assumption: AssumptionName,
    message: string,
  ) {
    super(`${message} (unconfirmed assumption "${assumption}" — see platform-facts)`);
  }
}

/** Counts rejections per assumption, durably (an atomic counter per name). */
export interface AssumptionLedger {
  count(assumption: AssumptionName, detail: string): Promise<void>;
}

/**
 * Logs and counts one contradicted assumption. The count is best effort (a failure to count is
 * logged, never thrown over the rejection itself).
 */
export async function reportAssumption(
  ledger: AssumptionLedger | undefined,
  logger: AppLogger,
  error: AssumptionError,
  context: Record<string, unknown> = {},
): Promise<void> {
  logger.error(
    { event: 'sync_assumption_failed', assumption: error.assumption, code: error.code, ...context },
    error.message,
  );
  try {
    await ledger?.count(error.assumption, error.message);
  } catch (countError) {
    logger.warn({ err: countError, assumption: error.assumption }, 'could not count an assumption failure');
  }
}
