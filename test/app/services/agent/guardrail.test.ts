import { describe, expect, it } from 'vitest';
import { applyGuardrail, luhnValid, streamSafePrefix } from '../../../../app/services/agent/guardrail';

describe('luhnValid', () => {
  it('accepts valid test card numbers and rejects a changed digit', () => {
    expect(luhnValid('4111111111111111')).toBe(true);
    expect(luhnValid('5500005555555559')).toBe(true);
    expect(luhnValid('378282246310005')).toBe(true);
    expect(luhnValid('4111111111111112')).toBe(false);
    expect(luhnValid('123')).toBe(false);
  });
});

describe('applyGuardrail', () => {
  it('redacts Luhn-valid card numbers, grouped or not, and keeps other long numbers', () => {
    const result = applyGuardrail('Card 4111 1111 1111 1111 or 4111-1111-1111-1111; order 4111111111111112.');
    expect(result.text).toBe('Card [card number removed] or [card number removed]; order 4111111111111112.');
    expect(result.redactions.card).toBe(2);
    expect(result.note).toContain('2 card numbers');
  });

  it('redacts SSNs written with separators or labelled, not impossible ones', () => {
    const result = applyGuardrail(
      'SSN: 123-45-6789, also 123 45 6789, ssn 123456789; not 000-12-3456 or 666-12-3456.',
    );
    expect(result.text).toBe(
      'SSN: [SSN removed], also [SSN removed], ssn [SSN removed]; not 000-12-3456 or 666-12-3456.',
    );
    expect(result.redactions.ssn).toBe(3);
  });

  it('redacts street addresses with unit, city, state and zip, and PO boxes', () => {
    const result = applyGuardrail(
      'Ship it to 1600 Pennsylvania Ave NW, Apt 4, Washington, DC 20500 or 42 W Elm Street or P.O. Box 123.',
    );
    expect(result.text).not.toMatch(/Pennsylvania|Elm|Box 123/);
    expect(result.redactions.address).toBe(3);
    expect(result.note).toContain('3 street addresses');
  });

  it('leaves ordinary marketing text alone', () => {
    const text = 'Spring Launch goes live on 2026-03-02 with a $25,000 budget and 3 channels; call 555-0100.';
    const result = applyGuardrail(text);
    expect(result.text).toBe(text);
    expect(result.note).toBeUndefined();
  });
});

describe('streamSafePrefix', () => {
  it('holds back an unfinished sentence with digits (a number cut by a chunk boundary)', () => {
    expect(streamSafePrefix('Budget is fine. Card on file: 4111 1111')).toBe('Budget is fine. Card on file:');
    expect(streamSafePrefix('Spring Launch is on track.\nShe lives at 42 W El')).toBe(
      'Spring Launch is on track.\n',
    );
    expect(streamSafePrefix('Her SSN is 123-45')).toBe('');
  });

  it('shows text without digits in the unfinished part, and complete sentences, as they are', () => {
    expect(streamSafePrefix('The launch is on track and the team')).toBe(
      'The launch is on track and the team',
    );
    expect(streamSafePrefix('It costs $25,000. ')).toBe('It costs $25,000. ');
    expect(streamSafePrefix('')).toBe('');
  });
});
