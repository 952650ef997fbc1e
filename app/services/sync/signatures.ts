import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Webhook authenticity checks, constant-time.
 *
 * Asana: `X-Hook-Signature` = HMAC-SHA256 of the full raw body keyed with the handshake secret.
 * Hex encoding is UNCONFIRMED (platform-facts §6): a signature that matches only in base64 is
 * reported as `base64` (the caller rejects it and counts the contradicted assumption by name).
 *
 * Workfront: the subscription's `authToken`, carried in `Authorization` — as `Bearer <token>` or
 * bare (UNCONFIRMED which; both accepted, the form is reported).
 */
export type AsanaSignatureCheck = 'valid' | 'invalid' | 'valid_base64';

export function checkAsanaSignature(rawBody: Buffer, secret: string, header: string): AsanaSignatureCheck {
  const mac = createHmac('sha256', secret).update(rawBody).digest();
  const given = header.trim();
  if (/^[0-9a-fA-F]{64}$/.test(given) && timingSafeEqual(mac, Buffer.from(given, 'hex'))) return 'valid';
  if (/^[A-Za-z0-9+/]{43}=$/.test(given) && timingSafeEqual(mac, Buffer.from(given, 'base64'))) {
    return 'valid_base64';
  }
  return 'invalid';
}

export type TokenForm = 'bearer' | 'bare';

/** Compares the `Authorization` value with the configured token (hashes first, so lengths leak nothing). */
export function checkWorkfrontToken(
  authorization: string | undefined,
  expected: string,
): { ok: true; form: TokenForm } | { ok: false; reason: 'missing' | 'mismatch' } {
  if (!authorization || authorization.trim() === '') return { ok: false, reason: 'missing' };
  const value = authorization.trim();
  const bearer = /^bearer\s+(.+)$/i.exec(value);
  const token = bearer?.[1]?.trim() ?? value;
  const a = createHash('sha256').update(token).digest();
  const b = createHash('sha256').update(expected).digest();
  return timingSafeEqual(a, b)
    ? { ok: true, form: bearer ? 'bearer' : 'bare' }
    : { ok: false, reason: 'mismatch' };
}

/** A stable key for JSON content (sha256 of its canonical text, key order ignored). */
export function contentKey(value: unknown): string {
  return createHash('sha256').update(canonicalJson(value)).digest('hex').slice(0, 40);
}

function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) =>
      a < b ? -1 : a > b ? 1 : 0,
    );
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value ?? null);
}
