import { describe, expect, it } from 'vitest';
import { resvgRasterizer } from '../../app/adapters/png-rasterizer';
import type { DigestContent } from '../../app/domain/digest-content';
import {
  DIGEST_APPROVALS_WITH_BUTTONS,
  DIGEST_LINES_PER_TOPIC,
  digestFallbackText,
  digestMessage,
} from '../../blocks/digest';
import { ALT_TEXT_MAX, TIMELINE_ROWS, timelineDrawing } from '../../blocks/digest-timeline';
import { LIMITS } from '../../blocks/text';
import { validateBlocks } from '../../dev/slack-standin/validate-blocks';
import { anApproval } from '../helpers/approvals/records';

const HOME = 'slack://app?team=T0LOCAL&id=A0LOCAL&tab=home';
const NASTY = '<!channel> *bold* & <https://evil.example|click>';

function content(overrides: Partial<DigestContent> = {}): DigestContent {
  const base: DigestContent = {
    channelId: 'C0BRAND',
    teamNames: ['Brand'],
    localDate: '2026-12-03',
    timeZone: 'America/New_York',
    locale: 'en-US',
    scheduledTime: '2026-12-03T14:00:00.000Z',
    late: false,
    since: '2026-12-02T14:00:00.000Z',
    asOf: '2026-12-03T14:00:05.000Z',
    launching: [],
    atRisk: [],
    overdue: [],
    approvals: [],
    conflicts: [],
    changes: [],
    timeline: [],
    counts: { launching: 0, atRisk: 0, overdue: 0, approvals: 0, conflicts: 0, changes: 0 },
    appHomeUrl: HOME,
  };
  const merged = { ...base, ...overrides };
  return {
    ...merged,
    counts: {
      launching: merged.launching.length,
      atRisk: merged.atRisk.length,
      overdue: merged.overdue.length,
      approvals: merged.approvals.length,
      conflicts: merged.conflicts.length,
      changes: merged.changes.length,
    },
  };
}

/** A digest with far more than fits: every list long, every name at its longest, hostile text everywhere. */
function huge(): DigestContent {
  const name = (i: number) => `${NASTY} ${'Campaign name '.repeat(10)} #${i}`.slice(0, 150);
  const campaign = (i: number) => ({
    campaignId: `cmp-${i}`,
    name: name(i),
    teamName: 'Brand',
    status: 'PLANNED' as const,
    launchDate: '2026-12-05',
    ownerSlackId: 'U0MAYA',
    budgetCents: 123_456_789,
    externalProjectUrl: 'https://example.my.workfront.com/project/1',
  });
  return content({
    launching: Array.from({ length: 300 }, (_, i) => campaign(i)),
    atRisk: Array.from({ length: 120 }, (_, i) => ({ ...campaign(i), openTasks: 12, overdueTasks: 3 })),
    overdue: Array.from({ length: 500 }, (_, i) => ({
      campaignId: `cmp-${i}`,
      campaignName: name(i),
      taskId: `t${i}`,
      name: `${NASTY} task ${'x'.repeat(300)}`,
      ownerSlackId: 'U0SAM',
      dueDate: '2026-11-01',
      daysLate: 32,
    })),
    approvals: Array.from({ length: 40 }, (_, i) =>
      anApproval({ approvalId: `apr_${i}X`, campaignName: name(i), reasonForChange: 'x'.repeat(500) }),
    ),
    conflicts: Array.from({ length: 80 }, (_, i) => ({
      objectKey: `task#cmp-${i}#t1`,
      summary: `${NASTY} ${'deleted in Workfront '.repeat(20)}`.slice(0, 500),
      since: '2026-12-01T10:00:00.000Z',
      link: 'https://x.slack.com/archives/C1/p1',
    })),
    changes: Array.from({ length: 200 }, (_, i) => ({
      kind: 'budget' as const,
      at: '2026-12-03T10:00:00.000Z',
      campaignId: `cmp-${i}`,
      campaignName: name(i),
      fromCents: 100,
      toCents: 999_999_999,
      by: 'U0MAYA',
    })),
  });
}

describe('digestMessage', () => {
  it('stays within Slack’s limits whatever the data: ≤ 50 blocks, every text within its limit', () => {
    const message = digestMessage(huge());
    expect(message.blocks.length).toBeLessThanOrEqual(LIMITS.messageBlocks);
    expect(validateBlocks(message.blocks, 'message')).toEqual([]);
    expect(message.text.length).toBeLessThanOrEqual(LIMITS.fallbackText);
    for (const block of message.blocks) {
      if (block.type === 'section' && block.text)
        expect(block.text.text.length).toBeLessThanOrEqual(LIMITS.sectionText);
      if (block.type === 'header') expect(block.text.text.length).toBeLessThanOrEqual(LIMITS.headerText);
    }
  });

  it('says "and N more" with a link to App Home for what does not fit, and only then', () => {
    const message = digestMessage(huge());
    const text = JSON.stringify(message.blocks);
    expect(text).toContain(`_…and ${300 - DIGEST_LINES_PER_TOPIC} more — <${HOME}|see App Home>_`);
    expect(text).toContain(`_…and ${200 - DIGEST_LINES_PER_TOPIC} more — <${HOME}|see App Home>_`);
    // Approvals: the first five with their buttons, the count of the rest.
    const buttons = message.blocks.filter((b) => b.type === 'actions');
    expect(buttons).toHaveLength(DIGEST_APPROVALS_WITH_BUTTONS);
    expect(text).toContain('*:hourglass_flowing_sand: Waiting on approval (40)*');
    const without = JSON.stringify(digestMessage({ ...huge(), appHomeUrl: undefined }).blocks);
    expect(without).toContain(`_…and ${300 - DIGEST_LINES_PER_TOPIC} more_`);
    expect(without).not.toContain('App Home');
    const small = digestMessage(content({ launching: huge().launching.slice(0, 2) }));
    expect(JSON.stringify(small.blocks)).not.toContain('more');
  });

  it('escapes everything people typed, in the blocks and in the fallback text', () => {
    const message = digestMessage(huge());
    const text = JSON.stringify(message.blocks);
    expect(text).not.toContain('<!channel>');
    expect(text).not.toContain('<https://evil.example');
    expect(text).toContain('&lt;!channel&gt;');
    expect(message.text).not.toMatch(/[<>]/);
  });

  it('summarises the counts in the fallback text, and says when it is late', () => {
    expect(digestFallbackText(huge())).toBe(
      'Digest for Thu, Dec 3, 2026: 300 launches in the next 7 days, 120 campaigns at risk, 500 overdue tasks, 40 requests waiting on approval, 80 open sync conflicts, 200 changes since the last digest.',
    );
    expect(digestFallbackText(content({ late: true }))).toBe(
      'Digest for Thu, Dec 3, 2026 (late): all quiet.',
    );
  });

  it('an empty digest is one short "all quiet" line under the header', () => {
    const message = digestMessage(content());
    expect(message.blocks.map((b) => b.type)).toEqual(['header', 'context', 'section']);
    expect(JSON.stringify(message.blocks)).toContain('All quiet');
  });

  it('writes dates in the subscriber’s locale and the channel’s zone', () => {
    const [first] = huge().launching;
    if (!first) throw new Error('no launch');
    const german = digestMessage(
      content({
        locale: 'de-DE',
        timeZone: 'Europe/Berlin',
        late: true,
        scheduledTime: '2026-12-03T08:00:00.000Z',
        launching: [{ ...first, name: 'Weihnachten', launchDate: '2026-12-06' }],
      }),
    );
    const text = JSON.stringify(german.blocks);
    expect(text).toContain('Digest — Do., 3. Dez. 2026');
    expect(text).toContain('6. Dez. (in 3 Tagen)');
    expect(text).toContain('it was due Do., 3. Dez., 9:00');
  });
});

describe('the timeline picture', () => {
  const items = (count: number) =>
    Array.from({ length: count }, (_, i) => ({
      name: `${NASTY} ${i}`,
      launchDate: `2026-12-${String(3 + (i % 14)).padStart(2, '0')}`,
      atRisk: i % 3 === 0,
    }));

  it('has no picture when nothing launches in the next 14 days', () => {
    expect(timelineDrawing({ ...content(), timeline: [] })).toBeUndefined();
    expect(
      timelineDrawing({
        ...content(),
        timeline: [{ name: 'Later', launchDate: '2026-12-17', atRisk: false }],
      }),
    ).toBeUndefined();
  });

  it('escapes names in the SVG, caps its rows and says the same in alt text within 1000 characters', () => {
    const drawing = timelineDrawing({ ...content(), timeline: items(300) });
    expect(drawing?.svg).not.toContain('<!channel>');
    expect(drawing?.svg).toContain('&lt;!channel&gt;');
    expect(drawing?.svg).toContain(`…and ${300 - (TIMELINE_ROWS - 1)} more launches`);
    expect(drawing?.altText.length).toBeLessThanOrEqual(ALT_TEXT_MAX);
    expect(drawing?.altText).toMatch(/^Launch timeline from Dec 3 to Dec 16: 300 launches\./);
    expect(drawing?.altText).toMatch(/and \d+ more\.$/);
  });

  it('rasterises to a PNG twice its size (server-side, WASM, shipped font)', async () => {
    const drawing = timelineDrawing({ ...content(), timeline: items(4) });
    const png = Buffer.from(await resvgRasterizer.toPng(drawing?.svg ?? ''));
    expect(png.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
    // IHDR: width and height, big-endian, at bytes 16 and 20.
    expect(png.readUInt32BE(16)).toBe((drawing?.width ?? 0) * 2);
    expect(png.readUInt32BE(20)).toBe((drawing?.height ?? 0) * 2);
  }, 20_000);
});
