import { describe, expect, it } from 'vitest';
import { decodeCursor, encodeCursor } from '../../../../app/adapters/dynamo/cursor';
import { ValidationError } from '../../../../app/errors';

const KEYS = ['campaignId', 'status', 'launchDate'] as const;
const key = { campaignId: 'cmp-001', status: 'PLANNED', launchDate: '2026-05-01' };

describe('pagination cursors', () => {
  it('round-trips a LastEvaluatedKey through an opaque base64url string', () => {
    const cursor = encodeCursor(key);

    expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(decodeCursor(cursor, KEYS, { status: 'PLANNED' })).toEqual(key);
  });

  it('has no cursor for an absent or empty key, and no start key for an absent cursor', () => {
    expect(encodeCursor(undefined)).toBeUndefined();
    expect(encodeCursor({})).toBeUndefined();
    expect(decodeCursor(undefined, KEYS)).toBeUndefined();
    expect(decodeCursor('', KEYS)).toBeUndefined();
  });

  it.each([
    ['characters outside base64url', 'abc+/='],
    ['base64url that is not JSON', Buffer.from('{not json', 'utf8').toString('base64url')],
    ['JSON that is not an object', Buffer.from('[1,2]', 'utf8').toString('base64url')],
    ['JSON null', Buffer.from('null', 'utf8').toString('base64url')],
    ['missing key attributes', encodeCursor({ campaignId: 'cmp-001' })],
    ['extra key attributes', encodeCursor({ ...key, pk: 'x' })],
    ['nested values', encodeCursor({ ...key, status: { S: 'PLANNED' } })],
    ['an oversized cursor', 'A'.repeat(5000)],
  ])('refuses %s with a ValidationError on the cursor field', (_label, cursor) => {
    const error = (() => {
      try {
        decodeCursor(cursor, KEYS);
        return undefined;
      } catch (e) {
        return e;
      }
    })();

    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).fields).toHaveProperty('cursor');
  });

  it('refuses a cursor whose pinned partition differs from the query', () => {
    expect(() => decodeCursor(encodeCursor(key), KEYS, { status: 'DRAFT' })).toThrow(ValidationError);
  });
});
