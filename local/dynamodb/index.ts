/**
 * DynamoDB on one machine: dynalite (real DynamoDB validation and conditional writes) on 127.0.0.1
 * at a free port, plus the tasker's tracking table created exactly as the contract defines it.
 */
import { CreateTableCommand, DynamoDBClient, type CreateTableCommandInput } from '@aws-sdk/client-dynamodb';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { TABLE, TABLE_DEFINITION } from '../../functions/shared/contract';

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

/**
 * The CreateTable request for the tracking table, built from the contract's TABLE_DEFINITION (the same
 * source the construct synthesizes the table from), so local runs and tests see the deployed schema,
 * projections included (dynalite returns only projected attributes from an index).
 */
export function trackingTableCreateInput(tableName: string): CreateTableCommandInput {
  return {
    TableName: tableName,
    BillingMode: TABLE_DEFINITION.BILLING_MODE,
    KeySchema: [{ AttributeName: TABLE.PARTITION_KEY, KeyType: 'HASH' }],
    AttributeDefinitions: TABLE_DEFINITION.KEY_ATTRIBUTES.map((name) => ({ AttributeName: name, AttributeType: 'S' })),
    GlobalSecondaryIndexes: TABLE_DEFINITION.GLOBAL_SECONDARY_INDEXES.map((index) => ({
      IndexName: index.name,
      KeySchema: [
        { AttributeName: index.hashKey, KeyType: 'HASH' },
        { AttributeName: index.rangeKey, KeyType: 'RANGE' },
      ],
      Projection: { ProjectionType: index.projectionType, NonKeyAttributes: [...index.nonKeyAttributes] },
    })),
  };
}

/** Creates the tracking table (contract TABLE_DEFINITION: key `pk`, the `byExecution` and sparse `byRunning` indexes). */
export async function createTrackingTable(client: DynamoDBClient, tableName: string): Promise<void> {
  await client.send(new CreateTableCommand(trackingTableCreateInput(tableName)));
}
