import {
  DeleteCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { Job } from '../../domain/model';
import { StoreError } from '../../errors';
import { isConditionalFailure } from './conditional';

type JobStatus = Job['status'];

/** Later than any lease: `listRunning` reads the whole RUNNING partition of the index. */
const MAX_INSTANT = Date.UTC(9999, 11, 31);

/**
 * How long a finished (SUCCEEDED or FAILED) job is kept: the jobs table's DynamoDB TTL on `expiresAt`
 * (epoch seconds) deletes it afterwards, so finished jobs do not pile up. Long enough that a duplicate
 * enqueue (same idempotency key) still finds the finished job: Slack retries within minutes, and
 * the longer-lived intents (Confirm buttons, approvals) expire or are decided well within it.
 */
export const FINISHED_JOB_RETENTION_DAYS = 30;

/**
 * The `jobs` table. Every state change is one conditional write on the job's item, so two workers
 * can never both claim, finish or fail the same attempt.
 *
 * `status-index` (status, nextAttemptAt) is what the sweep reads. `nextAttemptAt` means "when the
 * job may next be claimed": for QUEUED the retry time, for RUNNING the lease expiry (a claim sets
 * both `leaseUntil` and `nextAttemptAt`), so both kinds of overdue job are found by a key condition,
 * not a filter. Instants are written with `toISOString()` (fixed width, UTC), so string order is time order.
 * A finished job gets `expiresAt` (TTL, see FINISHED_JOB_RETENTION_DAYS); a job that is still due never has one.
 */
export class JobRepository {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  /**
   * Stores a new job; `created: false` (and the stored job) when one with this id exists. With
   * `replaceFinished`, a SUCCEEDED or FAILED job of the same id is replaced (used for one-time
   * schedules, whose names may be reused once they have fired, as on EventBridge).
   */
  async create(
    job: Job,
    options: { replaceFinished?: boolean } = {},
  ): Promise<{ job: Job; created: boolean }> {
    const item = Job.parse(job);
    try {
      await this.db.send(
        new PutCommand({
          TableName: this.tableName,
          Item: item,
          ConditionExpression: options.replaceFinished
            ? 'attribute_not_exists(jobId) OR #status IN (:succeeded, :failed)'
            : 'attribute_not_exists(jobId)',
          ...(options.replaceFinished
            ? {
                ExpressionAttributeNames: { '#status': 'status' },
                ExpressionAttributeValues: { ':succeeded': 'SUCCEEDED', ':failed': 'FAILED' },
              }
            : {}),
        }),
      );
      return { job: item, created: true };
    } catch (error) {
      if (!isConditionalFailure(error))
        throw new StoreError(`job put failed for ${job.jobId}`, { cause: error });
    }
    const existing = await this.get(job.jobId);
    if (!existing) throw new StoreError(`job ${job.jobId} exists but could not be read`);
    return { job: existing, created: false };
  }

  /** Strongly consistent read. */
  async get(jobId: string): Promise<Job | undefined> {
    try {
      const result = await this.db.send(
        new GetCommand({ TableName: this.tableName, Key: { jobId }, ConsistentRead: true }),
      );
      return result.Item ? Job.parse(result.Item) : undefined;
    } catch (error) {
      throw new StoreError(`job read failed for ${jobId}`, { cause: error });
    }
  }

  /**
   * Claims a job that is QUEUED and due, or RUNNING with a lapsed lease: RUNNING, attempts + 1,
   * leaseUntil = nextAttemptAt = `leaseUntil`, leaseHolder = `holder`. Returns the claimed job, or
   * undefined when somebody else has it, it is finished, or it is not due.
   */
  async claim(jobId: string, now: Date, leaseUntil: Date, holder: string): Promise<Job | undefined> {
    const nowIso = now.toISOString();
    try {
      const result = await this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: { jobId },
          UpdateExpression:
            'SET #status = :running, attempts = attempts + :one, leaseUntil = :lease, nextAttemptAt = :lease, leaseHolder = :holder, updatedAt = :now, version = version + :one',
          ConditionExpression:
            '(#status = :queued AND nextAttemptAt <= :now) OR (#status = :running AND leaseUntil < :now)',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: {
            ':running': 'RUNNING',
            ':queued': 'QUEUED',
            ':one': 1,
            ':lease': leaseUntil.toISOString(),
            ':holder': holder,
            ':now': nowIso,
          },
          ReturnValues: 'ALL_NEW',
        }),
      );
      return Job.parse(result.Attributes);
    } catch (error) {
      if (isConditionalFailure(error)) return undefined;
      throw new StoreError(`job claim failed for ${jobId}`, { cause: error });
    }
  }

  /**
   * Moves a claimed job on (SUCCEEDED, FAILED, or back to QUEUED for a retry) if it is still the
   * claim we hold (`expectedVersion`, status RUNNING). False when the lease was lost to another run.
   */
  async finish(
    jobId: string,
    expectedVersion: number,
    next: { status: Exclude<JobStatus, 'RUNNING'>; now: Date; nextAttemptAt?: Date; lastError?: string },
  ): Promise<boolean> {
    const names: Record<string, string> = { '#status': 'status' };
    const values: Record<string, unknown> = {
      ':status': next.status,
      ':now': next.now.toISOString(),
      ':expected': expectedVersion,
      ':running': 'RUNNING',
      ':one': 1,
    };
    const sets = ['#status = :status', 'updatedAt = :now', 'version = version + :one'];
    if (next.nextAttemptAt) {
      sets.push('nextAttemptAt = :next');
      values[':next'] = next.nextAttemptAt.toISOString();
    }
    if (next.lastError !== undefined) {
      sets.push('lastError = :error');
      values[':error'] = next.lastError;
    }
    // A finished job no longer needs its response_url (a capability): it is dropped with the lease.
    const removes = ['leaseUntil', 'leaseHolder'];
    if (next.status === 'SUCCEEDED' || next.status === 'FAILED') {
      sets.push('expiresAt = :expires');
      values[':expires'] = Math.floor(next.now.getTime() / 1000) + FINISHED_JOB_RETENTION_DAYS * 86_400;
      removes.push('responseUrl');
    }
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: { jobId },
          UpdateExpression: `SET ${sets.join(', ')} REMOVE ${removes.join(', ')}`,
          ConditionExpression: 'version = :expected AND #status = :running',
          ExpressionAttributeNames: names,
          ExpressionAttributeValues: values,
        }),
      );
      return true;
    } catch (error) {
      if (isConditionalFailure(error)) return false;
      throw new StoreError(`job update failed for ${jobId}`, { cause: error });
    }
  }

  /** Deletes a job only while it is in one of `statuses` (e.g. cancelling a pending schedule). */
  async deleteIf(jobId: string, statuses: readonly JobStatus[]): Promise<boolean> {
    if (statuses.length === 0) return false;
    const values: Record<string, string> = {};
    statuses.forEach((status, index) => {
      values[`:s${index}`] = status;
    });
    try {
      await this.db.send(
        new DeleteCommand({
          TableName: this.tableName,
          Key: { jobId },
          ConditionExpression: `#status IN (${Object.keys(values).join(', ')})`,
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: values,
        }),
      );
      return true;
    } catch (error) {
      if (isConditionalFailure(error)) return false;
      throw new StoreError(`job delete failed for ${jobId}`, { cause: error });
    }
  }

  /**
   * Ends the lease of a RUNNING job held by `holder` now (leaseUntil = nextAttemptAt = `now` minus
   * 1 ms), so the next claim takes it at once. Only for a holder known to be dead (a restarted
   * process's predecessor); false when the job is no longer RUNNING under that holder.
   */
  async expireLease(jobId: string, holder: string, now: Date): Promise<boolean> {
    const lapsed = new Date(now.getTime() - 1).toISOString();
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: { jobId },
          UpdateExpression: 'SET leaseUntil = :lapsed, nextAttemptAt = :lapsed, updatedAt = :now',
          ConditionExpression: '#status = :running AND leaseHolder = :holder',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: {
            ':lapsed': lapsed,
            ':now': now.toISOString(),
            ':running': 'RUNNING',
            ':holder': holder,
          },
        }),
      );
      return true;
    } catch (error) {
      if (isConditionalFailure(error)) return false;
      throw new StoreError(`job lease expiry failed for ${jobId}`, { cause: error });
    }
  }

  /** RUNNING jobs, whatever their lease, oldest lease first, at most `limit` (status-index). */
  async listRunning(limit: number): Promise<Job[]> {
    return this.listDue('RUNNING', new Date(MAX_INSTANT), limit);
  }

  /**
   * Jobs in `status` whose `nextAttemptAt` is at or before `now`, oldest first, at most `limit`
   * (status-index; eventually consistent, which the claim's condition makes harmless).
   */
  async listDue(status: 'QUEUED' | 'RUNNING', now: Date, limit: number): Promise<Job[]> {
    const out: Job[] = [];
    let cursor: Record<string, unknown> | undefined;
    do {
      const result = await this.query(
        new QueryCommand({
          TableName: this.tableName,
          IndexName: 'status-index',
          KeyConditionExpression: '#status = :status AND nextAttemptAt <= :now',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: { ':status': status, ':now': now.toISOString() },
          Limit: limit - out.length,
          ExclusiveStartKey: cursor,
        }),
      );
      for (const item of result.Items ?? []) out.push(Job.parse(item));
      cursor = result.LastEvaluatedKey;
    } while (cursor && out.length < limit);
    return out;
  }

  private async query(command: QueryCommand) {
    try {
      return await this.db.send(command);
    } catch (error) {
      throw new StoreError('jobs status-index query failed', { cause: error });
    }
  }
}
