import { z } from 'zod';
import { isoInstant, WorkSystem } from './model';

/**
 * Two-way sync (DESIGN.md "Two-way sync"): the records the sync engine keeps per synced object and
 * the rules it decides conflicts by. Pure data and pure functions, no I/O.
 *
 * One synced object (a campaign ↔ its Workfront/Asana project, a task ↔ its task) is ONE item in
 * `sync-state`: the last agreed value of every field with its version (value, source, time), the
 * Command Center edits not pushed yet, the push in flight, the decisions waiting to be applied to
 * Command Center (`outbox`), held values (a budget waiting for approval) and the conflicts. Keeping
 * all of it in one item is what lets every transition be one conditional write (no transactions).
 */

/** A synced field's value in Command Center's terms (cents, ISO dates, Slack ids, statuses). */
export const FieldValue = z.union([z.string(), z.number(), z.boolean(), z.null(), z.array(z.string())]);
export type FieldValue = z.infer<typeof FieldValue>;

/** Where a value came from: Command Center or the work system. */
const SyncSource = z.enum(['cc', 'workfront', 'asana']);

/**
 * SYNCED → PENDING (a Command Center edit waits to be pushed) → SYNCING (a push is in flight) →
 * SYNCED; CONFLICT (a structural change waits for a person) → RESOLVED (decided; the resolution
 * is being pushed) → SYNCING → SYNCED.
 */
const SYNC_STATES = ['SYNCED', 'PENDING', 'SYNCING', 'CONFLICT', 'RESOLVED'] as const;
export const SyncState = z.enum(SYNC_STATES);
export type SyncState = z.infer<typeof SyncState>;

/** How a conflict on a field is decided (DESIGN.md rules). */
const FIELD_RULES = ['last_write_wins', 'external_wins', 'cc_wins'] as const;
export const FieldRule = z.enum(FIELD_RULES);
export type FieldRule = z.infer<typeof FieldRule>;

export const SyncObjectKind = z.enum(['campaign', 'task']);
export type SyncObjectKind = z.infer<typeof SyncObjectKind>;

/**
 * The fields that sync and their rule. DESIGN.md names notes/description (last write wins), status
 * (the work system wins) and the strategy fields budget, tier, audience, channels, launch date
 * (Command Center wins). It does not name a campaign's or task's name, a task's assignee or due
 * date: they are execution details edited on both sides, so they take the mildest rule, last write
 * wins, with every conflict recorded.
 */
const CAMPAIGN_FIELD_RULES = {
  name: 'last_write_wins',
  description: 'last_write_wins',
  status: 'external_wins',
  budgetCents: 'cc_wins',
  launchDate: 'cc_wins',
  tier: 'cc_wins',
  audience: 'cc_wins',
  channels: 'cc_wins',
} as const satisfies Record<string, FieldRule>;

const TASK_FIELD_RULES = {
  name: 'last_write_wins',
  status: 'external_wins',
  ownerSlackId: 'last_write_wins',
  dueDate: 'last_write_wins',
} as const satisfies Record<string, FieldRule>;
export type TaskSyncField = keyof typeof TASK_FIELD_RULES;

/** The rule of `field` on an object of `kind`; undefined for a field that does not sync. */
export function ruleFor(kind: SyncObjectKind, field: string): FieldRule | undefined {
  const rules: Record<string, FieldRule> = kind === 'campaign' ? CAMPAIGN_FIELD_RULES : TASK_FIELD_RULES;
  return Object.hasOwn(rules, field) ? rules[field] : undefined;
}

/** Every synced field of `kind`. */
export function syncFields(kind: SyncObjectKind): string[] {
  return Object.keys(kind === 'campaign' ? CAMPAIGN_FIELD_RULES : TASK_FIELD_RULES);
}

/** The last agreed value of a field: what both sides held after the last sync, and its version. */
const FieldVersion = z.object({
  value: FieldValue,
  source: SyncSource,
  /** When the side that set it made the change. */
  at: isoInstant,
  /** Slack user id (cc), the work system's user id, or `system`. */
  by: z.string().optional(),
  /** +1 every time the agreed value changes. */
  version: z.number().int().nonnegative(),
  /** When it became agreed (a push finished, or an external change was applied). */
  syncedAt: isoInstant,
});

/** One side's edit of a field. */
export const Edit = z.object({
  value: FieldValue,
  at: isoInstant,
  by: z.string().optional(),
  /** A Command Center edit: the record version it wrote (orders it against the engine's decisions). */
  version: z.number().int().positive().optional(),
});
export type Edit = z.infer<typeof Edit>;

const CONFLICT_STATUSES = ['OPEN', 'DECIDED', 'RESOLVED', 'STALE'] as const;
const ConflictStatus = z.enum(CONFLICT_STATUSES);

/** `keep_cc`, `accept_external`, or `merged` (a value a person typed, phase 2's "Edit…"). */
export const ResolutionChoice = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('keep_cc') }),
  z.object({ kind: z.literal('accept_external') }),
  z.object({ kind: z.literal('merged'), value: FieldValue }),
]);
export type ResolutionChoice = z.infer<typeof ResolutionChoice>;

/**
 * A conflict as data: everything a message needs (object, field, both values, who changed each and
 * when, the rule) and how it was decided. Field conflicts are DECIDED by their rule at once (a person
 * may still override until a newer change makes them STALE); structural ones (`deleted`, `moved`)
 * stay OPEN, with the object in CONFLICT, until a person RESOLVES them.
 */
export const Conflict = z.object({
  conflictId: z.string().min(1),
  kind: z.enum(['field', 'deleted', 'moved']),
  /** The field for `field` conflicts. */
  field: z.string().optional(),
  /** The field rule, or `person` for a structural change. */
  rule: z.union([FieldRule, z.literal('person')]),
  /** The agreed value before both sides changed it. */
  base: FieldValue.optional(),
  cc: Edit,
  external: Edit,
  status: ConflictStatus,
  /** Which side the rule (or the person) chose, and the value that won. */
  decision: z
    .object({
      winner: z.enum(['cc', 'external', 'merged']),
      value: FieldValue,
      /** `rule` or the Slack user who resolved it. */
      by: z.string(),
      at: isoInstant,
      /** When a decision that needs a work-system call (a task moved back) was carried out. */
      appliedAt: isoInstant.optional(),
    })
    .optional(),
  detectedAt: isoInstant,
  /** Why it went STALE (a newer change to the field). */
  staleReason: z.string().optional(),
});
export type Conflict = z.infer<typeof Conflict>;

/** A Command Center value waiting for a decision before it may change (an external budget raise). */
const HeldValue = z.object({
  value: FieldValue,
  /** The external edit that asked for it. */
  edit: Edit,
  approvalId: z.string().optional(),
  since: isoInstant,
});

/** How many conflicts and event keys one record keeps (the item stays far below 400 KB). */
export const MAX_KEPT_CONFLICTS = 30;
export const MAX_RECENT_EVENTS = 200;

export const SyncRecordData = z.object({
  kind: SyncObjectKind,
  campaignId: z.string().min(1),
  taskId: z.string().min(1).optional(),
  /** The campaign's team (from when the record was made): the open-conflict marker is per team. */
  teamId: z.string().min(1).optional(),
  system: WorkSystem,
  /** Undefined until the object exists in the work system (a task created in Command Center). */
  externalId: z.string().min(1).optional(),
  state: SyncState,
  /** +1 every time the two sides agree again (a push finished or an external change was applied). */
  syncVersion: z.number().int().nonnegative(),
  fields: z.record(z.string(), FieldVersion).default({}),
  /** Who changed a field in Command Center and when, until that change is pushed. */
  localEdits: z.record(z.string(), Edit).default({}),
  /** The push in flight (SYNCING): the values being written, so the finish knows what landed. */
  inflight: z
    .object({
      opId: z.string().min(1),
      fields: z.record(z.string(), FieldValue),
      startedAt: isoInstant,
    })
    .optional(),
  /**
   * Decided external values not yet written to the Command Center record (applied, then cleared),
   * with the values they may replace (what Command Center held when decided, and any earlier
   * decided value not applied yet): a Command Center edit made in between is never overwritten.
   */
  outbox: z
    .record(
      z.string(),
      z.object({
        value: FieldValue,
        replaces: z.array(FieldValue),
        /** The Command Center record's version the decision was made against. */
        version: z.number().int().nonnegative().optional(),
      }),
    )
    .default({}),
  /** The run writing decided values into Command Center right now (one at a time). */
  flushLease: z.object({ opId: z.string().min(1), until: isoInstant }).optional(),
  held: z.record(z.string(), HeldValue).default({}),
  /** The work-system values we wrote, to recognise their echo (per field, newest last). */
  echoes: z
    .record(
      z.string(),
      z.array(z.object({ value: z.unknown(), at: isoInstant, until: isoInstant.optional() })),
    )
    .default({}),
  /** Newest external event time applied per field: an older event arriving later is ignored. */
  externalSeenAt: z.record(z.string(), isoInstant).default({}),
  conflicts: z.array(Conflict).default([]),
  /**
   * The Command Center record's version up to which every change is accounted for (reported by its
   * change call, or written by the engine). A newer, unreported version is a change whose call has
   * not arrived yet: decisions wait for it (briefly) instead of overwriting it.
   */
  localVersion: z.number().int().nonnegative().default(0),
  /** Keys of events already applied (duplicates are recognised and ignored). */
  recentEvents: z.array(z.string()).default([]),
  /**
   * Fields left out of sync for now, with why: the Command Center value that cannot be expressed on
   * the other side (e.g. a Slack user with no Workfront user). Cleared once the value changes or maps.
   */
  notes: z
    .record(z.string(), z.object({ value: FieldValue, message: z.string(), at: isoInstant }))
    .default({}),
  lastError: z.object({ at: isoInstant, message: z.string() }).optional(),
  /** Set when a person accepted a deletion or move: the link is gone, nothing syncs any more. */
  retiredAt: isoInstant.optional(),
});
export type SyncRecordData = z.output<typeof SyncRecordData>;

/** Our side of a synced object. */
export type SyncRef =
  | { kind: 'campaign'; campaignId: string }
  | { kind: 'task'; campaignId: string; taskId: string };

/** The sync-state key of a synced object. */
export function syncObjectKey(ref: SyncRef): string {
  return ref.kind === 'campaign' ? `campaign#${ref.campaignId}` : `task#${ref.campaignId}#${ref.taskId}`;
}

/**
 * Orders two ISO instants to the nanosecond (Workfront's `eventTime` has nanoseconds; two changes
 * in one millisecond must keep their order). Instants with an offset fall back to milliseconds.
 */
export function compareInstants(a: string, b: string): number {
  const key = (iso: string): string => {
    const utc = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(?:\.(\d{1,9}))?Z$/.exec(iso);
    if (utc) return `${utc[1]}.${(utc[2] ?? '').padEnd(9, '0')}`;
    const ms = Date.parse(iso);
    return Number.isNaN(ms) ? iso : key(new Date(ms).toISOString());
  };
  const ka = key(a);
  const kb = key(b);
  return ka < kb ? -1 : ka > kb ? 1 : 0;
}

/** Values compared as the JSON they are (arrays by order). */
export function sameValue(a: unknown, b: unknown): boolean {
  return canonical(a) === canonical(b);
}

function canonical(value: unknown): string {
  if (value === undefined) return 'null';
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/**
 * Which side wins a conflict on a field. Deterministic: it depends only on the rule and the two
 * edits (never on which one the engine saw first). Last write wins compares the edit times; on an
 * exact tie the work system wins (execution happens there, and a tie must not depend on arrival).
 */
export function decideConflict(rule: FieldRule, cc: Edit, external: Edit): 'cc' | 'external' {
  if (rule === 'external_wins') return 'external';
  if (rule === 'cc_wins') return 'cc';
  const ccAt = Date.parse(cc.at);
  const externalAt = Date.parse(external.at);
  return ccAt > externalAt ? 'cc' : 'external';
}

/** The open (person-needed) conflicts of a record. */
export function openConflicts(data: Pick<SyncRecordData, 'conflicts'>): Conflict[] {
  return data.conflicts.filter((conflict) => conflict.status === 'OPEN');
}
