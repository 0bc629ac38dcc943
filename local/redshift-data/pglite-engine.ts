/**
 * The default `SqlEngine`: embedded PostgreSQL (`@electric-sql/pglite`) in a worker thread.
 *
 * A worker because PGlite blocks its thread while a query runs (the HTTP service must keep
 * answering, and CancelStatement must arrive) and because it loads Node built-ins with dynamic
 * `import()`, which jest's sandbox refuses. Start-up takes about 4.5 s: share one engine per test file.
 */
import { extname, join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { EngineAborted, type EngineOutcome, type EngineStatement, type RunOptions, type SqlEngine } from './engine';

export interface PgliteEngineOptions {
  /** Directory PGlite keeps its files in. @default in memory (nothing written to disk) */
  dataDir?: string;
}

/** Messages to the worker. */
export type WorkerRequest =
  | { type: 'run'; requestId: number; statements: readonly EngineStatement[]; transaction: boolean }
  | { type: 'query'; requestId: number; sql: string; values: readonly unknown[] }
  | { type: 'abort'; requestId: number }
  | { type: 'close'; requestId: number };

/** Messages from the worker. */
export type WorkerReply =
  | { type: 'ready' }
  | { type: 'failed'; message: string }
  | { type: 'reply'; requestId: number; value?: unknown; error?: { message: string; aborted: boolean } };

export async function createPgliteEngine(options: PgliteEngineOptions = {}): Promise<SqlEngine> {
  // From TypeScript sources (jest, tsx) the worker needs tsx's loader; compiled, it is plain JavaScript.
  const fromSource = extname(__filename) === '.ts';
  const worker = new Worker(join(__dirname, `pglite-worker${extname(__filename)}`), {
    workerData: { dataDir: options.dataDir },
    execArgv: fromSource ? ['--require', require.resolve('tsx/cjs')] : [],
  });
  const engine = new WorkerEngine(worker);
  await engine.ready;
  return engine;
}

class WorkerEngine implements SqlEngine {
  readonly ready: Promise<void>;
  private nextId = 0;
  private readonly pending = new Map<number, { resolve: (value: unknown) => void; reject: (err: Error) => void }>();
  private exited = false;

  constructor(private readonly worker: Worker) {
    this.ready = new Promise((resolve, reject) => {
      worker.on('message', (reply: WorkerReply) => {
        if (reply.type === 'ready') return resolve();
        if (reply.type === 'failed') return reject(new Error(`PGlite failed to start: ${reply.message}`));
        const waiter = this.pending.get(reply.requestId);
        if (!waiter) return;
        this.pending.delete(reply.requestId);
        if (!reply.error) waiter.resolve(reply.value);
        else waiter.reject(reply.error.aborted ? new EngineAborted() : new Error(reply.error.message));
      });
      worker.on('error', (err) => {
        reject(err);
        this.failAll(err);
      });
      worker.on('exit', (code) => {
        this.exited = true;
        const err = new Error(`PGlite worker exited (code ${code})`);
        reject(err);
        this.failAll(err);
      });
    });
  }

  run(statements: readonly EngineStatement[], options: RunOptions): Promise<EngineOutcome[]> {
    if (options.signal.aborted) return Promise.reject(new EngineAborted());
    const requestId = ++this.nextId;
    const onAbort = (): void => this.worker.postMessage({ type: 'abort', requestId } satisfies WorkerRequest);
    options.signal.addEventListener('abort', onAbort, { once: true });
    return this.request<EngineOutcome[]>({ type: 'run', requestId, statements, transaction: options.transaction }).finally(() =>
      options.signal.removeEventListener('abort', onAbort),
    );
  }

  query(sql: string, values: readonly unknown[] = []): Promise<Record<string, unknown>[]> {
    return this.request({ type: 'query', requestId: ++this.nextId, sql, values });
  }

  async close(): Promise<void> {
    if (this.exited) return;
    try {
      await this.request({ type: 'close', requestId: ++this.nextId });
    } finally {
      await this.worker.terminate();
    }
  }

  private request<T>(message: WorkerRequest): Promise<T> {
    if (this.exited) return Promise.reject(new Error('PGlite engine is closed'));
    return new Promise<T>((resolve, reject) => {
      this.pending.set(message.requestId, { resolve: resolve as (value: unknown) => void, reject });
      this.worker.postMessage(message);
    });
  }

  private failAll(err: Error): void {
    for (const waiter of this.pending.values()) waiter.reject(err);
    this.pending.clear();
  }
}
