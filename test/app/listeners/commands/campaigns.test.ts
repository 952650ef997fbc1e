import type { ActionsBlock, Button, KnownBlock } from '@slack/types';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ActionIds, BlockIds } from '../../../../app/ids';
import type { Harness } from '../../../helpers/harness';
import { ALL, byLaunch, day, LA_USER, NY_USER, startCampaignHarness } from '../campaign-fixture-data';

interface Posted {
  response_type?: string;
  replace_original?: boolean;
  text: string;
  blocks: KnownBlock[];
}

/** Campaign ids in the order a page lists them (each line starts `*Name*  \`cmp-…\``). */
function listedIds(posted: Posted): string[] {
  return posted.blocks
    .slice(1)
    .flatMap((block) =>
      block.type === 'section' && block.text ? [...block.text.text.matchAll(/`(cmp-\d+)`/g)] : [],
    )
    .map((match) => match[1] ?? '');
}

function showMore(posted: Posted): Button | undefined {
  const actions = posted.blocks.find((block) => block.type === 'actions') as ActionsBlock | undefined;
  const button = actions?.elements[0];
  return button?.type === 'button' ? button : undefined;
}

describe('/mcc campaigns (through the HTTP app, Slack stand-in and dynalite)', () => {
  let harness: Harness;

  beforeAll(async () => {
    harness = await startCampaignHarness();
  });

  afterAll(async () => {
    await harness.close();
  });

  /** Runs `/mcc campaigns <filters>` and returns the first page, which is the ack body itself. */
  async function run(filters: string, userId = LA_USER): Promise<Posted> {
    const response = await harness.command(`campaigns ${filters}`.trim(), { user_id: userId });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('application/json');
    const answer = response.json<Posted>();
    expect(answer.response_type).toBe('ephemeral');
    expect(harness.standin.responses(response.responseUrl)).toEqual([]);
    return answer;
  }

  async function click(button: Button, userId = LA_USER): Promise<Posted> {
    const response = await harness.action({
      user: { id: userId, username: 'lee', name: 'lee', team_id: 'T0LOCAL' },
      container: {
        type: 'message',
        message_ts: '1700000000.000100',
        channel_id: 'C0GENERAL',
        is_ephemeral: true,
      },
      actions: [
        {
          type: 'button',
          action_id: button.action_id ?? '',
          block_id: BlockIds.campaignsMore,
          text: button.text,
          value: button.value ?? '',
          action_ts: '1700000001.000200',
        },
      ],
    });
    expect(response.status).toBe(200);
    // The answer comes from a `slack.respond` job, after the HTTP response.
    await harness.idle();
    const posts = harness.standin.responses(response.responseUrl);
    expect(posts).toHaveLength(1);
    return posts[0]?.body as unknown as Posted;
  }

  it('lists by status, sorted by launch date, with a compact line each', async () => {
    const page = await run('status:planned');

    const expected = byLaunch(ALL.filter((c) => c.status === 'PLANNED'));
    expect(listedIds(page)).toEqual(expected);
    expect(page.text).toContain(`Campaigns (status: planned): ${expected.length} found`);
    const body = JSON.stringify(page.blocks);
    expect(body).toContain('*Fête de la Musique*  `cmp-003`');
    expect(body).toContain(
      ':spiral_calendar_pad: Planned · Tier 1 · Événements &amp; Field · :calendar: Nov 23 (in 2 days) · $45,000.50',
    );
    expect(showMore(page)).toBeUndefined();
  });

  it('accepts tolerant status names', async () => {
    const inProgress = ALL.filter((c) => c.status === 'IN_PROGRESS');
    expect(listedIds(await run('status:in progress'))).toEqual(byLaunch(inProgress));
    expect(listedIds(await run('status:IN_PROGRESS'))).toEqual(byLaunch(inProgress));
    expect(listedIds(await run('status:pending'))).toEqual(['cmp-005']);
  });

  it('filters by team name (forgiving) and by tier, combined', async () => {
    const page = await run('team:evenements');
    expect(listedIds(page)).toEqual(['cmp-003']);
    expect(page.text).toContain('team: Événements &amp; Field');

    const combined = await run('team:brand studio tier:2');
    expect(listedIds(combined)).toEqual(
      byLaunch(ALL.filter((c) => c.teamId === 'team-brand' && c.tier === 2)),
    );

    const tier1Planned = await run('status:planned tier:1');
    expect(listedIds(tier1Planned)).toEqual(
      byLaunch(ALL.filter((c) => c.status === 'PLANNED' && c.tier === 1)),
    );
  });

  it('lists what launches this week, Monday to Sunday in the user’s own time zone', async () => {
    // At TEST_NOW it is Saturday 21 November in Los Angeles (week Nov 16–22) but Sunday 22 in New York (same week);
    // "next week" is Nov 23–29 for both.
    const la = await run('launching this week', LA_USER);
    const thisWeek = ALL.filter((c) => c.launchDate >= day('11-16') && c.launchDate <= day('11-22'));
    expect(listedIds(la)).toEqual(byLaunch(thisWeek).slice(0, 15));
    expect(la.text).toContain('launching this week (Nov 16 – Nov 22)');

    const next = await run('next week', NY_USER);
    const nextWeek = ALL.filter((c) => c.launchDate >= day('11-23') && c.launchDate <= day('11-29'));
    expect(listedIds(next)).toEqual(byLaunch(nextWeek));
    expect(listedIds(next)).toContain('cmp-003');
  });

  it('pages through every campaign with "Show more", replacing the message, without duplicates or gaps', async () => {
    // Act: the first page, then click "Show more" until it is gone.
    const pages: Posted[] = [await run('')];
    for (let button = showMore(pages[0] as Posted); button; button = showMore(pages.at(-1) as Posted)) {
      expect(button.action_id).toBe(ActionIds.campaignsShowMore);
      expect((button.value ?? '').length).toBeLessThanOrEqual(2000);
      pages.push(await click(button));
      expect(pages.length).toBeLessThan(10); // bounded: a broken cursor must not loop forever
    }

    // Assess
    expect(pages).toHaveLength(Math.ceil(ALL.length / 15));
    const seen = pages.flatMap(listedIds);
    expect(seen).toEqual(byLaunch(ALL));
    expect(new Set(seen).size).toBe(ALL.length);
    for (const page of pages.slice(1)) expect(page.replace_original).toBe(true);
    for (const page of pages) expect(page.blocks.length).toBeLessThanOrEqual(50);
    expect(pages[1]?.text).toContain(`${ALL.length} found, showing 16–30`);
  });

  it('keeps the filter while paging', async () => {
    const first = await run('team:growth');
    const growth = byLaunch(ALL.filter((c) => c.teamId === 'team-growth'));
    const button = showMore(first);
    expect(button).toBeDefined();
    const second = await click(button as Button);
    expect([...listedIds(first), ...listedIds(second)]).toEqual(growth);
    expect(showMore(second)).toBeUndefined();
  });

  it('names an unknown filter and lists the valid ones', async () => {
    const answer = await run('owner:me');

    expect(answer.text).toContain("I don't know the filter `owner:`");
    for (const valid of [
      'launching this week',
      'status:&lt;status&gt;',
      'team:&lt;team name or id&gt;',
      'tier:&lt;1|2|3&gt;',
    ]) {
      expect(answer.text).toContain(valid);
    }
  });

  it('says so when a team does not exist, and when nothing matches', async () => {
    expect((await run('team:finance')).text).toContain(
      'No team matches `finance`. Teams: Brand Studio (`team-brand`)',
    );

    const none = await run('status:cancelled');
    expect(none.text).toBe(
      'No campaigns match (status: cancelled). Try fewer filters, or `/mcc campaigns` for every campaign.',
    );
  });

  it('refuses a forged or stale "Show more" value with a clear message', async () => {
    const answer = await click({
      type: 'button',
      action_id: ActionIds.campaignsShowMore,
      text: { type: 'plain_text', text: 'Show more' },
      value: '{"v":1,"f":{"statuses":["NOPE"]},"a":"x"}',
    });
    expect(answer.replace_original).toBe(false);
    expect(answer.text).toContain('That list is out of date');
  });
  it('reads through the narrowest index, and the team list once: 2 reads (and the one-write dedupe claim) for a team filter', async () => {
    const sent: string[] = [];
    harness.runtime.db.middlewareStack.add(
      (next, context) => async (args) => {
        const input = args.input as { TableName?: unknown; IndexName?: unknown };
        const table = String(input.TableName).replace(/^.*?(campaigns|teams|dedupe)$/, '$1');
        sent.push(
          `${String(context.commandName)} ${table}${input.IndexName ? `/${String(input.IndexName)}` : ''}`,
        );
        return next(args);
      },
      { step: 'initialize', name: 'campaignsCommandCounter' },
    );
    try {
      await run('status:planned'); // warms the users.info cache
      sent.length = 0;

      const page = await run('team:brand studio');

      expect(listedIds(page)).toEqual(byLaunch(ALL.filter((c) => c.teamId === 'team-brand')).slice(0, 15));
      expect([...sent].sort()).toEqual([
        'PutItemCommand dedupe',
        'QueryCommand campaigns/team-index',
        'QueryCommand teams/all-index',
      ]);
    } finally {
      harness.runtime.db.middlewareStack.remove('campaignsCommandCounter');
    }
  });
});
