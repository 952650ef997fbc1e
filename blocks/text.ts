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
  return `${cut}…`;
}

/** A Slack link `<url|label>` with the label escaped. */
export function link(url: string, label: string): string {
  return `<${url}|${escapeMrkdwn(label).replace(/\|/g, '¦')}>`;
}
