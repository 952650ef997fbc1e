import { describe, expect, it } from 'vitest';
import { CAMPAIGN_ID_SHAPE } from '../../../app/domain/model';
import { matchByName, normalizeName, scoreName, wordScore } from '../../../app/services/campaign-match';

interface Named {
  id: string;
  name: string;
}

const campaigns: Named[] = [
  { id: 'cmp-001', name: 'Spring Launch' },
  { id: 'cmp-002', name: 'Spring Launch Retargeting' },
  { id: 'cmp-003', name: 'Fête de la Musique' },
  { id: 'cmp-004', name: 'Holiday Gift Guide 2026' },
  { id: 'cmp-005', name: 'Partner Webinar Series' },
  { id: 'cmp-006', name: 'Q1 Brand Refresh' },
  { id: 'cmp-007', name: 'Summer Sale' },
  { id: 'cmp-008', name: 'Summer Sale — EMEA' },
];

const find = (query: string) => matchByName(query, campaigns, { name: (c) => c.name, id: (c) => c.id });
const one = (query: string) => {
  const result = find(query);
  return result.kind === 'one' ? result.item.id : `${result.kind}`;
};

describe('normalizeName', () => {
  it('lower-cases, strips accents and punctuation, and collapses spaces', () => {
    expect(normalizeName('  Fête  de la MUSIQUE! ')).toBe('fete de la musique');
    expect(normalizeName('Summer Sale — EMEA')).toBe('summer sale emea');
    expect(normalizeName('Crème Brûlée & Co.')).toBe('creme brulee co');
  });

  it('folds compatibility characters (ligatures, full-width letters) as well as accents', () => {
    expect(normalizeName('ﬁnal Ｌaunch')).toBe('final launch');
    expect(normalizeName('Été Promo')).toBe(normalizeName('ete  promo'));
  });
});

describe('wordScore', () => {
  it('ranks exact over prefix over typo, and refuses typos in short words', () => {
    expect(wordScore('spring', 'spring')).toBe(1);
    expect(wordScore('retarg', 'retargeting')).toBeCloseTo(0.9);
    expect(wordScore('sprng', 'spring')).toBeCloseTo(0.85);
    expect(wordScore('q2', 'q1')).toBe(0);
    expect(wordScore('sale', 'sole')).toBeCloseTo(0.85);
  });
});

describe('matchByName', () => {
  it('takes an exact id, case-insensitively', () => {
    expect(one('cmp-004')).toBe('cmp-004');
    expect(one('CMP-004')).toBe('cmp-004');
  });

  it('prefers the exact name over a longer name containing it', () => {
    expect(one('spring launch')).toBe('cmp-001');
    expect(one('SPRING LAUNCH')).toBe('cmp-001');
  });

  it('matches a name typed without accents, and with them', () => {
    expect(one('fete de la musique')).toBe('cmp-003');
    expect(one('Fête de la musique')).toBe('cmp-003');
    expect(one('fete musique')).toBe('cmp-003');
  });

  it('matches partial words and any word order', () => {
    expect(one('retarg')).toBe('cmp-002');
    expect(one('webinar partner')).toBe('cmp-005');
    expect(one('gift guide')).toBe('cmp-004');
    expect(one('brand')).toBe('cmp-006');
  });

  it('forgives small typos, still preferring the name with exactly those words', () => {
    expect(one('sprng lauch')).toBe('cmp-001');
    expect(one('holliday gift')).toBe('cmp-004');
    expect(one('partner webnar series')).toBe('cmp-005');
  });

  it('asks when several names match equally well, best first', () => {
    const result = find('spring');
    expect(result.kind).toBe('several');
    if (result.kind !== 'several') return;
    expect(result.items.map((c) => c.id)).toEqual(['cmp-001', 'cmp-002']);

    const summer = find('summer');
    expect(summer.kind).toBe('several');
  });

  it('treats identical names as ambiguous rather than guessing', () => {
    const twins = [
      { id: 'a', name: 'Launch' },
      { id: 'b', name: 'launch' },
    ];
    const result = matchByName('launch', twins, { name: (c) => c.name, id: (c) => c.id });
    expect(result.kind).toBe('several');
    if (result.kind !== 'several') return;
    expect(result.items.map((c) => c.id).sort()).toEqual(['a', 'b']);
  });

  it('finds nothing for nonsense but names the three closest', () => {
    const result = find('zebra migration');
    expect(result.kind).toBe('none');
    if (result.kind !== 'none') return;
    expect(result.closest).toHaveLength(3);

    const near = find('sumer sail emea promo');
    expect(near.kind).toBe('none');
    if (near.kind !== 'none') return;
    expect(near.closest[0]?.id).toBe('cmp-008');
  });

  it('does not match an empty query', () => {
    expect(find('   ').kind).toBe('none');
  });
});

describe('scoreName', () => {
  it('marks a full match only when every word on both sides matched', () => {
    expect(scoreName('launch spring', 'Spring Launch')).toMatchObject({ full: true, exact: false });
    expect(scoreName('spring launch', 'Spring Launch Retargeting')).toMatchObject({
      full: false,
      allTypedMatched: true,
    });
    expect(scoreName('springlaunch', 'Spring Launch')).toMatchObject({ exact: true });
  });
});

describe('matchByName with an id shape', () => {
  const byId = (query: string, items: Named[] = campaigns) =>
    matchByName(query, items, { name: (c) => c.name, id: (c) => c.id, idShape: CAMPAIGN_ID_SHAPE });

  it('an id-shaped query that is no id says so, instead of offering names that look alike', () => {
    expect(byId('cmp-999')).toEqual({ kind: 'no_such_id', id: 'cmp-999' });
    expect(byId(' CMP_01JZZZZZZZZZZZZZZZZZZZZZZZ ')).toEqual({
      kind: 'no_such_id',
      id: 'CMP_01JZZZZZZZZZZZZZZZZZZZZZZZ',
    });
    // Without the shape the same query still gets the closest names.
    expect(find('cmp-999')).toMatchObject({ kind: 'none' });
  });

  it('a known id, or a campaign really named like an id, is still found', () => {
    expect(byId('CMP-004')).toMatchObject({ kind: 'one', item: { id: 'cmp-004' } });
    expect(byId('cmp-42', [...campaigns, { id: 'cmp_x', name: 'CMP-42' }])).toMatchObject({
      kind: 'one',
      item: { id: 'cmp_x' },
    });
  });

  it('what is not id-shaped matches by name as before', () => {
    expect(byId('sprng launch')).toMatchObject({ kind: 'one', item: { id: 'cmp-001' } });
    expect(byId('cmp')).toMatchObject({ kind: 'none' });
  });
});
