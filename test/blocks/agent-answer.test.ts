import type { KnownBlock } from '@slack/types';
import { describe, expect, it } from 'vitest';
import { ActionIds } from '../../app/ids';
import { agentAnswerMessages, agentConfirmMessage, agentProgressMessage } from '../../blocks/agent-answer';

const sectionTexts = (blocks: KnownBlock[]) =>
  blocks.flatMap((b) => (b.type === 'section' && b.text ? [b.text.text] : []));

describe('agentAnswerMessages', () => {
  it('puts a short answer, its notes, attribution and feedback buttons in one message', () => {
    const [message, ...rest] = agentAnswerMessages({
      bodyMrkdwn: '*Hello*',
      collaborators: ['Strategy'],
      citations: [
        { title: 'Brief', url: 'https://x.example/b' },
        { title: 'Local file', url: undefined },
      ],
      notes: ['note'],
      feedbackRef: 'T.C.1|1',
    });
    expect(rest).toHaveLength(0);
    expect(message?.text).toBe('*Hello*');
    const json = JSON.stringify(message?.blocks);
    expect(json).toContain('Answered by *Strategy*');
    expect(json).toContain('1. <https://x.example/b|Brief>');
    expect(json).toContain('2. Local file');
    expect(json).toContain(ActionIds.agentFeedbackUp);
  });

  it('splits a long answer into ≤ 3000-char sections and ≤ 50-block messages, trailer on the last', () => {
    const paragraph = `${'word '.repeat(500).trim()}`; // 2499 chars
    const body = Array.from({ length: 120 }, () => paragraph).join('\n\n');
    const messages = agentAnswerMessages({
      bodyMrkdwn: body,
      collaborators: [],
      citations: [],
      notes: [],
      feedbackRef: 'r|1',
    });
    expect(messages.length).toBeGreaterThan(1);
    for (const message of messages) {
      expect(message.blocks.length).toBeLessThanOrEqual(50);
      for (const text of sectionTexts(message.blocks)) expect(text.length).toBeLessThanOrEqual(3000);
      expect(message.text.length).toBeLessThanOrEqual(3000);
    }
    expect(JSON.stringify(messages.at(-1)?.blocks)).toContain(ActionIds.agentFeedbackUp);
    expect(JSON.stringify(messages[0]?.blocks)).not.toContain(ActionIds.agentFeedbackUp);
  });

  it('keeps code fences balanced in every section of a split', () => {
    const code = Array.from({ length: 300 }, (_, i) => `const line${i} = ${i};`).join('\n');
    const [message] = agentAnswerMessages({
      bodyMrkdwn: `\`\`\`\n${code}\n\`\`\``,
      collaborators: [],
      citations: [],
      notes: [],
    });
    for (const text of sectionTexts(message?.blocks ?? [])) {
      expect((text.match(/```/g) ?? []).length % 2).toBe(0);
    }
  });

  it('offers Share and Create buttons when asked to', () => {
    const [message] = agentAnswerMessages({
      bodyMrkdwn: 'x',
      collaborators: [],
      citations: [],
      notes: [],
      shareAskId: 'ask-1',
      offerNewCampaign: true,
    });
    const json = JSON.stringify(message?.blocks);
    expect(json).toContain(ActionIds.agentShare);
    expect(json).toContain(ActionIds.openNewCampaign);
  });
});

describe('agentProgressMessage', () => {
  it('shows the start of a long partial answer within one section', () => {
    const message = agentProgressMessage('a'.repeat(10_000));
    expect(sectionTexts(message.blocks)[0]?.length).toBeLessThanOrEqual(3000);
  });

  it('shows a heartbeat status alone before any text, and under the text once some arrived', () => {
    const before = agentProgressMessage('', 'Still working… (6 s)');
    expect(before.blocks).toEqual([
      { type: 'context', elements: [{ type: 'mrkdwn', text: 'Still working… (6 s)' }] },
    ]);
    expect(before.text).toBe('Still working… (6 s)');
    const after = agentProgressMessage('Half an answer', 'Still working… (12 s)');
    expect(sectionTexts(after.blocks)).toEqual(['Half an answer']);
    expect(JSON.stringify(after.blocks)).toContain('Still working… (12 s)');
    expect(JSON.stringify(after.blocks)).not.toContain('Still writing');
  });
});

describe('agentConfirmMessage', () => {
  it('renders Confirm / Cancel carrying the pending reference and names who may press them', () => {
    const message = agentConfirmMessage({
      introMrkdwn: 'Before I go ahead, please confirm:',
      calls: [{ title: 'Assign a task', details: ['assignee: U0ALICE'] }],
      pendingRef: 'T.C.1|inv-1',
      userId: 'U0DANA',
    });
    const json = JSON.stringify(message.blocks);
    expect(json).toContain(ActionIds.agentConfirm);
    expect(json).toContain(ActionIds.agentCancel);
    expect(json).toContain('T.C.1|inv-1');
    expect(json).toContain('Only <@U0DANA>');
  });
});
