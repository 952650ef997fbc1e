import type { SyncObjectKind } from '../../domain/sync';
import { sameValue } from '../../domain/sync';
import type { ExternalChange } from './change';
import type { CustomFieldMap, SystemCodecs } from './codecs';
import { extractWorkfront } from './extract';
import type { AsanaEvent, DecodedWorkfrontEvent } from './payloads';

/**
 * Source events → the internal change record (issue 8, item 4). Workfront sends the whole object
 * before and after: the two are diffed field by field. Asana sends compact events: they are grouped
 * per resource here and completed by fetching the resource (deliveries.ts), since its webhook
 * events carry no values.
 */

/** Activity on an object Command Center does not sync field by field (a note, a document, an issue). */
export interface WorkfrontActivity {
  objCode: 'NOTE' | 'DOCU' | 'OPTASK';
  id: string;
  eventType: string;
  /** The object it belongs to (UNCONFIRMED field names: `objID`, `projectID`). */
  parentId: string | undefined;
  summary: string;
  at: string;
}

export function normalizeWorkfront(
  event: DecodedWorkfrontEvent,
  eventKey: string,
  codecs: SystemCodecs,
  custom: CustomFieldMap,
): { change: ExternalChange } | { activity: WorkfrontActivity } | { ignored: string } {
  if (event.objCode === 'NOTE' || event.objCode === 'DOCU' || event.objCode === 'OPTASK') {
    const state = Object.keys(event.newState).length > 0 ? event.newState : event.oldState;
    const parent = state.objID ?? state.projectID ?? state.opTaskID;
    const text = state.noteText ?? state.name ?? '';
    return {
      activity: {
        objCode: event.objCode,
        id: event.id,
        eventType: event.eventType,
        parentId: typeof parent === 'string' ? parent : undefined,
        summary: typeof text === 'string' ? text.slice(0, 500) : '',
        at: event.at,
      },
    };
  }
  const kind: SyncObjectKind = event.objCode === 'TASK' ? 'task' : 'campaign';
  const after = extractWorkfront(kind, event.newState, custom, codecs);
  const before = extractWorkfront(kind, event.oldState, custom, codecs);
  const base = {
    system: 'workfront' as const,
    kind,
    externalId: event.id,
    snapshot: 'event' as const,
    at: event.at,
    by: after.modifiedBy ?? before.modifiedBy,
    ref: after.ref ?? before.ref,
    name: after.name ?? before.name,
    eventKey,
  };
  if (event.eventType === 'DELETE') {
    // The old state's last updater is whoever changed it before, not who deleted it (not delivered).
    const { by: _unknown, ...rest } = base;
    return { change: { ...rest, action: 'deleted', values: {}, parentId: before.parentIds?.[0] } };
  }
  if (event.eventType === 'SHARE') return { ignored: 'SHARE events change no synced field' };
  if (event.eventType === 'CREATE') {
    return { change: { ...base, action: 'created', values: after.values, parentId: after.parentIds?.[0] } };
  }
  const fromProject = before.parentIds?.[0];
  const toProject = after.parentIds?.[0];
  if (kind === 'task' && fromProject && toProject && fromProject !== toProject) {
    return {
      change: { ...base, action: 'moved', values: {}, parentId: toProject, previousParentId: fromProject },
    };
  }
  // Only what changed between the two states (a field the old state lacks counts as changed).
  const values: Record<string, unknown> = {};
  const previous: Record<string, unknown> = {};
  for (const [field, value] of Object.entries(after.values)) {
    const had = Object.hasOwn(before.values, field);
    if (had && sameValue(before.values[field], value)) continue;
    values[field] = value;
    if (had) previous[field] = before.values[field];
  }
  return {
    change: {
      ...base,
      action: 'changed',
      values,
      ...(Object.keys(previous).length > 0 ? { previous } : {}),
      parentId: toProject,
    },
  };
}

/** Asana events of one delivery, per resource we sync (tasks and projects), oldest first. */
export interface AsanaResourceEvents {
  gid: string;
  kind: SyncObjectKind;
  events: AsanaEvent[];
}

/**
 * Groups a delivery's events by the task or project they are about. Events on other resources
 * (stories, sections, attachments…) are counted and left out: nothing of theirs syncs.
 */
export function groupAsanaEvents(events: AsanaEvent[]): { groups: AsanaResourceEvents[]; other: number } {
  const groups = new Map<string, AsanaResourceEvents>();
  let other = 0;
  for (const event of events) {
    const type = event.resource.resource_type;
    if (type !== 'task' && type !== 'project') {
      other += 1;
      continue;
    }
    const key = `${type}#${event.resource.gid}`;
    const group = groups.get(key) ?? {
      gid: event.resource.gid,
      kind: type === 'task' ? 'task' : 'campaign',
      events: [],
    };
    group.events.push(event);
    groups.set(key, group);
  }
  for (const group of groups.values())
    group.events.sort((a, b) => Date.parse(a.created_at) - Date.parse(b.created_at));
  return { groups: [...groups.values()], other };
}

/** What a group of Asana events amounts to before the resource is fetched. */
export function asanaAction(group: AsanaResourceEvents): {
  action: ExternalChange['action'];
  at: string;
  by: string | undefined;
  removedFrom?: string | undefined;
} {
  const last = group.events.at(-1);
  const at = last?.created_at ?? new Date(0).toISOString();
  const by = last?.user?.gid;
  const deleted = group.events.findLast((e) => e.action === 'deleted' || e.action === 'undeleted');
  if (deleted) return { action: deleted.action === 'deleted' ? 'deleted' : 'restored', at, by };
  const removed = group.events.findLast(
    (e) => e.action === 'removed' && e.parent?.resource_type === 'project',
  );
  const addedBack = removed
    ? group.events.some(
        (e) =>
          e.action === 'added' &&
          e.parent?.gid === removed.parent?.gid &&
          Date.parse(e.created_at) > Date.parse(removed.created_at),
      )
    : false;
  if (group.kind === 'task' && removed && !addedBack)
    return { action: 'moved', at, by, removedFrom: removed.parent?.gid };
  const created = group.events.some((e) => e.action === 'added' && e.parent?.resource_type === 'project');
  return { action: created ? 'created' : 'changed', at, by };
}
