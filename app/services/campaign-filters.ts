import { closest, distance } from 'fastest-levenshtein';
import {
  CAMPAIGN_STATUSES,
  CAMPAIGN_TIERS,
  CAMPAIGN_TYPES,
  type CampaignStatus,
  type CampaignTier,
  type CampaignType,
} from '../domain/model';
import { escapeMrkdwn } from '../domain/text';
import { ValidationError } from '../errors';

/**
 * Parsing of `/mcc campaigns [launching this week | status:<s> | team:<t> | tier:<n> | type:<t>]`.
 * Pure: the team is kept as typed here and resolved against the teams by the query service.
 */

export interface ParsedCampaignFilter {
  statuses?: CampaignStatus[];
  /** As typed: an id or a (partial, unaccented, misspelled) name. */
  team?: string;
  tiers?: CampaignTier[];
  types?: CampaignType[];
  /** Launch date within the current (0) or next (1) Monday–Sunday week, in the viewer's zone. */
  weeksAhead?: 0 | 1;
}

/** One line per filter, for error messages and the help text. */
const FILTER_HELP = [
  '`launching this week` (or `this week`, `next week`)',
  '`status:<status>` — e.g. `status:planned`, `status:in progress`, `status:pending` (several: `status:planned,draft`)',
  '`team:<team name or id>`',
  '`tier:<1|2|3>`',
  '`type:<standard|event|partner>`',
] as const;

/** In error messages, which are mrkdwn: the `<…>` placeholders are text, not Slack markup. */
const VALID_FILTERS = `Filters (combine any): ${escapeMrkdwn(FILTER_HELP.join(' · '))}`;

/** Human label of a status: `IN_PROGRESS` → `in progress`. */
function statusLabel(status: CampaignStatus): string {
  return status.toLowerCase().replace(/_/g, ' ');
}

// Words people use for a status besides its own name.
const STATUS_ALIASES: Record<string, CampaignStatus> = {
  pending: 'PENDING_APPROVAL',
  awaiting_approval: 'PENDING_APPROVAL',
  waiting_for_approval: 'PENDING_APPROVAL',
  needs_approval: 'PENDING_APPROVAL',
  approval: 'PENDING_APPROVAL',
  plan: 'PLANNED',
  scheduled: 'PLANNED',
  approved: 'PLANNED',
  active: 'IN_PROGRESS',
  ongoing: 'IN_PROGRESS',
  underway: 'IN_PROGRESS',
  wip: 'IN_PROGRESS',
  hold: 'ON_HOLD',
  paused: 'ON_HOLD',
  onhold: 'ON_HOLD',
  live: 'LAUNCHED',
  done: 'COMPLETED',
  complete: 'COMPLETED',
  finished: 'COMPLETED',
  closed: 'COMPLETED',
  canceled: 'CANCELLED',
  declined: 'REJECTED',
  drafts: 'DRAFT',
};

/** Resolves a typed status (case, spaces/underscores/hyphens, aliases, prefixes, small typos). */
export function parseStatus(typed: string): CampaignStatus | undefined {
  const key = typed
    .trim()
    .toLowerCase()
    .replace(/[\s_-]+/g, '_');
  if (key === '') return undefined;
  const names = new Map<string, CampaignStatus>();
  for (const status of CAMPAIGN_STATUSES) names.set(status.toLowerCase(), status);
  for (const [alias, status] of Object.entries(STATUS_ALIASES)) names.set(alias, status);
  const direct = names.get(key) ?? names.get(key.replace(/_/g, ''));
  if (direct) return direct;
  // A prefix naming one status only: `in_prog`, `pend`, `launch`.
  const byPrefix = new Set([...names].filter(([name]) => name.startsWith(key)).map(([, status]) => status));
  if (key.length >= 2 && byPrefix.size === 1) return [...byPrefix][0];
  const nearest = closest(key, [...names.keys()]);
  if (key.length >= 4 && distance(key, nearest) <= (key.length >= 8 ? 2 : 1)) return names.get(nearest);
  return undefined;
}

function parseTier(typed: string): CampaignTier | undefined {
  const match = /^(?:t|tier\s*)?([0-9]+)$/i.exec(typed.trim());
  const tier = match ? Number(match[1]) : Number.NaN;
  return CAMPAIGN_TIERS.find((candidate) => candidate === tier);
}

function parseType(typed: string): CampaignType | undefined {
  const key = typed.trim().toLowerCase();
  if (key === '') return undefined;
  const found = CAMPAIGN_TYPES.filter(
    (type) => type.startsWith(key) || (key.length >= 4 && distance(key, type) <= 1),
  );
  return found.length === 1 ? found[0] : undefined;
}

const KEY_ALIASES: Record<string, 'status' | 'team' | 'tier' | 'type'> = {
  status: 'status',
  state: 'status',
  s: 'status',
  team: 'team',
  t: 'team',
  tier: 'tier',
  type: 'type',
  kind: 'type',
};

const WEEK_PHRASE = /\b(?:launch(?:ing|es)?\s+)?(this|next)\s+week\b/gi;
// `key:value` where the value runs until the next `key:` (values may hold spaces: `in progress`).
// A key starts where a run of key characters starts: without the lookbehind, a long run with no
// `:` after it is rescanned from each of its characters (quadratic: 40,000 characters took 2 s,
// a signed 990 KB `/mcc campaigns` held the process for minutes). It finds the same keys.
const KEY_START = /(?<![\p{L}\p{N}_-])([\p{L}\p{N}_-]+)\s*:/gu;

function fail(message: string): never {
  throw new ValidationError(`${message}\n${VALID_FILTERS}`);
}

/**
 * Parses the text after `/mcc campaigns`. Throws `ValidationError` (shown to the user) naming the
 * bad part and listing the valid filters. An empty text means "every campaign".
 */
export function parseCampaignFilter(text: string): ParsedCampaignFilter {
  const filter: ParsedCampaignFilter = {};
  let rest = text.replace(/\s+/g, ' ').trim();

  const weeks = [...rest.matchAll(WEEK_PHRASE)];
  if (weeks.length > 1) fail('Use one of `this week` or `next week`, not both.');
  const [week] = weeks;
  if (week) {
    filter.weeksAhead = week[1]?.toLowerCase() === 'next' ? 1 : 0;
    rest = rest.replace(WEEK_PHRASE, ' ').replace(/\s+/g, ' ').trim();
  }
  if (rest === '') return filter;

  const keys = [...rest.matchAll(KEY_START)];
  const firstKey = keys[0];
  const leading = rest.slice(0, firstKey ? firstKey.index : rest.length).trim();
  if (leading !== '') fail(`I don't know the filter \`${escapeMrkdwn(leading)}\`.`);

  keys.forEach((match, index) => {
    const typedKey = match[1] ?? '';
    const key = KEY_ALIASES[typedKey.toLowerCase()];
    const start = match.index + match[0].length;
    const end = keys[index + 1]?.index ?? rest.length;
    const value = rest.slice(start, end).trim();
    if (!key) fail(`I don't know the filter \`${escapeMrkdwn(typedKey)}:\`.`);
    if (value === '') fail(`\`${escapeMrkdwn(typedKey)}:\` needs a value.`);
    const values = value
      .split(',')
      .map((part) => part.trim())
      .filter((part) => part !== '');
    switch (key) {
      case 'status': {
        const statuses = values.map((part) => {
          const status = parseStatus(part);
          if (!status) {
            fail(
              `I don't know the status \`${escapeMrkdwn(part)}\`. Statuses: ${CAMPAIGN_STATUSES.map(statusLabel).join(', ')}.`,
            );
          }
          return status;
        });
        filter.statuses = unique([...(filter.statuses ?? []), ...statuses]);
        break;
      }
      case 'tier': {
        const tiers = values.map((part) => {
          const tier = parseTier(part);
          if (!tier) fail(`Tier \`${escapeMrkdwn(part)}\` is not one of ${CAMPAIGN_TIERS.join(', ')}.`);
          return tier;
        });
        filter.tiers = unique([...(filter.tiers ?? []), ...tiers]);
        break;
      }
      case 'type': {
        const types = values.map((part) => {
          const type = parseType(part);
          if (!type) fail(`Type \`${escapeMrkdwn(part)}\` is not one of ${CAMPAIGN_TYPES.join(', ')}.`);
          return type;
        });
        filter.types = unique([...(filter.types ?? []), ...types]);
        break;
      }
      case 'team': {
        if (filter.team !== undefined) fail('Give one `team:` at a time.');
        filter.team = value;
        break;
      }
    }
  });
  return filter;
}

function unique<T>(items: T[]): T[] {
  return [...new Set(items)];
}
