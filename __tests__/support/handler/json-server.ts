/** A tiny HTTP server on 127.0.0.1:0 for AWS JSON protocols: routes by X-Amz-Target, records every call. */
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface JsonServer {
  endpoint: string;
  stop(): Promise<void>;
}

/** Answers one call; `headers` are the request's (a test can check how the call was signed). */
export type JsonRoute = (
  operation: string,
  body: Record<string, unknown>,
  headers: IncomingHttpHeaders,
) => { status: number; body: unknown };

export async function startJsonServer(contentType: string, route: JsonRoute): Promise<JsonServer> {
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const target = String(req.headers['x-amz-target'] ?? '');
      const operation = target.slice(target.indexOf('.') + 1);
      let answer: { status: number; body: unknown };
      try {
        answer = route(operation, JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') as Record<string, unknown>, req.headers);
      } catch (error) {
        answer = { status: 500, body: { __type: 'InternalServerException', message: String(error) } };
      }
      const text = JSON.stringify(answer.body);
      res.writeHead(answer.status, { 'content-type': contentType, 'content-length': Buffer.byteLength(text) });
      res.end(text);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    stop: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}
