import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decideConflict, ruleFor, sameValue } from '../../../../app/domain/sync';
import { type Gate, memoryWorld, TASK_KEY, TASK_REF } from '../../../helpers/sync-memory';
import {
  checkConvergedAndNothingLost,
  FIELDS,
  fieldArb,
  ignoreInFlight,
  runScenario,
  runs,
  scenarioArb,
  toExternal,
} from '../../../helpers/sync-scenarios';

/**
 * Property tests of the conflict rules (issue 8): random interleavings of edits made on both sides,
 * webhook deliveries (late, duplicated, out of order), pushes and Command Center's change hook,
 * run against the real engine over in-memory ports whose every call is a scheduling point.
 */

describe('sync engine properties (fast-check)', () => {
  it('no lost update: after any interleaving both sides agree, and the newest edit of a field is kept or lost only to a recorded rule decision', async () => {
    await fc.assert(
      fc.asyncProperty(
        scenarioArb,
        fc.scheduler(),
        fc.constantFrom<string | undefined>('bot', undefined),
        async (batches, s, self) => {
          const { world, edits } = await runScenario(batches, s, self);
          await checkConvergedAndNothingLost(world, edits);
        },
      ),
      runs(150),
    );
  });

  it('never loops: our own writes come back as echoes and change nothing (with or without knowing our user)', async () => {
    await fc.assert(
      fc.asyncProperty(
        scenarioArb,
        fc.constantFrom<string | undefined>('bot', undefined),
        async (batches, self) => {
          const { world } = await runScenario(batches, undefined, self);
          const updates = world.remote.updates.length;
          const events = world.remote.events.length;
          // Redeliver everything once more and push again: nothing new may leave.
          for (const event of [...world.remote.events]) await world.engine.applyExternal(event);
          await world.engine.push(TASK_KEY).catch((error: unknown) => {
            if (process.env.SYNC_PROPERTY_SEED) {
              console.log(
                JSON.stringify(world.store.records.get(TASK_KEY)?.data),
                JSON.stringify(world.remote.objects.get('wf-t1')),
                JSON.stringify(
                  world.remote.events.map((e) => [e.eventKey, e.values, e.previous, e.at, e.by]),
                ),
                JSON.stringify(world.local.entries.get(TASK_KEY)?.values),
                self,
              );
            }
            throw error;
          });
          expect(world.remote.updates.length).toBe(updates);
          expect(world.remote.events.length).toBe(events);
        },
      ),
      runs(100),
    );
  });

  it('deterministic decisions: two concurrent edits of a field end the same whichever way the engine learns of them', async () => {
    const orderArb = fc.shuffledSubarray(['hook', 'deliver', 'push', 'duplicate'] as const, { minLength: 2 });
    await fc.assert(
      fc.asyncProperty(
        fieldArb,
        fc.nat(10),
        fc.nat(10),
        fc.integer({ min: 1, max: 50 }),
        fc.integer({ min: 1, max: 50 }),
        fc.array(orderArb, { minLength: 2, maxLength: 4 }),
        async (field, pickLocal, pickExt, ccDelay, extDelay, orders) => {
          fc.pre(ccDelay !== extDelay);
          const spec = FIELDS[field];
          const localValue = spec.local[pickLocal % spec.local.length] ?? null;
          const extValue = spec.ext[pickExt % spec.ext.length] ?? null;
          const base = memoryWorld().local.value(TASK_REF, field);
          fc.pre(!sameValue(localValue, base));
          fc.pre(!sameValue(extValue, await toExternal(field, base)));
          fc.pre(!sameValue(extValue, await toExternal(field, localValue)));
          const outcomes: unknown[] = [];
          const decisions: unknown[] = [];
          for (const order of orders) {
            const world = memoryWorld();
            await world.ready;
            const start = world.now().getTime();
            const steps: { at: number; run: () => void }[] = [
              { at: ccDelay, run: () => world.local.edit(TASK_REF, field, localValue) },
              { at: extDelay, run: () => void world.remote.humanEdit('wf-t1', field, extValue) },
            ].sort((a, b) => a.at - b.at);
            for (const step of steps) {
              world.tick(start + step.at * 1000 - world.now().getTime());
              step.run();
            }
            world.tick(60_000);
            const event = world.remote.events.at(-1);
            for (const step of order) {
              if (step === 'hook') {
                await world.engine.localChanged(TASK_REF, {
                  by: 'U0CC',
                  at: new Date(start + ccDelay * 1000).toISOString(),
                  fields: { [field]: localValue },
                  before: { [field]: base },
                });
              } else if ((step === 'deliver' || step === 'duplicate') && event)
                await world.engine.applyExternal(event);
              else if (step === 'push') await world.engine.push(TASK_KEY);
            }
            if (event) await world.engine.applyExternal(event);
            await world.engine.localChanged(TASK_REF, {
              by: 'U0CC',
              at: new Date(start + ccDelay * 1000).toISOString(),
              fields: { [field]: localValue },
              before: { [field]: base },
            });
            await world.engine.push(TASK_KEY);
            for (const e of world.remote.events) await world.engine.applyExternal(e);
            await world.engine.push(TASK_KEY);
            const record = world.store.records.get(TASK_KEY);
            outcomes.push(world.remote.objects.get('wf-t1')?.values[field] ?? null);
            const decided = record?.data.conflicts.find(
              (c) => c.field === field && c.decision?.by === 'rule',
            );
            decisions.push(decided?.decision?.winner);
            const rule = ruleFor('task', field);
            if (!rule) throw new Error('no rule');
            const expected = decideConflict(
              rule,
              { value: localValue, at: new Date(start + ccDelay * 1000).toISOString() },
              { value: null, at: new Date(start + extDelay * 1000).toISOString() },
            );
            expect(decided?.decision?.winner).toBe(expected);
            expect(
              sameValue(outcomes.at(-1), expected === 'cc' ? await toExternal(field, localValue) : extValue),
            ).toBe(true);
          }
          expect(new Set(outcomes.map((o) => JSON.stringify(o))).size).toBe(1);
          expect(new Set(decisions).size).toBe(1);
        },
      ),
      runs(200),
    );
  });

  it('every structural change escalates: a deleted or moved task always ends in an OPEN conflict, untouched until a person decides', async () => {
    const structuralArb = fc.constantFrom('delete' as const, 'move' as const);
    await fc.assert(
      fc.asyncProperty(
        scenarioArb,
        fc.nat(12),
        structuralArb,
        fc.scheduler(),
        async (batches, at, kind, s) => {
          const gate: Gate = (label, value) => s.schedule(Promise.resolve(value), label);
          const world = memoryWorld({ gate });
          const settle = <T>(p: Promise<T>) => s.waitFor(p);
          await settle(world.ready);
          let cursor = 0;
          let structuralAt = -1;
          for (const [index, batch] of batches.entries()) {
            if (index === at % batches.length) {
              if (kind === 'delete') world.remote.humanDelete('wf-t1');
              else world.remote.humanMove('wf-t1', 'proj-other');
              structuralAt = world.remote.updates.length;
            }
            const running = batch.map(async (op) => {
              world.tick();
              if (op.t === 'local') {
                const value = FIELDS[op.field].local[op.pick % FIELDS[op.field].local.length] ?? null;
                const before = world.local.value(TASK_REF, op.field);
                if (sameValue(before, value)) return;
                const version = world.local.edit(TASK_REF, op.field, value);
                await world.engine.localChanged(TASK_REF, {
                  by: 'U0CC',
                  at: world.now().toISOString(),
                  version,
                  fields: { [op.field]: value },
                  before: { [op.field]: before },
                });
              } else if (op.t === 'external') {
                world.remote.humanEdit(
                  'wf-t1',
                  op.field,
                  FIELDS[op.field].ext[op.pick % FIELDS[op.field].ext.length] ?? null,
                );
              } else if (op.t === 'deliver') {
                const event = world.remote.events[cursor];
                if (event) {
                  cursor += 1;
                  await world.engine.applyExternal(event).catch(ignoreInFlight);
                }
              } else await world.engine.push(TASK_KEY).catch(ignoreInFlight);
            });
            const results = await settle(Promise.allSettled(running));
            for (const result of results) if (result.status === 'rejected') throw result.reason;
          }
          const taskBefore = world.local.entries.get(TASK_KEY);
          for (const event of world.remote.events) await settle(world.engine.applyExternal(event));
          await settle(world.engine.push(TASK_KEY).catch(ignoreInFlight));
          const record = world.store.records.get(TASK_KEY);
          const open = record?.data.conflicts.filter((c) => c.status === 'OPEN') ?? [];
          expect(record?.data.state).toBe('CONFLICT');
          expect(open.map((c) => c.kind)).toEqual([kind === 'delete' ? 'deleted' : 'moved']);
          expect(open[0]?.rule).toBe('person');
          // Nothing was written to the work system after the structural change was seen, and the
          // Command Center task was neither cancelled nor unlinked by the engine.
          const afterEscalation = world.remote.updates.filter(
            (u) => Date.parse(u.at) > Date.parse(open[0]?.detectedAt ?? ''),
          );
          expect(afterEscalation).toEqual([]);
          expect(world.local.entries.get(TASK_KEY)?.externalId).toBe('wf-t1');
          expect(
            taskBefore?.values.status === 'CANCELLED' ||
              world.local.value(TASK_REF, 'status') !== 'CANCELLED',
          ).toBe(true);
          expect(structuralAt).toBeGreaterThanOrEqual(0);
        },
      ),
      runs(100),
    );
  });
});
