/**
 * Hostile text and the scanner that proves it never reaches Slack as markup.
 *
 * `HOSTILE` carries every way a user-supplied string could become Slack markup: broadcasts, a user,
 * channel and group mention, disguised and bare links (web and mail), mentions already escaped once
 * (which must not be decoded into live ones), an ampersand (escaped once, never twice) and Unicode
 * bidi overrides (stripped). The ids and hosts in it are never ones the bot may use, so any of them
 * surfacing as markup is a leak.
 *
 * `scanSlackText` walks anything the bot sends (a rendered message, a modal, a Web API call's
 * arguments, a response_url body, an ack) and classifies every string by the field it is in:
 * - mrkdwn (`{ type: 'mrkdwn', text }`, a message's or an ack's top-level `text`, `initial_comment`):
 *   every `<…>` must be a token the bot itself may write — a mention of an id in `allowed`, a
 *   `<!date^…>`, or a link to an allowed URL; no `<` may be left dangling; no bidi control; no
 *   `&amp;amp;` (escaped twice).
 * - plain text (`{ type: 'plain_text', text }`, `initial_value`, `alt_text`, a file `title`, modal
 *   field errors): Slack parses nothing there, so it must not be escaped (`&amp;` would show
 *   literally) and must carry no bidi control.
 * Identifiers and values Slack does not display (`value`, `action_id`, `private_metadata`, …) are
 * not text and are skipped. The result lists every problem with the path to the offending string.
 */

/** Every kind of markup a name could smuggle in. */
const HOSTILE_PARTS = [
  '<!channel>',
  '<!here>',
  '<!everyone>',
  '<@U0VICTIM>',
  '<#C0SECRET>',
  '<!subteam^S0ALL>',
  '<https://evil.example/pay|click here>',
  '<http://evil.example>',
  '<mailto:boss@evil.example|mail me>',
  '&lt;@U0ESCAPED&gt;',
  '&lt;!subteam^S0ESCAPED&gt;',
  'R&D',
  '\u202Eexe.gnp\u202C',
  '\u2067isolated\u2069',
] as const;

export const HOSTILE = HOSTILE_PARTS.join(' ');

/** A hostile name with a readable head, so each field can be told apart in the output. */
export const hostile = (label: string): string => `${label} ${HOSTILE}`;

/** A hostile name that fits a stored campaign or team name (≤ 150 characters). */
export const hostileName = (label: string): string =>
  `${label} <!channel> <!here> <@U0VICTIM> <#C0SECRET> <!subteam^S0ALL> <https://evil.example|x> &lt;@U0ESC&gt; R&D \u202Eab\u202C`.slice(
    0,
    150,
  );

/** The tokens the bot may write: ids it mentions and where its links go. */
export interface BotTokens {
  users: Iterable<string>;
  channels?: Iterable<string>;
  userGroups?: Iterable<string>;
  /** URL prefixes (scheme and host, e.g. `https://acme.workfront.com/`) the bot links to. */
  urlPrefixes?: Iterable<string>;
}

const BIDI = /[\u202A-\u202E\u2066-\u2069]/;

/** Keys whose string values Slack never displays as text. */
const NOT_TEXT = new Set([
  'type',
  'value',
  'action_id',
  'block_id',
  'callback_id',
  'external_id',
  'private_metadata',
  'channel',
  'user',
  'ts',
  'thread_ts',
  'message_ts',
  'response_type',
  'response_action',
  'url',
  'image_url',
  'style',
  'initial_date',
  'token',
  'trigger_id',
  'view_id',
  'hash',
  'team',
  'id',
  'event_type',
  'file_id',
  'channel_id',
  'channels',
  'filename',
  'svg',
]);

/** Keys whose string values are shown as plain text. */
const PLAIN_KEYS = new Set(['initial_value', 'alt_text', 'alt_txt', 'title', 'altText']);

/** Keys whose string values are mrkdwn (when the object is not a typed text object). */
const MRKDWN_KEYS = new Set(['text', 'initial_comment']);

interface Allowed {
  users: Set<string>;
  channels: Set<string>;
  userGroups: Set<string>;
  urlPrefixes: string[];
}

/** Problems with `payload` as Slack would read it; empty when every string is safe. */
export function scanSlackText(payload: unknown, tokens: BotTokens): string[] {
  const allowed: Allowed = {
    users: new Set(tokens.users),
    channels: new Set(tokens.channels ?? []),
    userGroups: new Set(tokens.userGroups ?? []),
    urlPrefixes: [...(tokens.urlPrefixes ?? [])],
  };
  const problems: string[] = [];
  walk(payload, '$', allowed, problems, false);
  return problems;
}

function walk(value: unknown, path: string, allowed: Allowed, problems: string[], plainMap: boolean): void {
  if (Array.isArray(value)) {
    value.forEach((item, index) => {
      walk(item, `${path}[${index}]`, allowed, problems, false);
    });
    return;
  }
  if (value === null || typeof value !== 'object') return;
  const record = value as Record<string, unknown>;
  const typed = record.type === 'plain_text' || record.type === 'mrkdwn' ? record.type : undefined;
  for (const [key, child] of Object.entries(record)) {
    const at = `${path}.${key}`;
    if (typeof child === 'string') {
      if (plainMap) checkPlain(child, at, problems);
      else if (key === 'text' && typed === 'plain_text') checkPlain(child, at, problems);
      else if (key === 'text' && typed === 'mrkdwn') checkMrkdwn(child, at, allowed, problems);
      else if (MRKDWN_KEYS.has(key)) checkMrkdwn(child, at, allowed, problems);
      else if (PLAIN_KEYS.has(key)) checkPlain(child, at, problems);
      else if (!NOT_TEXT.has(key) && BIDI.test(child)) problems.push(`${at}: bidi control in ${show(child)}`);
      continue;
    }
    // A view_submission's `errors` map: block id → message, shown as plain text under the input.
    walk(child, at, allowed, problems, key === 'errors');
  }
}

function show(text: string): string {
  const escaped = JSON.stringify(text);
  return escaped.length > 160 ? `${escaped.slice(0, 160)}…"` : escaped;
}

function checkPlain(text: string, path: string, problems: string[]): void {
  if (BIDI.test(text)) problems.push(`${path}: bidi control in plain text ${show(text)}`);
  if (text.includes('&amp;'))
    problems.push(`${path}: escaped plain text (Slack shows &amp; as typed) ${show(text)}`);
}

function checkMrkdwn(text: string, path: string, allowed: Allowed, problems: string[]): void {
  if (BIDI.test(text)) problems.push(`${path}: bidi control in mrkdwn ${show(text)}`);
  if (text.includes('&amp;amp;')) problems.push(`${path}: escaped twice (&amp;amp;) ${show(text)}`);
  let index = 0;
  for (;;) {
    const open = text.indexOf('<', index);
    if (open === -1) break;
    const close = text.indexOf('>', open);
    const nextOpen = text.indexOf('<', open + 1);
    if (close === -1 || (nextOpen !== -1 && nextOpen < close)) {
      problems.push(`${path}: a dangling "<" at ${open} in ${show(text)}`);
      index = open + 1;
      continue;
    }
    const inner = text.slice(open + 1, close);
    const why = tokenProblem(inner, allowed);
    if (why) problems.push(`${path}: <${inner}> ${why} in ${show(text)}`);
    index = close + 1;
  }
}

/** Why `<inner>` is not a token the bot may write, or undefined when it is. */
function tokenProblem(inner: string, allowed: Allowed): string | undefined {
  const [target = '', ...label] = inner.split('|');
  if (target.startsWith('@')) {
    return allowed.users.has(target.slice(1)) ? undefined : 'mentions a user the bot did not mean';
  }
  if (target.startsWith('#')) {
    return allowed.channels.has(target.slice(1)) ? undefined : 'links a channel the bot did not mean';
  }
  if (target.startsWith('!subteam^')) {
    return allowed.userGroups.has(target.slice('!subteam^'.length))
      ? undefined
      : 'mentions a user group the bot did not mean';
  }
  if (/^!date\^\d+\^[^|]*$/.test(target) && label.length === 1) return undefined;
  if (target.startsWith('!')) return 'is a broadcast';
  if (/^(https?:\/\/|mailto:|slack:\/\/)/i.test(target)) {
    return allowed.urlPrefixes.some((prefix) => target.startsWith(prefix))
      ? undefined
      : 'links somewhere the bot did not mean';
  }
  return 'is markup the bot never writes';
}

/** Every string in `payload` (for "the hostile text did reach the output" checks). */
export function allStrings(payload: unknown): string[] {
  if (typeof payload === 'string') return [payload];
  if (Array.isArray(payload)) return payload.flatMap(allStrings);
  if (payload === null || typeof payload !== 'object') return [];
  return Object.values(payload).flatMap(allStrings);
}
