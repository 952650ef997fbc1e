/**
 * Text shared by every writer of user-facing Slack text: the renderers in blocks/ and the services'
 * messages (errors, suggestions). One escaping function and one money format for all of them.
 */

/** Escapes the three characters mrkdwn treats specially (and nothing else). */
export function escapeMrkdwn(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Formats integer cents as US dollars: 1234567 → `$12,345.67`; whole dollars drop the cents. */
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
