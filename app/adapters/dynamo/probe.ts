import { GetCommand } from '@aws-sdk/lib-dynamodb';

/** A store probe: a consistent GetItem on a key that never exists. */
export function dynamoProbe(db: { send: (command: GetCommand) => Promise<unknown> }, tableName: string) {
  return async () => {
    await db.send(new GetCommand({ TableName: tableName, Key: { key: 'healthz-probe' } }));
  };
}
