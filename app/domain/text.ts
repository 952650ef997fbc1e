/**
 * Text shared by every writer of user-facing Slack text: the renderers in blocks/ and the services'
 * messages (errors, suggestions). One escaping function and one money format for all of them.
 */

/** Escapes the three characters mrkdwn treats specially (and nothing else). */
export function escapeMrkdwn(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/**
 * The one dollar format, for every text a person reads (blocks, fallback text, service and error
 * messages, agent answers, digests) and every amount put in an input for them to edit (modals'
 * initial values, which `parseUsdToCents` reads back): integer cents → `$100,000` for whole
 * dollars, `$12,345.67` otherwise (never one decimal, never `.00`).
 */
export function formatUsd(amountCents: number): string {
  const dollars = amountCents / 100;
  const whole = Number.isInteger(dollars);
  return dollars.toLocaleString('en-US', {
    style: 'currency',
    currency: 'USD',
    minimumFractionDigits: whole ? 0 : 2,
    maximumFractionDigits: 2,
  });
}
