import { describe, expect, it } from 'vitest';
import { paginate, splitMrkdwn } from '../../blocks/split';

const fences = (text: string) => (text.match(/^```/gm) ?? []).length;

describe('splitMrkdwn', () => {
  it('keeps short text whole', () => {
    expect(splitMrkdwn('hello\nworld')).toEqual(['hello\nworld']);
  });

  it('splits at line boundaries within 3000 characters', () => {
    const line = 'a'.repeat(999);
    const pieces = splitMrkdwn([line, line, line, line].join('\n'));
    expect(pieces).toHaveLength(2);
    for (const piece of pieces) expect(piece.length).toBeLessThanOrEqual(3000);
    expect(pieces.join('\n')).toBe([line, line, line, line].join('\n'));
  });

  it('closes and reopens a code fence cut in two, so each piece is balanced', () => {
    const code = Array.from({ length: 200 }, (_, i) => `line ${i} ${'x'.repeat(20)}`).join('\n');
    const pieces = splitMrkdwn(`Intro\n\`\`\`\n${code}\n\`\`\`\nOutro`);
    expect(pieces.length).toBeGreaterThan(1);
    for (const piece of pieces) {
      expect(piece.length).toBeLessThanOrEqual(3000);
      expect(fences(piece) % 2).toBe(0);
    }
    expect(pieces.at(-1)).toContain('Outro');
  });

  it('cuts an over-long line at whitespace and never inside a link', () => {
    const words = Array.from({ length: 800 }, (_, i) =>
      i === 390 ? '<https://example.com/x|link>' : 'word',
    ).join(' ');
    const pieces = splitMrkdwn(words, 2000);
    for (const piece of pieces) {
      expect(piece.length).toBeLessThanOrEqual(2000);
      expect((piece.match(/</g) ?? []).length).toBe((piece.match(/>/g) ?? []).length);
    }
  });

  it('hard-cuts a line with no spaces and respects the limit exactly', () => {
    const pieces = splitMrkdwn('y'.repeat(7000));
    expect(pieces.every((p) => p.length <= 3000)).toBe(true);
    expect(pieces.join('')).toBe('y'.repeat(7000));
  });
});

describe('paginate', () => {
  it('fills the first page to its own maximum and the rest to 50', () => {
    const pages = paginate(
      Array.from({ length: 120 }, (_, i) => i),
      50,
      47,
    );
    expect(pages.map((p) => p.length)).toEqual([47, 50, 23]);
  });
});
