import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SESSION_ID_PATTERN, sessionIdFor, toSessionId } from '../../../../app/services/agent/session-id';

describe('sessionIdFor', () => {
  it('keeps a readable id for ordinary Slack threads', () => {
    expect(sessionIdFor({ teamId: 'T123', channelId: 'C123', threadTs: '1732240000.000100' })).toBe(
      'T123.C123.1732240000.000100',
    );
    expect(sessionIdFor({ teamId: 'T123', channelId: 'D123' })).toBe('T123.D123.dm');
  });

  it('always yields a valid Bedrock session id (2–100 chars of [0-9a-zA-Z._:-])', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 300 }), (raw) => {
        expect(toSessionId(raw)).toMatch(SESSION_ID_PATTERN);
      }),
    );
  });

  it('is deterministic and does not merge different conversations', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 200 }), fc.string({ maxLength: 200 }), (a, b) => {
        expect(toSessionId(a)).toBe(toSessionId(a));
        if (a !== b) expect(toSessionId(a)).not.toBe(toSessionId(b));
      }),
    );
  });
});
