import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { approvalRequestMessage, requesterNotice } from '../../blocks/approval-message';
import { campaignCardBlocks } from '../../blocks/campaign-card';
import { campaignModal } from '../../blocks/campaign-modal';
import { campaign, pending, REQUESTER, rejected, TODAY, TOKENS, view } from '../helpers/hostile-fixtures';
import { MODULES, NOT_RENDERERS, RENDERERS } from '../helpers/hostile-renderers';
import { allStrings, HOSTILE, scanSlackText } from '../helpers/slack-text-scan';

/**
 * Every renderer in blocks/, given hostile text in every user-supplied field, sends Slack no markup
 * of its own: the only `<…>` in any mrkdwn string (blocks, modal views and the notification `text`)
 * are the bot's — mentions of the fixture's real ids, date tokens, links to the fixture's URLs.
 * Plain-text fields are not escaped, bidi overrides are gone everywhere, nothing is escaped twice.
 *
 * The list is checked against what blocks/ exports: a new exported function fails the guard test
 * until test/helpers/hostile-renderers.ts lists it as a renderer (with hostile input) or as a helper
 * that renders no user text.
 */

const cases = Object.entries(RENDERERS).flatMap(([file, renderers]) =>
  Object.entries(renderers).map(([name, entry]) => ({ file, name, ...entry })),
);

describe('every renderer in blocks/ with hostile user text', () => {
  it('lists every module of blocks/ and every function it exports (renderer or not)', () => {
    const files = readdirSync(join(__dirname, '../../blocks')).filter((f) => f.endsWith('.ts'));
    expect(Object.keys(MODULES).sort()).toEqual(files.sort());
    const unlisted = Object.entries(MODULES).flatMap(([file, module]) =>
      Object.keys(module)
        .filter((name) => !RENDERERS[file]?.[name] && !NOT_RENDERERS[file]?.includes(name))
        .map((name) => `${file}: ${name}`),
    );
    // A new export: add it to RENDERERS with hostile input, or to NOT_RENDERERS if it renders no user text.
    expect(unlisted).toEqual([]);
  });

  it.each(cases)(
    '$file $name: no markup but the bot’s, no bidi controls, nothing escaped twice',
    ({ render, userText }) => {
      const output = render();
      expect(scanSlackText(output, TOKENS)).toEqual([]);
      if (userText !== false) {
        // The hostile text reached the output (so the scan saw it), escaped in mrkdwn or as typed in plain text.
        const strings = allStrings(output).join('\n');
        expect(strings).toMatch(/&lt;!channel&gt;|<!channel>/);
      }
    },
  );

  it('escapes & exactly once in mrkdwn and not at all in plain text (header, option, input)', () => {
    const card = campaignCardBlocks({
      campaign: { ...campaign, name: 'R&D <Launch>' },
      progress: { total: 0, done: 0, overdue: 0, blocked: 0 },
      today: TODAY,
      timezone: 'UTC',
      timezoneKnown: true,
    });
    expect(card.text.startsWith('R&amp;D &lt;Launch&gt; — ')).toBe(true);
    expect(card.blocks[0]).toMatchObject({
      type: 'header',
      text: { type: 'plain_text', text: 'R&D <Launch>' },
    });
    const modal = campaignModal({
      teams: [{ teamId: 't', name: 'Field & Events' }],
      prefill: { name: 'R&D <Launch>', teamId: 't' },
    });
    const json = JSON.stringify(modal);
    expect(json).toContain('"text":"Field & Events"');
    expect(json).toContain('"initial_value":"R&D <Launch>"');
    expect(json).not.toContain('&amp;');
    const request = approvalRequestMessage({
      ...view,
      approval: { ...pending, campaignName: 'R&D' },
    });
    expect(request.text).toContain('R&amp;D');
    expect(request.text).not.toContain('&amp;amp;');
  });

  it('strips bidi overrides from names in every field type', () => {
    const spoofed = 'Invoice \u202Efdp.exe\u202C \u2066x\u2069';
    const card = campaignCardBlocks({
      campaign: { ...campaign, name: spoofed },
      progress: { total: 0, done: 0, overdue: 0, blocked: 0 },
      today: TODAY,
      timezone: 'UTC',
      timezoneKnown: true,
    });
    expect(JSON.stringify(card)).not.toMatch(/\\u202[a-e]|\\u206[6-9]|[\u202A-\u202E\u2066-\u2069]/i);
    expect(card.text).toContain('Invoice fdp.exe x');
    expect(card.blocks[0]).toMatchObject({ text: { text: 'Invoice fdp.exe x' } });
  });

  it('keeps the bot’s own tokens: the approver group, the requester and a date', () => {
    const message = approvalRequestMessage(view);
    const ask = JSON.stringify(message.blocks);
    expect(ask).toContain('<!subteam^S0LEADERS>');
    expect(ask).toContain(`<@${REQUESTER}>`);
    expect(ask).toMatch(/<!date\^\d+\^/);
    expect(message.text).toContain(`requested by <@${REQUESTER}>`);
    expect(message.text).toContain('&lt;!channel&gt;');
  });

  it('shows a mention of something that is not an id as text', () => {
    const notice = requesterNotice({ ...rejected, decidedBy: 'U1>|<!channel' }, 'rejected');
    expect(notice.text).toContain('U1&gt;|&lt;!channel');
    expect(scanSlackText(notice, TOKENS)).toEqual([]);
  });

  it('the hostile text covers every kind of markup the scan refuses', () => {
    for (const part of ['<!channel>', '<!here>', '<@U0VICTIM>', '<#C0SECRET>', '<!subteam^S0ALL>']) {
      expect(scanSlackText({ text: part }, TOKENS)).toHaveLength(1);
    }
    expect(scanSlackText({ text: '<https://evil.example/pay|click here>' }, TOKENS)).toHaveLength(1);
    expect(scanSlackText({ text: '<mailto:boss@evil.example|mail me>' }, TOKENS)).toHaveLength(1);
    expect(scanSlackText({ text: 'a < b' }, TOKENS)).toHaveLength(1);
    expect(scanSlackText({ text: 'R&amp;amp;D' }, TOKENS)).toHaveLength(1);
    expect(scanSlackText({ type: 'plain_text', text: 'R&amp;D' }, TOKENS)).toHaveLength(1);
    expect(scanSlackText({ type: 'plain_text', text: '\u202Ex' }, TOKENS)).toHaveLength(1);
    expect(scanSlackText({ text: HOSTILE }, TOKENS).length).toBeGreaterThanOrEqual(9);
  });
});
