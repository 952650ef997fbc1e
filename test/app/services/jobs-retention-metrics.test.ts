import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { afterEach, describe, expect, it } from 'vitest';
import { FINISHED_JOB_RETENTION_DAYS } from '../../../app/adapters/dynamo/job-repo';
import { TABLES } from '../../../app/adapters/dynamo/tables';
import { ValidationError } from '../../../app/errors';
import { AppLogger } from '../../../app/logger';
import { JobService } from '../../../app/services/jobs';
import { FakeClock, RecordingDispatcher, startJobStore } from '../../helpers/job-fixtures';

type Store = Awaited<ReturnType<typeof startJobStore>>;
let store: Store | undefined;
afterEach(async () => {
  await store?.close();
  store = undefined;
});

/** A job service on a fresh store whose logger writes metrics (as on Lambda). */
async function setup() {
  store = await startJobStore(`jobs-ttl-${Date.now()}-`);
  const clock = new FakeClock(new Date('2026-03-02T09:00:00.000Z'));
  const lines: Record<string, unknown>[] = [];
  const logger = new AppLogger({
    level: 'error',
    clock: clock.now,
    metricsNamespace: 'CommandCenter/test',
    sink: (line) => lines.push(JSON.parse(line) as Record<string, unknown>),
  });
  const jobs = new JobService({
    repo: store.repo,
    dispatcher: new RecordingDispatcher(),
    logger,
    clock: clock.now,
    random: () => 0.5,
  });
  const raw = async (jobId: string) =>
    (await store?.db.send(new GetCommand({ TableName: store.tables.jobs, Key: { jobId } })))?.Item;
  const metric = (name: string) => lines.filter((l) => '_aws' in l && name in l).map((l) => l[name]);
  return { clock, jobs, raw, metric };
}

describe('finished jobs expire (jobs table TTL on expiresAt)', () => {
  it('the table definition has the TTL attribute the repository writes', () => {
    expect(TABLES.jobs.ttlAttribute).toBe('expiresAt');
  });

  it('a succeeded or failed job gets expiresAt (epoch seconds) 30 days after it finished; a job still due has none', async () => {
    const { clock, jobs, raw } = await setup();
    let failNext = true;
    jobs.setHandlers({
      ok: { run: async () => undefined },
      flaky: {
        run: async () => {
          if (failNext) throw new Error('try again');
        },
      },
      bad: {
        run: async () => {
          throw new ValidationError('never valid');
        },
      },
    });
    const ok = (await jobs.enqueue({ kind: 'ok', payload: {} })).job;
    const bad = (await jobs.enqueue({ kind: 'bad', payload: {} })).job;
    const flaky = (await jobs.enqueue({ kind: 'flaky', payload: {} })).job;
    expect((await raw(ok.jobId))?.expiresAt).toBeUndefined();

    clock.advance(1_000);
    const finishedAt = Math.floor(clock.now().getTime() / 1000);
    expect(await jobs.run(ok.jobId)).toBe('succeeded');
    expect(await jobs.run(bad.jobId)).toBe('failed');
    expect(await jobs.run(flaky.jobId)).toBe('retry_scheduled');
    const retention = FINISHED_JOB_RETENTION_DAYS * 86_400;
    expect((await raw(ok.jobId))?.expiresAt).toBe(finishedAt + retention);
    expect((await raw(bad.jobId))?.expiresAt).toBe(finishedAt + retention);
    expect(await raw(flaky.jobId)).toMatchObject({ status: 'QUEUED' });
    expect((await raw(flaky.jobId))?.expiresAt).toBeUndefined();

    failNext = false;
    clock.advance(60_000);
    expect(await jobs.run(flaky.jobId)).toBe('succeeded');
    expect((await raw(flaky.jobId))?.expiresAt).toBe(Math.floor(clock.now().getTime() / 1000) + retention);
    // A finished job still reads as a job (the stored attribute is the store's business).
    expect(await jobs.get(ok.jobId)).toMatchObject({ status: 'SUCCEEDED' });
  });
});

describe('job metrics', () => {
  it('counts retries and final failures', async () => {
    const { jobs, metric } = await setup();
    jobs.setHandlers({
      flaky: {
        run: async () => {
          throw new Error('downstream hiccup');
        },
      },
      bad: {
        run: async () => {
          throw new ValidationError('never valid');
        },
      },
    });
    const flaky = (await jobs.enqueue({ kind: 'flaky', payload: {} })).job;
    const bad = (await jobs.enqueue({ kind: 'bad', payload: {} })).job;
    const unknown = (await jobs.enqueue({ kind: 'nobody-handles-this', payload: {} })).job;
    await jobs.run(flaky.jobId);
    await jobs.run(bad.jobId);
    await jobs.run(unknown.jobId);
    expect(metric('JobRetries')).toEqual([1]);
    expect(metric('JobsFailed')).toEqual([1, 1]);
  });

  it('the sweep reports the age of the oldest due job as JobLag (0 when nothing waits)', async () => {
    const { clock, jobs, metric } = await setup();
    await jobs.sweep();
    expect(metric('JobLag')).toEqual([0]);
    await jobs.enqueue({ kind: 'waiting', payload: {} });
    clock.advance(30_000);
    await jobs.enqueue({ kind: 'waiting', payload: {} });
    clock.advance(60_000);
    await jobs.sweep();
    expect(metric('JobLag')).toEqual([0, 90_000]);
  });
});
