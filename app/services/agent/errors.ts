/**
 * Bedrock Agent Runtime failures, sorted by what the user and the admin should see
 * (platform-facts §8 "Errors"). Throttling is worth retrying; access, missing resources, bad
 * requests and broken dependencies are configuration problems an admin must fix.
 */
export type AgentErrorKind =
  | 'throttled'
  | 'access_denied'
  | 'not_found'
  | 'validation'
  | 'dependency'
  | 'unavailable'
  | 'unknown';

export interface ClassifiedAgentError {
  kind: AgentErrorKind;
  /** Stable code for the admin's log line, e.g. `agent_access_denied`. */
  code: string;
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

/** Classifies anything thrown by InvokeAgent (or met as an exception event in its stream). */
export function classifyAgentError(error: unknown): ClassifiedAgentError {
  const name = error instanceof Error ? error.name : '';
  const kind = BY_NAME[name] ?? 'unknown';
  return { kind, code: `agent_${kind}` };
}

/** Worth another attempt later (the job's backoff). */
export function isRetryableAgentError(kind: AgentErrorKind): boolean {
  return kind === 'throttled' || kind === 'unavailable';
}

/** What the user reads for each kind: plain, no stack, no ids. */
export function userMessageFor(kind: AgentErrorKind): string {
  switch (kind) {
    case 'throttled':
      return 'The agent is busy, try again in a minute.';
    case 'access_denied':
    case 'not_found':
    case 'validation':
    case 'dependency':
      return 'The agent is not set up correctly, so I can’t answer right now. An admin has been told (see the logs for the error code).';
    case 'unavailable':
      return 'The agent is unavailable right now. Try again in a few minutes.';
    default:
      return 'Something went wrong while answering. Try again in a moment.';
  }
}
