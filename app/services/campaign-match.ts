import { distance } from 'fastest-levenshtein';

/**
 * Forgiving name matching for `/mcc status <name>` (and for team names in filters).
 *
 * People type campaign names from memory: without accents, in another case, half a word, words in
 * another order, a letter off. Matching works on words: every word of the query must match a
 * different word of the name, exactly, as the start of it ("retarg" → "Retargeting") or within a
 * small edit distance ("sprng" → "Spring"). A name whose every word was matched is a *full* match,
 * so "spring launch" picks "Spring Launch" over "Spring Launch Retargeting" while "spring" alone
 * asks which one. fuse.js was considered: its bitap score is per-string and does not see words or
 * order, so it would still need this layer on top; plain Levenshtein per word is enough here.
 */

/**
 * The one normalized form of a name, for matching and for uniqueness (a team's live campaigns
 * differ in it; name claims are keyed by it): lower case, accents stripped and compatibility
 * characters folded (NFKD + drop combining marks: "Été" → "ete", "ﬁ" → "fi", full-width → ASCII),
 * punctuation as spaces, single-spaced. Two names the matcher cannot tell apart ("Q4 Push!" and
 * "Q4 push") are the same name.
 */
export function normalizeName(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

/** Edits allowed for a word of this length: none for short words, where one edit is another word. */
function allowedEdits(length: number): number {
  if (length <= 3) return 0;
  if (length <= 7) return 1;
  return 2;
}

/** How well one typed word matches one word of a name: 1 exact, less for a prefix or a typo, 0 none. */
export function wordScore(typed: string, word: string): number {
  if (typed === word) return 1;
  if (typed.length >= 2 && word.startsWith(typed)) return 0.9;
  const edits = distance(typed, word);
  if (edits <= allowedEdits(Math.max(typed.length, word.length))) return 1 - 0.15 * edits;
  // A typo inside a partial word: "retargt" for "retargeting".
  if (typed.length >= 4 && word.length > typed.length) {
    const head = distance(typed, word.slice(0, typed.length));
    if (head <= allowedEdits(typed.length)) return 0.8 - 0.1 * head;
  }
  return 0;
}

export interface NameScore {
  /** 0…1; higher is closer. */
  score: number;
  /** Every typed word matched a different word of the name. */
  allTypedMatched: boolean;
  /** …and every word of the name was matched too (same words, any order, small typos allowed). */
  full: boolean;
  /** The normalized texts are identical (or identical once spaces are removed). */
  exact: boolean;
}

/** Scores a typed query against one name. Pure; used for both campaigns and teams. */
export function scoreName(query: string, name: string): NameScore {
  return scoreNormalized(normalizeName(query), normalizeName(name));
}

/**
 * `scoreName` for texts already through `normalizeName`: a lookup over many names normalizes the
 * query once, and a directory can keep its names normalized.
 */
export function scoreNormalized(q: string, n: string): NameScore {
  if (q === '' || n === '') return { score: 0, allTypedMatched: false, full: false, exact: false };
  if (q === n || q.replace(/ /g, '') === n.replace(/ /g, '')) {
    return { score: 1, allTypedMatched: true, full: true, exact: true };
  }
  const typed = q.split(' ');
  const nameWords = n.split(' ');
  const used = new Set<number>();
  let total = 0;
  let matched = 0;
  // Longest typed words first: they are the most distinctive, so they claim their word first.
  const order = typed.map((word, index) => ({ word, index })).sort((a, b) => b.word.length - a.word.length);
  for (const { word } of order) {
    let best = 0;
    let bestIndex = -1;
    nameWords.forEach((candidate, index) => {
      if (used.has(index)) return;
      const score = wordScore(word, candidate);
      if (score > best) {
        best = score;
        bestIndex = index;
      }
    });
    if (bestIndex >= 0) {
      used.add(bestIndex);
      matched += 1;
    }
    total += best;
  }
  const allTypedMatched = matched === typed.length;
  const full = allTypedMatched && used.size === nameWords.length;
  // Unmatched words of the name cost a little, so the shorter of two otherwise equal names ranks first.
  const extra = nameWords.length - used.size;
  const wordPart = total / typed.length - 0.03 * extra;
  // A whole-string similarity as a floor, so a query with one word badly wrong still ranks its
  // closest names sensibly in the "did you mean" list.
  const whole = 1 - distance(q, n) / Math.max(q.length, n.length);
  const score = Math.max(0, Math.min(0.99, allTypedMatched ? wordPart : Math.max(wordPart, whole) * 0.6));
  return { score, allTypedMatched, full, exact: false };
}

export type MatchResult<T> =
  | { kind: 'one'; item: T }
  | { kind: 'several'; items: T[] }
  | { kind: 'none'; closest: T[] }
  /** The query has the shape of an id (`MatchOptions.idShape`) and no item has that id or name. */
  | { kind: 'no_such_id'; id: string };

export interface MatchOptions<T> {
  name: (item: T) => string;
  /** Exact identifiers (compared case-insensitively), e.g. `cmp-001`. */
  id?: (item: T) => string;
  /**
   * The shape of an id (e.g. `CAMPAIGN_ID_SHAPE`). A query of this shape that is no item's id nor
   * exactly its name is `no_such_id`: similar-looking names would only mislead ("cmp-999" is not
   * "cmp-099"'s campaign).
   */
  idShape?: RegExp;
  /** How many "closest names" to return when nothing matches. */
  closest?: number;
  /** The item's name already through `normalizeName` (saves normalizing every name per lookup). */
  normalizedName?: (item: T) => string;
}

/** Below this a candidate is not offered at all. */
const CANDIDATE_FLOOR = 0.6;
/** A top candidate this far ahead of the next is taken without asking. */
const CLEAR_LEAD = 0.15;

/**
 * Finds what a person meant: one clear match, several to choose from (best first), or none with
 * the closest names. Order of evidence: exact id, exact name, full word match, partial match; a
 * query shaped like an id (`idShape`) that is neither an id nor a name stops there (`no_such_id`).
 */
export function matchByName<T>(query: string, items: readonly T[], options: MatchOptions<T>): MatchResult<T> {
  const trimmed = query.trim();
  if (options.id) {
    const lowered = trimmed.toLowerCase();
    const byId = items.filter((item) => options.id?.(item).toLowerCase() === lowered);
    if (byId.length === 1 && byId[0] !== undefined) return { kind: 'one', item: byId[0] };
  }
  const q = normalizeName(trimmed);
  const normalized = options.normalizedName ?? ((item: T) => normalizeName(options.name(item)));
  const scored = items
    .map((item) => ({ item, name: options.name(item), ...scoreNormalized(q, normalized(item)) }))
    .sort((a, b) => b.score - a.score || a.name.localeCompare(b.name));

  const pick = (group: typeof scored): MatchResult<T> | undefined => {
    const [first] = group;
    if (!first) return undefined;
    if (group.length === 1) return { kind: 'one', item: first.item };
    return { kind: 'several', items: group.map((entry) => entry.item) };
  };

  const exact = pick(scored.filter((entry) => entry.exact));
  if (exact) return exact;
  if (options.idShape?.test(trimmed)) return { kind: 'no_such_id', id: trimmed };
  const full = pick(scored.filter((entry) => entry.full && entry.score >= CANDIDATE_FLOOR));
  if (full) return full;
  const partial = scored.filter((entry) => entry.allTypedMatched && entry.score >= CANDIDATE_FLOOR);
  const [top, second] = partial;
  if (top && (!second || top.score - second.score >= CLEAR_LEAD)) return { kind: 'one', item: top.item };
  if (top) return { kind: 'several', items: partial.map((entry) => entry.item) };
  return { kind: 'none', closest: scored.slice(0, options.closest ?? 3).map((entry) => entry.item) };
}
