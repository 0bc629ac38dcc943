/** A local stand-in for CloudFormation's presigned ResponseURL: records every PUT body. */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ReceivedResponse {
  path: string;
  contentType: string | undefined;
  body: Record<string, unknown>;
}

export interface CloudFormationReceiver {
  /** A URL to use as ResponseURL (`path` distinguishes requests). */
  urlFor(path: string): string;
  responses: ReceivedResponse[];
  stop(): Promise<void>;
}

export async function startCloudFormationReceiver(): Promise<CloudFormationReceiver> {
  const responses: ReceivedResponse[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      if (req.method === 'PUT') {
        responses.push({
          path: req.url ?? '',
          contentType: req.headers['content-type'],
          body: JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>,
        });
      }
      res.writeHead(req.method === 'PUT' ? 200 : 405).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    urlFor: (path) => `http://127.0.0.1:${port}/${path}?X-Amz-Signature=test`,
    responses,
    stop: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
