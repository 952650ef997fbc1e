import { describe, expect, it } from 'vitest';
import { classifyAgentError, logAgentFailure } from '../../../../app/services/agent/errors';

const named = (name: string) => Object.assign(new Error(name), { name });

describe('classifyAgentError, the one mapping from an agent failure to log code, retry and user text', () => {
  it.each([
    ['ThrottlingException', 'agent_throttled', true, 'The agent is busy, try again in a minute.'],
    ['ServiceQuotaExceededException', 'agent_throttled', true, 'The agent is busy'],
    ['InternalServerException', 'agent_unavailable', true, 'unavailable right now'],
    ['AccessDeniedException', 'agent_access_denied', false, 'not set up correctly'],
    ['ResourceNotFoundException', 'agent_not_found', false, 'not set up correctly'],
    ['ValidationException', 'agent_validation', false, 'not set up correctly'],
    ['DependencyFailedException', 'agent_dependency', false, 'not set up correctly'],
    ['TypeError', 'agent_unknown', false, 'Sorry — I couldn’t finish this answer.'],
  ])('%s → %s (retryable: %s)', (name, code, retryable, userText) => {
    const failure = classifyAgentError(named(name));
    expect(failure).toMatchObject({ code, retryable });
    expect(failure.userText).toContain(userText);
  });

  it('logs what may pass as a warning and configuration problems as errors, with the code', () => {
    const lines: { level: string; fields: unknown }[] = [];
    const logger = {
      warn: (fields: unknown) => void lines.push({ level: 'warn', fields }),
      error: (fields: unknown) => void lines.push({ level: 'error', fields }),
    };
    logAgentFailure(logger, classifyAgentError(named('ThrottlingException')), new Error('x'));
    logAgentFailure(logger, classifyAgentError(named('AccessDeniedException')), new Error('y'));
    expect(lines).toEqual([
      { level: 'warn', fields: { code: 'agent_throttled', agentErrorKind: 'throttled' } },
      { level: 'error', fields: { code: 'agent_access_denied', agentErrorKind: 'access_denied' } },
    ]);
  });
});
