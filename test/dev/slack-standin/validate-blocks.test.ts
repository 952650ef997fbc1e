import { describe, expect, it } from 'vitest';
import {
  formatIssue,
  SLACK_LIMITS,
  validateBlocks,
  validateView,
} from '../../../dev/slack-standin/validate-blocks';

const section = (text: string, extra: Record<string, unknown> = {}) => ({
  type: 'section',
  text: { type: 'mrkdwn', text },
  ...extra,
});
const button = (overrides: Record<string, unknown> = {}) => ({
  type: 'button',
  action_id: 'go',
  text: { type: 'plain_text', text: 'Go' },
  ...overrides,
});
const option = (text: string, value = 'v') => ({ text: { type: 'plain_text', text }, value });
const pointers = (issues: { pointer: string }[]) => issues.map((issue) => issue.pointer);

describe('validateBlocks: surfaces', () => {
  it('accepts exactly 50 blocks in a message and rejects 51', () => {
    const fifty = Array.from({ length: 50 }, () => ({ type: 'divider' }));

    expect(validateBlocks(fifty, 'message')).toEqual([]);
    const issues = validateBlocks([...fifty, { type: 'divider' }], 'message');
    expect(issues).toEqual([{ pointer: '/blocks', message: 'must be less than 51 items' }]);
    expect(formatIssue(issues[0] as never)).toBe('must be less than 51 items [json-pointer:/blocks]');
  });

  it('accepts exactly 100 blocks in a modal or Home tab and rejects 101', () => {
    const hundred = Array.from({ length: 100 }, () => ({ type: 'divider' }));

    expect(validateBlocks(hundred, 'modal')).toEqual([]);
    expect(validateBlocks(hundred, 'home')).toEqual([]);
    expect(pointers(validateBlocks([...hundred, { type: 'divider' }], 'home'))).toEqual(['/blocks']);
  });

  it('rejects unknown block types and non-arrays', () => {
    expect(pointers(validateBlocks([{ type: 'bogus' }], 'message'))).toEqual(['/blocks/0/type']);
    expect(pointers(validateBlocks({}, 'message'))).toEqual(['/blocks']);
  });

  it('rejects duplicate block ids and block ids over 255 characters', () => {
    const ok = 'b'.repeat(255);
    expect(validateBlocks([{ type: 'divider', block_id: ok }], 'message')).toEqual([]);
    expect(pointers(validateBlocks([{ type: 'divider', block_id: `${ok}b` }], 'message'))).toEqual([
      '/blocks/0/block_id',
    ]);
    expect(
      pointers(
        validateBlocks(
          [
            { type: 'divider', block_id: 'same' },
            { type: 'divider', block_id: 'same' },
          ],
          'message',
        ),
      ),
    ).toEqual(['/blocks/1/block_id']);
  });
});

describe('validateBlocks: sections and headers', () => {
  it('accepts section text of 3000 characters and rejects 3001', () => {
    expect(validateBlocks([section('x'.repeat(3000))], 'message')).toEqual([]);
    expect(validateBlocks([section('x'.repeat(3001))], 'message')).toEqual([
      { pointer: '/blocks/0/text/text', message: 'must be less than 3001 characters' },
    ]);
  });

  it('rejects an empty section text and a section with neither text nor fields', () => {
    expect(pointers(validateBlocks([section('')], 'message'))).toEqual(['/blocks/0/text/text']);
    expect(pointers(validateBlocks([{ type: 'section' }], 'message'))).toEqual(['/blocks/0']);
  });

  it('accepts 10 fields of 2000 characters and rejects an 11th field or a 2001-character one', () => {
    const field = (n: number) => ({ type: 'mrkdwn', text: 'f'.repeat(n) });
    const ten = Array.from({ length: 10 }, () => field(2000));

    expect(validateBlocks([{ type: 'section', fields: ten }], 'message')).toEqual([]);
    expect(pointers(validateBlocks([{ type: 'section', fields: [...ten, field(1)] }], 'message'))).toEqual([
      '/blocks/0/fields',
    ]);
    expect(pointers(validateBlocks([{ type: 'section', fields: [field(2001)] }], 'message'))).toEqual([
      '/blocks/0/fields/0/text',
    ]);
  });

  it('accepts a 150-character header and rejects 151 or mrkdwn', () => {
    const header = (text: string, type = 'plain_text') => ({ type: 'header', text: { type, text } });

    expect(validateBlocks([header('h'.repeat(150))], 'message')).toEqual([]);
    expect(pointers(validateBlocks([header('h'.repeat(151))], 'message'))).toEqual(['/blocks/0/text/text']);
    expect(pointers(validateBlocks([header('h', 'mrkdwn')], 'message'))).toEqual(['/blocks/0/text/type']);
  });

  it('rejects input blocks in messages but accepts them in modals', () => {
    const input = {
      type: 'input',
      block_id: 'name',
      label: { type: 'plain_text', text: 'Name' },
      element: { type: 'plain_text_input', action_id: 'value' },
    };
    expect(pointers(validateBlocks([input], 'message'))).toEqual(['/blocks/0']);
    expect(validateBlocks([input], 'modal')).toEqual([]);
  });
});

describe('validateBlocks: actions and elements', () => {
  it('accepts 25 elements in an actions block and rejects 26', () => {
    const elements = (n: number) => Array.from({ length: n }, (_, i) => button({ action_id: `a${i}` }));

    expect(validateBlocks([{ type: 'actions', elements: elements(25) }], 'message')).toEqual([]);
    expect(pointers(validateBlocks([{ type: 'actions', elements: elements(26) }], 'message'))).toEqual([
      '/blocks/0/elements',
    ]);
  });

  it('rejects an empty actions block and duplicate action ids within a block', () => {
    expect(pointers(validateBlocks([{ type: 'actions', elements: [] }], 'message'))).toEqual([
      '/blocks/0/elements',
    ]);
    expect(
      pointers(validateBlocks([{ type: 'actions', elements: [button(), button()] }], 'message')),
    ).toEqual(['/blocks/0/elements/1/action_id']);
  });

  it('limits button text to 75, value to 2000 and action_id to 255 characters', () => {
    const actions = (b: Record<string, unknown>) => [{ type: 'actions', elements: [b] }];
    const ok = button({
      text: { type: 'plain_text', text: 't'.repeat(75) },
      value: 'v'.repeat(2000),
      action_id: 'a'.repeat(255),
    });

    expect(validateBlocks(actions(ok), 'message')).toEqual([]);
    expect(
      pointers(
        validateBlocks(actions(button({ text: { type: 'plain_text', text: 't'.repeat(76) } })), 'message'),
      ),
    ).toEqual(['/blocks/0/elements/0/text/text']);
    expect(pointers(validateBlocks(actions(button({ value: 'v'.repeat(2001) })), 'message'))).toEqual([
      '/blocks/0/elements/0/value',
    ]);
    expect(pointers(validateBlocks(actions(button({ action_id: 'a'.repeat(256) })), 'message'))).toEqual([
      '/blocks/0/elements/0/action_id',
    ]);
  });

  it('limits a static_select to 100 options of 75-character text (also as a section accessory)', () => {
    const select = (options: unknown[]) => ({
      type: 'static_select',
      action_id: 'pick',
      placeholder: { type: 'plain_text', text: 'Pick' },
      options,
    });
    const hundred = Array.from({ length: 100 }, (_, i) => option(`o${i}`, `v${i}`));

    expect(validateBlocks([section('s', { accessory: select(hundred) })], 'message')).toEqual([]);
    expect(
      pointers(validateBlocks([section('s', { accessory: select([...hundred, option('x')]) })], 'message')),
    ).toEqual(['/blocks/0/accessory/options']);
    expect(
      pointers(
        validateBlocks([{ type: 'actions', elements: [select([option('o'.repeat(76))])] }], 'message'),
      ),
    ).toEqual(['/blocks/0/elements/0/options/0/text/text']);
    expect(
      validateBlocks([{ type: 'actions', elements: [select([option('o'.repeat(75))])] }], 'message'),
    ).toEqual([]);
  });

  it('limits context blocks to 10 elements', () => {
    const el = { type: 'mrkdwn', text: 'c' };
    expect(validateBlocks([{ type: 'context', elements: Array(10).fill(el) }], 'message')).toEqual([]);
    expect(pointers(validateBlocks([{ type: 'context', elements: Array(11).fill(el) }], 'message'))).toEqual([
      '/blocks/0/elements',
    ]);
  });
});

describe('validateView', () => {
  const modal = (overrides: Record<string, unknown> = {}) => ({
    type: 'modal',
    title: { type: 'plain_text', text: 'New campaign' },
    blocks: [],
    ...overrides,
  });
  const plain = (text: string) => ({ type: 'plain_text', text });

  it('accepts 24-character title, submit and close and rejects 25', () => {
    const ok = plain('t'.repeat(24));
    expect(validateView(modal({ title: ok, submit: ok, close: ok }))).toEqual([]);
    const long = plain('t'.repeat(25));
    expect(pointers(validateView(modal({ title: long, submit: long, close: long })))).toEqual([
      '/view/title/text',
      '/view/submit/text',
      '/view/close/text',
    ]);
  });

  it('accepts private_metadata of 3000 characters and rejects 3001', () => {
    expect(validateView(modal({ private_metadata: 'm'.repeat(SLACK_LIMITS.privateMetadata) }))).toEqual([]);
    expect(pointers(validateView(modal({ private_metadata: 'm'.repeat(3001) })))).toEqual([
      '/view/private_metadata',
    ]);
  });

  it('requires a title for modals and submit when there are input blocks', () => {
    expect(pointers(validateView({ type: 'modal', blocks: [] }))).toEqual(['/view/title']);
    const input = {
      type: 'input',
      label: plain('Name'),
      element: { type: 'plain_text_input', action_id: 'v' },
    };
    expect(pointers(validateView(modal({ blocks: [input] })))).toEqual(['/view/submit']);
    expect(validateView(modal({ blocks: [input], submit: plain('Save') }))).toEqual([]);
  });

  it('checks a view’s blocks with the 100-block limit and a bad type', () => {
    const blocks = Array.from({ length: 101 }, () => ({ type: 'divider' }));
    expect(pointers(validateView({ type: 'home', blocks }))).toEqual(['/view/blocks']);
    expect(pointers(validateView({ type: 'dialog', blocks: [] }))).toEqual(['/view/type']);
  });
});
