import { describe, expect, it } from 'vitest';
import { markdownToMrkdwn } from '../../../../app/services/agent/mrkdwn';

describe('markdownToMrkdwn', () => {
  it('converts bold, italics, strike and code spans to Slack mrkdwn', () => {
    expect(markdownToMrkdwn('**bold** and _it_ and *it2* and ~~gone~~ and `a<b`')).toBe(
      '*bold* and _it_ and _it2_ and ~gone~ and `a&lt;b`',
    );
  });

  it('turns links to known URLs into <url|text> without escaping the URL, and escapes the label', () => {
    const linkUrls = ['https://example.com/a?b=1&c=2'];
    expect(markdownToMrkdwn('[Q3 plan & budget](https://example.com/a?b=1&c=2)', { linkUrls })).toBe(
      '<https://example.com/a?b=1&c=2|Q3 plan &amp; budget>',
    );
    expect(markdownToMrkdwn('see https://example.com/x')).toBe('see <https://example.com/x>');
  });

  it('shows where a labelled link to a URL it was not given goes: the label, then the URL', () => {
    expect(markdownToMrkdwn('[your invoice](https://evil.example/pay)')).toBe(
      'your invoice (<https://evil.example/pay>)',
    );
    expect(
      markdownToMrkdwn('See <https://evil.example/x|the brief>', { linkUrls: ['https://ok.example'] }),
    ).toBe('See the brief (<https://evil.example/x>)');
  });

  it('drops links with unsafe schemes but keeps their text', () => {
    expect(markdownToMrkdwn('[click](javascript:alert(1))')).toBe('click');
  });

  it('escapes &, < and > in prose but keeps user and channel mentions; escapes group and channel pings', () => {
    expect(
      markdownToMrkdwn('A & B <script> <@U0ALICE> <#C0GENERAL|general> <!subteam^S0VPS> <!channel> <!here>'),
    ).toBe(
      'A &amp; B &lt;script&gt; <@U0ALICE> <#C0GENERAL|general> &lt;!subteam^S0VPS&gt; &lt;!channel&gt; &lt;!here&gt;',
    );
  });

  it('never turns an escaped mention it decodes into a live one (a name quoted from our data)', () => {
    const quoted = 'Campaign &lt;@U0MALLORY&gt; and &lt;!subteam^S0ALL&gt; and &lt;#C0SECRET&gt; and R&amp;D';
    expect(markdownToMrkdwn(quoted)).toBe(
      'Campaign &lt;@U0MALLORY&gt; and &lt;!subteam^S0ALL&gt; and &lt;#C0SECRET&gt; and R&amp;D',
    );
    expect(markdownToMrkdwn(`**${quoted}**`)).not.toMatch(/<[@#!]/);
  });

  it('keeps Markdown-escaped names as text: no link, mention or entity comes out of \\<…\\>', () => {
    const out = markdownToMrkdwn(
      '- **\\<https://evil.example\\|click\\>** and \\<@U0X\\> and \\&lt;@U0Y\\&gt;',
      { linkUrls: ['https://evil.example'] },
    );
    // No labelled link (a bare URL may still be auto-linked, showing itself), no mention, no entity.
    expect(out).not.toMatch(/\|click>/);
    expect(out).not.toMatch(/<[@#!]/);
    expect(out).toMatch(/^• \*&lt;.*click.*\* and &lt;@U0X&gt; and &amp;lt;@U0Y&amp;gt;$/);
  });

  it('strips bidi override controls from prose and code', () => {
    expect(markdownToMrkdwn('a\u202Eevil\u202C b `c\u2066d\u2069`')).toBe('aevil b `cd`');
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

  it('keeps a Slack-style link the model wrote (<url|label>) to a cited URL as a link with its label', () => {
    const linkUrls = ['https://wiki.example.com/brief'];
    expect(markdownToMrkdwn('See <https://wiki.example.com/brief|the brief> now', { linkUrls })).toBe(
      'See <https://wiki.example.com/brief|the brief> now',
    );
    expect(markdownToMrkdwn('<javascript:alert(1)|click>')).not.toContain('<javascript');
    expect(markdownToMrkdwn('`<https://x.example|code>` is code')).toBe(
      '`&lt;https://x.example|code&gt;` is code',
    );
  });
});
