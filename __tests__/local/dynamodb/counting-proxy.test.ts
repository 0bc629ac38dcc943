import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { createTrackingTable } from '../../../local/dynamodb';
import { startCountingLocalDynamoDb, type CountingLocalDynamoDb } from '../../../local/dynamodb/counting-proxy';

describe('local/dynamodb/counting-proxy: dynalite with the calls through its endpoint recorded', () => {
  let db: CountingLocalDynamoDb;
  let viaProxy: DynamoDBClient;
  beforeAll(async () => {
    db = await startCountingLocalDynamoDb();
    viaProxy = new DynamoDBClient({
      endpoint: db.endpoint,
      region: 'us-east-1',
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    });
  });
  afterAll(async () => {
    viaProxy.destroy();
    await db.stop();
  });

  it('records operations sent to the endpoint, not those of its own setup client, and forwards them to dynalite', async () => {
    await createTrackingTable(db.client, 'tracking');
    expect(db.calls).toEqual([]);
    const { TableNames } = await viaProxy.send(new ListTablesCommand({}));
    expect(TableNames).toEqual(['tracking']);
    expect(db.calls).toEqual(['ListTables']);
  });
});
