import { DescribeTableCommand } from '@aws-sdk/client-dynamodb';
import { TABLE, TABLE_DEFINITION } from '../../../functions/shared/contract';
import { createTrackingTable, startLocalDynamoDb, trackingTableCreateInput, type LocalDynamoDb } from '../../../local/dynamodb';

describe('local/dynamodb: the tracking table from the contract', () => {
  let db: LocalDynamoDb;
  beforeAll(async () => {
    db = await startLocalDynamoDb();
  });
  afterAll(async () => {
    await db.stop();
  });

  it('the create request is the contract TABLE_DEFINITION: keys, indexes and INCLUDE projections', () => {
    const input = trackingTableCreateInput('tracking');
    expect(input.KeySchema).toEqual([{ AttributeName: TABLE.PARTITION_KEY, KeyType: 'HASH' }]);
    expect(input.AttributeDefinitions!.map((a) => a.AttributeName)).toEqual([...TABLE_DEFINITION.KEY_ATTRIBUTES]);
    expect(input.GlobalSecondaryIndexes!.map((index) => [index.IndexName, index.Projection])).toEqual([
      [TABLE.EXECUTION_INDEX.name, { ProjectionType: 'INCLUDE', NonKeyAttributes: ['statementId'] }],
      [TABLE.RUNNING_INDEX.name, { ProjectionType: 'INCLUDE', NonKeyAttributes: ['statementId', TABLE.RUNNING_SQL_ATTRIBUTE] }],
      [TABLE.PENDING_CALLBACK_INDEX.name, { ProjectionType: 'INCLUDE', NonKeyAttributes: ['statementId', 'completedAt'] }],
    ]);
  });

  it('dynalite accepts it and describes the same projections back', async () => {
    await createTrackingTable(db.client, 'tracking');
    const { Table } = await db.client.send(new DescribeTableCommand({ TableName: 'tracking' }));
    expect(Table!.BillingModeSummary?.BillingMode ?? 'PAY_PER_REQUEST').toBe(TABLE_DEFINITION.BILLING_MODE);
    const described = Object.fromEntries(Table!.GlobalSecondaryIndexes!.map((index) => [index.IndexName, index.Projection]));
    expect(described).toEqual({
      byExecution: { ProjectionType: 'INCLUDE', NonKeyAttributes: ['statementId'] },
      byRunning: { ProjectionType: 'INCLUDE', NonKeyAttributes: ['statementId', 'runningSql'] },
      byPendingCallback: { ProjectionType: 'INCLUDE', NonKeyAttributes: ['statementId', 'completedAt'] },
    });
  });
});
