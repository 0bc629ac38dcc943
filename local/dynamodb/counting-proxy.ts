/**
 * dynalite (see `startLocalDynamoDb`) behind a thin recording proxy, so handler tests and the bench can count
 * the DynamoDB calls the handler makes. The handler gets the proxy's `endpoint`; `client` talks to dynalite
 * directly, so setup and inspection are not counted.
 */
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { startLocalDynamoDb, type LocalDynamoDb } from './index';

export interface CountingLocalDynamoDb extends LocalDynamoDb {
  /** The proxy's endpoint (what the handler uses). */
  readonly endpoint: string;
  /** Operation names (`PutItem`, `UpdateItem`, ...) of every request through the proxy. */
  readonly calls: string[];
}

export async function startCountingLocalDynamoDb(): Promise<CountingLocalDynamoDb> {
  const dynamoDb = await startLocalDynamoDb();
  const upstream = new URL(dynamoDb.endpoint);
  const calls: string[] = [];
  const proxy: Server = createServer((req, res) => {
    const target = String(req.headers['x-amz-target'] ?? '');
    calls.push(target.slice(target.indexOf('.') + 1));
    const forward = request(
      { host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers: req.headers },
      (answer) => {
        res.writeHead(answer.statusCode ?? 500, answer.headers);
        answer.pipe(res);
      },
    );
    forward.on('error', (error) => res.destroy(error));
    req.pipe(forward);
  });
  try {
    await new Promise<void>((resolve, reject) => {
      proxy.once('error', reject);
      proxy.listen(0, '127.0.0.1', () => resolve());
    });
  } catch (err) {
    await dynamoDb.stop();
    throw err;
  }
  return {
    endpoint: `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`,
    calls,
    client: dynamoDb.client,
    async stop() {
      await new Promise<void>((resolve) => {
        proxy.close(() => resolve());
        proxy.closeAllConnections();
      });
      await dynamoDb.stop();
    },
  };
}
