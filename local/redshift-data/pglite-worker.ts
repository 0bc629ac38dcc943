/**
 * Worker-thread host of the PGlite engine: receives `run`/`query`/`abort`/`close` messages from
 * `pglite-engine.ts` and answers each request by its `requestId`.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { EngineAborted, type SqlEngine } from './engine';
import { openPglite } from './pglite-runner';
import type { WorkerReply, WorkerRequest } from './pglite-engine';

if (!parentPort) throw new Error('pglite-worker must run in a worker thread');
const port = parentPort;

const aborts = new Map<number, AbortController>();
const ready: Promise<SqlEngine> = openPglite((workerData as { dataDir?: string }).dataDir);
ready.then(
  () => port.postMessage({ type: 'ready' } satisfies WorkerReply),
  (err: Error) => port.postMessage({ type: 'failed', message: String(err?.stack ?? err) } satisfies WorkerReply),
);

port.on('message', (request: WorkerRequest) => {
  if (request.type === 'abort') {
    aborts.get(request.requestId)?.abort();
    return;
  }
  void answer(request);
});

async function answer(request: Exclude<WorkerRequest, { type: 'abort' }>): Promise<void> {
  const reply = (body: Partial<WorkerReply>): void => port.postMessage({ type: 'reply', requestId: request.requestId, ...body });
  try {
    const engine = await ready;
    if (request.type === 'run') {
      const controller = new AbortController();
      aborts.set(request.requestId, controller);
      try {
        const outcomes = await engine.run(request.statements, { transaction: request.transaction, signal: controller.signal });
        reply({ value: outcomes });
      } finally {
        aborts.delete(request.requestId);
      }
    } else if (request.type === 'query') {
      reply({ value: await engine.query(request.sql, request.values) });
    } else {
      await engine.close();
      reply({ value: null });
    }
  } catch (err) {
    reply({ error: { message: (err as Error).message ?? String(err), aborted: err instanceof EngineAborted } });
  }
}
