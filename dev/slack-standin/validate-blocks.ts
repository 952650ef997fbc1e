/**
 * Block Kit limit checks for the Slack Web API stand-in: what Slack rejects, so a renderer that
 * overflows fails in tests instead of in a workspace. Pure functions, no I/O.
 *
 * The limits are written out here rather than imported from `blocks/text.ts` on purpose: this
 * module models Slack, and a renderer bug in the shared constants must not hide itself.
 * Sources: platform-facts §3, the `@slack/types` TSDoc and Slack's Block Kit reference.
 */

/** Slack's limits as this stand-in enforces them. */
export const SLACK_LIMITS = {
  messageBlocks: 50,
  surfaceBlocks: 100,
  blockId: 255,
  actionId: 255,
  sectionText: 3000,
  sectionFields: 10,
  fieldText: 2000,
  headerText: 150,
  actionsElements: 25,
  contextElements: 10,
  markdownText: 12_000,
  buttonText: 75,
  buttonValue: 2000,
  url: 3000,
  accessibilityLabel: 75,
  selectOptions: 100,
  optionGroups: 100,
  optionText: 75,
  optionValue: 150,
  placeholder: 150,
  overflowOptions: 5,
  radioOrCheckboxOptions: 10,
  inputLabel: 2000,
  inputHint: 2000,
  imageAltText: 2000,
  viewTitle: 24,
  viewButton: 24,
  privateMetadata: 3000,
  callbackId: 255,
  externalId: 255,
  messageText: 40_000,
} as const;

/** One problem, located by a JSON pointer into the request argument (e.g. `/blocks/3/text/text`). */
export interface BlockIssue {
  pointer: string;
  message: string;
}

/** Slack's wording: `must be less than 3001 characters [json-pointer:/blocks/0/text/text]`. */
export function formatIssue(issue: BlockIssue): string {
  return `${issue.message} [json-pointer:${issue.pointer}]`;
}

export type Surface = 'message' | 'modal' | 'home';

const KNOWN_BLOCK_TYPES = new Set([
  'actions',
  'context',
  'divider',
  'file',
  'header',
  'image',
  'input',
  'markdown',
  'rich_text',
  'section',
  'video',
  'table',
  'context_actions',
  'call',
]);

const OPTION_SELECTS = new Set(['static_select', 'multi_static_select']);
const CHOICE_ELEMENTS = new Set(['radio_buttons', 'checkboxes']);

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** Collects issues; a small class keeps the pointer bookkeeping in one place. */
class Checker {
  readonly issues: BlockIssue[] = [];

  add(pointer: string, message: string): void {
    this.issues.push({ pointer, message });
  }

  maxLength(value: unknown, max: number, pointer: string): void {
    if (typeof value === 'string' && value.length > max)
      this.add(pointer, `must be less than ${max + 1} characters`);
  }

  maxItems(value: unknown, max: number, pointer: string): void {
    if (Array.isArray(value) && value.length > max) this.add(pointer, `must be less than ${max + 1} items`);
  }

  /** A text object: `{ type, text }`, `text` 1..max characters. */
  textObject(value: unknown, max: number, pointer: string, options: { plainOnly?: boolean } = {}): void {
    if (!isObject(value)) {
      this.add(pointer, 'must provide an object');
      return;
    }
    if (value.type !== 'plain_text' && value.type !== 'mrkdwn') {
      this.add(`${pointer}/type`, 'must be one of plain_text, mrkdwn');
    } else if (options.plainOnly && value.type !== 'plain_text') {
      this.add(`${pointer}/type`, 'must be plain_text');
    }
    if (typeof value.text !== 'string') {
      this.add(`${pointer}/text`, 'must provide a string');
      return;
    }
    if (value.text.length === 0) this.add(`${pointer}/text`, 'must be more than 0 characters');
    this.maxLength(value.text, max, `${pointer}/text`);
  }

  actionId(element: Json, pointer: string): void {
    this.maxLength(element.action_id, SLACK_LIMITS.actionId, `${pointer}/action_id`);
  }

  option(option: unknown, pointer: string, textMax: number = SLACK_LIMITS.optionText): void {
    if (!isObject(option)) {
      this.add(pointer, 'must provide an object');
      return;
    }
    this.textObject(option.text, textMax, `${pointer}/text`);
    this.maxLength(option.value, SLACK_LIMITS.optionValue, `${pointer}/value`);
    if (option.description !== undefined)
      this.textObject(option.description, SLACK_LIMITS.optionText, `${pointer}/description`);
  }

  options(list: unknown, max: number, pointer: string): void {
    if (!Array.isArray(list)) return;
    this.maxItems(list, max, pointer);
    list.forEach((option, i) => {
      this.option(option, `${pointer}/${i}`);
    });
  }

  element(element: unknown, pointer: string): void {
    if (!isObject(element)) {
      this.add(pointer, 'must provide an object');
      return;
    }
    const type = element.type;
    if (typeof type !== 'string') {
      this.add(`${pointer}/type`, 'must provide a string');
      return;
    }
    if (type === 'image' || type === 'plain_text' || type === 'mrkdwn') {
      if (type === 'image')
        this.maxLength(element.alt_text, SLACK_LIMITS.imageAltText, `${pointer}/alt_text`);
      else this.textObject(element, SLACK_LIMITS.sectionText, pointer);
      return;
    }
    this.actionId(element, pointer);
    if (element.placeholder !== undefined)
      this.textObject(element.placeholder, SLACK_LIMITS.placeholder, `${pointer}/placeholder`, {
        plainOnly: true,
      });
    if (type === 'button') {
      this.textObject(element.text, SLACK_LIMITS.buttonText, `${pointer}/text`, { plainOnly: true });
      this.maxLength(element.value, SLACK_LIMITS.buttonValue, `${pointer}/value`);
      this.maxLength(element.url, SLACK_LIMITS.url, `${pointer}/url`);
      this.maxLength(
        element.accessibility_label,
        SLACK_LIMITS.accessibilityLabel,
        `${pointer}/accessibility_label`,
      );
      return;
    }
    if (OPTION_SELECTS.has(type)) {
      if (element.options === undefined && element.option_groups === undefined)
        this.add(pointer, 'must provide options or option_groups');
      this.options(element.options, SLACK_LIMITS.selectOptions, `${pointer}/options`);
      if (Array.isArray(element.option_groups)) {
        this.maxItems(element.option_groups, SLACK_LIMITS.optionGroups, `${pointer}/option_groups`);
        element.option_groups.forEach((group, g) => {
          const groupPointer = `${pointer}/option_groups/${g}`;
          if (!isObject(group)) {
            this.add(groupPointer, 'must provide an object');
            return;
          }
          this.textObject(group.label, SLACK_LIMITS.optionText, `${groupPointer}/label`, { plainOnly: true });
          this.options(group.options, SLACK_LIMITS.selectOptions, `${groupPointer}/options`);
        });
      }
      return;
    }
    if (type === 'overflow') {
      this.options(element.options, SLACK_LIMITS.overflowOptions, `${pointer}/options`);
      return;
    }
    if (CHOICE_ELEMENTS.has(type)) {
      this.options(element.options, SLACK_LIMITS.radioOrCheckboxOptions, `${pointer}/options`);
    }
  }

  block(block: unknown, pointer: string, surface: Surface): void {
    if (!isObject(block)) {
      this.add(pointer, 'must provide an object');
      return;
    }
    const type = block.type;
    if (typeof type !== 'string' || !KNOWN_BLOCK_TYPES.has(type)) {
      this.add(`${pointer}/type`, 'must be a known block type');
      return;
    }
    this.maxLength(block.block_id, SLACK_LIMITS.blockId, `${pointer}/block_id`);
    switch (type) {
      case 'section':
        if (block.text === undefined && block.fields === undefined)
          this.add(pointer, 'must provide text or fields');
        if (block.text !== undefined)
          this.textObject(block.text, SLACK_LIMITS.sectionText, `${pointer}/text`);
        if (block.fields !== undefined) {
          if (!Array.isArray(block.fields)) this.add(`${pointer}/fields`, 'must provide an array');
          else {
            this.maxItems(block.fields, SLACK_LIMITS.sectionFields, `${pointer}/fields`);
            block.fields.forEach((field, i) => {
              this.textObject(field, SLACK_LIMITS.fieldText, `${pointer}/fields/${i}`);
            });
          }
        }
        if (block.accessory !== undefined) this.element(block.accessory, `${pointer}/accessory`);
        return;
      case 'header':
        this.textObject(block.text, SLACK_LIMITS.headerText, `${pointer}/text`, { plainOnly: true });
        return;
      case 'actions':
        if (!Array.isArray(block.elements) || block.elements.length === 0) {
          this.add(`${pointer}/elements`, 'must provide at least 1 item');
          return;
        }
        this.maxItems(block.elements, SLACK_LIMITS.actionsElements, `${pointer}/elements`);
        block.elements.forEach((element, i) => {
          this.element(element, `${pointer}/elements/${i}`);
        });
        return;
      case 'context':
        if (!Array.isArray(block.elements) || block.elements.length === 0) {
          this.add(`${pointer}/elements`, 'must provide at least 1 item');
          return;
        }
        this.maxItems(block.elements, SLACK_LIMITS.contextElements, `${pointer}/elements`);
        block.elements.forEach((element, i) => {
          this.element(element, `${pointer}/elements/${i}`);
        });
        return;
      case 'input':
        if (surface === 'message') this.add(pointer, 'input blocks are only allowed in modals and Home tabs');
        this.textObject(block.label, SLACK_LIMITS.inputLabel, `${pointer}/label`, { plainOnly: true });
        if (block.hint !== undefined)
          this.textObject(block.hint, SLACK_LIMITS.inputHint, `${pointer}/hint`, { plainOnly: true });
        this.element(block.element, `${pointer}/element`);
        return;
      case 'markdown':
        if (typeof block.text !== 'string') this.add(`${pointer}/text`, 'must provide a string');
        this.maxLength(block.text, SLACK_LIMITS.markdownText, `${pointer}/text`);
        return;
      case 'image':
        this.maxLength(block.alt_text, SLACK_LIMITS.imageAltText, `${pointer}/alt_text`);
        this.maxLength(block.image_url, SLACK_LIMITS.url, `${pointer}/image_url`);
        return;
      default:
        return;
    }
  }

  blocks(blocks: unknown, surface: Surface, pointer: string): void {
    if (!Array.isArray(blocks)) {
      this.add(pointer, 'must provide an array');
      return;
    }
    const max = surface === 'message' ? SLACK_LIMITS.messageBlocks : SLACK_LIMITS.surfaceBlocks;
    this.maxItems(blocks, max, pointer);
    const seen = new Set<string>();
    blocks.forEach((block, i) => {
      this.block(block, `${pointer}/${i}`, surface);
      if (isObject(block) && typeof block.block_id === 'string') {
        if (seen.has(block.block_id)) this.add(`${pointer}/${i}/block_id`, 'must be unique among blocks');
        seen.add(block.block_id);
      }
    });
    this.uniqueActionIds(blocks, pointer);
  }

  /** Within one block, two interactive elements may not share an `action_id`. */
  private uniqueActionIds(blocks: unknown[], pointer: string): void {
    blocks.forEach((block, i) => {
      if (!isObject(block) || !Array.isArray(block.elements)) return;
      const ids = new Set<string>();
      block.elements.forEach((element, j) => {
        if (!isObject(element) || typeof element.action_id !== 'string') return;
        if (ids.has(element.action_id))
          this.add(`${pointer}/${i}/elements/${j}/action_id`, 'must be unique within the block');
        ids.add(element.action_id);
      });
    });
  }
}

/**
 * Checks a `blocks` array for `surface` (50 blocks in a message, 100 in a modal or Home tab) and
 * every block and element limit. Returns no issues when Slack would accept it.
 */
export function validateBlocks(blocks: unknown, surface: Surface, pointer = '/blocks'): BlockIssue[] {
  const checker = new Checker();
  checker.blocks(blocks, surface, pointer);
  return checker.issues;
}

/** Checks a `view` argument (views.open/update/push/publish): type, title, buttons, metadata, blocks. */
export function validateView(view: unknown, pointer = '/view'): BlockIssue[] {
  const checker = new Checker();
  if (!isObject(view)) {
    checker.add(pointer, 'must provide an object');
    return checker.issues;
  }
  const type = view.type;
  if (type !== 'modal' && type !== 'home') {
    checker.add(`${pointer}/type`, 'must be one of modal, home');
    return checker.issues;
  }
  if (type === 'modal') {
    if (view.title === undefined) checker.add(`${pointer}/title`, 'must provide an object');
    else checker.textObject(view.title, SLACK_LIMITS.viewTitle, `${pointer}/title`, { plainOnly: true });
    for (const key of ['submit', 'close'] as const) {
      if (view[key] !== undefined && view[key] !== null)
        checker.textObject(view[key], SLACK_LIMITS.viewButton, `${pointer}/${key}`, { plainOnly: true });
    }
    const hasInput = Array.isArray(view.blocks) && view.blocks.some((b) => isObject(b) && b.type === 'input');
    if (hasInput && (view.submit === undefined || view.submit === null))
      checker.add(`${pointer}/submit`, 'must provide submit when the view has input blocks');
  }
  checker.maxLength(view.private_metadata, SLACK_LIMITS.privateMetadata, `${pointer}/private_metadata`);
  checker.maxLength(view.callback_id, SLACK_LIMITS.callbackId, `${pointer}/callback_id`);
  checker.maxLength(view.external_id, SLACK_LIMITS.externalId, `${pointer}/external_id`);
  checker.blocks(view.blocks, type, `${pointer}/blocks`);
  return checker.issues;
}
