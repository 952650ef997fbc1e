/**
 * The per-field rules of an external change (see `planField`): what is news, what is an echo or a
 * late event, what flows in, and what is a conflict decided by the field's rule.
 */
import {
  type Conflict,
  compareInstants,
  decideConflict,
  type Edit,
  type FieldValue,
  ruleFor,
  type SyncRecordData,
  sameValue,
  syncObjectKey,
} from '../../domain/sync';
import { AssumptionError } from './assumptions';
import type { ExternalChange } from './change';
import { type CodecContext, type FieldCodec, UnmappedValueError } from './codecs';
import {
  activeFields,
  agreed,
  BASELINE_AT,
  codecsOf,
  contextOf,
  ECHO_SKEW_MS,
  ECHO_WINDOW_MS,
  isEmpty,
  localChanges,
  outboxEntry,
  refOf,
  type SyncEngineDeps,
  staleConflictsOn,
  stateOf,
  withConflict,
  withRecentEvent,
} from './engine-support';
import type { LocalRecord } from './ports';

/** What one pass over the fields decided, before it is written. */
export interface Plan {
  data: SyncRecordData;
  conflicts: Conflict[];
  stale: Conflict[];
  applied: Record<string, FieldValue>;
  held?: { budgetCents: number; edit: Edit };
  notes: { field: string; note: string }[];
  assumptionErrors: AssumptionError[];
}

/** Decides every field the change carries against the agreed value and Command Center's value. */
export async function planFields(
  deps: SyncEngineDeps,
  start: SyncRecordData,
  local: LocalRecord,
  change: ExternalChange,
  self: string | undefined,
): Promise<Plan> {
  const now = deps.clock().toISOString();
  const plan: Plan = {
    data: withRecentEvent(start, change.eventKey),
    conflicts: [],
    stale: [],
    applied: {},
    notes: [],
    assumptionErrors: [],
  };
  const edited = new Set(localChanges(deps, start, local));
  // An edit that put a field back to its agreed value (recorded, still current) is an edit too.
  for (const [field, edit] of Object.entries(start.localEdits)) {
    if (sameValue(edit.value, local.values[field] ?? null)) edited.add(field);
  }
  for (const field of activeFields(deps, start)) {
    if (!Object.hasOwn(change.values, field)) continue;
    try {
      await planField(deps, plan, { self, field, local, change, edited: edited.has(field), now });
    } catch (error) {
      if (error instanceof UnmappedValueError) plan.notes.push({ field, note: error.message });
      else if (error instanceof AssumptionError) {
        plan.assumptionErrors.push(error);
        plan.data = { ...plan.data, lastError: { at: now, message: error.message } };
      } else throw error;
    }
  }
  const noteEntries = Object.fromEntries(
    plan.notes.map(({ field, note }) => [
      field,
      { value: local.values[field] ?? null, message: note, at: now },
    ]),
  );
  const data = { ...plan.data, notes: { ...plan.data.notes, ...noteEntries } };
  const agreedSomething = Object.keys(plan.applied).length > 0;
  plan.data = {
    ...data,
    syncVersion: data.syncVersion + (agreedSomething ? 1 : 0),
    state: stateOf(deps, data, local),
  };
  return plan;
}

interface FieldInput {
  /** Our own user in the work system, when known. */
  self: string | undefined;
  field: string;
  local: LocalRecord;
  change: ExternalChange;
  /** Command Center changed it since it was agreed. */
  edited: boolean;
  now: string;
}

/**
 * One field of one external change, into `plan`:
 * - the agreed value again, an older or repeated event, our own echo → nothing;
 * - changed there only → applied (a budget past the approved amount is held for approval instead);
 * - changed on both sides → the same value is agreement; otherwise a conflict decided by the rule;
 * - nothing agreed yet → established: equal values agree, an empty side is filled from the other,
 *   two different values are a conflict decided by the rule.
 */
async function planField(deps: SyncEngineDeps, plan: Plan, input: FieldInput): Promise<void> {
  const { field, local, change, now } = input;
  const codec = codecsOf(deps, plan.data)[field];
  const rule = ruleFor(plan.data.kind, field);
  if (!codec || !rule) return;
  const ctx = contextOf(deps, plan.data);
  const external = change.values[field];
  let data = plan.data;
  const held = local.values[field] ?? null;
  // A decided value still on its way into Command Center is what Command Center is about to hold.
  const localValue = data.outbox[field] ? data.outbox[field].value : held;
  if (!data.fields[field] && change.previous && Object.hasOwn(change.previous, field)) {
    // Nothing agreed yet, but the work system says what the field was before this change: that is
    // what both sides shared.
    const before = await codec.toLocal(change.previous[field], ctx, localValue);
    data = {
      ...data,
      fields: {
        ...data.fields,
        [field]: { value: before, source: change.system, at: BASELINE_AT, version: 0, syncedAt: now },
      },
    };
  }
  const base = data.fields[field];
  if (change.snapshot === 'event') {
    const seen = data.externalSeenAt[field];
    // Not newer than what the work system already showed for this field (a late or repeated event).
    if (seen && compareInstants(seen, change.at) >= 0) return;
  }
  const equalsAgreed =
    base !== undefined && sameValue(external, await codec.toExternal(agreed(data, field), ctx));
  // The work system changed it back to the agreed value (its previous value says so) while Command
  // Center changed it: an edit like any other, which meets Command Center's as a conflict.
  const changedBack =
    equalsAgreed &&
    input.edited &&
    change.previous !== undefined &&
    Object.hasOwn(change.previous, field) &&
    !sameValue(change.previous[field], external);
  if (equalsAgreed && !changedBack) {
    // No change, but the work system held this value at this time: older events are stale now.
    if (change.snapshot === 'event') {
      plan.data = { ...plan.data, externalSeenAt: { ...plan.data.externalSeenAt, [field]: change.at } };
    }
    return;
  }
  const incoming = await codec.toLocal(external, ctx, localValue);
  // Who made it settles it when both are known; otherwise the value and time of our own writes do.
  const byAnother = input.self !== undefined && change.by !== undefined && change.by !== input.self;
  if (
    change.snapshot === 'event' &&
    !byAnother &&
    isEcho(data, field, external, change.at, deps.echoSkewMs ?? ECHO_SKEW_MS)
  ) {
    plan.data = { ...plan.data, externalSeenAt: { ...plan.data.externalSeenAt, [field]: change.at } };
    return;
  }
  const edit: Edit = { value: incoming, at: change.at, ...(change.by ? { by: change.by } : {}) };
  // The agreed value comes from a Command Center edit made after this external edit, or our push of
  // it landed after: the two were concurrent (the work system may hold either value now).
  const fromUs = base?.source === 'cc' && base.version > 0;
  // Our push of the agreed value landed after the event (same instant counts: which write came
  // last is unknown, so the rule decides). A fetched state shows what is there now, so not there.
  const lastEcho = data.echoes[field]?.at(-1);
  const pushedAfter =
    fromUs &&
    change.snapshot === 'event' &&
    lastEcho !== undefined &&
    sameValue(lastEcho.value, await safeExternal(codec, agreed(data, field), ctx)) &&
    Date.parse(lastEcho.until ?? lastEcho.at) >= Date.parse(change.at);
  const racedPush = pushedAfter || (fromUs && Date.parse(base.at) > Date.parse(change.at));
  const staled = staleConflictsOn(
    data,
    field,
    `changed again in ${change.system === 'asana' ? 'Asana' : 'Workfront'}`,
  );
  const unseen = staled.data;
  data = { ...unseen, externalSeenAt: { ...unseen.externalSeenAt, [field]: change.at } };
  plan.stale.push(...staled.stale);
  const externalVersion = {
    value: incoming,
    source: change.system,
    at: change.at,
    ...(change.by ? { by: change.by } : {}),
    version: (base?.version ?? 0) + 1,
    syncedAt: now,
  };
  const sameAsLocal = sameValue(await safeExternal(codec, localValue, ctx), external);
  const recordedEdit = Object.hasOwn(data.localEdits, field);
  const inFlight = data.inflight?.fields[field] !== undefined;

  if (sameAsLocal && !racedPush) {
    // Both sides hold the same value: agreed, nothing to decide. It is as new as the newer of the two
    // edits, so an older external event arriving later meets it as a conflict.
    const { [field]: ours, ...localEdits } = data.localEdits;
    const ccAt = ours?.at ?? (input.edited ? local.updatedAt : undefined);
    const agreedVersion =
      ccAt && Date.parse(ccAt) > Date.parse(change.at)
        ? {
            ...externalVersion,
            value: localValue,
            source: 'cc' as const,
            at: ccAt,
            ...(ours?.by ? { by: ours.by } : {}),
          }
        : { ...externalVersion, value: localValue };
    plan.data = { ...data, localEdits, fields: { ...data.fields, [field]: agreedVersion } };
    return;
  }
  const both = base
    ? input.edited || inFlight || racedPush
    : recordedEdit || inFlight || (!isEmpty(localValue) && !isEmpty(incoming));
  if (!both) {
    if (!base && isEmpty(incoming)) {
      // Nothing agreed and the work system is empty here: Command Center's value fills it (pushed).
      // An assumption, not something seen: a later event that knows better is not taken as stale.
      plan.data = { ...unseen, fields: { ...unseen.fields, [field]: externalVersion } };
      return;
    }
    if (
      field === 'budgetCents' &&
      plan.data.kind === 'campaign' &&
      typeof incoming === 'number' &&
      deps.budget
    ) {
      if ((await deps.budget.evaluate(plan.data.campaignId, incoming)) === 'needs_approval') {
        plan.held = { budgetCents: incoming, edit };
        plan.data = { ...data, held: { ...data.held, budgetCents: { value: incoming, edit, since: now } } };
        return;
      }
    }
    plan.applied[field] = incoming;
    plan.data = {
      ...data,
      fields: { ...data.fields, [field]: externalVersion },
      outbox: outboxEntry(data, field, incoming, held, local.version),
    };
    return;
  }
  const ccValue = racedPush && !input.edited ? agreed(data, field) : localValue;
  const ccEdit: Edit = data.localEdits[field] ?? {
    value: ccValue,
    at: racedPush && base ? base.at : local.updatedAt,
    ...(racedPush && base?.by ? { by: base.by } : {}),
  };
  const winner = decideConflict(rule, { ...ccEdit, value: ccValue }, edit);
  const conflict: Conflict = {
    conflictId: `${syncObjectKey(refOf(data))}~${deps.newId()}`,
    kind: 'field',
    field,
    rule,
    ...(base ? { base: base.value } : {}),
    cc: { ...ccEdit, value: ccValue },
    external: edit,
    status: 'DECIDED',
    decision: { winner, value: winner === 'cc' ? ccValue : incoming, by: 'rule', at: now },
    detectedAt: now,
  };
  plan.conflicts.push(conflict);
  data = withConflict(data, conflict);
  if (winner === 'external') {
    const { [field]: _lost, ...localEdits } = data.localEdits;
    plan.applied[field] = incoming;
    plan.data = {
      ...data,
      // Our push already overwrote this edit in the work system: the agreed value stays ours, so
      // Command Center's new value (the winner) differs from it and is pushed back.
      localEdits: pushedAfter ? { ...localEdits, [field]: edit } : localEdits,
      fields: pushedAfter ? data.fields : { ...data.fields, [field]: externalVersion },
      outbox: outboxEntry(data, field, incoming, held, local.version),
    };
  } else {
    // The work system holds the losing value, unless our push landed after it (then ours, already):
    // record what it holds as agreed, so that the push writes Command Center's where needed.
    plan.data = pushedAfter ? data : { ...data, fields: { ...data.fields, [field]: externalVersion } };
  }
}

/** The work system's form of a value, or a marker that equals nothing when it cannot be expressed. */
async function safeExternal(codec: FieldCodec, value: FieldValue, ctx: CodecContext): Promise<unknown> {
  try {
    return await codec.toExternal(value, ctx);
  } catch (error) {
    if (error instanceof UnmappedValueError || error instanceof AssumptionError) return UNMAPPABLE;
    throw error;
  }
}
const UNMAPPABLE = { unmappable: true } as const;

/**
 * An event carrying a value we pushed, stamped between the start of that push and the start of the
 * next push of the field (give or take the clock skew), and not older than a change from the work
 * system we already applied after it: our own write coming back. Used when the event does not say
 * who made it (or we do not know our own user there).
 */
function isEcho(data: SyncRecordData, field: string, external: unknown, at: string, skew: number): boolean {
  const when = Date.parse(at);
  const echoes = data.echoes[field] ?? [];
  const seen = data.externalSeenAt[field] ? Date.parse(data.externalSeenAt[field]) : undefined;
  return echoes.some((echo, index) => {
    const pushedAt = Date.parse(echo.at);
    // Our write was made between the start and the end of that push.
    const landedBy = echo.until ? Date.parse(echo.until) : pushedAt + ECHO_WINDOW_MS;
    const next = echoes[index + 1];
    if (!sameValue(echo.value, external)) return false;
    if (when < pushedAt - skew || when > landedBy + skew) return false;
    if (next && when >= Date.parse(next.at)) return false;
    return seen === undefined || seen <= pushedAt;
  });
}
