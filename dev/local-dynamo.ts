import type { IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { CreateTableCommand, DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import dynalite from 'dynalite';
import { createTableInput, TABLES, type TableDef } from '../app/adapters/dynamo/tables';

export interface LocalDynamo {
  endpoint: string;
  /** How many writes (PutItem, UpdateItem, DeleteItem, batch and transaction writes) it has received. */
  writeCount(): number;
  close(): Promise<void>;
}

const WRITE_OPERATIONS = new Set([
  'PutItem',
  'UpdateItem',
  'DeleteItem',
  'BatchWriteItem',
  'TransactWriteItems',
]);

/**
 * Starts dynalite on loopback (in memory, or on disk under `dataDir`) on `port` (0 = random) and
 * creates every table that does not exist yet. Used by `npm start` and by the tests.
 */
export async function startLocalDynamo(options: {
  port?: number;
  dataDir?: string;
  prefix: string;
}): Promise<LocalDynamo> {
  const server = dynalite({
    createTableMs: 0,
    deleteTableMs: 0,
    updateTableMs: 0,
    ...(options.dataDir ? { path: options.dataDir } : {}),
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const endpoint = `http://127.0.0.1:${port}`;
  await createTables(endpoint, options.prefix);
  // Counted from the wire (`X-Amz-Target: DynamoDB_20120810.PutItem`), so tests can assert that a
  // request wrote nothing, whichever client wrote.
  let writes = 0;
  server.on('request', (req: IncomingMessage) => {
    const target = req.headers['x-amz-target'];
    const operation = typeof target === 'string' ? target.split('.').pop() : undefined;
    if (operation !== undefined && WRITE_OPERATIONS.has(operation)) writes += 1;
  });
  return {
    endpoint,
    writeCount: () => writes,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

export async function createTables(endpoint: string, prefix: string): Promise<void> {
  const client = new DynamoDBClient({
    region: 'us-east-1',
    endpoint,
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  try {
    const existing = new Set((await client.send(new ListTablesCommand({}))).TableNames ?? []);
    const defs: TableDef[] = Object.values(TABLES);
    await Promise.all(
      defs
        .filter((def) => !existing.has(`${prefix}${def.name}`))
        .map((def) => client.send(new CreateTableCommand(createTableInput(def, prefix)))),
    );
  } finally {
    client.destroy();
  }
}
