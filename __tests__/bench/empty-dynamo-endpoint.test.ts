/**
 * The cold-start bench's stand-in table, through the handler's own table code and the real SDK client: its indexes
 * are empty and its upgrade pass is done, so a cold sweep makes the calls a deployed tasker's makes (marker read,
 * two index Queries) and no Scan.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { startEmptyDynamoEndpoint, type EmptyDynamoEndpoint } from '../../bench/empty-dynamo-endpoint';
import { TrackingTable } from '../../functions/tasker/table/tracking-table';

describe('startEmptyDynamoEndpoint', () => {
  let endpoint: EmptyDynamoEndpoint;
  let table: TrackingTable;
  let client: DynamoDBClient;
  beforeAll(async () => {
    endpoint = await startEmptyDynamoEndpoint();
    client = new DynamoDBClient({
      endpoint: endpoint.url,
      region: 'us-east-1',
      credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret' },
      maxAttempts: 1,
    });
    table = new TrackingTable(DynamoDBDocumentClient.from(client), 'bench-table');
  });
  afterAll(async () => {
    client.destroy();
    await endpoint.stop();
  });

  it('answers the upgrade marker as done and every index empty, counting the calls', async () => {
    expect(await table.legacy.scanState()).toEqual({ done: true, resumeKey: undefined });
    const pages = [];
    for await (const page of table.indexes.runningPages(100)) pages.push(page);
    expect(pages).toEqual([[]]);
    expect(endpoint.calls()).toBe(2);
  });
});
