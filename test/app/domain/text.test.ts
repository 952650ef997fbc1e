import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatUsd } from '../../../app/domain/text';
import { parseUsdToCents } from '../../../app/services/campaign-inputs';

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
