/**
 * A local DynamoDB endpoint that answers every call with an empty result: enough for the sweep's
 * Query of the running index, so a cold-start child can time its first invocation, the first real AWS
 * call, without a database behind it. Counts the calls it answered.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface EmptyDynamoEndpoint {
  url: string;
  calls(): number;
  stop(): Promise<void>;
}

export async function startEmptyDynamoEndpoint(): Promise<EmptyDynamoEndpoint> {
  let calls = 0;
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      calls++;
      const body = JSON.stringify({ Items: [], Count: 0, ScannedCount: 0 });
      res.writeHead(200, { 'content-type': 'application/x-amz-json-1.0', 'content-length': Buffer.byteLength(body) });
      res.end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    calls: () => calls,
    stop: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
