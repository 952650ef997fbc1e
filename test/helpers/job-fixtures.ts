import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { createDocumentClient } from '../../app/adapters/dynamo/client';
import { JobRepository } from '../../app/adapters/dynamo/job-repo';
import { type TableNames, tableNames } from '../../app/adapters/dynamo/tables';
import type { JobDispatcher } from '../../app/adapters/job-dispatch';
import { AppLogger } from '../../app/logger';
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
