import { createHash } from 'node:crypto';
import {
  CreateScheduleCommand,
  type CreateScheduleCommandInput,
  DeleteScheduleCommand,
  SchedulerClient,
} from '@aws-sdk/client-scheduler';
import type { Job } from '../domain/model';
import { assertSafePayload } from '../domain/payload-guard';
import { asCodedError, ConfigError, DownstreamError } from '../errors';
import type { AppLogger } from '../logger';

/** What a one-time schedule delivers to `handlers/scheduled.ts`, dispatched by `kind`. */
export interface ScheduledPayload {
  kind: string;
  [key: string]: unknown;
}

export interface ScheduleOnceInput {
  /** Unique per schedule (e.g. `approval-remind-<approvalId>`); sanitised/hashed to EventBridge's rules. */
  name: string;
  at: Date;
  payload: ScheduledPayload;
  /** Idempotency token for the create call (a retried create with the same token is harmless). */
  clientToken: string;
}

/**
 * Fires a payload once, at a time. Scheduling a name that is already scheduled succeeds without
 * change (idempotent); cancelling a name that does not exist (or already fired) succeeds too.
 */
export interface OneTimeScheduler {
  scheduleOnce(input: ScheduleOnceInput): Promise<void>;
  cancel(name: string): Promise<void>;
}

const NAME_PATTERN = /^[0-9a-zA-Z_.-]{1,64}$/;
const TOKEN_PATTERN = /^[a-zA-Z0-9_-]{1,64}$/;

/**
 * Fits `raw` to an identifier rule: returned as is when it already fits; otherwise invalid
 * characters become `-`, and a hash of the original is appended so distinct inputs stay distinct.
 */
function fitIdentifier(raw: string, pattern: RegExp, invalid: RegExp): string {
  if (pattern.test(raw)) return raw;
  const hash = createHash('sha256').update(raw).digest('hex').slice(0, 16);
  const cleaned = raw.replace(invalid, '-').slice(0, 64 - hash.length - 1);
  return `${cleaned}-${hash}`;
}

/** An EventBridge schedule name (1–64 of `[0-9a-zA-Z-_.]`) for `name`. */
export function scheduleName(name: string): string {
  return fitIdentifier(name, NAME_PATTERN, /[^0-9a-zA-Z_.-]/g);
}

/** A CreateSchedule ClientToken (1–64 of `[a-zA-Z0-9-_]`) for `token`. */
export function scheduleClientToken(token: string): string {
  return fitIdentifier(token, TOKEN_PATTERN, /[^a-zA-Z0-9_-]/g);
}

/** `at(yyyy-mm-ddThh:mm:ss)` in UTC (pair it with `ScheduleExpressionTimezone: 'UTC'`). */
export function atExpression(at: Date): string {
  return `at(${at.toISOString().slice(0, 19)})`;
}

/** How long EventBridge keeps retrying a failed delivery to the scheduled function. */
export const SCHEDULE_RETRY_POLICY = { MaximumEventAgeInSeconds: 86_400, MaximumRetryAttempts: 20 } as const;

/**
 * EventBridge Scheduler one-time schedules targeting the scheduled function, which receives
 * `JSON.stringify(payload)` as its event. Schedules delete themselves after running
 * (`ActionAfterCompletion: 'DELETE'`), so a name may be reused once it has fired.
 */
export class EventBridgeOneTimeScheduler implements OneTimeScheduler {
  private clientInstance: SchedulerClient | undefined;
  private readonly region: string | undefined;
  private readonly targetArn: string;
  private readonly roleArn: string;
  private readonly groupName: string | undefined;
  private readonly logger: AppLogger;
  private readonly clock: () => Date;

  constructor(options: {
    targetArn: string;
    roleArn: string;
    groupName?: string | undefined;
    logger: AppLogger;
    clock?: () => Date;
    region?: string;
    client?: SchedulerClient;
  }) {
    this.targetArn = options.targetArn;
    this.roleArn = options.roleArn;
    this.groupName = options.groupName;
    this.logger = options.logger;
    this.clock = options.clock ?? (() => new Date());
    this.region = options.region;
    this.clientInstance = options.client;
  }

  /** Built at the first schedule or cancel (most requests do neither), not at cold start. */
  private get client(): SchedulerClient {
    this.clientInstance ??= new SchedulerClient(this.region ? { region: this.region } : {});
    return this.clientInstance;
  }

  async scheduleOnce(input: ScheduleOnceInput): Promise<void> {
    assertSafePayload(input.payload, 'schedule payload');
    const name = scheduleName(input.name);
    // A one-time schedule has one-minute precision; a time already (nearly) past is moved to a
    // minute from now rather than risk a rejected or never-firing expression (what Scheduler
    // does with a past `at()` is not documented in our fact sheet).
    const earliest = new Date(this.clock().getTime() + 60_000);
    const at = input.at.getTime() < earliest.getTime() ? earliest : input.at;
    const request: CreateScheduleCommandInput = {
      Name: name,
      ...(this.groupName ? { GroupName: this.groupName } : {}),
      ScheduleExpression: atExpression(at),
      ScheduleExpressionTimezone: 'UTC',
      FlexibleTimeWindow: { Mode: 'OFF' },
      ActionAfterCompletion: 'DELETE',
      State: 'ENABLED',
      ClientToken: scheduleClientToken(input.clientToken),
      Target: {
        Arn: this.targetArn,
        RoleArn: this.roleArn,
        Input: JSON.stringify(input.payload),
        RetryPolicy: { ...SCHEDULE_RETRY_POLICY },
      },
    };
    try {
      await this.client.send(new CreateScheduleCommand(request));
      this.logger.info(
        { schedule: name, at: at.toISOString(), kind: input.payload.kind },
        'schedule created',
      );
    } catch (error) {
      // UNCONFIRMED (platform-facts §9): that a duplicate name answers ConflictException. Only that
      // exact error is taken as "already scheduled"; anything else fails loudly.
      if (errorName(error) === 'ConflictException') {
        this.logger.info(
          { event: 'schedule_exists', schedule: name, kind: input.payload.kind },
          'schedule already exists; treated as scheduled',
        );
        return;
      }
      throw new DownstreamError(`CreateSchedule failed for ${name}`, 'scheduler', isRetryable(error), {
        cause: error,
      });
    }
  }

  async cancel(name: string): Promise<void> {
    const fitted = scheduleName(name);
    try {
      await this.client.send(
        new DeleteScheduleCommand({ Name: fitted, ...(this.groupName ? { GroupName: this.groupName } : {}) }),
      );
      this.logger.info({ schedule: fitted }, 'schedule cancelled');
    } catch (error) {
      // Already fired (and deleted itself) or never created: nothing to cancel.
      if (errorName(error) === 'ResourceNotFoundException') return;
      throw new DownstreamError(`DeleteSchedule failed for ${fitted}`, 'scheduler', isRetryable(error), {
        cause: error,
      });
    }
  }
}

function errorName(error: unknown): string | undefined {
  return error instanceof Error ? error.name : undefined;
}

function isRetryable(error: unknown): boolean {
  const name = errorName(error);
  return name === 'ThrottlingException' || name === 'InternalServerException' || name === 'TimeoutError';
}

/** The part of the JobService the in-process scheduler stores its schedules with. */
export interface ScheduleJobQueue {
  enqueue(input: {
    kind: string;
    payload: Record<string, unknown>;
    idempotencyKey: string;
    runAt: Date;
    replaceFinished: boolean;
  }): Promise<{ job: Job; created: boolean }>;
  discardByKey(kind: string, idempotencyKey: string, statuses: readonly Job['status'][]): Promise<boolean>;
  sweep(): Promise<{ redispatched: number }>;
}

/** The job kind that carries an in-process schedule; its handler runs the scheduled-handler path. */
export const SCHEDULED_FIRE_JOB_KIND = 'scheduled.fire';

/**
 * `npm start`'s scheduler, with EventBridge's semantics.
 *
 * Each schedule is a job of kind `scheduled.fire` in the `jobs` table (id derived from the schedule
 * name), QUEUED with `nextAttemptAt = at`. So schedules persist wherever jobs do (with `DATA_DIR`
 * they survive restarts), they fire through the job machinery (a timer via the in-process dispatcher
 * while the process lives, the sweep otherwise; retries with backoff like a schedule's RetryPolicy),
 * and the `scheduled.fire` handler hands the payload to the same scheduled-handler registry as
 * `handlers/scheduled.ts`. A name that already fired may be scheduled again (EventBridge deletes a
 * schedule after its run); cancelling deletes a schedule that has not started to fire.
 *
 * `start()` runs the sweep at once (so times passed while the process was down fire now) and then
 * every `sweepEveryMs` (one minute, matching EventBridge's one-minute precision).
 */
export class InProcessOneTimeScheduler implements OneTimeScheduler {
  private readonly queue: ScheduleJobQueue;
  private readonly logger: AppLogger;
  private readonly sweepEveryMs: number;
  private timer: NodeJS.Timeout | undefined;
  private sweeping: Promise<void> | undefined;

  constructor(options: { queue: ScheduleJobQueue; logger: AppLogger; sweepEveryMs?: number }) {
    this.queue = options.queue;
    this.logger = options.logger;
    this.sweepEveryMs = options.sweepEveryMs ?? 60_000;
  }

  async scheduleOnce(input: ScheduleOnceInput): Promise<void> {
    assertSafePayload(input.payload, 'schedule payload');
    const name = scheduleName(input.name);
    const { created } = await this.queue.enqueue({
      kind: SCHEDULED_FIRE_JOB_KIND,
      payload: { schedule: name, payload: input.payload },
      idempotencyKey: name,
      runAt: input.at,
      replaceFinished: true,
    });
    this.logger.info(
      { schedule: name, at: input.at.toISOString(), kind: input.payload.kind, created },
      created ? 'schedule created (in-process)' : 'schedule already exists; treated as scheduled',
    );
  }

  async cancel(name: string): Promise<void> {
    const fitted = scheduleName(name);
    const deleted = await this.queue.discardByKey(SCHEDULED_FIRE_JOB_KIND, fitted, ['QUEUED']);
    if (deleted) this.logger.info({ schedule: fitted }, 'schedule cancelled (in-process)');
  }

  /** Starts the periodic sweep (idempotent). */
  start(): void {
    if (this.timer) return;
    this.tick();
    this.timer = setInterval(() => this.tick(), this.sweepEveryMs);
    this.timer.unref();
  }

  /** Stops the periodic sweep; resolves after a sweep in progress has finished. */
  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    await this.sweeping;
  }

  private tick(): void {
    if (this.sweeping) return;
    this.sweeping = this.queue
      .sweep()
      .then(
        ({ redispatched }) => {
          if (redispatched > 0) this.logger.info({ redispatched }, 'in-process sweep');
        },
        (error: unknown) => {
          const coded = asCodedError(error);
          this.logger.error({ code: coded.code, event: 'jobs_sweep_failed' }, coded);
        },
      )
      .finally(() => {
        this.sweeping = undefined;
      });
  }
}

/** Checks the cloud scheduler's wiring: all of target and role, or none. */
export function eventBridgeTarget(cloud: {
  scheduledFunctionArn: string | undefined;
  schedulerRoleArn: string | undefined;
}): { targetArn: string; roleArn: string } | undefined {
  if (!cloud.scheduledFunctionArn && !cloud.schedulerRoleArn) return undefined;
  if (!cloud.scheduledFunctionArn || !cloud.schedulerRoleArn) {
    throw new ConfigError(
      `Invalid configuration: ${cloud.scheduledFunctionArn ? 'SCHEDULER_ROLE_ARN' : 'SCHEDULED_FUNCTION_ARN'} is required when ${cloud.scheduledFunctionArn ? 'SCHEDULED_FUNCTION_ARN' : 'SCHEDULER_ROLE_ARN'} is set`,
    );
  }
  return { targetArn: cloud.scheduledFunctionArn, roleArn: cloud.schedulerRoleArn };
}
