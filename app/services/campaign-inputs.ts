import type { NotifyTarget } from '../domain/approval';
import { type CampaignTier, type CampaignType, isoDate } from '../domain/model';

/*
 * What the campaign commands take in from people and agents: the input shapes, who acts, and the
 * parsing of what they typed (money, names, dates).
 */

/** A new campaign as the modal, the agent or any other entry point gives it. Money in integer cents. */
export interface NewCampaignInput {
  name: string;
  type: CampaignType;
  tier: CampaignTier;
  teamId: string;
  budgetCents: number;
  /** YYYY-MM-DD */
  launchDate: string;
  endDate?: string | undefined;
  audience?: string | undefined;
  channels: string[];
  description?: string | undefined;
}

/** Who is acting, and where they should hear back (a thread, a channel, or else their DM). */
export interface Actor {
  slackUserId: string;
  displayName?: string;
  /** IANA zone (users.info `tz`); "launch not in the past" is judged in it. Defaults to UTC. */
  timezone?: string;
  channelId?: string;
  threadTs?: string;
}

/** Largest budget accepted ($1 billion): far above any campaign, far below float trouble. */
export const MAX_BUDGET_CENTS = 100_000_000_000;
/**
 * Parses a USD amount typed by a person into integer cents without floating point: `12,500`,
 * `$12500.5`, `10000.01`. At most two decimals, must be positive.
 */
export function parseUsdToCents(text: string): { ok: true; cents: number } | { ok: false; message: string } {
  const cleaned = text
    .trim()
    .replace(/^\$\s*/, '')
    .replace(/\s*(usd|USD)$/, '');
  if (cleaned === '') return { ok: false, message: 'Enter a budget in US dollars.' };
  const match = /^(\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d{1,2}))?$/.exec(cleaned);
  if (!match) {
    return /^-/.test(cleaned)
      ? { ok: false, message: 'The budget must be a positive amount.' }
      : /\.\d{3,}$/.test(cleaned)
        ? { ok: false, message: 'Use at most 2 decimals (cents).' }
        : { ok: false, message: 'Enter an amount like 12500 or 12,500.00.' };
  }
  const dollars = (match[1] ?? '0').replace(/,/g, '');
  if (dollars.length > 12) return { ok: false, message: 'That budget is too large.' };
  const centsPart = (match[2] ?? '').padEnd(2, '0');
  const cents = Number(dollars) * 100 + Number(centsPart);
  if (cents <= 0) return { ok: false, message: 'The budget must be more than $0.' };
  if (cents > MAX_BUDGET_CENTS) return { ok: false, message: 'That budget is too large.' };
  return { ok: true, cents };
}

/** True for a real `YYYY-MM-DD` day (not 2026-02-30). */
export function isCalendarDate(value: string): boolean {
  if (!isoDate.safeParse(value).success) return false;
  const date = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === value;
}

/** Where the requester hears about a request: the thread they asked in, else their DM. */
export function notifyTargetFor(actor: Actor): NotifyTarget {
  if (actor.channelId && actor.threadTs) return { channelId: actor.channelId, threadTs: actor.threadTs };
  return { channelId: actor.slackUserId };
}
