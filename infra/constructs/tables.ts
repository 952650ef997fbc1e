import { RemovalPolicy } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import type * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { TABLES, type TableDef, type TableKey } from '../../app/adapters/dynamo/tables';

export interface AppTablesProps {
  /** `TABLE_PREFIX`: every table is `${prefix}${name}`, as the app computes it. */
  prefix: string;
  /** Deletion protection on, and tables kept (not deleted) when the stack is. */
  protectData: boolean;
}

/**
 * Every DynamoDB table the app uses, built from the one definition (`app/adapters/dynamo/tables.ts`):
 * keys and GSIs (string attributes, all projected, as the local engine creates them), on-demand
 * billing, point-in-time recovery, TTL where the definition names one.
 */
export class AppTables extends Construct {
  readonly tables: Record<TableKey, dynamodb.Table>;

  constructor(scope: Construct, id: string, props: AppTablesProps) {
    super(scope, id);
    const entries = (Object.entries(TABLES) as [TableKey, TableDef][]).map(
      ([key, def]) => [key, this.table(key, def, props)] as const,
    );
    this.tables = Object.fromEntries(entries) as Record<TableKey, dynamodb.Table>;
  }

  /** Read and write items (no table administration) in every table. */
  grantReadWriteData(grantee: iam.IGrantable): void {
    for (const table of Object.values(this.tables)) table.grantReadWriteData(grantee);
  }

  private table(key: TableKey, def: TableDef, props: AppTablesProps): dynamodb.Table {
    const attribute = (name: string): dynamodb.Attribute => ({ name, type: dynamodb.AttributeType.STRING });
    const table = new dynamodb.Table(this, key, {
      tableName: `${props.prefix}${def.name}`,
      partitionKey: attribute(def.partitionKey),
      ...(def.sortKey ? { sortKey: attribute(def.sortKey) } : {}),
      billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      ...(def.ttlAttribute ? { timeToLiveAttribute: def.ttlAttribute } : {}),
      deletionProtection: props.protectData,
      removalPolicy: props.protectData ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
    });
    for (const index of def.indexes) {
      table.addGlobalSecondaryIndex({
        indexName: index.name,
        partitionKey: attribute(index.partitionKey),
        ...(index.sortKey ? { sortKey: attribute(index.sortKey) } : {}),
        projectionType: dynamodb.ProjectionType.ALL,
      });
    }
    return table;
  }
}
