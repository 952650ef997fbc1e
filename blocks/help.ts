import type { KnownBlock } from '@slack/types';
import type { RenderedMessage } from '../app/domain/rendered-message';
import { escapeMrkdwn } from '../app/domain/text';
import { COMMAND } from '../app/ids';
import { LIMITS, truncate } from './text';

export interface HelpEntry {
  name: string;
  usage: string;
  description: string;
}

/** The `/mcc help` message: every subcommand with its usage; for an unknown one, a "did you mean". */
export function helpBlocks(
  entries: readonly HelpEntry[],
  options: { unknown?: string; suggestion?: string | undefined } = {},
): RenderedMessage {
  const blocks: KnownBlock[] = [];
  let text = `Command Center — ${COMMAND} commands`;
  if (options.unknown !== undefined) {
    const unknown = escapeMrkdwn(truncate(options.unknown, 50));
    const didYouMean = options.suggestion ? ` Did you mean \`${COMMAND} ${options.suggestion}\`?` : '';
    text = `I don't know \`${COMMAND} ${unknown}\`.${didYouMean}`;
    blocks.push({
      type: 'section',
      text: { type: 'mrkdwn', text: `:thinking_face: I don't know \`${COMMAND} ${unknown}\`.${didYouMean}` },
    });
  }
  blocks.push({
    type: 'header',
    text: { type: 'plain_text', text: 'Command Center — what you can ask', emoji: true },
  });
  // Usages and descriptions are written as text (`<campaign>` is a placeholder, not Slack markup).
  const lines = entries.map(
    (entry) => `\`${escapeMrkdwn(entry.usage)}\`\n${escapeMrkdwn(entry.description)}`,
  );
  // Sections hold ≤ 3000 characters; spread the list over as many as it needs.
  let current = '';
  for (const line of lines) {
    const next = current ? `${current}\n\n${line}` : line;
    if (next.length > LIMITS.sectionText && current) {
      blocks.push({ type: 'section', text: { type: 'mrkdwn', text: current } });
      current = truncate(line, LIMITS.sectionText);
    } else {
      current = truncate(next, LIMITS.sectionText);
    }
  }
  if (current) blocks.push({ type: 'section', text: { type: 'mrkdwn', text: current } });
  blocks.push({
    type: 'context',
    elements: [
      {
        type: 'mrkdwn',
        text: 'You can also @-mention me in a channel or send me a direct message in plain words.',
      },
    ],
  });
  return { text, blocks: blocks.slice(0, LIMITS.messageBlocks) };
}
