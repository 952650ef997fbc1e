import { z } from 'zod';
import type { Job } from '../domain/model';
import { assertSafePayload } from '../domain/payload-guard';
import { assertCronSchedule, nextOccurrence } from '../domain/schedule-cron';
import { ConflictError } from '../errors';
import type { AppLogger } from '../logger';
import type { WorkflowStateRepository } from './dynamo/workflow-state-repo';
import type { RecurringScheduleInput, RecurringScheduler } from './recurring-scheduler';
import { type ScheduledPayload, scheduleName } from './scheduler';

/** The job kind of one run of an in-process recurring schedule. */
export const SCHEDULED_RECURRING_JOB_KIND = 'scheduled.recurring';

/** Where the in-process definitions live in `workflow-state`: one partition, one item per schedule. */
const RECURRING_DEFINITIONS_PK = 'schedules#recurring';

const Definition = z.object({
  name: z.string().min(1),
  expression: z.string().min(1),
  timeZone: z.string().min(1),
  payload: z.looseObject({ kind: z.string().min(1) }),
  /** Bumped by every upsert: a run armed for an older definition finds it changed and stands down. */
  generation: z.number().int().positive(),
  /** The idempotency key of the job armed for the next run. */
  armedKey: z.string().optional(),
});
type Definition = z.infer<typeof Definition>;

/** What a run's job carries. */
const RecurringRunPayload = z.object({
  schedule: z.string().min(1),
  generation: z.number().int().positive(),
  scheduledTime: z.iso.datetime(),
});

/** The part of the JobService this scheduler needs (jobs are its timers, retries and persistence). */
export interface RecurringJobQueue {
  enqueue(input: {
    kind: string;
    payload: Record<string, unknown>;
    idempotencyKey: string;
    runAt: Date;
  }): Promise<{ job: Job; created: boolean }>;
  discardByKey(kind: string, idempotencyKey: string, statuses: readonly Job['status'][]): Promise<boolean>;
}

export type RecurringRunOutcome = 'ran' | 'stale';

/**
 * `npm start`'s recurring schedules, with EventBridge's semantics: the same `cron(…)` expression and
 * zone (computed with croner by `app/domain/schedule-cron.ts`, DST gaps skipped), the same payload
 * with `scheduledTime`, and retries through the job machinery.
 *
 * A definition is a `workflow-state` item; each run is one QUEUED job (`scheduled.recurring`, keyed
 * by schedule, generation and due time) with `nextAttemptAt` = the run's time. When a run fires it
 * first arms the next one (after the later of now and its own due time, so a process that was down
 * for days arms one future run, not a backlog), then runs the payload. Changing or removing the
 * schedule bumps or deletes the definition and discards the armed job; a run that fires anyway
 * finds its generation gone and does nothing.
 */
export class InProcessRecurringScheduler implements RecurringScheduler {
  constructor(
    private readonly deps: {
      queue: RecurringJobQueue;
      store: WorkflowStateRepository;
      logger: AppLogger;
      clock: () => Date;
    },
  ) {}

  async upsert(input: RecurringScheduleInput): Promise<'created' | 'updated'> {
    assertSafePayload(input.payload, 'schedule payload');
    assertCronSchedule(input.schedule);
    const name = scheduleName(input.name);
    for (let attempt = 0; attempt < 5; attempt++) {
      const current = await this.deps.store.get(this.key(name), Definition);
      const next: Definition = {
        name,
        expression: input.schedule.expression,
        timeZone: input.schedule.timeZone,
        payload: input.payload,
        generation: (current?.data.generation ?? 0) + 1,
      };
      try {
        const stored = await this.deps.store.put(this.key(name), next, Definition, current?.version);
        if (current?.data.armedKey) {
          await this.deps.queue.discardByKey(SCHEDULED_RECURRING_JOB_KIND, current.data.armedKey, ['QUEUED']);
        }
        await this.arm(stored.data, stored.version, this.deps.clock());
        this.deps.logger.info(
          { schedule: name, expression: next.expression, timeZone: next.timeZone },
          current ? 'recurring schedule replaced (in-process)' : 'recurring schedule created (in-process)',
        );
        return current ? 'updated' : 'created';
      } catch (error) {
        if (!(error instanceof ConflictError)) throw error;
      }
    }
    throw new ConflictError(`recurring schedule ${name} kept changing`);
  }

  async remove(name: string): Promise<void> {
    const fitted = scheduleName(name);
    const current = await this.deps.store.get(this.key(fitted), Definition);
    if (!current) return;
    await this.deps.store.delete(this.key(fitted));
    if (current.data.armedKey) {
      await this.deps.queue.discardByKey(SCHEDULED_RECURRING_JOB_KIND, current.data.armedKey, ['QUEUED']);
    }
    this.deps.logger.info({ schedule: fitted }, 'recurring schedule deleted (in-process)');
  }

  /**
   * Serves one run's job: arms the next run, then hands the payload (with `scheduledTime`) to `run`
   * (the scheduled handlers). `stale` when the schedule was changed or removed after this run was
   * armed. A failing `run` throws, so the job retries this run; the next one is armed already.
   */
  async fire(
    jobPayload: Record<string, unknown>,
    run: (payload: ScheduledPayload) => Promise<void>,
  ): Promise<RecurringRunOutcome> {
    const due = RecurringRunPayload.parse(jobPayload);
    const current = await this.deps.store.get(this.key(due.schedule), Definition);
    if (!current || current.data.generation !== due.generation) {
      this.deps.logger.info(
        { schedule: due.schedule, event: 'recurring_run_stale' },
        'schedule changed; run skipped',
      );
      return 'stale';
    }
    const now = this.deps.clock();
    const scheduled = new Date(due.scheduledTime);
    await this.arm(current.data, current.version, scheduled > now ? scheduled : now);
    await run({ ...current.data.payload, scheduledTime: due.scheduledTime });
    return 'ran';
  }

  /**
   * Arms a run for every definition that has none queued (e.g. its job was lost, or the store was
   * restored). Idempotent; `npm start` calls it once at start-up.
   */
  async start(): Promise<number> {
    const definitions = await this.deps.store.list(RECURRING_DEFINITIONS_PK, Definition);
    let armed = 0;
    for (const definition of definitions) {
      if (await this.arm(definition.data, definition.version, this.deps.clock())) armed += 1;
    }
    return armed;
  }

  /** Enqueues the first run after `after` (idempotent per key) and records its key; true when new. */
  private async arm(definition: Definition, version: number, after: Date): Promise<boolean> {
    const schedule = { expression: definition.expression, timeZone: definition.timeZone };
    const at = nextOccurrence(schedule, after);
    if (!at) return false;
    const key = `${definition.name}@${definition.generation}@${at.toISOString()}`;
    const { created } = await this.deps.queue.enqueue({
      kind: SCHEDULED_RECURRING_JOB_KIND,
      payload: {
        schedule: definition.name,
        generation: definition.generation,
        scheduledTime: at.toISOString(),
      },
      idempotencyKey: key,
      runAt: at,
    });
    if (definition.armedKey !== key) {
      try {
        await this.deps.store.put(
          this.key(definition.name),
          { ...definition, armedKey: key },
          Definition,
          version,
        );
      } catch (error) {
        // Changed meanwhile (an upsert bumped the generation): that upsert arms its own run, and
        // this one finds its generation gone when it fires.
        if (!(error instanceof ConflictError)) throw error;
      }
    }
    return created;
  }

  private key(name: string) {
    return { pk: RECURRING_DEFINITIONS_PK, sk: name };
  }
}
