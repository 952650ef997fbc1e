import type { WorkSystem } from '../../domain/model';
import type { SyncObjectKind, SyncRef } from '../../domain/sync';
import { ASSUMPTIONS, AssumptionError } from './assumptions';
import { markerReference, parseReference } from './change';
import type { CustomFieldMap, SystemCodecs } from './codecs';

/**
 * Reads a work-system object (a Workfront state — GET result or an event's old/new state — or an
 * Asana task/project) into the values the codecs compare: one entry per synced field the system's
 * codec map has, in the work system's representation.
 */
export interface Extracted {
  values: Record<string, unknown>;
  ref?: SyncRef | undefined;
  parentIds?: string[] | undefined;
  modifiedAt?: string | undefined;
  modifiedBy?: string | undefined;
  name?: string | undefined;
}

const own = (record: Record<string, unknown>, key: string) => Object.hasOwn(record, key);

/** Workfront dates look like `2017-10-06T13:36:28.785-0600`; ISO needs `-06:00`. */
function workfrontInstant(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  const iso = value.replace(/([+-]\d{2})(\d{2})$/, '$1:$2').replace(/:(\d{3})([+-])/, '.$1$2');
  const ms = Date.parse(iso);
  return Number.isNaN(ms) ? undefined : new Date(ms).toISOString();
}

/** The Workfront fields sync reads for a PROJ or TASK (custom `DE:` parameters included). */
export function workfrontFields(kind: SyncObjectKind, custom: CustomFieldMap): string[] {
  const base = ['name', 'status', 'lastUpdateDate', 'lastUpdatedByID', 'extRefID'];
  if (kind === 'task') return [...base, 'projectID', 'assignedToID', 'plannedCompletionDate'];
  const des = [custom.launchDate, custom.tier, custom.audience, custom.channels].filter(
    (v): v is string => !!v,
  );
  return [...base, 'description', 'budget', ...des];
}

/**
 * Values of a Workfront state. Only keys the state carries are read (an event's state may be
 * partial). Custom parameters are read at the top level or under `parameterValues` (both forms are
 * documented for different endpoints).
 */
export function extractWorkfront(
  kind: SyncObjectKind,
  state: Record<string, unknown>,
  custom: CustomFieldMap,
  codecs: SystemCodecs,
  /** A GET with `fields`: a requested field left out of the answer has no value (null). */
  complete = false,
): Extracted {
  const params =
    typeof state.parameterValues === 'object' && state.parameterValues !== null
      ? (state.parameterValues as Record<string, unknown>)
      : {};
  const read = (key: string): [boolean, unknown] =>
    own(state, key) ? [true, state[key]] : own(params, key) ? [true, params[key]] : [false, undefined];
  const map: Record<string, string | undefined> =
    kind === 'task'
      ? { name: 'name', status: 'status', ownerSlackId: 'assignedToID', dueDate: 'plannedCompletionDate' }
      : {
          name: 'name',
          description: 'description',
          status: 'status',
          budgetCents: 'budget',
          launchDate: custom.launchDate,
          tier: custom.tier,
          audience: custom.audience,
          channels: custom.channels,
        };
  const values: Record<string, unknown> = {};
  for (const [field, key] of Object.entries(map)) {
    if (!key || !Object.hasOwn(codecs[kind], field)) continue;
    const [present, value] = read(key);
    if (present || complete) values[field] = value ?? null;
  }
  const reference = typeof state.extRefID === 'string' ? parseReference(state.extRefID) : undefined;
  return {
    values,
    ref: reference && reference.kind === kind ? reference : undefined,
    parentIds: typeof state.projectID === 'string' ? [state.projectID] : undefined,
    modifiedAt: workfrontInstant(state.lastUpdateDate),
    modifiedBy: typeof state.lastUpdatedByID === 'string' ? state.lastUpdatedByID : undefined,
    name: typeof state.name === 'string' ? state.name : undefined,
  };
}

/** An Asana custom field's value: number, date (`YYYY-MM-DD`) or text. UNCONFIRMED shape: fails loudly. */
function customValue(record: Record<string, unknown>, gid: string): [boolean, unknown] {
  const list = Array.isArray(record.custom_fields) ? (record.custom_fields as unknown[]) : undefined;
  if (!list) return [false, undefined];
  const field = list.find(
    (f): f is Record<string, unknown> =>
      typeof f === 'object' && f !== null && (f as { gid?: unknown }).gid === gid,
  );
  if (!field) return [false, undefined];
  if (own(field, 'number_value')) return [true, field.number_value];
  if (own(field, 'date_value')) {
    const date = field.date_value as { date?: unknown } | null;
    return [true, date && typeof date.date === 'string' ? date.date : null];
  }
  if (own(field, 'text_value')) return [true, field.text_value];
  if (own(field, 'display_value')) return [true, field.display_value];
  throw new AssumptionError(
    ASSUMPTIONS.asanaCustomFieldShape,
    `Asana custom field ${gid} has none of number_value, date_value, text_value, display_value`,
  );
}

/** Values of an Asana task or project (as fetched with the sync fields). */
function extractAsana(
  kind: SyncObjectKind,
  record: Record<string, unknown>,
  custom: CustomFieldMap,
  codecs: SystemCodecs,
): Extracted {
  const values: Record<string, unknown> = {};
  const set = (field: string, present: boolean, value: unknown) => {
    if (present && Object.hasOwn(codecs[kind], field)) values[field] = value ?? null;
  };
  set('name', own(record, 'name'), record.name);
  if (kind === 'task') {
    set('status', own(record, 'completed'), record.completed);
    const assignee = record.assignee as { gid?: unknown } | null | undefined;
    set(
      'ownerSlackId',
      own(record, 'assignee'),
      assignee && typeof assignee.gid === 'string' ? assignee.gid : null,
    );
    set('dueDate', own(record, 'due_on'), record.due_on);
  } else {
    set('description', own(record, 'notes'), record.notes);
    if (own(record, 'completed')) set('status', true, record.completed);
    else if (Object.hasOwn(codecs.campaign, 'status')) {
      throw new AssumptionError(ASSUMPTIONS.asanaProjectCompleted, 'Asana project came without "completed"');
    }
    for (const field of ['budgetCents', 'launchDate', 'tier', 'audience', 'channels'] as const) {
      const gid = custom[field];
      if (!gid) continue;
      const [present, value] = customValue(record, gid);
      set(field, present, value);
    }
  }
  const projects = Array.isArray(record.projects)
    ? (record.projects as unknown[])
        .map((p) => (typeof p === 'object' && p !== null ? (p as { gid?: unknown }).gid : undefined))
        .filter((gid): gid is string => typeof gid === 'string')
    : undefined;
  const reference = markerReference(record.notes);
  return {
    values,
    ref: reference && reference.kind === kind ? reference : undefined,
    parentIds: projects,
    modifiedAt: typeof record.modified_at === 'string' ? record.modified_at : undefined,
    name: typeof record.name === 'string' ? record.name : undefined,
  };
}

/** Which extractor a system uses. */
export function extract(
  system: WorkSystem,
  kind: SyncObjectKind,
  record: Record<string, unknown>,
  custom: CustomFieldMap,
  codecs: SystemCodecs,
): Extracted {
  return system === 'asana'
    ? extractAsana(kind, record, custom, codecs)
    : extractWorkfront(kind, record, custom, codecs, true);
}
