/**
 * Coded errors, after bolt-js `src/errors.ts`: every failure carries a stable `code`, so the one
 * error hook (and the logs) can tell them apart, and `asCodedError()` guarantees a code on anything.
 */
export enum ErrorCode {
  ConfigError = 'cc_config_error',
  UserFacingError = 'cc_user_facing_error',
  ValidationError = 'cc_validation_error',
  NotFoundError = 'cc_not_found_error',
  ConflictError = 'cc_conflict_error',
  StoreError = 'cc_store_error',
  SlackApiError = 'cc_slack_api_error',
  DownstreamError = 'cc_downstream_error',
  PolicyError = 'cc_policy_error',
  AuthorizationError = 'cc_authorization_error',
  DeliveryInProgressError = 'cc_delivery_in_progress_error',
  UnknownError = 'cc_unknown_error',
}

export interface CodedError extends Error {
  code: ErrorCode;
}

/** Base class: sets `name`, carries `cause`, has a code. */
export class CommandCenterError extends Error implements CodedError {
  code: ErrorCode = ErrorCode.UnknownError;
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** Configuration is missing or malformed; the message names the variable. */
export class ConfigError extends CommandCenterError {
  override code = ErrorCode.ConfigError;
}

/**
 * An error whose message is safe and useful to show the user as is (ephemeral).
 * Everything else is logged with its code and the user sees a short message with a reference id.
 * The message is Slack mrkdwn: whoever writes it escapes what it quotes from data or input with
 * `escapeMrkdwn` (app/domain/text.ts), so every reader can show it without escaping it again.
 */
export class UserFacingError extends CommandCenterError {
  override code = ErrorCode.UserFacingError;
}

/**
 * Input failed validation. `fields` maps a field (or block id) to its message, for inline modal errors
 * (plain text: Slack shows them as typed, so they are not escaped).
 */
export class ValidationError extends UserFacingError {
  override code = ErrorCode.ValidationError;
  constructor(
    message: string,
    readonly fields: Record<string, string> = {},
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

export class NotFoundError extends UserFacingError {
  override code = ErrorCode.NotFoundError;
}

/** A conditional write lost: somebody else changed the item first (optimistic version or exactly-once guard). */
export class ConflictError extends CommandCenterError {
  override code = ErrorCode.ConflictError;
}

export class StoreError extends CommandCenterError {
  override code = ErrorCode.StoreError;
}

export class SlackApiError extends CommandCenterError {
  override code = ErrorCode.SlackApiError;
}

/** Workfront, Asana, Bedrock or Scheduler failed. `retryable` tells the job runner whether to try again. */
export class DownstreamError extends CommandCenterError {
  override code = ErrorCode.DownstreamError;
  constructor(
    message: string,
    readonly service: string,
    readonly retryable: boolean,
    options?: { cause?: unknown; status?: number },
  ) {
    super(message, options);
    this.status = options?.status;
  }
  readonly status: number | undefined;
}

/** A policy blocks the action; the message is the policy's and is shown to the user. */
export class PolicyError extends UserFacingError {
  override code = ErrorCode.PolicyError;
}

/** The caller may not do this (e.g. approve their own request); shown to the user. */
export class AuthorizationError extends UserFacingError {
  override code = ErrorCode.AuthorizationError;
}

/**
 * A duplicate of a Slack delivery whose first copy is still being handled (its claim has not
 * expired): the receiver answers 409 so that Slack retries it later, when it is either finished
 * (then acknowledged as a duplicate) or its claim has expired (then it runs).
 */
export class DeliveryInProgressError extends CommandCenterError {
  override code = ErrorCode.DeliveryInProgressError;
}

/** Whether `error` (or the error Bolt wrapped it in, as `original`) is a `DeliveryInProgressError`. */
export function isDeliveryInProgress(error: unknown): boolean {
  if (error instanceof DeliveryInProgressError) return true;
  const original = (error as { original?: unknown } | null)?.original;
  return original instanceof DeliveryInProgressError;
}

/** Anything thrown becomes a coded error, keeping the original as `cause`. */
export function asCodedError(error: unknown): CodedError {
  if (error instanceof CommandCenterError) return error;
  if (error instanceof Error && typeof (error as Partial<CodedError>).code === 'string') {
    return error as CodedError;
  }
  const wrapped = new CommandCenterError(error instanceof Error ? error.message : String(error), {
    cause: error,
  });
  return wrapped;
}

export function isUserFacing(error: unknown): error is UserFacingError {
  return error instanceof UserFacingError;
}
