import { escapeMrkdwn } from '../app/domain/text';

/**
 * Text helpers for Block Kit: Slack's limits, truncation and links. Pure functions; every renderer
 * uses these rather than slicing strings itself. Escaping and money formatting live in
 * `app/domain/text.ts`, because services write user-facing text too.
 */

/** Slack's limits that renderers must respect (platform-facts §3). */
export const LIMITS = {
  messageBlocks: 50,
  surfaceBlocks: 100,
  sectionText: 3000,
  fieldText: 2000,
  fields: 10,
  headerText: 150,
  contextElements: 10,
  actionsElements: 25,
  buttonText: 75,
  buttonValue: 2000,
  optionText: 75,
  optionValue: 150,
  selectOptions: 100,
  modalTitle: 24,
  privateMetadata: 3000,
  /** chat.postMessage top-level `text` is truncated by Slack past 40,000; keep the fallback short. */
  fallbackText: 3000,
} as const;

/** Truncates to `max` characters (counted as UTF-16 code units, as Slack counts), ending with `…`. */
export function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  let cut = text.slice(0, Math.max(0, max - 1));
  // Do not leave half a surrogate pair.
  const last = cut.charCodeAt(cut.length - 1);
  if (last >= 0xd800 && last <= 0xdbff) cut = cut.slice(0, -1);
  // Nor half an escape (`&am…`), which Slack would show as typed.
  cut = cut.replace(/&(?:a|am|amp|l|lt|g|gt)?$/, '');
  return `${cut}…`;
}

/** URLs a message may link to: web, Slack deep links and mail. Anything else is shown as text. */
const LINKABLE_URL = /^(?:https?:\/\/|slack:\/\/|mailto:)[^\s]+$/i;

/**
 * A Slack link `<url|label>`: the label escaped, and the URL kept from closing or splitting the link
 * (`|`, `<`, `>` percent-encoded). A URL that is not http(s), slack:// or mailto: (a stored value
 * could be anything) is not linked: the label alone is shown.
 */
export function link(url: string, label: string): string {
  const safeLabel = escapeMrkdwn(label).replace(/\|/g, '¦');
  const trimmed = url.trim();
  if (!LINKABLE_URL.test(trimmed) || trimmed.length > 3000) return safeLabel;
  const safeUrl = trimmed.replace(/\|/g, '%7C').replace(/</g, '%3C').replace(/>/g, '%3E');
  return `<${safeUrl}|${safeLabel}>`;
}
