import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, beforeEach } from 'vitest';
import { createDocumentClient } from '../../app/adapters/dynamo/client';
import { JobRepository } from '../../app/adapters/dynamo/job-repo';
import { type TableNames, tableNames } from '../../app/adapters/dynamo/tables';
import type { JobDispatcher } from '../../app/adapters/job-dispatch';
import { AppLogger } from '../../app/logger';
import type { JobHandler } from '../../app/services/job-types';
import { JobService } from '../../app/services/jobs';
import { startLocalDynamo } from '../../dev/local-dynamo';

/** dynalite on a random loopback port with every table, under a per-file prefix. */
export async function startJobStore(prefix = 'jobs-test-'): Promise<{
  endpoint: string;
  db: DynamoDBDocumentClient;
  tables: TableNames;
  repo: JobRepository;
  close(): Promise<void>;
}> {
  const dynamo = await startLocalDynamo({ prefix });
  const db = createDocumentClient({ region: 'us-east-1', endpoint: dynamo.endpoint });
  const tables = tableNames(prefix);
  return {
    endpoint: dynamo.endpoint,
    db,
    tables,
    repo: new JobRepository(db, tables.jobs),
    close: async () => {
      db.destroy();
      await dynamo.close();
    },
  };
}

/** A clock the test moves by hand. */
export class FakeClock {
  constructor(private current: Date = new Date('2026-03-02T09:00:00.000Z')) {}
  readonly now = (): Date => new Date(this.current.getTime());
  advance(ms: number): void {
    this.current = new Date(this.current.getTime() + ms);
  }
  set(to: Date): void {
    this.current = new Date(to.getTime());
  }
}

/** Records dispatches; can be told to fail. Runs nothing (the test calls `run`). */
export class RecordingDispatcher implements JobDispatcher {
  readonly calls: { jobId: string; delayMs: number | undefined }[] = [];
  failWith: Error | undefined;
  async dispatch(jobId: string, opts: { delayMs?: number } = {}): Promise<void> {
    this.calls.push({ jobId, delayMs: opts.delayMs });
    if (this.failWith) throw this.failWith;
  }
}

/** A logger whose lines the test can read (parsed). */
export function captureLogger(level: 'debug' | 'info' = 'info'): {
  logger: AppLogger;
  lines: Record<string, unknown>[];
} {
  const lines: Record<string, unknown>[] = [];
  const logger = new AppLogger({
    level,
    sink: (line) => lines.push(JSON.parse(line) as Record<string, unknown>),
  });
  return { logger, lines };
}

/** What `useJobService().setup` builds: a job service on the shared store with a fake clock and recorders. */
export interface Setup {
  clock: FakeClock;
  dispatcher: RecordingDispatcher;
  jobs: JobService;
  lines: Record<string, unknown>[];
}

/**
 * The job service tests' set-up: one job store per file (hooks registered here), services built on
 * it per test, and a fake instant per test far from the others. Call at the top of a test file.
 */
export function useJobService() {
  let store: Awaited<ReturnType<typeof startJobStore>>;
  let repo: JobRepository;

  beforeAll(async () => {
    store = await startJobStore('svc-jobs-');
    repo = store.repo;
  });
  afterAll(async () => {
    await store.close();
  });

  function setup(
    handlers: Record<string, JobHandler> | undefined,
    options: { sweepLimit?: number } = {},
  ): Setup {
    const clock = new FakeClock();
    const dispatcher = new RecordingDispatcher();
    const { logger, lines } = captureLogger('debug');
    const jobs = new JobService({
      repo,
      dispatcher,
      logger,
      clock: clock.now,
      random: () => 0.5,
      ...(options.sweepLimit ? { sweepLimit: options.sweepLimit } : {}),
    });
    if (handlers) jobs.setHandlers(handlers);
    return { clock, dispatcher, jobs, lines };
  }

  /** A unique kind per test, so sweeps in one test never see another test's jobs as theirs. */
  let kindCounter = 0;
  function uniqueKind(): string {
    kindCounter += 1;
    return `test.kind${kindCounter}`;
  }

  // Every test starts at the same fake instant; move the clock of each test far apart so a sweep in
  // one test does not find jobs another left due. (Same table; jobs are told apart by id.)
  let epoch = Date.parse('2026-03-02T09:00:00.000Z');
  beforeEach(() => {
    epoch -= 86_400_000;
  });
  function at(s: Setup): Setup {
    s.clock.set(new Date(epoch));
    return s;
  }

  /** A service at this test's instant whose one handler serves a kind of its own. */
  function withHandler(handler: JobHandler): { kind: string; s: Setup } {
    const kind = uniqueKind();
    return { kind, s: at(setup({ [kind]: handler })) };
  }

  return {
    get repo(): JobRepository {
      return repo;
    },
    get store() {
      return store;
    },
    setup,
    at,
    withHandler,
    uniqueKind,
  };
}
