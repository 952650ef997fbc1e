import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  channelMention,
  escapeMrkdwn,
  formatUsd,
  fromSlackText,
  plainText,
  stripBidi,
  userGroupMention,
  userMention,
} from '../../../app/domain/text';
import { parseUsdToCents } from '../../../app/services/campaign-inputs';
import { link, truncate } from '../../../blocks/text';

const ROOT = join(__dirname, '../../..');

function sources(dir: string): string[] {
  return readdirSync(join(ROOT, dir)).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(join(ROOT, path)).isDirectory()) return sources(path);
    return path.endsWith('.ts') ? [path] : [];
  });
}

describe('formatUsd, the one dollar format', () => {
  it.each([
    [10_000_000, '$100,000'],
    [1_000_001, '$10,000.01'],
    [1_234_550, '$12,345.50'],
    [5, '$0.05'],
    [100_000_000_000, '$1,000,000,000'],
  ])('%i cents → %s', (cents, text) => {
    expect(formatUsd(cents)).toBe(text);
  });

  it('reads back as the same amount, so it can be a modal’s initial value', () => {
    for (const cents of [1, 99, 100, 1_250_050, 10_000_000, 100_000_000_000]) {
      expect(parseUsdToCents(formatUsd(cents))).toEqual({ ok: true, cents });
    }
  });

  it('is the only place that formats money: no other source formats cents or a currency itself', () => {
    const moneyFormatting = [
      /\/\s*100\)\.toLocaleString\(/, // (cents / 100).toLocaleString(…)
      /\.toLocaleString\([^)]*\b(currency|FractionDigits)\b/, // …toLocaleString('en-US', { style: 'currency' })
      /Intl\.NumberFormat\([^)]*\bcurrency\b/,
    ];
    const others = ['app', 'blocks', 'handlers']
      .flatMap(sources)
      .filter((file) => relative(ROOT, join(ROOT, file)) !== join('app', 'domain', 'text.ts'))
      .filter((file) => {
        const text = readFileSync(join(ROOT, file), 'utf8');
        return moneyFormatting.some((pattern) => pattern.test(text));
      });
    expect(others).toEqual([]);
  });
});

describe('escapeMrkdwn', () => {
  it('escapes exactly &, < and > (platform-facts §3), once', () => {
    expect(escapeMrkdwn('R&D <!channel> > "quotes" \'single\' *bold*')).toBe(
      'R&amp;D &lt;!channel&gt; &gt; "quotes" \'single\' *bold*',
    );
    // Text that merely looks escaped is text: escaping it again is what shows it as typed.
    expect(escapeMrkdwn('&lt;@U1&gt; &amp;')).toBe('&amp;lt;@U1&amp;gt; &amp;amp;');
  });

  it('strips bidi embedding, override and isolate controls but keeps LRM/RLM marks', () => {
    const all = '\u202A\u202B\u202C\u202D\u202E\u2066\u2067\u2068\u2069';
    expect(escapeMrkdwn(`a${all}b`)).toBe('ab');
    expect(stripBidi('x\u200Ey\u200Fz')).toBe('x\u200Ey\u200Fz');
  });
});

describe('plainText', () => {
  it('only strips bidi controls: plain_text is not parsed by Slack, so nothing is escaped', () => {
    expect(plainText('R&D <!here> \u202Eexe.gnp')).toBe('R&D <!here> exe.gnp');
  });
});

describe('fromSlackText', () => {
  it('decodes the three escapes Slack sends typed text with, and only those', () => {
    expect(fromSlackText('R&amp;D &lt;b&gt; &quot; <@U123>')).toBe('R&D <b> &quot; <@U123>');
  });

  it('round-trips with escapeMrkdwn: typed → decoded → escaped once is what Slack sent', () => {
    const sent = 'R&amp;D &lt;!channel&gt;';
    expect(escapeMrkdwn(fromSlackText(sent))).toBe(sent);
  });
});

describe('mentions', () => {
  it('builds mentions only from id shapes', () => {
    expect(userMention('U0MAYA')).toBe('<@U0MAYA>');
    expect(userMention('W0GRID')).toBe('<@W0GRID>');
    expect(channelMention('C0BRAND')).toBe('<#C0BRAND>');
    expect(userGroupMention('S0LEADERS')).toBe('<!subteam^S0LEADERS>');
  });

  it('shows anything else as escaped text, never as markup', () => {
    expect(userMention('U1>|<!channel')).toBe('U1&gt;|&lt;!channel');
    expect(userMention('u0lower')).toBe('u0lower');
    expect(channelMention('C0X> <!here')).toBe('C0X&gt; &lt;!here');
    expect(userGroupMention('U0MAYA')).toBe('U0MAYA');
    expect(userGroupMention('S0X^<!everyone>')).toBe('S0X^&lt;!everyone&gt;');
  });
});

describe('link', () => {
  it('links web, Slack and mail URLs with an escaped label', () => {
    expect(link('https://x.example/a?b=1&c=2', 'Q3 & <plan>')).toBe(
      '<https://x.example/a?b=1&c=2|Q3 &amp; &lt;plan&gt;>',
    );
    expect(link('slack://app?team=T1&tab=home', 'App Home')).toBe('<slack://app?team=T1&tab=home|App Home>');
    expect(link('mailto:a@x.example', 'mail')).toBe('<mailto:a@x.example|mail>');
  });

  it('keeps a URL from closing or splitting the link', () => {
    expect(link('https://x.example/a|<!channel>', 'label')).toBe(
      '<https://x.example/a%7C%3C!channel%3E|label>',
    );
    expect(link('https://x.example/', 'a|b')).toBe('<https://x.example/|a¦b>');
  });

  it('shows only the label for anything that is not a linkable URL', () => {
    expect(link('javascript:alert(1)', '<click>')).toBe('&lt;click&gt;');
    expect(link('https://x.example/a b', 'spaced')).toBe('spaced');
    expect(link('', 'empty')).toBe('empty');
  });
});

describe('truncate', () => {
  it('never leaves half an escape behind', () => {
    const escaped = escapeMrkdwn('abc&def');
    expect(escaped).toBe('abc&amp;def');
    expect(truncate(escaped, 6)).toBe('abc…');
    expect(truncate(escaped, 8)).toBe('abc…');
    expect(truncate('abc&lt;def', 6)).toBe('abc…');
    expect(truncate(escaped, 9)).toBe('abc&amp;…');
  });
});
