/**
 * Text shared by every writer of user-facing Slack text: the renderers in blocks/ and the services'
 * messages (errors, suggestions). One escaping function and one money format for all of them.
 *
 * Which helper a user-supplied string (a campaign, team or task name, a description, a reason, an
 * audience, typed command text, a Workfront/Asana name, a model's parameter) goes through depends on
 * the field it lands in, never on where the string came from:
 *
 * - **mrkdwn** — section and context text, fields, confirm text, and every message's top-level `text`
 *   (the notification/fallback, which Slack parses as mrkdwn too): `escapeMrkdwn(userText)`, once, at
 *   the point the string is written into mrkdwn. Slack reads `<…>` there as a mention, a channel, a
 *   broadcast (`<!channel>`, `<!here>`) or a link, so a name must never bring its own.
 * - **plain_text** — headers, button and option text, modal titles, input values, image alt text:
 *   `plainText(userText)`. Slack parses nothing there, so escaping would show `&amp;` literally.
 * - The bot's own mentions come from `userMention`, `channelMention` and `userGroupMention`, which
 *   accept only id shapes (`U…`/`W…`, `C…`/`G…`/`D…`, `S…`); anything else is shown as escaped text.
 *
 * Both helpers strip Unicode bidi embedding/override/isolate controls (U+202A–U+202E, U+2066–U+2069):
 * they let a name display reversed or reorder the text around it ("Trojan Source" spoofing).
 * Service messages that end up in mrkdwn (a `UserFacingError`'s message, an agent action's result)
 * are mrkdwn too: they escape what they quote from data, so their readers show them as they are.
 */

/** Bidi embedding, override and isolate controls (not the LRM/RLM marks that real RTL text needs). */
const BIDI_CONTROLS = /[\u202A-\u202E\u2066-\u2069]/g;

/** Removes Unicode bidi embedding, override and isolate controls. */
export function stripBidi(text: string): string {
  return text.replace(BIDI_CONTROLS, '');
}

/**
 * The one escaping function for user-supplied text in mrkdwn (blocks and `text`): strips bidi
 * controls and escapes the three characters Slack treats specially (and nothing else,
 * platform-facts §3). Apply it exactly once: escaping escaped text shows `&amp;amp;`.
 */
export function escapeMrkdwn(text: string): string {
  return stripBidi(text).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** User-supplied text for a `plain_text` object: bidi controls stripped, nothing escaped. */
export function plainText(text: string): string {
  return stripBidi(text);
}

/**
 * Text typed in Slack (a slash command's text, a message) as the person typed it: Slack sends `&`,
 * `<` and `>` that were typed literally as `&amp;`, `&lt;` and `&gt;` (its own entities stay `<…>`).
 * Decoded once at the edge, so it is escaped exactly once when it is shown again.
 */
export function fromSlackText(text: string): string {
  return text.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
}

/** Slack id shapes the bot may mention: users (`U…`, `W…` on Enterprise Grid), channels, user groups. */
export const SLACK_ID_SHAPES = {
  user: /^[UW][A-Z0-9]{2,20}$/,
  channel: /^[CGD][A-Z0-9]{2,20}$/,
  userGroup: /^S[A-Z0-9]{2,20}$/,
} as const;

/** `<@U…>` for a user id; anything not shaped like one is shown as escaped text, never as markup. */
export function userMention(id: string): string {
  return SLACK_ID_SHAPES.user.test(id) ? `<@${id}>` : escapeMrkdwn(id);
}

/** `<#C…>` for a channel id; anything else is shown as escaped text. */
export function channelMention(id: string): string {
  return SLACK_ID_SHAPES.channel.test(id) ? `<#${id}>` : escapeMrkdwn(id);
}

/** `<!subteam^S…>` for a user-group id (notifies the group); anything else is shown as escaped text. */
export function userGroupMention(id: string): string {
  return SLACK_ID_SHAPES.userGroup.test(id) ? `<!subteam^${id}>` : escapeMrkdwn(id);
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
