/**
 * The Data API's wire protocol: AWS JSON 1.1 over HTTP POST, the operation named by
 * `X-Amz-Target: RedshiftData.<Operation>`, errors as `{"__type": …, "message": …}`.
 */
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { DataApiError } from './errors';

const TARGET_PREFIX = 'RedshiftData.';
const CONTENT_TYPE = 'application/x-amz-json-1.1';

/** Listens on 127.0.0.1 at a free port and dispatches each request to `handle(operation, body)`. */
export async function startJsonProtocolServer(
  handle: (operation: string, body: Record<string, unknown>) => Promise<unknown>,
): Promise<{ server: Server; endpoint: string }> {
  const server = createServer((req, res) => {
    void respond(req, res, handle);
  });
  // Test clients keep connections alive; do not let idle sockets hold `stop()` open.
  server.keepAliveTimeout = 1000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('local Data API: no TCP address');
  return { server, endpoint: `http://127.0.0.1:${address.port}` };
}

export async function stopServer(server: Server): Promise<void> {
  await new Promise<void>((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}

async function respond(
  req: IncomingMessage,
  res: ServerResponse,
  handle: (operation: string, body: Record<string, unknown>) => Promise<unknown>,
): Promise<void> {
  try {
    const target = String(req.headers['x-amz-target'] ?? '');
    if (req.method !== 'POST' || !target.startsWith(TARGET_PREFIX)) {
      throw new DataApiError('UnknownOperationException', `Unknown operation ${JSON.stringify(target)}.`);
    }
    const raw = await readBody(req);
    let body: unknown;
    try {
      body = raw.length === 0 ? {} : JSON.parse(raw);
    } catch {
      throw new DataApiError('SerializationException', 'The request body is not valid JSON.');
    }
    if (body === null || typeof body !== 'object' || Array.isArray(body)) {
      throw new DataApiError('SerializationException', 'The request body must be a JSON object.');
    }
    const output = await handle(target.slice(TARGET_PREFIX.length), body as Record<string, unknown>);
    send(res, 200, output ?? {});
  } catch (err) {
    const error =
      err instanceof DataApiError
        ? err
        : new DataApiError('InternalServerException', `local Data API failure: ${(err as Error).message}`, 500);
    send(res, error.status, error.toBody(), error.code);
  }
}

function send(res: ServerResponse, status: number, body: unknown, errorType?: string): void {
  const json = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': CONTENT_TYPE,
    'content-length': Buffer.byteLength(json),
    'x-amzn-requestid': randomUUID(),
    ...(errorType ? { 'x-amzn-errortype': errorType } : {}),
  });
  res.end(json);
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}
