import { describe, expect, it } from 'vitest';
import type { Campaign } from '../../../app/domain/model';
import {
  CampaignDirectory,
  DIRECTORY_REFRESH_ON_MISS_AFTER_MS,
  DIRECTORY_TTL_MS,
} from '../../../app/services/campaign-directory';
import { aCampaign } from '../../helpers/campaign-fixtures';

/**
 * The name directory behind `/mcc status <name>`: a settable clock (milliseconds) and a loader
 * that counts its calls stand in for `Date.now` and `CampaignRepository.listAll`.
 */
function setup(initial: Campaign[]) {
  let now = 1_000_000;
  const store = [...initial];
  let loads = 0;
  let failNext = false;
  const directory = new CampaignDirectory({
    load: async () => {
      loads += 1;
      if (failNext) {
        failNext = false;
        throw new Error('store unavailable');
      }
      return [...store];
    },
    now: () => now,
  });
  return {
    directory,
    store,
    loads: () => loads,
    advance: (ms: number) => {
      now += ms;
    },
    failNextLoad: () => {
      failNext = true;
    },
  };
}

const SPRING = aCampaign({ campaignId: 'cmp-001', name: 'Spring Launch', teamId: 'team-growth' });
const RETARGETING = aCampaign({ campaignId: 'cmp-002', name: 'Spring Launch Retargeting' });
const FETE = aCampaign({ campaignId: 'cmp-003', name: 'Fête de la Musique', teamId: 'team-events' });

const oneId = (result: Awaited<ReturnType<CampaignDirectory['match']>>) =>
  result.kind === 'one' ? result.item.campaignId : result.kind;

describe('CampaignDirectory', () => {
  it('loads once, then answers lookups within the TTL from memory', async () => {
    const t = setup([SPRING, RETARGETING, FETE]);

    expect(oneId(await t.directory.match('spring launch'))).toBe('cmp-001');
    expect(t.loads()).toBe(1);

    t.advance(DIRECTORY_TTL_MS - 1);
    expect(oneId(await t.directory.match('fete de la musique'))).toBe('cmp-003');
    expect(oneId(await t.directory.match('CMP-002'))).toBe('cmp-002'); // ids match too
    expect((await t.directory.match('spring')).kind).toBe('several');
    expect(t.loads()).toBe(1);
  });

  it('reloads once the TTL has passed', async () => {
    const t = setup([SPRING]);
    await t.directory.match('spring launch');
    t.store.push(FETE);

    t.advance(DIRECTORY_TTL_MS);
    // A confident match would not reload on its own; the expired TTL does.
    expect(oneId(await t.directory.match('spring launch'))).toBe('cmp-001');

    expect(t.loads()).toBe(2);
    expect(t.directory.peek('cmp-003')?.name).toBe('Fête de la Musique');
  });

  it('finds a campaign created since the snapshot: a miss reloads once', async () => {
    const t = setup([SPRING, RETARGETING]);
    await t.directory.match('spring launch');
    t.store.push(FETE);
    t.advance(DIRECTORY_REFRESH_ON_MISS_AFTER_MS);

    const found = await t.directory.match('fete de la musique');

    expect(oneId(found)).toBe('cmp-003');
    expect(t.loads()).toBe(2);
  });

  it('reloads at most once per lookup, and not for a miss right after a load', async () => {
    const t = setup([SPRING]);
    await t.directory.match('spring launch');
    t.advance(DIRECTORY_REFRESH_ON_MISS_AFTER_MS);

    // Still nothing after the one reload: answered "none" without a second reload.
    const none = await t.directory.match('xylophone quartet');
    expect(none).toMatchObject({ kind: 'none', closest: [SPRING] });
    expect(t.loads()).toBe(2);

    // Another miss within the refresh window of that reload: no store call.
    t.advance(DIRECTORY_REFRESH_ON_MISS_AFTER_MS - 1);
    expect((await t.directory.match('xylophone quartet')).kind).toBe('none');
    expect(t.loads()).toBe(2);
  });

  it('a miss on a cold directory costs one load, not two', async () => {
    const t = setup([SPRING]);

    expect((await t.directory.match('xylophone quartet')).kind).toBe('none');

    expect(t.loads()).toBe(1);
  });

  it('reloads when only part of a name matched: the full name may be a newer campaign', async () => {
    const t = setup([RETARGETING]);
    // "spring launch" matches "Spring Launch Retargeting" in part: the one answer, but not a confident one.
    expect(oneId(await t.directory.match('spring launch'))).toBe('cmp-002');
    t.store.push(SPRING);
    t.advance(DIRECTORY_REFRESH_ON_MISS_AFTER_MS);

    expect(oneId(await t.directory.match('spring launch'))).toBe('cmp-001');
    expect(t.loads()).toBe(2);
  });

  it('does not reload for a confident match or a picker', async () => {
    const t = setup([SPRING, RETARGETING]);
    await t.directory.match('spring launch');
    t.advance(DIRECTORY_TTL_MS - 1);

    expect(oneId(await t.directory.match('Spring Launch Retargeting'))).toBe('cmp-002');
    expect(oneId(await t.directory.match('launch spring'))).toBe('cmp-001'); // whole words, any order
    expect((await t.directory.match('spring')).kind).toBe('several');

    expect(t.loads()).toBe(1);
  });

  it('shares one load between concurrent lookups', async () => {
    const t = setup([SPRING, FETE]);

    const results = await Promise.all([
      t.directory.match('spring launch'),
      t.directory.match('fete'),
      t.directory.match('cmp-001'),
    ]);

    expect(results.map(oneId)).toEqual(['cmp-001', 'cmp-003', 'cmp-001']);
    expect(t.loads()).toBe(1);
  });

  it('throws when the load fails, caches nothing, and loads again on the next lookup', async () => {
    const t = setup([SPRING]);
    t.failNextLoad();

    await expect(t.directory.match('spring launch')).rejects.toThrow('store unavailable');
    expect(oneId(await t.directory.match('spring launch'))).toBe('cmp-001');

    expect(t.loads()).toBe(2);
  });

  it('peeks without loading, only while the snapshot is fresh; prime and invalidate replace it', async () => {
    const t = setup([SPRING]);
    expect(t.directory.peek('cmp-001')).toBeUndefined();
    expect(t.loads()).toBe(0);

    t.directory.prime([FETE]);
    expect(t.directory.peek('cmp-003')?.teamId).toBe('team-events');
    expect(oneId(await t.directory.match('fete de la musique'))).toBe('cmp-003');
    expect(t.loads()).toBe(0); // primed: the lookup needed no load

    t.advance(DIRECTORY_TTL_MS);
    expect(t.directory.peek('cmp-003')).toBeUndefined();

    t.directory.invalidate();
    expect(oneId(await t.directory.match('spring launch'))).toBe('cmp-001');
    expect(t.loads()).toBe(1);
  });
});
