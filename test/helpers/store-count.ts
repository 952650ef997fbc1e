import { DynamoDBClient, ScanCommand } from '@aws-sdk/client-dynamodb';
import { TABLES } from '../../app/adapters/dynamo/tables';
import type { Harness } from './harness';

/**
 * Counts every item in every table of a harness (a test-only Scan): "nothing stored" assertions
 * compare it before and after a refused request.
 */
export async function storedItems(harness: Harness): Promise<number> {
  const endpoint = harness.runtime.config.dynamo.endpoint;
  const client = new DynamoDBClient({
    region: 'us-east-1',
    ...(endpoint ? { endpoint } : {}),
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  try {
    const counts = await Promise.all(
      Object.values(TABLES).map(async (def) => {
        const out = await client.send(
          new ScanCommand({
            TableName: `${harness.runtime.config.dynamo.tablePrefix}${def.name}`,
            Select: 'COUNT',
          }),
        );
        return out.Count ?? 0;
      }),
    );
    return counts.reduce((a, b) => a + b, 0);
  } finally {
    client.destroy();
  }
}
