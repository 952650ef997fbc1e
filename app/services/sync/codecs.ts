import type { CampaignStatus, TaskStatus, WorkSystem } from '../../domain/model';
import type { FieldValue, SyncObjectKind } from '../../domain/sync';
import { userMention } from '../../domain/text';
import { ASSUMPTIONS, AssumptionError } from './assumptions';

/**
 * How each synced field looks in Workfront and in Asana, both ways. Comparisons happen in the work
 * system's representation (`toExternal(agreed)` vs what the work system holds), because some maps
 * are many-to-one: a BLOCKED task is `INP` in Workfront, so a Workfront `INP` is no change for it.
 *
 * A field missing from a system's map does not sync with that system (e.g. tier, when no custom
 * field is configured for it).
 */
export interface PeoplePort {
  /** The work system's user id for a Slack user, or undefined when nobody is mapped. */
  externalUserFor(system: WorkSystem, slackUserId: string): Promise<string | undefined>;
  /** The Slack user for a work-system user id, or undefined. */
  slackUserFor(system: WorkSystem, externalUserId: string): Promise<string | undefined>;
}

export interface CodecContext {
  system: WorkSystem;
  campaignId: string;
  taskId?: string | undefined;
  people: PeoplePort;
}

/** A field left out of this sync because a person has no counterpart on the other side. */
export class UnmappedValueError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UnmappedValueError';
  }
}

export interface FieldCodec {
  toExternal(value: FieldValue, ctx: CodecContext): Promise<unknown>;
  /** `current` is Command Center's value now (a many-to-one map keeps it when it still fits). */
  toLocal(external: unknown, ctx: CodecContext, current: FieldValue | undefined): Promise<FieldValue>;
  /** The request fragment that writes `external` (merged into one update). */
  write(external: unknown): Record<string, unknown>;
}

export type SystemCodecs = Record<SyncObjectKind, Record<string, FieldCodec>>;

/** Configured custom fields: Command Center field → Workfront `DE:` name or Asana custom-field gid. */
export interface CustomFieldMap {
  launchDate?: string;
  tier?: string;
  audience?: string;
  channels?: string;
  /** Asana only: Workfront has a native `budget` field. */
  budgetCents?: string;
}

const text = (write: (v: unknown) => Record<string, unknown>): FieldCodec => ({
  toExternal: async (value) => (value === null ? null : String(value)),
  toLocal: async (external) => (typeof external === 'string' && external !== '' ? external : null),
  write,
});

const date = (write: (v: unknown) => Record<string, unknown>): FieldCodec => ({
  toExternal: async (value) => (typeof value === 'string' ? value.slice(0, 10) : null),
  toLocal: async (external) =>
    typeof external === 'string' && external.length >= 10 ? external.slice(0, 10) : null,
  write,
});

/** Provisioning writes this trailer into descriptions/notes (the marker finds a project again). */
const TRAILER = /\s*Created by Command Center for campaign \S+ \[mcc:[^\]\s]+\]\s*$/;

/** A campaign description inside the work system's description/notes, keeping our marker trailer. */
function description(write: (v: unknown) => Record<string, unknown>): FieldCodec {
  return {
    toExternal: async (value, ctx) => {
      const body = typeof value === 'string' && value.trim() !== '' ? `${value}\n\n` : '';
      return `${body}Created by Command Center for campaign ${ctx.campaignId} [mcc:${ctx.campaignId}]`;
    },
    toLocal: async (external) => {
      const body = typeof external === 'string' ? external.replace(TRAILER, '').trim() : '';
      return body === '' ? null : body;
    },
    write,
  };
}

/** Campaign budget in whole dollars in the work system, integer cents here. */
const money = (write: (v: unknown) => Record<string, unknown>, assumption?: string): FieldCodec => ({
  toExternal: async (value) => (typeof value === 'number' ? value / 100 : null),
  toLocal: async (external) => {
    if (typeof external === 'number' && Number.isFinite(external) && external >= 0)
      return Math.round(external * 100);
    if (external === null || external === undefined) return null;
    throw new AssumptionError(
      ASSUMPTIONS.workfrontBudget,
      `budget value ${JSON.stringify(external)} is not a non-negative number${assumption ? ` (${assumption})` : ''}`,
    );
  },
  write,
});

const tier: (write: (v: unknown) => Record<string, unknown>) => FieldCodec = (write) => ({
  toExternal: async (value) => (typeof value === 'number' ? value : null),
  toLocal: async (external) => {
    const n = typeof external === 'string' ? Number(external) : external;
    return n === 1 || n === 2 || n === 3 ? n : null;
  },
  write,
});

const list: (write: (v: unknown) => Record<string, unknown>) => FieldCodec = (write) => ({
  toExternal: async (value) => (Array.isArray(value) ? value.join(', ') : null),
  toLocal: async (external) =>
    typeof external === 'string'
      ? external
          .split(',')
          .map((s) => s.trim())
          .filter(Boolean)
      : [],
  write,
});

function person(system: WorkSystem, write: (v: unknown) => Record<string, unknown>): FieldCodec {
  return {
    toExternal: async (value, ctx) => {
      if (typeof value !== 'string') return null;
      const id = await ctx.people.externalUserFor(system, value);
      if (!id) throw new UnmappedValueError(`${userMention(value)} has no ${label(system)} user mapped`);
      return id;
    },
    toLocal: async (external, ctx) => {
      if (typeof external !== 'string' || external === '') return null;
      const slack = await ctx.people.slackUserFor(system, external);
      if (!slack) throw new UnmappedValueError(`${label(system)} user ${external} has no Slack user mapped`);
      return slack;
    },
    write,
  };
}

const label = (system: WorkSystem) => (system === 'asana' ? 'Asana' : 'Workfront');

/**
 * Workfront status codes. Only `CUR` is confirmed by Adobe's payload examples (platform-facts §7);
 * the rest are UNCONFIRMED (third-party lists) and any code outside these tables is rejected as an
 * `AssumptionError` naming it, so a tenant with other (custom) codes is told loudly.
 */
const WF_PROJECT_OUT: Record<CampaignStatus, string> = {
  DRAFT: 'PLN',
  PENDING_APPROVAL: 'PLN',
  PLANNED: 'CUR',
  IN_PROGRESS: 'CUR',
  LAUNCHED: 'CUR',
  ON_HOLD: 'ONH',
  COMPLETED: 'CPL',
  REJECTED: 'DED',
  CANCELLED: 'DED',
};
const WF_PROJECT_IN: Record<string, CampaignStatus> = {
  PLN: 'PLANNED',
  CUR: 'IN_PROGRESS',
  ONH: 'ON_HOLD',
  CPL: 'COMPLETED',
  DED: 'CANCELLED',
};
const WF_TASK_OUT: Record<TaskStatus, string> = {
  NOT_STARTED: 'NEW',
  IN_PROGRESS: 'INP',
  BLOCKED: 'INP',
  DONE: 'CPL',
  CANCELLED: 'DED',
};
const WF_TASK_IN: Record<string, TaskStatus> = {
  NEW: 'NOT_STARTED',
  INP: 'IN_PROGRESS',
  CPL: 'DONE',
  DED: 'CANCELLED',
};

function mappedStatus<T extends string>(
  out: Record<string, string>,
  into: Record<string, T>,
  what: string,
): FieldCodec {
  return {
    toExternal: async (value) => (typeof value === 'string' ? (out[value] ?? null) : null),
    toLocal: async (external, _ctx, current) => {
      if (typeof external !== 'string' || !Object.hasOwn(into, external)) {
        throw new AssumptionError(
          ASSUMPTIONS.workfrontStatus,
          `Workfront ${what} status ${JSON.stringify(external)} is not one Command Center maps (known: ${Object.keys(into).join(', ')})`,
        );
      }
      // Many-to-one: keep Command Center's finer status when it maps to the same code.
      if (typeof current === 'string' && out[current] === external) return current;
      return into[external] as T;
    },
    write: (v) => ({ status: v }),
  };
}

/** Asana has only `completed`: closed statuses are completed, the rest open. */
function completedStatus(closed: readonly string[], reopenedAs: string, completedAs: string): FieldCodec {
  return {
    toExternal: async (value) => typeof value === 'string' && closed.includes(value),
    toLocal: async (external, _ctx, current) => {
      const done = external === true;
      const currentDone = typeof current === 'string' && closed.includes(current);
      if (typeof current === 'string' && done === currentDone) return current;
      return done ? completedAs : reopenedAs;
    },
    write: (v) => ({ completed: v }),
  };
}

/** The codecs of both systems, with the configured custom fields. */
export function createCodecs(custom: {
  workfront: CustomFieldMap;
  asana: CustomFieldMap;
}): Record<WorkSystem, SystemCodecs> {
  const wf = custom.workfront;
  const de = (name: string) => (v: unknown) => ({ [name]: v });
  const workfrontCampaign: Record<string, FieldCodec> = {
    name: text((v) => ({ name: v })),
    description: description((v) => ({ description: v })),
    status: mappedStatus(WF_PROJECT_OUT, WF_PROJECT_IN, 'project'),
    // UNCONFIRMED (platform-facts §7 lists no PROJ fields): a numeric `budget` in dollars.
    budgetCents: money((v) => ({ budget: v }), 'Workfront PROJ budget'),
    ...(wf.launchDate ? { launchDate: date(de(wf.launchDate)) } : {}),
    ...(wf.tier ? { tier: tier(de(wf.tier)) } : {}),
    ...(wf.audience ? { audience: text(de(wf.audience)) } : {}),
    ...(wf.channels ? { channels: list(de(wf.channels)) } : {}),
  };
  const workfrontTask: Record<string, FieldCodec> = {
    name: text((v) => ({ name: v })),
    status: mappedStatus(WF_TASK_OUT, WF_TASK_IN, 'task'),
    ownerSlackId: person('workfront', (v) => ({ assignedToID: v })),
    dueDate: date((v) => ({ plannedCompletionDate: v })),
  };
  const as = custom.asana;
  const cf = (gid: string) => (v: unknown) => ({ custom_fields: { [gid]: v } });
  const asanaCampaign: Record<string, FieldCodec> = {
    name: text((v) => ({ name: v })),
    description: description((v) => ({ notes: v })),
    status: completedStatus(['COMPLETED', 'CANCELLED', 'REJECTED'], 'IN_PROGRESS', 'COMPLETED'),
    ...(as.budgetCents ? { budgetCents: money(cf(as.budgetCents)) } : {}),
    ...(as.launchDate ? { launchDate: date(cf(as.launchDate)) } : {}),
    ...(as.tier ? { tier: tier(cf(as.tier)) } : {}),
    ...(as.audience ? { audience: text(cf(as.audience)) } : {}),
    ...(as.channels ? { channels: list(cf(as.channels)) } : {}),
  };
  const asanaTask: Record<string, FieldCodec> = {
    name: text((v) => ({ name: v })),
    status: completedStatus(['DONE', 'CANCELLED'], 'IN_PROGRESS', 'DONE'),
    ownerSlackId: person('asana', (v) => ({ assignee: v })),
    dueDate: date((v) => ({ due_on: v })),
  };
  return {
    workfront: { campaign: workfrontCampaign, task: workfrontTask },
    asana: { campaign: asanaCampaign, task: asanaTask },
  };
}

/**
 * Parses `launchDate=DE:MCC Launch Date,tier=DE:MCC Tier` (Workfront) or `budgetCents=1201…`
 * (Asana gids) into a map; unknown keys are a configuration error naming them.
 */
export function parseCustomFieldMap(raw: string | undefined, variable: string): CustomFieldMap {
  const out: CustomFieldMap = {};
  if (!raw) return out;
  const allowed = new Set(['launchDate', 'tier', 'audience', 'channels', 'budgetCents']);
  for (const pair of raw.split(',')) {
    const [key, ...rest] = pair.split('=');
    const name = key?.trim() ?? '';
    const value = rest.join('=').trim();
    if (!allowed.has(name) || value === '') {
      throw new Error(
        `${variable}: "${pair.trim()}" must be <field>=<custom field>, field one of ${[...allowed].join(', ')}`,
      );
    }
    out[name as keyof CustomFieldMap] = value;
  }
  return out;
}

/** Merges write fragments (custom_fields objects are merged, not replaced). */
export function mergeWrites(fragments: Record<string, unknown>[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const fragment of fragments) {
    for (const [key, value] of Object.entries(fragment)) {
      const existing = out[key];
      if (
        key === 'custom_fields' &&
        typeof existing === 'object' &&
        existing !== null &&
        typeof value === 'object'
      ) {
        out[key] = { ...(existing as Record<string, unknown>), ...(value as Record<string, unknown>) };
      } else out[key] = value;
    }
  }
  return out;
}
