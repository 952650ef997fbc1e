/**
 * The reply guardrail (DESIGN.md "Policies": no SSN, card number or personal address in any reply).
 * Runs on every text the bot is about to post — streamed updates included — before it reaches
 * Slack. Deliberately conservative: a street address cannot be told apart from a business one by
 * its shape, so every street address is redacted; the visible note tells the reader why.
 * Bedrock Guardrails can run in the agent too; this check is ours and runs regardless.
 */
export interface GuardrailResult {
  text: string;
  redactions: { ssn: number; card: number; address: number };
  /** A short, visible note when anything was removed; undefined otherwise. */
  note: string | undefined;
}

// 3-2-4 digits with the same separator (dash, space or dot), excluding numbers the SSA never issues.
const SSN_SEPARATED = /\b(?!000|666|9\d\d)\d{3}([- .])(?!00)\d{2}\1(?!0000)\d{4}\b/g;
// Nine digits in a row only count when an SSN keyword precedes them (otherwise too many false hits).
const SSN_LABELLED =
  /\b(SSN|social security(?: number| no\.?)?)(\s*(?:#|:|is)?\s*)(?!000|666|9\d\d)\d{9}\b/gi;
// 13–19 digits, optionally grouped by single spaces or dashes.
const CARD_CANDIDATE = /\b\d(?:[ -]?\d){12,18}\b/g;

const STREET_SUFFIX =
  'Street|St|Avenue|Ave|Road|Rd|Boulevard|Blvd|Lane|Ln|Drive|Dr|Court|Ct|Way|Place|Pl|Terrace|Ter|Circle|Cir|Parkway|Pkwy|Highway|Hwy|Square|Sq|Trail|Trl|Alley|Loop|Row';
const UNIT = String.raw`(?:,?\s+(?:Apt|Apartment|Suite|Ste|Unit|Fl|Floor|#)\.?\s*[A-Za-z0-9-]+)?`;
const CITY_STATE_ZIP = String.raw`(?:,\s*[A-Z][A-Za-z .'-]+,\s*[A-Z]{2}(?:\s+\d{5}(?:-\d{4})?)?)?`;
const STREET_ADDRESS = new RegExp(
  String.raw`\b\d{1,6}[A-Za-z]?\s+(?:(?:N|S|E|W|NE|NW|SE|SW|North|South|East|West)\.?\s+)?(?:[A-Z0-9][A-Za-z0-9'.-]*\s+){1,4}(?:${STREET_SUFFIX})\b\.?${UNIT}${CITY_STATE_ZIP}`,
  'g',
);
const PO_BOX = /\bP\.?\s?O\.?\s+Box\s+\d{1,8}\b/gi;

/** The Luhn checksum used by payment card numbers. */
export function luhnValid(digits: string): boolean {
  if (!/^\d{13,19}$/.test(digits)) return false;
  let sum = 0;
  let double = false;
  for (let i = digits.length - 1; i >= 0; i -= 1) {
    let d = digits.charCodeAt(i) - 48;
    if (double) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
    double = !double;
  }
  return sum % 10 === 0;
}

/** Redacts SSNs, Luhn-valid card numbers and street addresses from `text`. Pure. */
export function applyGuardrail(text: string): GuardrailResult {
  const redactions = { ssn: 0, card: 0, address: 0 };
  let out = text.replace(CARD_CANDIDATE, (match) => {
    if (!luhnValid(match.replace(/[ -]/g, ''))) return match;
    redactions.card += 1;
    return '[card number removed]';
  });
  out = out.replace(SSN_SEPARATED, () => {
    redactions.ssn += 1;
    return '[SSN removed]';
  });
  out = out.replace(SSN_LABELLED, (_match, label: string, gap: string) => {
    redactions.ssn += 1;
    return `${label}${gap}[SSN removed]`;
  });
  out = out.replace(STREET_ADDRESS, () => {
    redactions.address += 1;
    return '[address removed]';
  });
  out = out.replace(PO_BOX, () => {
    redactions.address += 1;
    return '[address removed]';
  });
  const parts: string[] = [];
  if (redactions.ssn > 0) parts.push(plural(redactions.ssn, 'Social Security number'));
  if (redactions.card > 0) parts.push(plural(redactions.card, 'card number'));
  if (redactions.address > 0) parts.push(plural(redactions.address, 'street address', 'street addresses'));
  const note =
    parts.length > 0
      ? `:lock: Removed from this answer for privacy: ${parts.join(', ')}. Command Center never posts personal data.`
      : undefined;
  return { text: out, redactions, note };
}

function plural(count: number, one: string, many = `${one}s`): string {
  return `${count} ${count === 1 ? one : many}`;
}

/**
 * The part of a still-streaming answer that is safe to show now. A card number, SSN or street
 * address cut by a chunk boundary ("card 4111 1111 …") matches no pattern yet, so its first
 * digits would reach Slack in a progress update. While the unfinished sentence (text after the
 * last line break or sentence end) holds a digit, it is held back until it is complete; the final
 * answer always shows everything, redacted as a whole.
 */
export function streamSafePrefix(partial: string): string {
  let boundary = partial.lastIndexOf('\n');
  for (const match of partial.matchAll(/[.!?:;](?=\s)/g)) {
    if (match.index > boundary) boundary = match.index;
  }
  const tail = partial.slice(boundary + 1);
  return /\d/.test(tail) ? partial.slice(0, boundary + 1) : partial;
}
