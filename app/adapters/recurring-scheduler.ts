import {
  CreateScheduleCommand,
  type CreateScheduleCommandInput,
  DeleteScheduleCommand,
  GetScheduleCommand,
  type GetScheduleCommandOutput,
  SchedulerClient,
  UpdateScheduleCommand,
  type UpdateScheduleCommandInput,
} from '@aws-sdk/client-scheduler';
import { assertSafePayload } from '../domain/payload-guard';
import { assertCronSchedule, type CronSchedule } from '../domain/schedule-cron';
import { DownstreamError } from '../errors';
import type { AppLogger } from '../logger';
import { SCHEDULE_RETRY_POLICY, type ScheduledPayload, scheduleClientToken, scheduleName } from './scheduler';

/**
 * EventBridge Scheduler's context attribute for the time a run was due (e.g. `2026-12-03T14:00:00Z`).
 * Scheduler replaces it inside the target's `Input` at each invocation, so the handler knows which
 * run it is serving even when the delivery is a retry hours later.
 */
export const SCHEDULED_TIME_PLACEHOLDER = '<aws.scheduler.scheduled-time>';

export interface RecurringScheduleInput {
  /** Unique per schedule (e.g. `digest-C0123`); fitted to EventBridge's name rules. */
  name: string;
  schedule: CronSchedule;
  /** Delivered at every run with `scheduledTime` (the run's due instant, ISO) added. */
  payload: ScheduledPayload;
  /** Idempotency token for the create/update call. */
  clientToken: string;
  description?: string;
}

/**
 * Recurring schedules (`cron(…)` in a time zone). `upsert` creates the schedule or replaces it
 * whole; `remove` deletes it (a missing one is fine). Each run delivers the payload plus
 * `scheduledTime` to the scheduled handlers.
 */
export interface RecurringScheduler {
  upsert(input: RecurringScheduleInput): Promise<'created' | 'updated'>;
  remove(name: string): Promise<void>;
}

/** The payload a run delivers: the schedule's payload and the placeholder Scheduler fills in. */
function recurringInput(payload: ScheduledPayload): string {
  return JSON.stringify({ ...payload, scheduledTime: SCHEDULED_TIME_PLACEHOLDER });
}

function errorName(error: unknown): string | undefined {
  return error instanceof Error ? error.name : undefined;
}

function isRetryable(error: unknown): boolean {
  const name = errorName(error);
  return name === 'ThrottlingException' || name === 'InternalServerException' || name === 'TimeoutError';
}

/**
 * EventBridge Scheduler recurring schedules targeting the scheduled function, in the app's schedule
 * group. An update is a full replacement (UpdateSchedule resets every field it is not given), so it
 * reads the schedule first and carries over what this app does not own (KMS key, dead-letter queue,
 * start and end dates) while replacing the expression, zone, input, target and state.
 */
export class EventBridgeRecurringScheduler implements RecurringScheduler {
  private clientInstance: SchedulerClient | undefined;

  constructor(
    private readonly options: {
      targetArn: string;
      roleArn: string;
      groupName?: string | undefined;
      logger: AppLogger;
      region?: string;
      client?: SchedulerClient;
    },
  ) {
    this.clientInstance = options.client;
  }

  /** Built at the first call (a digest setting change), never at cold start. */
  private get client(): SchedulerClient {
    this.clientInstance ??= new SchedulerClient(this.options.region ? { region: this.options.region } : {});
    return this.clientInstance;
  }

  private get group(): { GroupName?: string } {
    return this.options.groupName ? { GroupName: this.options.groupName } : {};
  }

  async upsert(input: RecurringScheduleInput): Promise<'created' | 'updated'> {
    assertSafePayload(input.payload, 'schedule payload');
    assertCronSchedule(input.schedule);
    const name = scheduleName(input.name);
    const existing = await this.read(name);
    if (!existing) {
      try {
        await this.client.send(new CreateScheduleCommand(this.createRequest(name, input)));
        this.logger.info(
          { schedule: name, expression: input.schedule.expression },
          'recurring schedule created',
        );
        return 'created';
      } catch (error) {
        // Created by a concurrent call between our read and create: replace it like any update.
        if (errorName(error) !== 'ConflictException') throw this.failure('CreateSchedule', name, error);
      }
    }
    const current = existing ?? (await this.read(name));
    await this.send(
      'UpdateSchedule',
      name,
      new UpdateScheduleCommand(this.updateRequest(name, input, current)),
    );
    this.logger.info(
      { schedule: name, expression: input.schedule.expression },
      'recurring schedule replaced',
    );
    return 'updated';
  }

  async remove(name: string): Promise<void> {
    const fitted = scheduleName(name);
    try {
      await this.client.send(new DeleteScheduleCommand({ Name: fitted, ...this.group }));
      this.logger.info({ schedule: fitted }, 'recurring schedule deleted');
    } catch (error) {
      if (errorName(error) === 'ResourceNotFoundException') return;
      throw this.failure('DeleteSchedule', fitted, error);
    }
  }

  private get logger(): AppLogger {
    return this.options.logger;
  }

  private async read(name: string): Promise<GetScheduleCommandOutput | undefined> {
    try {
      return await this.client.send(new GetScheduleCommand({ Name: name, ...this.group }));
    } catch (error) {
      if (errorName(error) === 'ResourceNotFoundException') return undefined;
      throw this.failure('GetSchedule', name, error);
    }
  }

  private async send(operation: string, name: string, command: UpdateScheduleCommand): Promise<void> {
    try {
      await this.client.send(command);
    } catch (error) {
      throw this.failure(operation, name, error);
    }
  }

  private failure(operation: string, name: string, error: unknown): DownstreamError {
    return new DownstreamError(`${operation} failed for ${name}`, 'scheduler', isRetryable(error), {
      cause: error,
    });
  }

  private createRequest(name: string, input: RecurringScheduleInput): CreateScheduleCommandInput {
    return {
      Name: name,
      ...this.group,
      ScheduleExpression: input.schedule.expression,
      ScheduleExpressionTimezone: input.schedule.timeZone,
      FlexibleTimeWindow: { Mode: 'OFF' },
      State: 'ENABLED',
      ActionAfterCompletion: 'NONE',
      ...(input.description ? { Description: input.description.slice(0, 512) } : {}),
      ClientToken: scheduleClientToken(input.clientToken),
      Target: {
        Arn: this.options.targetArn,
        RoleArn: this.options.roleArn,
        Input: recurringInput(input.payload),
        RetryPolicy: { ...SCHEDULE_RETRY_POLICY },
      },
    };
  }

  private updateRequest(
    name: string,
    input: RecurringScheduleInput,
    current: GetScheduleCommandOutput | undefined,
  ): UpdateScheduleCommandInput {
    const created = this.createRequest(name, input);
    return {
      ...created,
      // Kept from the stored schedule: fields this app never sets but someone may have (an operator's
      // KMS key or dead-letter queue); UpdateSchedule would otherwise reset them.
      ...(current?.KmsKeyArn ? { KmsKeyArn: current.KmsKeyArn } : {}),
      ...(current?.StartDate ? { StartDate: current.StartDate } : {}),
      ...(current?.EndDate ? { EndDate: current.EndDate } : {}),
      Target: {
        ...created.Target,
        Arn: this.options.targetArn,
        RoleArn: this.options.roleArn,
        ...(current?.Target?.DeadLetterConfig ? { DeadLetterConfig: current.Target.DeadLetterConfig } : {}),
      },
    };
  }
}
