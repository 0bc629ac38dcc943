/**
 * A local DynamoDB endpoint that answers every call with an empty result: enough for the sweep's
 * Queries of its indexes, so a cold-start child can time its first invocation, the first real AWS
 * call, without a database behind it. Counts the calls it answered.
 *
 * The one GetItem a cold sweep makes (the marker of the one-off upgrade pass, legacy-callbacks.ts) is
 * answered "done", as every table answers it once its first sweep after an upgrade has run: the
 * bench times a cold start of a deployed tasker, not that one-off pass.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { TABLE } from '../functions/shared/contract';
import { LEGACY_CALLBACK_MARKER_KEY } from '../functions/tasker/table/legacy-callbacks';

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
      const getItem = String(req.headers['x-amz-target'] ?? '').endsWith('.GetItem');
      const body = JSON.stringify(
        getItem
          ? { Item: { [TABLE.PARTITION_KEY]: { S: LEGACY_CALLBACK_MARKER_KEY }, done: { BOOL: true } } }
          : { Items: [], Count: 0, ScannedCount: 0 },
      );
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
