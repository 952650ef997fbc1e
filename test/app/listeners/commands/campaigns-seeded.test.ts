import type { StaticSelectAction } from '@slack/bolt';
import type { ActionsBlock, Button, KnownBlock, StaticSelect } from '@slack/types';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Campaign } from '../../../../app/domain/model';
import { ActionIds, BlockIds } from '../../../../app/ids';
import { buildDemoData, DEMO_IDS } from '../../../../dev/demo-data';
import { type Harness, startHarness } from '../../../helpers/harness';

/**
 * `/mcc status` and `/mcc campaigns` over the demo portfolio (dev/seed.ts, `seed: true`), the
 * data people see on `npm start`. Expectations come from `buildDemoData` at the same clock, so
 * they follow the seed rather than copies of it.
 *
 * 12:00 UTC on a Wednesday: the same calendar day from Los Angeles to Tokyo, so the seed's
 * "in N days" (counted from the UTC day) reads the same for every demo user.
 */
const NOW = new Date('2099-03-11T12:00:00Z');
const DIEGO = 'U0DIEGO'; // America/Los_Angeles
const KENJI = 'U0KENJI'; // Asia/Tokyo
const demo = buildDemoData(NOW);

interface Posted {
  replace_original?: boolean;
  text: string;
  blocks: KnownBlock[];
}

const byLaunch = (list: Campaign[]) =>
  [...list]
    .sort((a, b) => a.launchDate.localeCompare(b.launchDate) || a.campaignId.localeCompare(b.campaignId))
    .map((c) => c.campaignId);

function listedIds(posted: Posted): string[] {
  return posted.blocks
    .slice(1)
    .flatMap((block) =>
      block.type === 'section' && block.text ? [...block.text.text.matchAll(/`(cmp-\d+)`/g)] : [],
    )
    .map((match) => match[1] ?? '');
}

function element<T>(posted: Posted, type: string): T | undefined {
  const actions = posted.blocks.find((block) => block.type === 'actions') as ActionsBlock | undefined;
  return actions?.elements.find((e) => e.type === type) as T | undefined;
}

const header = (posted: Posted) =>
  posted.blocks[0]?.type === 'header' ? posted.blocks[0].text.text : undefined;

describe('/mcc status and /mcc campaigns on the seeded demo data', () => {
  let harness: Harness;

  beforeAll(async () => {
    harness = await startHarness({ seed: true, clock: () => NOW });
    // The seed is written by another part of the project; fail clearly if it did not run.
    const seeded = await harness.runtime.repositories.campaigns.get(DEMO_IDS.springLaunch);
    if (!seeded) throw new Error('dev/seed.ts did not seed the demo campaigns');
  });

  afterAll(async () => {
    await harness.close();
  });

  /** Runs `/mcc <text>` and returns the answer, which is the ack body itself (ephemeral). */
  async function command(text: string, userId = DIEGO): Promise<Posted> {
    const response = await harness.command(text, { user_id: userId });
    expect(response.status).toBe(200);
    const answer = response.json<Posted & { response_type?: string }>();
    expect(answer.response_type).toBe('ephemeral');
    expect(harness.standin.responses(response.responseUrl)).toEqual([]);
    return answer;
  }

  async function act(userId: string, action: StaticSelectAction | Button): Promise<Posted> {
    const response = await harness.action({
      user: { id: userId, username: 'demo', name: 'demo', team_id: 'T0LOCAL' },
      container: {
        type: 'message',
        message_ts: '1700000000.000100',
        channel_id: 'C0GENERAL',
        is_ephemeral: true,
      },
      actions: [
        action.type === 'button'
          ? {
              type: 'button',
              action_id: action.action_id ?? '',
              block_id: BlockIds.campaignsMore,
              text: action.text,
              value: action.value ?? '',
              action_ts: '1700000001.000200',
            }
          : action,
      ],
    });
    expect(response.status).toBe(200);
    // The answer comes from a `slack.respond` job, after the HTTP response.
    await harness.idle();
    const posts = harness.standin.responses(response.responseUrl);
    expect(posts).toHaveLength(1);
    return posts[0]?.body as unknown as Posted;
  }

  it('shows the Spring Launch card for its exact name, not its longer namesakes', async () => {
    const card = await command('status Spring Launch');

    expect(header(card)).toBe('Spring Launch');
    const body = JSON.stringify(card.blocks);
    expect(body).toContain('$85,000');
    expect(body).toContain('_in 5 days_');
    expect(body).toContain('2 overdue');
    expect(body).toContain('America/Los_Angeles');
    const springTasks = demo.tasks.filter(
      (t) => t.campaignId === DEMO_IDS.springLaunch && t.status !== 'CANCELLED',
    );
    const done = springTasks.filter((t) => t.status === 'DONE').length;
    expect(body).toContain(`${done} of ${springTasks.length} done`);
    expect(element<Button>(card, 'button')?.url).toBe(
      demo.campaigns.find((c) => c.campaignId === DEMO_IDS.springLaunch)?.externalProjectUrl,
    );
  });

  it('matches accented names typed without accents, preferring the exact words', async () => {
    expect(header(await command('status lancement ete'))).toBe('Lancement Été');
    expect(header(await command('status ano nuevo promo'))).toBe('Año Nuevo Promo'); // not "… LATAM"
    expect(header(await command('status munchen meetup'))).toBe('München Tech Meetup');
  });

  it('offers a picker for "spring" and shows the chosen card in its place', async () => {
    const picker = await command('status spring', KENJI);
    const menu = element<StaticSelect>(picker, 'static_select');
    const springs = demo.campaigns.filter((c) => c.name.startsWith('Spring')).map((c) => c.campaignId);
    expect(menu?.options?.map((o) => o.value).sort()).toEqual(springs.sort());

    const webinar = menu?.options?.find((o) => o.value === DEMO_IDS.springLaunchWebinar);
    if (!webinar) throw new Error('Spring Launch Webinar is not offered');
    const card = await act(KENJI, {
      type: 'static_select',
      action_id: ActionIds.statusPickCampaign,
      block_id: BlockIds.statusPicker,
      selected_option: { text: webinar.text, value: webinar.value ?? '' },
      action_ts: '1700000001.000200',
    });

    expect(card.replace_original).toBe(true);
    expect(header(card)).toBe('Spring Launch Webinar');
    expect(JSON.stringify(card.blocks)).toContain('Asia/Tokyo');
    expect(JSON.stringify(card.blocks)).toContain('Open in Asana');
  });

  it('names the three closest campaigns for a name that matches none', async () => {
    const answer = await command('status xylophone quartet');

    expect(answer.text).toContain('No campaign matches “xylophone quartet”');
    expect(answer.text.match(/\(`cmp-\d{3}`\)/g)).toHaveLength(3);
    expect(answer.text).toContain('/mcc campaigns');
  });

  it('lists by status, team and tier', async () => {
    const pending = await command('campaigns status:pending');
    expect(listedIds(pending)).toEqual(
      byLaunch(demo.campaigns.filter((c) => c.status === 'PENDING_APPROVAL')),
    );

    const growth = await command('campaigns team:growth marketing');
    const growthIds = byLaunch(demo.campaigns.filter((c) => c.teamId === 'team-growth'));
    expect(listedIds(growth)).toEqual(growthIds.slice(0, 15));

    const tier1 = await command('campaigns tier:1 status:in progress');
    expect(listedIds(tier1)).toEqual(
      byLaunch(demo.campaigns.filter((c) => c.tier === 1 && c.status === 'IN_PROGRESS')),
    );
  });

  it('lists what launches this week (Monday 9 – Sunday 15 March)', async () => {
    const week = await command('campaigns launching this week');

    const expected = byLaunch(
      demo.campaigns.filter(
        (c) =>
          c.launchDate >= '2099-03-09' &&
          c.launchDate <= '2099-03-15' &&
          c.status !== 'CANCELLED' &&
          c.status !== 'REJECTED',
      ),
    );
    expect(expected.length).toBeGreaterThan(0);
    expect(listedIds(week)).toEqual(expected);
  });

  it('pages through all 35 campaigns with "Show more", none twice, none missing', async () => {
    const pages = [await command('campaigns')];
    for (
      let more = element<Button>(pages[0] as Posted, 'button');
      more;
      more = element<Button>(pages.at(-1) as Posted, 'button')
    ) {
      pages.push(await act(DIEGO, more));
      expect(pages.length).toBeLessThan(10);
    }

    expect(pages.map((page) => listedIds(page).length)).toEqual([15, 15, 5]);
    expect(pages.flatMap(listedIds)).toEqual(byLaunch(demo.campaigns));
  });
});
