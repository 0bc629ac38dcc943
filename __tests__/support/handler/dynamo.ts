/**
 * dynalite (real DynamoDB semantics, in process) behind a thin recording proxy, so tests can count the
 * DynamoDB calls the handler makes; plus the tracking table exactly as the contract defines it (the same request local/dynamodb sends).
 */
import { CreateTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { createServer, request, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { trackingTableCreateInput } from '../../../local/dynamodb';

// dynalite ships no types.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const dynalite = require('dynalite') as (options: Record<string, unknown>) => Server;

export interface LocalDynamo {
  /** The proxy's endpoint (what the handler uses). */
  endpoint: string;
  /** Operation names (`PutItem`, `UpdateItem`, ...) of every request through the proxy. */
  calls: string[];
  client: DynamoDBClient;
  stop(): Promise<void>;
}

const listen = (server: Server): Promise<number> =>
  new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port)));
const close = (server: Server): Promise<void> =>
  new Promise((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });

export async function startLocalDynamo(): Promise<LocalDynamo> {
  const db = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  const dbPort = await listen(db);
  const calls: string[] = [];
  const proxy = createServer((req, res) => {
    const target = String(req.headers['x-amz-target'] ?? '');
    calls.push(target.slice(target.indexOf('.') + 1));
    const upstream = request(
      { host: '127.0.0.1', port: dbPort, method: req.method, path: req.url, headers: req.headers },
      (answer) => {
        res.writeHead(answer.statusCode ?? 500, answer.headers);
        answer.pipe(res);
      },
    );
    upstream.on('error', (error) => res.destroy(error));
    req.pipe(upstream);
  });
  const endpoint = `http://127.0.0.1:${await listen(proxy)}`;
  const client = new DynamoDBClient({
    endpoint: `http://127.0.0.1:${dbPort}`,
    region: 'us-east-1',
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
  });
  return {
    endpoint,
    calls,
    client,
    async stop() {
      client.destroy();
      await close(proxy);
      await close(db);
    },
  };
}

/** Creates the tracking table exactly as local/dynamodb does: from the contract's TABLE_DEFINITION. */
export async function createTrackingTable(client: DynamoDBClient, name: string): Promise<void> {
  await client.send(new CreateTableCommand(trackingTableCreateInput(name)));
}
