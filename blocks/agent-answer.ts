import type { ActionsBlock, ContextBlock, KnownBlock, SectionBlock } from '@slack/types';
import type { AgentRenderer, AnswerView, ConfirmView } from '../app/domain/agent-views';
import type { RenderedMessage } from '../app/domain/rendered-message';
import { escapeMrkdwn, userMention } from '../app/domain/text';
import { ActionIds, BlockIds } from '../app/ids';
import { paginate, splitMrkdwn } from './split';
import { LIMITS, link, truncate } from './text';

/**
 * Block Kit for the agent's messages: the placeholder, streamed progress, the final answer (split
 * across sections and messages within Slack's limits), the confirmation prompt and short notices.
 * Pure: data in, blocks + fallback text out.
 */

const section = (text: string): SectionBlock => ({ type: 'section', text: { type: 'mrkdwn', text } });
const context = (texts: string[]): ContextBlock => ({
  type: 'context',
  elements: texts
    .slice(0, LIMITS.contextElements)
    .map((text) => ({ type: 'mrkdwn' as const, text: truncate(text, LIMITS.sectionText) })),
});

/** The "working…" placeholder. */
export function agentWorkingMessage(): RenderedMessage {
  const text = ':hourglass_flowing_sand: Working on it…';
  return { text, blocks: [context([text])] };
}

/**
 * A partial answer while it streams: the last ~3000 characters would hide the start, so show the
 * start. `status` (a heartbeat, e.g. "still working… (12 s)") replaces the "still writing" line;
 * with no text yet, the status alone is shown.
 */
export function agentProgressMessage(bodyMrkdwn: string, status?: string): RenderedMessage {
  if (bodyMrkdwn.trim() === '' && status) {
    return { text: truncate(status, LIMITS.fallbackText), blocks: [context([status])] };
  }
  const [first = ''] = splitMrkdwn(bodyMrkdwn || '…', LIMITS.sectionText);
  return {
    text: truncate(bodyMrkdwn || 'Working on it…', LIMITS.fallbackText),
    blocks: [section(first), context([status ?? ':writing_hand: Still writing…'])],
  };
}

/** "Answered by" and "Sources" lines for the final answer. */
function attributionLines(view: AnswerView): string[] {
  const lines: string[] = [];
  if (view.collaborators.length > 0) {
    lines.push(
      `:busts_in_silhouette: Answered by ${view.collaborators.map((c) => `*${escapeMrkdwn(c)}*`).join(', ')}`,
    );
  }
  if (view.citations.length > 0) {
    const sources = view.citations.map((citation, index) => {
      const title = truncate(citation.title, 120);
      return `${index + 1}. ${citation.url ? link(citation.url, title) : escapeMrkdwn(title)}`;
    });
    lines.push(`:books: *Sources:* ${sources.join('  ')}`);
  }
  return lines;
}

function trailerBlocks(view: AnswerView): KnownBlock[] {
  const blocks: KnownBlock[] = [];
  const contextLines = [...view.notes, ...attributionLines(view)];
  if (contextLines.length > 0) blocks.push(context(contextLines));
  const buttons: ActionsBlock['elements'] = [];
  if (view.offerNewCampaign) {
    buttons.push({
      type: 'button',
      action_id: ActionIds.openNewCampaign,
      text: { type: 'plain_text', text: 'Create a campaign' },
      style: 'primary',
      value: 'agent',
    });
  }
  if (view.shareAskId) {
    buttons.push({
      type: 'button',
      action_id: ActionIds.agentShare,
      text: { type: 'plain_text', text: 'Share in channel' },
      value: view.shareAskId,
    });
  }
  if (view.feedbackRef) {
    buttons.push(
      {
        type: 'button',
        action_id: ActionIds.agentFeedbackUp,
        text: { type: 'plain_text', text: ':thumbsup: Helpful', emoji: true },
        value: truncate(view.feedbackRef, LIMITS.buttonValue),
        accessibility_label: 'This answer was helpful',
      },
      {
        type: 'button',
        action_id: ActionIds.agentFeedbackDown,
        text: { type: 'plain_text', text: ':thumbsdown: Not helpful', emoji: true },
        value: truncate(view.feedbackRef, LIMITS.buttonValue),
        accessibility_label: 'This answer was not helpful',
      },
    );
  }
  if (buttons.length > 0)
    blocks.push({ type: 'actions', block_id: BlockIds.agentFeedback, elements: buttons });
  return blocks;
}

/** The final answer: ≥ 1 messages of ≤ 50 blocks; attribution, notes and buttons on the last one. */
export function agentAnswerMessages(view: AnswerView): RenderedMessage[] {
  const sections = splitMrkdwn(view.bodyMrkdwn.trim() === '' ? '_(no answer text)_' : view.bodyMrkdwn).map(
    section,
  );
  const trailer = trailerBlocks(view);
  const pages = paginate<KnownBlock>(sections, LIMITS.messageBlocks);
  const last = pages[pages.length - 1] ?? [];
  if (last.length + trailer.length <= LIMITS.messageBlocks) last.push(...trailer);
  else pages.push(trailer);
  return pages.map((blocks, index) => ({
    text:
      index === 0
        ? truncate(view.bodyMrkdwn || 'Answer', LIMITS.fallbackText)
        : `(continued ${index + 1}/${pages.length})`,
    blocks,
  }));
}

/** Confirm / Cancel for return-of-control actions that need the user's agreement. */
export function agentConfirmMessage(view: ConfirmView): RenderedMessage {
  const blocks: KnownBlock[] = [];
  if (view.introMrkdwn.trim() !== '') blocks.push(...splitMrkdwn(view.introMrkdwn).slice(0, 10).map(section));
  for (const call of view.calls.slice(0, 5)) {
    // Titles and parameter lines are the model's words (a name it proposes, a typed value): text.
    const details = call.details.map((line) => `• ${escapeMrkdwn(line)}`).join('\n');
    blocks.push(
      section(truncate(`*${escapeMrkdwn(call.title)}*${details ? `\n${details}` : ''}`, LIMITS.sectionText)),
    );
  }
  blocks.push({
    type: 'actions',
    block_id: BlockIds.agentConfirmation,
    elements: [
      {
        type: 'button',
        action_id: ActionIds.agentConfirm,
        text: { type: 'plain_text', text: 'Confirm' },
        style: 'primary',
        value: view.pendingRef,
      },
      {
        type: 'button',
        action_id: ActionIds.agentCancel,
        text: { type: 'plain_text', text: 'Cancel' },
        style: 'danger',
        value: view.pendingRef,
      },
    ],
  });
  blocks.push(context([`Only ${userMention(view.userId)} can confirm or cancel.`]));
  const titles = view.calls.map((c) => escapeMrkdwn(c.title)).join(', ');
  return { text: truncate(`Please confirm: ${titles}`, LIMITS.fallbackText), blocks };
}

/** A one-line status (error, waiting, cancelled), with an optional context line. */
export function agentNoticeMessage(mrkdwn: string, contextLine?: string): RenderedMessage {
  const blocks: KnownBlock[] = [section(truncate(mrkdwn, LIMITS.sectionText))];
  if (contextLine) blocks.push(context([contextLine]));
  return { text: truncate(mrkdwn, LIMITS.fallbackText), blocks };
}

/**
 * The one "could not start" notice: a mention, a DM or `/mcc ask` whose turn could not be stored
 * (so no job will ever answer) says so where the answer would have been.
 */
export function agentFailedToStartMessage(): RenderedMessage {
  return agentNoticeMessage(':warning: I couldn’t start working on that. Please try again in a moment.');
}

/** The renderer the turn runner uses. */
export const agentRenderer: AgentRenderer = {
  working: agentWorkingMessage,
  progress: agentProgressMessage,
  answer: agentAnswerMessages,
  confirm: agentConfirmMessage,
  notice: agentNoticeMessage,
};
