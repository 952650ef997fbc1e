import type { KnownBlock, SectionBlock } from '@slack/types';
import type { DigestChangeItem, DigestContent } from '../app/domain/digest-content';
import { isEmptyDigest } from '../app/domain/digest-content';
import type { RenderedMessage } from '../app/domain/rendered-message';
import { escapeMrkdwn, formatUsd, userMention } from '../app/domain/text';
import { approvalSummaryLine } from './approval-list';
import { decisionButtons, userRef } from './approval-message';
import { statusText } from './campaign-card';
import { absoluteDay, dateStyle, instant, relativeDay, shortDayWithRelative } from './dates';
import { LIMITS, link, truncate } from './text';

/**
 * A channel's digest as one message, within Slack's limits: at most 50 blocks, every text within
 * its limit (sections ≤ 3000 characters, header ≤ 150). Each topic is one section of lines; a topic
 * that does not fit ends with "…and N more" (linking to App Home when the workspace is known).
 * Pending approvals get their buttons (the same ones as in the approvers' channel, authorised at
 * click time), for the first few. The fallback `text` summarises the counts. Pure.
 */

/** Lines listed per topic before "…and N more". */
export const DIGEST_LINES_PER_TOPIC = 8;
/** Pending approvals shown with their buttons (two blocks each). */
export const DIGEST_APPROVALS_WITH_BUTTONS = 5;
/** Block id prefix of a digest's approval buttons (followed by the approval id). */
const DIGEST_APPROVAL_BLOCK_PREFIX = 'digest_approval:';

function plural(count: number, one: string, many = `${one}s`): string {
  return `${count} ${count === 1 ? one : many}`;
}

/** A link when there is a URL (`link` only links http(s), slack:// and mailto:), else the escaped label. */
function maybeLink(url: string | undefined, label: string): string {
  return url ? link(url, label) : escapeMrkdwn(label);
}

/**
 * One topic as a section: a bold title with its count, then lines until the limit (line count or
 * 3000 characters), then "…and N more" for the rest.
 */
function topic(title: string, total: number, lines: string[], moreUrl: string | undefined): SectionBlock {
  const head = `*${title} (${total})*`;
  const shown: string[] = [];
  const reserve = 120; // room for the "…and N more" line
  let length = head.length;
  for (const line of lines.slice(0, DIGEST_LINES_PER_TOPIC)) {
    const bounded = truncate(line, 600);
    if (length + 1 + bounded.length > LIMITS.sectionText - reserve) break;
    shown.push(bounded);
    length += 1 + bounded.length;
  }
  const hidden = total - shown.length;
  const more =
    hidden > 0 ? [`_…and ${hidden} more${moreUrl ? ` — ${link(moreUrl, 'see App Home')}` : ''}_`] : [];
  return {
    type: 'section',
    text: { type: 'mrkdwn', text: truncate([head, ...shown, ...more].join('\n'), LIMITS.sectionText) },
  };
}

function changeLine(change: DigestChangeItem, content: DigestContent, now: Date): string {
  const when = instant(change.at, dateStyle({ locale: content.locale, timeZone: content.timeZone }), now);
  if (change.kind === 'budget') {
    return `• Budget of *${escapeMrkdwn(change.campaignName)}* ${formatUsd(change.fromCents)} → ${formatUsd(change.toCents)}${change.by ? ` by ${userRef(change.by)}` : ''} · ${when}`;
  }
  const { approval } = change;
  const what =
    approval.kind === 'budget_change'
      ? `budget change ${approval.previousBudgetCents !== undefined ? `${formatUsd(approval.previousBudgetCents)} → ` : ''}${formatUsd(approval.budgetCents)}`
      : `new campaign (${formatUsd(approval.budgetCents)})`;
  const name = maybeLink(approval.permalink, approval.campaignName);
  const by = approval.decidedBy ? ` by ${userRef(approval.decidedBy)}` : '';
  return `• ${name}: ${what} *${approval.status.toLowerCase()}*${by} · ${when}`;
}

/** The summary of the counts, for notifications and screen readers. */
export function digestFallbackText(content: DigestContent): string {
  const c = content.counts;
  const day = absoluteDay(content.localDate, content.locale);
  const late = content.late ? ' (late)' : '';
  if (isEmptyDigest(content)) return truncate(`Digest for ${day}${late}: all quiet.`, LIMITS.fallbackText);
  return truncate(
    `Digest for ${day}${late}: ${plural(c.launching, 'launch', 'launches')} in the next 7 days, ` +
      `${plural(c.atRisk, 'campaign')} at risk, ${plural(c.overdue, 'overdue task')}, ` +
      `${plural(c.approvals, 'request')} waiting on approval, ${plural(c.conflicts, 'open sync conflict')}, ` +
      `${plural(c.changes, 'change')} since the last digest.`,
    LIMITS.fallbackText,
  );
}

/** The digest message. `now` only decides whether instants show their year. */
export function digestMessage(content: DigestContent, now: Date = new Date(content.asOf)): RenderedMessage {
  const today = content.localDate;
  const locale = content.locale;
  const style = dateStyle({ locale, timeZone: content.timeZone });
  const teams = content.teamNames.length > 0 ? content.teamNames.join(', ') : 'no team yet';
  const blocks: KnownBlock[] = [
    {
      type: 'header',
      text: {
        type: 'plain_text',
        text: truncate(`Digest — ${absoluteDay(today, locale)}`, LIMITS.headerText),
        emoji: true,
      },
    },
  ];
  const context = [`Teams: ${escapeMrkdwn(teams)}`];
  if (content.late) {
    context.unshift(`:hourglass: *Posted late* — it was due ${instant(content.scheduledTime, style, now)}.`);
  }
  blocks.push({
    type: 'context',
    elements: [{ type: 'mrkdwn', text: truncate(context.join(' · '), LIMITS.sectionText) }],
  });

  if (isEmptyDigest(content)) {
    const text =
      content.teamNames.length === 0
        ? ':sunny: All quiet: no team posts its digest in this channel yet (a team’s channel is set on the team).'
        : ':sunny: All quiet: nothing launches in the next 7 days, nothing is at risk, overdue or waiting on approval, and nothing changed since the last digest.';
    blocks.push({ type: 'section', text: { type: 'mrkdwn', text } });
    return { text: digestFallbackText(content), blocks };
  }

  const more = content.appHomeUrl;
  if (content.launching.length > 0) {
    blocks.push(
      topic(
        ':rocket: Launching in the next 7 days',
        content.launching.length,
        content.launching.map(
          (c) =>
            `• *${maybeLink(c.externalProjectUrl, c.name)}* — ${shortDayWithRelative(c.launchDate, today, locale)} · ${statusText(c.status)} · ${userMention(c.ownerSlackId)} · ${formatUsd(c.budgetCents)}`,
        ),
        more,
      ),
    );
  }
  if (content.atRisk.length > 0 || content.overdue.length > 0) {
    const lines = [
      ...content.atRisk.map(
        (c) =>
          `• *${escapeMrkdwn(c.name)}* launches ${relativeDay(c.launchDate, today, locale)} with ${plural(c.openTasks, 'open task')}${c.overdueTasks > 0 ? ` (${c.overdueTasks} overdue)` : ''} · ${userMention(c.ownerSlackId)}`,
      ),
      ...content.overdue.map(
        (t) =>
          `• ${escapeMrkdwn(t.name)} (*${escapeMrkdwn(t.campaignName)}*) — ${plural(t.daysLate, 'day')} late${t.ownerSlackId ? ` · ${userMention(t.ownerSlackId)}` : ' · unassigned'}`,
      ),
    ];
    blocks.push(topic(':warning: At risk', content.atRisk.length + content.overdue.length, lines, more));
  }
  if (content.approvals.length > 0) {
    const shown = content.approvals.slice(0, DIGEST_APPROVALS_WITH_BUTTONS);
    blocks.push(
      topic(
        ':hourglass_flowing_sand: Waiting on approval',
        content.approvals.length,
        [],
        content.approvals.length > shown.length ? more : undefined,
      ),
    );
    for (const approval of shown) {
      blocks.push({
        type: 'section',
        text: { type: 'mrkdwn', text: truncate(approvalSummaryLine(approval), LIMITS.sectionText) },
      });
      blocks.push(
        decisionButtons(approval, `${DIGEST_APPROVAL_BLOCK_PREFIX}${approval.approvalId}`.slice(0, 255)),
      );
    }
  }
  if (content.conflicts.length > 0) {
    blocks.push(
      topic(
        ':twisted_rightwards_arrows: Open sync conflicts',
        content.conflicts.length,
        content.conflicts.map(
          (c) => `• ${maybeLink(c.link, c.summary)} · since ${instant(c.since, style, now)}`,
        ),
        more,
      ),
    );
  }
  if (content.changes.length > 0) {
    blocks.push(
      topic(
        ':memo: Since the last digest',
        content.changes.length,
        content.changes.map((change) => changeLine(change, content, now)),
        more,
      ),
    );
  }
  return { text: digestFallbackText(content), blocks: blocks.slice(0, LIMITS.messageBlocks) };
}
