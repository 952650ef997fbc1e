import type { StaticSelectAction } from '@slack/bolt';
import type { ActionsBlock, KnownBlock, StaticSelect } from '@slack/types';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ActionIds, BlockIds } from '../../../../app/ids';
import type { Harness } from '../../../helpers/harness';
import { LA_USER, NAMED, NY_USER, OTHER_USER, startCampaignHarness, YEAR } from '../campaign-fixture-data';

interface Posted {
  response_type?: string;
  replace_original?: boolean;
  text: string;
  blocks: KnownBlock[];
}

describe('/mcc status (through the HTTP app, Slack stand-in and dynalite)', () => {
  let harness: Harness;

  beforeAll(async () => {
    harness = await startCampaignHarness();
  });

  afterAll(async () => {
    await harness.close();
  });

  /** Runs `/mcc status <query>` and returns the answer, which is the ack body itself. */
  async function run(query: string, userId = LA_USER): Promise<Posted> {
    const response = await harness.command(`status ${query}`, { user_id: userId });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('application/json');
    const answer = response.json<Posted>();
    expect(answer.response_type).toBe('ephemeral');
    // Nothing through response_url: no second round trip to Slack.
    expect(harness.standin.responses(response.responseUrl)).toEqual([]);
    return answer;
  }

  const header = (posted: Posted) => {
    const first = posted.blocks[0];
    return first?.type === 'header' ? first.text.text : undefined;
  };

  it('shows the card for an exact name, in the user’s time zone', async () => {
    // Act: at TEST_NOW it is still 21 November in Los Angeles.
    const card = await run('spring launch', LA_USER);

    // Assess
    expect(card.response_type).toBe('ephemeral');
    expect(header(card)).toBe('Spring Launch'); // not "Spring Launch Retargeting"
    const body = JSON.stringify(card.blocks);
    for (const expected of [
      'In progress',
      'Standard · Tier 1',
      '<@U0TESTLON>',
      'Growth Marketing · <#C0GROWTH1>',
      '$12,500',
      `Sat, Nov 21, ${YEAR}`,
      '_today_',
      '1 of 3 done', // the cancelled task does not count
      '1 overdue', // due the 20th; the one due today is not overdue yet
      `*Next milestone:* Creative approved — due Sat, Nov 21, ${YEAR} (today)`,
      'America/Los_Angeles',
    ]) {
      expect(body).toContain(expected);
    }
    const actions = card.blocks.find((block) => block.type === 'actions') as ActionsBlock | undefined;
    expect(actions?.elements[0]).toMatchObject({
      type: 'button',
      action_id: ActionIds.openCampaignLink,
      url: 'https://example.my.workfront.com/project/wf-1',
      text: { text: 'Open in Workfront' },
    });
    expect(harness.standin.calls('users.info').some((call) => call.args.user === LA_USER)).toBe(true);
  });

  it('counts "yesterday" and overdue by the New York user’s own day', async () => {
    const card = await run('cmp-001', NY_USER);

    const body = JSON.stringify(card.blocks);
    expect(header(card)).toBe('Spring Launch');
    expect(body).toContain('_yesterday_');
    expect(body).toContain('2 overdue');
    expect(body).toContain('America/New_York');
  });

  it('matches an accented name typed without accents', async () => {
    const card = await run('fete de la musique');

    expect(header(card)).toBe('Fête de la Musique');
    const body = JSON.stringify(card.blocks);
    expect(body).toContain('Event · Tier 1');
    expect(body).toContain('$45,000.50');
    expect(body).toContain('Événements &amp; Field'); // team name, escaped
    expect(body).toContain('in 2 days');
    expect(body).toContain('Open in Asana');
  });

  it('asks which campaign for an ambiguous name, then replaces the picker with the chosen card', async () => {
    // Act 1: "spring" matches two campaigns equally.
    const picker = await run('spring');

    // Assess 1
    expect(picker.text).toContain('2 campaigns match “spring”');
    const actions = picker.blocks.find((block) => block.type === 'actions') as ActionsBlock | undefined;
    expect(actions?.block_id).toBe(BlockIds.statusPicker);
    const menu = actions?.elements[0] as StaticSelect;
    expect(menu.action_id).toBe(ActionIds.statusPickCampaign);
    expect(menu.options?.map((option) => option.value)).toEqual(['cmp-001', 'cmp-002']);

    // Act 2: choose the second option, from the ephemeral picker message.
    const chosen = menu.options?.[1];
    if (!chosen) throw new Error('the picker has no second option');
    const click = await harness.action({
      user: { id: LA_USER, username: 'lee', name: 'lee', team_id: 'T0LOCAL' },
      container: {
        type: 'message',
        message_ts: '1700000000.000100',
        channel_id: 'C0GENERAL',
        is_ephemeral: true,
      },
      actions: [
        {
          type: 'static_select',
          action_id: ActionIds.statusPickCampaign,
          block_id: BlockIds.statusPicker,
          selected_option: { text: chosen.text, value: chosen.value ?? '' },
          action_ts: '1700000001.000200',
        } satisfies StaticSelectAction,
      ],
    });

    // Assess 2: the picker is replaced by the card of the chosen campaign.
    expect(click.status).toBe(200);
    await harness.idle(); // the card comes from a `slack.respond` job, after the HTTP response
    const posts = harness.standin.responses(click.responseUrl);
    expect(posts).toHaveLength(1);
    const card = posts[0]?.body as unknown as Posted;
    expect(card.replace_original).toBe(true);
    expect(header(card)).toBe('Spring Launch Retargeting');
    expect(JSON.stringify(card.blocks)).toContain('Brand Studio');
    expect(JSON.stringify(card.blocks)).toContain('No project linked yet');
  });

  it('acks a click on the card’s project link and posts nothing (Slack opens the URL itself)', async () => {
    const click = await harness.action({
      user: { id: LA_USER, username: 'lee', name: 'lee', team_id: 'T0LOCAL' },
      action: {
        type: 'button',
        action_id: ActionIds.openCampaignLink,
        block_id: BlockIds.campaignCardActions,
        value: 'cmp-001',
      },
    });

    expect(click.status).toBe(200);
    expect(harness.standin.responses(click.responseUrl)).toEqual([]);
  });

  it('names the closest campaigns when nothing matches', async () => {
    const answer = await run('summer sail promo');

    expect(answer.text).toContain('No campaign matches “summer sail promo”');
    expect(answer.text).toMatch(
      /The closest names are \*Summer Sale\* \(`cmp-004`\), \*[^*]+\* \(`cmp-\d+`\), \*[^*]+\* \(`cmp-\d+`\)\./,
    );
    expect(answer.text).toContain('/mcc campaigns');
  });

  it('an id that matches nothing says so, and offers no unrelated names', async () => {
    const answer = await run('cmp-999');

    expect(answer.text).toContain('No campaign with id `cmp-999`.');
    expect(answer.text).not.toContain('closest');
    expect(answer.text).toContain('/mcc campaigns');
  });

  it('tells how to use it when no name is given', async () => {
    const lookupsBefore = harness.standin.calls('users.info').length;

    const answer = await run('');

    expect(answer.text).toContain('/mcc status Spring Launch');
    expect(harness.standin.calls('users.info')).toHaveLength(lookupsBefore); // no lookup for a usage hint
  });

  it('falls back to UTC, and says so, when users.info fails', async () => {
    harness.standin.failNext('users.info', { error: 'user_not_found' });

    const card = await run('holiday gift guide', OTHER_USER);

    expect(header(card)).toBe('Holiday Gift Guide');
    const body = JSON.stringify(card.blocks);
    expect(body).toContain("couldn't read your time zone from Slack, so dates are in UTC");
    expect(body).toContain('4 days ago'); // 18 November seen from 22 November UTC
  });
  it('warm, costs the minimum of 4 DynamoDB calls: the dedupe claim (one write: Slack never retries a command), the campaign, its tasks and its team', async () => {
    // Prepare: record every command the app's client sends (table and operation).
    const sent: string[] = [];
    harness.runtime.db.middlewareStack.add(
      (next, context) => async (args) => {
        const input = args.input as { TableName?: unknown };
        sent.push(
          `${String(context.commandName)} ${String(input.TableName).replace(/^.*?(campaigns|tasks|teams|dedupe)$/, '$1')}`,
        );
        return next(args);
      },
      { step: 'initialize', name: 'statusCommandCounter' },
    );
    try {
      await run('spring launch'); // warms the name directory and the users.info cache
      sent.length = 0;
      const slackCallsBefore = harness.standin.calls().length;

      // Act
      const card = await run('spring launch');

      // Assess: no status-index queries (the name matched in memory); one of each read, fresh.
      expect(header(card)).toBe('Spring Launch');
      expect([...sent].sort()).toEqual([
        'GetItemCommand campaigns',
        'GetItemCommand teams',
        'PutItemCommand dedupe',
        'QueryCommand tasks',
      ]);
      expect(sent[0]).toBe('PutItemCommand dedupe'); // the claim comes first, then the three reads
      // No Slack call either: users.info is cached and the card is the ack body (`run` checks response_url).
      expect(harness.standin.calls()).toHaveLength(slackCallsBefore);
    } finally {
      harness.runtime.db.middlewareStack.remove('statusCommandCounter');
    }
  });

  it('shows a campaign changed since the name directory loaded as it is now', async () => {
    await run('holiday gift guide'); // the directory now holds the campaign
    const { campaigns } = harness.runtime.repositories;
    const id = NAMED.find((c) => c.name === 'Holiday Gift Guide')?.campaignId ?? '';
    const before = await campaigns.get(id);
    if (!before) throw new Error('Holiday Gift Guide is missing from the fixtures');
    await campaigns.update({ ...before, budgetCents: 777_700 }, before.version);

    try {
      const card = await run('holiday gift guide');

      expect(header(card)).toBe('Holiday Gift Guide');
      expect(JSON.stringify(card.blocks)).toContain('$7,777');
    } finally {
      const after = await campaigns.get(id);
      if (after) await campaigns.update({ ...before, version: after.version }, after.version);
    }
  });

  it('answers a store failure in the ack with a clear message and a reference, not an empty ack', async () => {
    harness.runtime.db.middlewareStack.add(
      (next, context) => async (args) => {
        if (context.commandName === 'QueryCommand') throw new Error('simulated DynamoDB outage');
        return next(args);
      },
      { step: 'initialize', name: 'statusStoreFailure' },
    );
    try {
      const answer = await run('spring launch');

      expect(answer.text).toMatch(
        /^Something went wrong running `\/mcc status`\. Try again in a moment; if it keeps failing, give your admin this reference: `[^`]+`\.$/,
      );
      expect(answer.blocks ?? []).toEqual([]);
    } finally {
      harness.runtime.db.middlewareStack.remove('statusStoreFailure');
    }
  });
});
