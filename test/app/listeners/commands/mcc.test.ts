import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { escapeMrkdwn } from '../../../../app/domain/text';
import { subcommands } from '../../../../app/listeners/commands';
import { suggestSubcommand } from '../../../../app/listeners/commands/mcc';
import { type Harness, startHarness } from '../../../helpers/harness';

interface HelpBody {
  response_type: string;
  text: string;
  blocks: { type: string; text?: { text: string } }[];
}

const allText = (body: HelpBody) => body.blocks.map((block) => block.text?.text ?? '').join('\n');

describe('suggestSubcommand', () => {
  const byName = new Map<string, { name: string }>();
  for (const sub of subcommands()) {
    byName.set(sub.name, sub);
    for (const alias of sub.aliases ?? []) byName.set(alias, sub);
  }

  it('suggests the command a typo or a unique prefix most likely meant, by its canonical name', () => {
    // Act / Assess
    expect(suggestSubcommand('helo', byName)).toBe('help');
    expect(suggestSubcommand('campains', byName)).toBe('campaigns');
    expect(suggestSubcommand('stauts', byName)).toBe('status');
    expect(suggestSubcommand('aprovals', byName)).toBe('approvals');
    expect(suggestSubcommand('budg', byName)).toBe('budget');
    // `lst` is one edit from the alias `list`, which is `campaigns`.
    expect(suggestSubcommand('lst', byName)).toBe('campaigns');
  });

  it('suggests nothing for gibberish or an empty name', () => {
    // Act / Assess
    expect(suggestSubcommand('xyzzy', byName)).toBeUndefined();
    expect(suggestSubcommand('deploy', byName)).toBeUndefined();
    expect(suggestSubcommand('', byName)).toBeUndefined();
  });
});

describe('/mcc help and unknown subcommands, through the signed HTTP app', () => {
  let harness: Harness;

  beforeAll(async () => {
    harness = await startHarness();
  });

  afterAll(async () => {
    await harness.close();
  });

  it('lists every registered subcommand with its usage and one-line description', async () => {
    // Act
    const response = await harness.command('help');

    // Assess
    const body = response.json<HelpBody>();
    expect(body.response_type).toBe('ephemeral');
    const text = allText(body);
    // Usages are mrkdwn text: the `<…>` placeholders are escaped, not sent as Slack markup.
    expect(text).toContain('`/mcc status &lt;campaign name or id&gt;`');
    for (const sub of subcommands()) {
      expect(text).toContain(`\`${escapeMrkdwn(sub.usage)}\``);
      expect(text).toContain(escapeMrkdwn(sub.description));
      expect(sub.description).not.toContain('\n');
    }
    expect(body.blocks.length).toBeLessThanOrEqual(50);
    for (const block of body.blocks) expect((block.text?.text ?? '').length).toBeLessThanOrEqual(3000);
  });

  it('answers an empty `/mcc` with the help', async () => {
    // Act
    const response = await harness.command('');

    // Assess
    const body = response.json<HelpBody>();
    expect(allText(body)).toContain('/mcc status');
    expect(allText(body)).not.toContain("I don't know");
  });

  it('answers a mistyped subcommand with "did you mean" and the help, without running anything', async () => {
    // Act
    const response = await harness.command('helo');

    // Assess
    const body = response.json<HelpBody>();
    expect(body.response_type).toBe('ephemeral');
    expect(body.text).toBe("I don't know `/mcc helo`. Did you mean `/mcc help`?");
    expect(body.blocks[0]?.text?.text).toContain('Did you mean `/mcc help`?');
    for (const sub of subcommands()) expect(allText(body)).toContain(`\`${escapeMrkdwn(sub.usage)}\``);
    expect(harness.standin.calls()).toEqual([]);
  });

  it('answers gibberish with the help and no misleading suggestion', async () => {
    // Act
    const response = await harness.command('xyzzy plugh');

    // Assess
    const body = response.json<HelpBody>();
    expect(body.text).toBe("I don't know `/mcc xyzzy`.");
    expect(allText(body)).not.toContain('Did you mean');
    expect(allText(body)).toContain('/mcc campaigns');
  });
});
