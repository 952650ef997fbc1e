import fc from 'fast-check';
import { expect } from 'vitest';
import { type FieldValue, sameValue, type TaskSyncField } from '../../app/domain/sync';
import { DownstreamError } from '../../app/errors';
import type { ExternalChange } from '../../app/services/sync/change';
import { createCodecs } from '../../app/services/sync/codecs';
import { type Gate, mappedPeople, memoryWorld, TASK_KEY, TASK_REF } from './sync-memory';

/**
 * The scenarios of the sync engine's property tests (test/app/services/sync/engine-properties.test.ts):
 * random batches of edits on both sides, deliveries and pushes, the runner that plays them against
 * the real engine over in-memory ports, and the convergence check.
 */

/** `SYNC_PROPERTY_RUNS=20 npx vitest run …` runs every property twenty times as often. */
const SCALE = Math.max(1, Number(process.env.SYNC_PROPERTY_RUNS ?? 1));
/** `SYNC_PROPERTY_SEED=<seed> SYNC_PROPERTY_PATH=<path>` replays a reported counterexample. */
const REPLAY = process.env.SYNC_PROPERTY_SEED
  ? {
      seed: Number(process.env.SYNC_PROPERTY_SEED),
      path: process.env.SYNC_PROPERTY_PATH ?? '',
      endOnFailure: true,
    }
  : {};
export const runs = (n: number) => ({ numRuns: n * SCALE, ...REPLAY });

export const FIELDS = {
  name: { local: ['Brief', 'Brief v2', 'Draft'], ext: ['Brief', 'Brief v2', 'Draft'] },
  status: {
    local: ['NOT_STARTED', 'IN_PROGRESS', 'BLOCKED', 'DONE', 'CANCELLED'],
    ext: ['NEW', 'INP', 'CPL', 'DED'],
  },
  dueDate: {
    local: ['2027-01-10', '2027-01-11', '2027-01-12'],
    ext: ['2027-01-10', '2027-01-11', '2027-01-12'],
  },
  ownerSlackId: { local: ['U0A', 'U0B', null], ext: ['wf-U0A', 'wf-U0B', null] },
} as const satisfies Record<TaskSyncField, { local: readonly FieldValue[]; ext: readonly unknown[] }>;
type Field = keyof typeof FIELDS;
const FIELD_NAMES = Object.keys(FIELDS) as Field[];

const codecs = createCodecs({ workfront: {}, asana: {} }).workfront.task;
const ctx = { system: 'workfront' as const, campaignId: 'c1', taskId: 't1', people: mappedPeople };
export const toExternal = (field: Field, value: FieldValue) =>
  codecs[field]?.toExternal(value, ctx) ?? Promise.resolve(value);

type Op =
  | { t: 'local'; field: Field; pick: number }
  | { t: 'external'; field: Field; pick: number }
  | { t: 'deliver'; pick: number; duplicate: boolean }
  | { t: 'push' };

export const fieldArb = fc.constantFrom(...FIELD_NAMES);
const opArb: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ t: fc.constant('local' as const), field: fieldArb, pick: fc.nat(10) }),
  fc.record({ t: fc.constant('external' as const), field: fieldArb, pick: fc.nat(10) }),
  fc.record({ t: fc.constant('deliver' as const), pick: fc.nat(20), duplicate: fc.boolean() }),
  fc.constant({ t: 'push' as const }),
);
/** Operations in small batches: the ones of a batch run concurrently, interleaved by the scheduler. */
export const scenarioArb = fc.array(fc.array(opArb, { minLength: 1, maxLength: 3 }), {
  minLength: 1,
  maxLength: 12,
});

interface EditLog {
  field: Field;
  side: 'cc' | 'external';
  ext: unknown;
  at: number;
}

export const ignoreInFlight = (error: unknown) => {
  if (error instanceof DownstreamError && error.retryable) return;
  throw error;
};

export async function runScenario(
  batches: Op[][],
  scheduler: fc.Scheduler | undefined,
  self: string | undefined,
) {
  const gate: Gate | undefined = scheduler
    ? (label, value) => scheduler.schedule(Promise.resolve(value), label)
    : undefined;
  const world = memoryWorld({ ...(gate ? { gate } : {}), self });
  await (scheduler ? scheduler.waitFor(world.ready) : world.ready);
  const edits: EditLog[] = [];
  const delivered: ExternalChange[] = [];
  let cursor = 0;
  // Releases the scheduled port calls in a random order until `p` settles.
  const settle = <T>(p: Promise<T>): Promise<T> => (scheduler ? scheduler.waitFor(p) : p);
  const undelivered = () => world.remote.events.slice(cursor);

  const exec = async (op: Op) => {
    world.tick();
    // The time of this operation (taken now: other operations of the batch advance the clock).
    const at = world.now();
    if (op.t === 'local') {
      const value = FIELDS[op.field].local[op.pick % FIELDS[op.field].local.length] ?? null;
      const before = world.local.value(TASK_REF, op.field);
      if (sameValue(before, value)) return;
      const version = world.local.edit(TASK_REF, op.field, value);
      edits.push({ field: op.field, side: 'cc', ext: await toExternal(op.field, value), at: at.getTime() });
      await world.engine.localChanged(TASK_REF, {
        by: 'U0CC',
        at: at.toISOString(),
        version,
        fields: { [op.field]: value },
        before: { [op.field]: before },
      });
    } else if (op.t === 'external') {
      const value = FIELDS[op.field].ext[op.pick % FIELDS[op.field].ext.length] ?? null;
      if (world.remote.humanEdit('wf-t1', op.field, value)) {
        edits.push({ field: op.field, side: 'external', ext: value, at: at.getTime() });
      }
    } else if (op.t === 'deliver') {
      const pending = undelivered();
      const duplicates = op.duplicate && delivered.length > 0;
      const event = duplicates
        ? delivered[op.pick % delivered.length]
        : pending[op.pick % Math.max(1, pending.length)];
      if (!event) return;
      if (!duplicates) {
        // Deliver out of order: swap the picked event to the front of what is undelivered.
        const index = world.remote.events.indexOf(event);
        const first = world.remote.events[cursor];
        if (first && index !== cursor)
          [world.remote.events[cursor], world.remote.events[index]] = [event, first];
        cursor += 1;
        delivered.push(event);
      }
      // A delivery that has to wait (a Command Center change not reported yet) is retried later,
      // as the delivery job would be.
      await world.engine.applyExternal(event).catch(ignoreInFlight);
    } else {
      await world.engine.push(TASK_KEY).catch(ignoreInFlight);
    }
  };

  for (const batch of batches) {
    const running = batch.map((op) => exec(op));
    const results = await settle(Promise.allSettled(running));
    for (const result of results) if (result.status === 'rejected') throw result.reason;
  }
  // Quiescence: every event delivered (some twice), pushes until nothing moves.
  for (let round = 0; round < 20; round++) {
    world.tick(1000);
    const pending = undelivered();
    for (const event of pending) {
      cursor += 1;
      delivered.push(event);
      await settle(world.engine.applyExternal(event));
      await settle(world.engine.applyExternal(event));
    }
    for (const event of delivered) {
      // Deliveries that had to wait are retried (duplicates of done ones change nothing).
      await settle(world.engine.applyExternal(event));
    }
    world.tick(1000);
    await settle(world.engine.push(TASK_KEY).catch(ignoreInFlight));
    const record = world.store.records.get(TASK_KEY);
    if (
      undelivered().length === 0 &&
      record &&
      ['SYNCED', 'CONFLICT'].includes(record.data.state) &&
      !record.data.inflight
    )
      break;
  }
  return { world, edits };
}

export async function checkConvergedAndNothingLost(world: ReturnType<typeof memoryWorld>, edits: EditLog[]) {
  const record = world.store.records.get(TASK_KEY);
  // No record only when nothing was ever edited on either side.
  if (!record) expect(edits).toEqual([]);
  else expect(record.data.state).toBe('SYNCED');
  for (const field of FIELD_NAMES) {
    const local = world.local.value(TASK_REF, field);
    const remote = world.remote.objects.get('wf-t1')?.values[field] ?? null;
    // Converged: both sides hold the same value.
    expect(
      sameValue(await toExternal(field, local), remote),
      `${field}: local ${JSON.stringify(local)} remote ${JSON.stringify(remote)}${process.env.SYNC_PROPERTY_SEED ? ` record ${JSON.stringify(record?.data)} edits ${JSON.stringify(edits)} updates ${JSON.stringify(world.remote.updates)} events ${JSON.stringify(world.remote.events.map((e) => [e.eventKey, e.values, e.at, e.by]))}` : ''}`,
    ).toBe(true);
    const mine = edits.filter((e) => e.field === field);
    const last = mine.reduce<EditLog | undefined>((a, b) => (!a || b.at >= a.at ? b : a), undefined);
    if (!last || sameValue(remote, last.ext)) continue;
    // The newest edit lost: only to a rule, and the conflict that says so is recorded.
    const explained = [];
    for (const c of record?.data.conflicts ?? []) {
      if (c.field !== field || !c.decision || c.decision.winner === last.side) continue;
      const lost = last.side === 'cc' ? c.cc.value : c.external.value;
      if (sameValue(await toExternal(field, lost), last.ext)) explained.push(c);
    }
    expect(
      explained.length,
      `${field}: newest edit ${JSON.stringify(last)} lost without a recorded conflict; final ${JSON.stringify(remote)}; edits ${JSON.stringify(mine)}; record ${process.env.SYNC_PROPERTY_SEED ? `${JSON.stringify(record?.data)} updates ${JSON.stringify(world.remote.updates)} events ${JSON.stringify(world.remote.events.map((e) => [e.eventKey, e.values, e.previous, e.at, e.by]))} local ${JSON.stringify(world.local.entries.get(TASK_KEY))}` : '(replay to see)'}`,
    ).toBeGreaterThan(0);
  }
}
