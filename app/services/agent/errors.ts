import type { AppLogger } from '../../logger';

/**
 * Bedrock Agent Runtime failures, sorted by what the user and the admin should see
 * (platform-facts §8 "Errors"). Throttling is worth retrying; access, missing resources, bad
 * requests and broken dependencies are configuration problems an admin must fix.
 */
type AgentErrorKind =
  | 'throttled'
  | 'access_denied'
  | 'not_found'
  | 'validation'
  | 'dependency'
  | 'unavailable'
  | 'unknown';

/** Everything a failed agent call means, from one mapping: the log line's code, the retry, the user's text. */
export interface AgentFailure {
  kind: AgentErrorKind;
  /** Stable code for the admin's log line, e.g. `agent_access_denied`. */
  code: string;
  /** Worth another attempt later (the job's backoff): throttling and outages. */
  retryable: boolean;
  /** What the user reads: plain, no stack, no ids. */
  userText: string;
}

const BY_NAME: Record<string, AgentErrorKind> = {
  ThrottlingException: 'throttled',
  ServiceQuotaExceededException: 'throttled',
  AccessDeniedException: 'access_denied',
  ResourceNotFoundException: 'not_found',
  ValidationException: 'validation',
  DependencyFailedException: 'dependency',
  BadGatewayException: 'unavailable',
  InternalServerException: 'unavailable',
  ModelNotReadyException: 'unavailable',
  ConflictException: 'unavailable',
};

const MISCONFIGURED =
  'The agent is not set up correctly, so I can’t answer right now. An admin has been told (see the logs for the error code).';

const USER_TEXT: Record<AgentErrorKind, string> = {
  throttled: 'The agent is busy, try again in a minute.',
  access_denied: MISCONFIGURED,
  not_found: MISCONFIGURED,
  validation: MISCONFIGURED,
  dependency: MISCONFIGURED,
  unavailable: 'The agent is unavailable right now. Try again in a few minutes.',
  unknown: 'Sorry — I couldn’t finish this answer. Please try again in a moment.',
};

/**
 * The one mapping from anything thrown by InvokeAgent (or met as an exception event in its stream,
 * or failing an agent job for good) to what it means: kind, log code, retry and the user's text.
 */
export function classifyAgentError(error: unknown): AgentFailure {
  const name = error instanceof Error ? error.name : '';
  const kind = BY_NAME[name] ?? 'unknown';
  return {
    kind,
    code: `agent_${kind}`,
    retryable: kind === 'throttled' || kind === 'unavailable',
    userText: USER_TEXT[kind],
  };
}

/**
 * The admin's log line for a failed agent call: `code` (`agent_<kind>`) and `agentErrorKind`, as a
 * warning when it may pass (throttling, an outage), else as an error pointing at the configuration.
 */
export function logAgentFailure(
  logger: Pick<AppLogger, 'warn' | 'error'>,
  failure: AgentFailure,
  error: Error,
  fields: Record<string, unknown> = {},
): void {
  const line = { ...fields, code: failure.code, agentErrorKind: failure.kind };
  if (failure.retryable) logger.warn(line, error, 'agent call failed');
  else logger.error(line, error, 'agent call failed: check the agent configuration and IAM permissions');
}
