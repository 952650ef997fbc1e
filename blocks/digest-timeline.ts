import { addDays, daysBetween, isoWeekday } from '../app/domain/calendar';
import { type DigestContent, TIMELINE_DAYS } from '../app/domain/digest-content';
import { plainText } from '../app/domain/text';
import { shortDay } from './dates';
import { truncate } from './text';

/**
 * The digest's picture: the launches of the next 14 days on a calendar strip, as SVG (rasterised to
 * PNG by the scheduled function), with alt text saying the same in words. Pure.
 *
 * One row per launch (earliest first), a marker on its day — red when the campaign is at risk —
 * and weekends shaded. At most `TIMELINE_ROWS` rows; the rest are counted in the last row.
 */

export const TIMELINE_ROWS = 12;
/** Slack's limit for an image description (`alt_txt`). */
export const ALT_TEXT_MAX = 1000;
/** The font the rasteriser is given (shipped with the scheduled bundle). */
const TIMELINE_FONT_FAMILY = 'Inter';

const WIDTH = 960;
const LABEL_WIDTH = 300;
const HEADER = 52;
const ROW = 30;
const PAD = 16;

const COLORS = {
  background: '#ffffff',
  text: '#1d1c1d',
  muted: '#616061',
  grid: '#e8e8e8',
  weekend: '#f6f6f6',
  today: '#1264a3',
  launch: '#2bac76',
  risk: '#e01e5a',
} as const;

/** XML-escapes text for an SVG text node (bidi controls stripped, as in every name we show). */
function xml(text: string): string {
  return plainText(text)
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;');
}

export interface TimelineDrawing {
  svg: string;
  width: number;
  height: number;
  altText: string;
  title: string;
}

/** The drawing, or `undefined` when nothing launches in the next 14 days. */
export function timelineDrawing(
  content: Pick<DigestContent, 'timeline' | 'localDate' | 'locale' | 'teamNames'>,
): TimelineDrawing | undefined {
  const today = content.localDate;
  const last = addDays(today, TIMELINE_DAYS - 1);
  const items = content.timeline
    .filter((item) => item.launchDate >= today && item.launchDate <= last)
    .sort((a, b) => a.launchDate.localeCompare(b.launchDate) || a.name.localeCompare(b.name));
  if (items.length === 0) return undefined;
  const shown = items.length > TIMELINE_ROWS ? items.slice(0, TIMELINE_ROWS - 1) : items;
  const hidden = items.length - shown.length;
  const rows = shown.length + (hidden > 0 ? 1 : 0);
  const height = HEADER + rows * ROW + PAD * 2;
  const dayWidth = (WIDTH - LABEL_WIDTH - PAD) / TIMELINE_DAYS;
  const x = (offset: number) => LABEL_WIDTH + offset * dayWidth;
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${height}" viewBox="0 0 ${WIDTH} ${height}" font-family="${TIMELINE_FONT_FAMILY}">`,
    `<rect width="${WIDTH}" height="${height}" fill="${COLORS.background}"/>`,
  ];
  for (let offset = 0; offset < TIMELINE_DAYS; offset++) {
    const day = addDays(today, offset);
    const weekday = isoWeekday(day);
    if (weekday >= 6) {
      parts.push(
        `<rect x="${x(offset)}" y="${PAD}" width="${dayWidth}" height="${height - PAD * 2}" fill="${COLORS.weekend}"/>`,
      );
    }
    parts.push(
      `<line x1="${x(offset)}" y1="${PAD}" x2="${x(offset)}" y2="${height - PAD}" stroke="${COLORS.grid}"/>`,
    );
    const label = shortDay(day, today, content.locale);
    parts.push(
      `<text x="${x(offset) + dayWidth / 2}" y="${PAD + 18}" font-size="11" text-anchor="middle" fill="${offset === 0 ? COLORS.today : COLORS.muted}">${xml(label)}</text>`,
    );
  }
  parts.push(
    `<line x1="${x(0)}" y1="${PAD + 26}" x2="${x(0)}" y2="${height - PAD}" stroke="${COLORS.today}" stroke-width="2"/>`,
    `<text x="${PAD}" y="${PAD + 18}" font-size="15" font-weight="bold" fill="${COLORS.text}">Launches, next ${TIMELINE_DAYS} days</text>`,
  );
  shown.forEach((item, index) => {
    const y = HEADER + PAD + index * ROW;
    const offset = daysBetween(today, item.launchDate);
    const color = item.atRisk ? COLORS.risk : COLORS.launch;
    parts.push(
      `<line x1="${PAD}" y1="${y + ROW - 4}" x2="${WIDTH - PAD}" y2="${y + ROW - 4}" stroke="${COLORS.grid}"/>`,
      `<text x="${PAD}" y="${y + ROW / 2 + 5}" font-size="13" fill="${COLORS.text}">${xml(truncate(item.name, 40))}</text>`,
      `<rect x="${x(0)}" y="${y + ROW / 2 - 1}" width="${Math.max(0, x(offset) - x(0))}" height="2" fill="${color}" opacity="0.35"/>`,
      `<circle cx="${x(offset) + dayWidth / 2}" cy="${y + ROW / 2}" r="8" fill="${color}"/>`,
    );
  });
  if (hidden > 0) {
    const y = HEADER + PAD + shown.length * ROW;
    parts.push(
      `<text x="${PAD}" y="${y + ROW / 2 + 5}" font-size="13" fill="${COLORS.muted}">…and ${hidden} more launches</text>`,
    );
  }
  parts.push(
    // Legend, under the title (left of the calendar).
    `<circle cx="${PAD + 6}" cy="${PAD + 36}" r="6" fill="${COLORS.launch}"/>`,
    `<text x="${PAD + 18}" y="${PAD + 41}" font-size="12" fill="${COLORS.muted}">launch</text>`,
    `<circle cx="${PAD + 86}" cy="${PAD + 36}" r="6" fill="${COLORS.risk}"/>`,
    `<text x="${PAD + 98}" y="${PAD + 41}" font-size="12" fill="${COLORS.muted}">at risk</text>`,
    '</svg>',
  );
  const title = `Launch timeline ${shortDay(today, today, content.locale)} – ${shortDay(last, today, content.locale)}`;
  return {
    svg: parts.join(''),
    width: WIDTH,
    height,
    altText: timelineAltText(items, today, content.locale),
    title,
  };
}

/** The picture in words (≤ 1000 characters): every launch and its day, at-risk ones marked. */
function timelineAltText(items: DigestContent['timeline'], today: string, locale: string): string {
  const last = addDays(today, TIMELINE_DAYS - 1);
  const head = `Launch timeline from ${shortDay(today, today, locale)} to ${shortDay(last, today, locale)}: ${items.length} launch${items.length === 1 ? '' : 'es'}.`;
  const parts: string[] = [];
  let length = head.length;
  for (const [index, item] of items.entries()) {
    const part = ` ${plainText(item.name)} on ${shortDay(item.launchDate, today, locale)}${item.atRisk ? ' (at risk)' : ''};`;
    const rest = items.length - index;
    if (length + part.length + 20 > ALT_TEXT_MAX) {
      parts.push(` and ${rest} more.`);
      break;
    }
    parts.push(part);
    length += part.length;
  }
  return truncate(`${head}${parts.join('')}`, ALT_TEXT_MAX);
}
