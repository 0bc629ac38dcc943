/**
 * DynamoDB on one machine: dynalite (real DynamoDB validation and conditional writes) on 127.0.0.1
 * at a free port, plus the tasker's tracking table created exactly as the contract defines it.
 */
import { CreateTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { TABLE } from '../../functions/shared/contract';

// dynalite ships no types: it is a function returning an http.Server.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const dynalite = require('dynalite') as (options: Record<string, unknown>) => Server;

export interface LocalDynamoDb {
  /** `http://127.0.0.1:<port>`: the value for `AWS_ENDPOINT_URL_DYNAMODB`. */
  readonly endpoint: string;
  /** A client for test setup and inspection. */
  readonly client: DynamoDBClient;
  stop(): Promise<void>;
}

export async function startLocalDynamoDb(): Promise<LocalDynamoDb> {
  const server = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const client = new DynamoDBClient({ endpoint, region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
  return {
    endpoint,
    client,
    async stop() {
      client.destroy();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections?.();
      });
    },
  };
}

/** Creates the tracking table: key `pk`, the `byExecution` and sparse `byRunning` indexes (contract TABLE). */
export async function createTrackingTable(client: DynamoDBClient, tableName: string): Promise<void> {
  const { PARTITION_KEY, EXECUTION_INDEX, RUNNING_INDEX } = TABLE;
  const attributes = new Set([PARTITION_KEY, EXECUTION_INDEX.hashKey, EXECUTION_INDEX.rangeKey, RUNNING_INDEX.hashKey, RUNNING_INDEX.rangeKey]);
  await client.send(
    new CreateTableCommand({
      TableName: tableName,
      BillingMode: 'PAY_PER_REQUEST',
      KeySchema: [{ AttributeName: PARTITION_KEY, KeyType: 'HASH' }],
      AttributeDefinitions: [...attributes].map((name) => ({ AttributeName: name, AttributeType: 'S' })),
      GlobalSecondaryIndexes: [EXECUTION_INDEX, RUNNING_INDEX].map((index) => ({
        IndexName: index.name,
        KeySchema: [
          { AttributeName: index.hashKey, KeyType: 'HASH' },
          { AttributeName: index.rangeKey, KeyType: 'RANGE' },
        ],
        Projection: { ProjectionType: 'ALL' },
      })),
    }),
  );
}
