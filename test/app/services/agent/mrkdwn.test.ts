import { describe, expect, it } from 'vitest';
import { markdownToMrkdwn } from '../../../../app/services/agent/mrkdwn';

describe('markdownToMrkdwn', () => {
  it('converts bold, italics, strike and code spans to Slack mrkdwn', () => {
    expect(markdownToMrkdwn('**bold** and _it_ and *it2* and ~~gone~~ and `a<b`')).toBe(
      '*bold* and _it_ and _it2_ and ~gone~ and `a&lt;b`',
    );
  });

  it('turns links into <url|text> without escaping the URL, and escapes the label', () => {
    expect(markdownToMrkdwn('[Q3 plan & budget](https://example.com/a?b=1&c=2)')).toBe(
      '<https://example.com/a?b=1&c=2|Q3 plan &amp; budget>',
    );
    expect(markdownToMrkdwn('see https://example.com/x')).toBe('see <https://example.com/x>');
  });

  it('drops links with unsafe schemes but keeps their text', () => {
    expect(markdownToMrkdwn('[click](javascript:alert(1))')).toBe('click');
  });

  it('escapes &, < and > in prose but keeps user, channel and group mentions; escapes channel pings', () => {
    expect(
      markdownToMrkdwn('A & B <script> <@U0ALICE> <#C0GENERAL|general> <!subteam^S0VPS> <!channel>'),
    ).toBe('A &amp; B &lt;script&gt; <@U0ALICE> <#C0GENERAL|general> <!subteam^S0VPS> &lt;!channel&gt;');
  });

  it('renders headings as bold lines without nested bold markers', () => {
    expect(markdownToMrkdwn('## Launch **plan**\n\nText')).toBe('*Launch plan*\n\nText');
  });

  it('renders bullet, ordered, nested and task lists', () => {
    expect(markdownToMrkdwn('- one\n- two\n  1. sub\n  2. sub2\n\n- [x] done\n- [ ] todo')).toBe(
      '• one\n• two\n    1. sub\n    2. sub2\n• ☑ done\n• ☐ todo',
    );
  });

  it('renders fenced code without the language and escapes inside it', () => {
    expect(markdownToMrkdwn('```ts\nif (a < b && c) {}\n```')).toBe(
      '```\nif (a &lt; b &amp;&amp; c) {}\n```',
    );
  });

  it('renders block quotes line by line', () => {
    expect(markdownToMrkdwn('> first\n> second')).toBe('> first\n> second');
  });

  it('renders a narrow table as a monospace grid', () => {
    const out = markdownToMrkdwn('| Campaign | Budget |\n|---|--:|\n| Spring | $5,000 |\n| Fall | $20,000 |');
    expect(out).toBe(
      '```\nCampaign |  Budget\n---------+--------\nSpring   |  $5,000\nFall     | $20,000\n```',
    );
  });

  it('renders a wide table as one bullet per row', () => {
    const long = 'x'.repeat(70);
    const out = markdownToMrkdwn(`| Name | Notes | Owner |\n|---|---|---|\n| Spring | ${long} | Ana |`);
    expect(out).toBe(`• *Spring* — Notes: ${long} · Owner: Ana`);
  });

  it('decodes HTML entities the model wrote before escaping, so Slack never shows &amp;amp;', () => {
    expect(markdownToMrkdwn('AT&amp;T &lt;b&gt; caf&#233; &#x2014; fine')).toBe(
      'AT&amp;T &lt;b&gt; café — fine',
    );
    expect(markdownToMrkdwn('| Team | Note |\n|---|---|\n| R&amp;D | ok |')).toContain('R&amp;D');
    expect(markdownToMrkdwn('| Team | Note |\n|---|---|\n| R&amp;D | ok |')).not.toContain('&amp;amp;');
    expect(markdownToMrkdwn('`&amp;` stays literal in code')).toBe('`&amp;amp;` stays literal in code');
  });

  it('keeps a Slack-style link the model wrote (<url|label>) as a link with its label', () => {
    expect(markdownToMrkdwn('See <https://wiki.example.com/brief|the brief> now')).toBe(
      'See <https://wiki.example.com/brief|the brief> now',
    );
    expect(markdownToMrkdwn('<javascript:alert(1)|click>')).not.toContain('<javascript');
    expect(markdownToMrkdwn('`<https://x.example|code>` is code')).toBe(
      '`&lt;https://x.example|code&gt;` is code',
    );
  });
});
