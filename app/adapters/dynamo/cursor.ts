import { ValidationError } from '../../errors';

/** A DynamoDB primary/index key as the document client returns it in `LastEvaluatedKey`. */
export type PageKey = Record<string, string | number>;

/** Cursors longer than this are refused before decoding (a real key is a few hundred bytes). */
const MAX_CURSOR_LENGTH = 2048;

/**
 * Opaque pagination cursor: base64url of the JSON `LastEvaluatedKey`. Opaque to callers (Slack
 * `value`s, API clients) so the key layout can change without breaking them; `undefined` when
 * there is no further page.
 */
export function encodeCursor(lastEvaluatedKey: Record<string, unknown> | undefined): string | undefined {
  if (!lastEvaluatedKey || Object.keys(lastEvaluatedKey).length === 0) return undefined;
  return Buffer.from(JSON.stringify(lastEvaluatedKey), 'utf8').toString('base64url');
}

/**
 * Decodes a cursor back into an `ExclusiveStartKey`, refusing anything this query could not have
 * produced: it must hold exactly `keyAttributes` (string or number values), and every attribute in
 * `pinned` must match (a cursor from `status=DRAFT` is not accepted for `status=LAUNCHED`).
 * A bad cursor is the caller's mistake, so it is a `ValidationError` (field `cursor`), never a 500.
 */
export function decodeCursor(
  cursor: string | undefined,
  keyAttributes: readonly string[],
  pinned: Record<string, string> = {},
): PageKey | undefined {
  if (cursor === undefined || cursor === '') return undefined;
  const invalid = (why: string) => new ValidationError(`Invalid page cursor: ${why}`, { cursor: why });
  if (cursor.length > MAX_CURSOR_LENGTH || !/^[A-Za-z0-9_-]+$/.test(cursor)) {
    throw invalid('not a cursor this service issued');
  }
  let decoded: unknown;
  try {
    decoded = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw invalid('not a cursor this service issued');
  }
  if (typeof decoded !== 'object' || decoded === null || Array.isArray(decoded)) {
    throw invalid('not a cursor this service issued');
  }
  const entries = Object.entries(decoded);
  const expected = new Set(keyAttributes);
  if (entries.length !== expected.size || entries.some(([name]) => !expected.has(name))) {
    throw invalid('it belongs to a different listing');
  }
  const key: PageKey = {};
  for (const [name, value] of entries) {
    if (typeof value !== 'string' && typeof value !== 'number') throw invalid('malformed key');
    key[name] = value;
  }
  for (const [name, value] of Object.entries(pinned)) {
    if (key[name] !== value) throw invalid('it belongs to a different listing');
  }
  return key;
}
