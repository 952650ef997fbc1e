import { describe, expect, it } from 'vitest';
import { TABLES } from '../../app/adapters/dynamo/tables';
import { resources, synth } from './synth';

/** What the stack creates, keyed by table name, in the shape of `TABLES` (compared both ways). */
function synthesizedTables(env: string) {
  const { template } = synth({ env });
  return Object.values(resources(template, 'AWS::DynamoDB::Table')).map((table) => {
    const p = table.Properties as {
      TableName: string;
      KeySchema: { AttributeName: string; KeyType: string }[];
      AttributeDefinitions: { AttributeName: string; AttributeType: string }[];
      GlobalSecondaryIndexes?: {
        IndexName: string;
        KeySchema: { AttributeName: string; KeyType: string }[];
        Projection: { ProjectionType: string };
      }[];
      TimeToLiveSpecification?: { AttributeName: string; Enabled: boolean };
      BillingMode: string;
      PointInTimeRecoverySpecification?: { PointInTimeRecoveryEnabled: boolean };
      DeletionProtectionEnabled?: boolean;
    };
    const key = (schema: { AttributeName: string; KeyType: string }[], type: string) =>
      schema.find((k) => k.KeyType === type)?.AttributeName;
    return {
      name: p.TableName,
      partitionKey: key(p.KeySchema, 'HASH'),
      sortKey: key(p.KeySchema, 'RANGE'),
      indexes: (p.GlobalSecondaryIndexes ?? []).map((index) => ({
        name: index.IndexName,
        partitionKey: key(index.KeySchema, 'HASH'),
        sortKey: key(index.KeySchema, 'RANGE'),
        projection: index.Projection.ProjectionType,
      })),
      ttlAttribute: p.TimeToLiveSpecification?.Enabled ? p.TimeToLiveSpecification.AttributeName : undefined,
      attributeTypes: new Set(p.AttributeDefinitions.map((a) => a.AttributeType)),
      billingMode: p.BillingMode,
      pitr: p.PointInTimeRecoverySpecification?.PointInTimeRecoveryEnabled,
      deletionProtection: p.DeletionProtectionEnabled ?? false,
    };
  });
}

describe('DynamoDB tables vs app/adapters/dynamo/tables.ts', () => {
  it('creates exactly the tables TABLES defines, with their keys, GSIs and TTL', () => {
    const built = synthesizedTables('prod');
    const expected = Object.values(TABLES).map((def) => ({
      name: `mcc-prod-${def.name}`,
      partitionKey: def.partitionKey,
      sortKey: 'sortKey' in def ? def.sortKey : undefined,
      indexes: def.indexes.map((index) => ({
        name: index.name,
        partitionKey: index.partitionKey,
        sortKey: 'sortKey' in index ? index.sortKey : undefined,
        projection: 'ALL',
      })),
      ttlAttribute: 'ttlAttribute' in def ? def.ttlAttribute : undefined,
    }));
    interface Shape {
      name: string;
      partitionKey: string | undefined;
      sortKey: string | undefined;
      indexes: {
        name: string;
        partitionKey: string | undefined;
        sortKey: string | undefined;
        projection: string;
      }[];
      ttlAttribute: string | undefined;
    }
    const shape = (t: Shape): Shape => ({
      name: t.name,
      partitionKey: t.partitionKey,
      sortKey: t.sortKey,
      indexes: t.indexes,
      ttlAttribute: t.ttlAttribute,
    });
    const byName = (a: { name: string }, b: { name: string }) => a.name.localeCompare(b.name);
    expect(built.map(shape).sort(byName)).toEqual(expected.map(shape).sort(byName));
  });

  it('TTL on expiresAt where the code writes it: dedupe, events log, workflow state and jobs', () => {
    const withTtl = synthesizedTables('prod')
      .filter((t) => t.ttlAttribute === 'expiresAt')
      .map((t) => t.name)
      .sort();
    expect(withTtl).toEqual([
      'mcc-prod-dedupe',
      'mcc-prod-events-log',
      'mcc-prod-jobs',
      'mcc-prod-workflow-state',
    ]);
  });

  it('every table is on-demand with point-in-time recovery and string keys', () => {
    for (const table of synthesizedTables('dev')) {
      expect(table.billingMode, table.name).toBe('PAY_PER_REQUEST');
      expect(table.pitr, table.name).toBe(true);
      expect([...table.attributeTypes]).toEqual(['S']);
    }
  });

  it('deletion protection and retain-on-delete in prod only', () => {
    expect(synthesizedTables('prod').every((t) => t.deletionProtection)).toBe(true);
    expect(synthesizedTables('dev').some((t) => t.deletionProtection)).toBe(false);
    const prod = synth({ env: 'prod' }).template.findResources('AWS::DynamoDB::Table');
    for (const table of Object.values(prod)) expect(table.DeletionPolicy).toBe('Retain');
    const dev = synth({ env: 'dev' }).template.findResources('AWS::DynamoDB::Table');
    for (const table of Object.values(dev)) expect(table.DeletionPolicy).toBe('Delete');
  });
});
