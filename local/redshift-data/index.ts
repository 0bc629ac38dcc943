/**
 * A local Amazon Redshift Data API for tests and the demo.
 *
 * Speaks the real service's JSON 1.1 protocol, so `@aws-sdk/client-redshift-data` works against it
 * (set `AWS_ENDPOINT_URL_REDSHIFT_DATA` to `endpoint`, any dummy credentials), runs statements
 * asynchronously on real PostgreSQL (embedded PGlite by default, or a server: `connectionString`) and emits the
 * "Redshift Data Statement Status Change" event for statements started with `WithEvent: true`.
 *
 * ```ts
 * const api = await startLocalRedshiftData();
 * api.onEvent((event) => deliver(event));
 * process.env.AWS_ENDPOINT_URL_REDSHIFT_DATA = api.endpoint;
 * // … run code that uses the Data API …
 * await api.stop();
 * ```
 */
import type { Server } from 'node:http';
import { createKitClock, type KitClock } from '../clock';
import { checkFaultWindow, isInWindow, type FaultWindow } from '../fault-window';
import type { SqlEngine } from './engine';
import { DataApiError } from './errors';
import type { StatusChangeEvent } from './events';
import { startJsonProtocolServer, stopServer } from './http-server';
import { createPgliteEngine } from './pglite-engine';
import { createPostgresEngine } from './postgres-engine';
import {
  parseBatchExecuteStatement,
  parseExecuteStatement,
  parseListStatements,
  parseNextToken,
  parseStatementId,
  parseWaitTimeSeconds,
} from './requests';
import { StatementStore } from './statements';

export type { StatusChangeEvent, TerminalState } from './events';
export type { SqlEngine, EngineOutcome, EngineStatement, EngineColumn, RunOptions } from './engine';
export { EngineAborted } from './engine';
export { createPgliteEngine, type PgliteEngineOptions } from './pglite-engine';
export { createPostgresEngine, PostgresEngineConfigurationError, type PostgresEngineOptions } from './postgres-engine';
export { DataApiError } from './errors';

/** The operations this service implements. */
export const OPERATIONS = [
  'ExecuteStatement',
  'BatchExecuteStatement',
  'DescribeStatement',
  'GetStatementResult',
  'GetStatementResultV2',
  'CancelStatement',
  'ListStatements',
] as const;
export type Operation = (typeof OPERATIONS)[number];

export interface LocalRedshiftDataOptions {
  /**
   * The SQL engine. Pass one to share it between several services or test files' setups;
   * the service does not close an engine it was given.
   * @default a new in-memory PGlite engine (about 4.5 s to start), closed by `stop()`
   */
  engine?: SqlEngine;
  /**
   * Run statements on this PostgreSQL server (`postgres://user:password@host:port/database`) rather than
   * on embedded PGlite: a shortcut for `engine: await createPostgresEngine({ connectionString })`, whose
   * engine `stop()` closes. Not together with `engine`.
   * @default undefined (PGlite, or `engine`)
   */
  connectionString?: string;
  /** Region in events and ARNs. @default 'us-east-1' */
  region?: string;
  /** Account id in events and ARNs. @default '123456789012' */
  account?: string;
  /** `detail.principal` of events: the identity that ran the statement. @default `arn:aws:iam::<account>:user/local` */
  principal?: string;
  /** Active (SUBMITTED or STARTED) statements allowed before ActiveStatementsExceededException. @default 200 */
  maxActiveStatements?: number;
  /** Rows per GetStatementResult page (the real service pages by size; make it small to test paging). @default 1000 */
  resultPageSize?: number;
  /**
   * Milliseconds (kit time: the tasker's `timeScale` shortens it) a statement stays STARTED before it runs: a number, or a function of
   * the statement
   * (e.g. slow only for SQL containing some marker). Cancelling during the delay aborts it. Use this
   * rather than `pg_sleep`, which freezes the process under PGlite.
   * @default 0
   */
  statementDelayMs?: number | ((statement: { sqls: readonly string[]; statementName?: string }) => number);
  /** Milliseconds (kit time) a statement stays SUBMITTED (queued) before it starts; cancellable. @default 0 (starts on the next tick) */
  submittedMs?: number;
  /**
   * Sessions (`SessionKeepAliveSeconds`) open at once before ActiveSessionsExceededException. Sessions need
   * the PostgreSQL-server engine: on PGlite (one shared connection) they are refused with a ValidationException.
   * @default 50
   */
  maxSessions?: number;
  /**
   * The clock delays and `WaitTimeSeconds` are measured on, and fault windows are written in: the local tasker
   * gives its own (scaled by its `timeScale`).
   * @default wall time
   */
  clock?: KitClock;
}

/** An error `injectError` makes an operation answer with. */
export interface InjectedError {
  /** The error code the SDK turns into the exception name, e.g. `ThrottlingException`. */
  name: string;
  message: string;
  /** HTTP status. @default 400 */
  status?: number;
}

/** One request the service received, in arrival order. */
export interface RecordedCall {
  operation: string;
  input: Record<string, unknown>;
  /** The error answered, if any. */
  error?: { name: string; message: string };
}

export interface LocalRedshiftData {
  /** `http://127.0.0.1:<port>`: the value for `AWS_ENDPOINT_URL_REDSHIFT_DATA`. */
  readonly endpoint: string;
  /** Calls `listener` with every status-change event; returns a function that unsubscribes it. */
  onEvent(listener: (event: StatusChangeEvent) => void): () => void;
  /** Makes the next `times` calls of `operation` fail with `error` (before any validation or side effect). */
  injectError(operation: Operation, error: InjectedError, times?: number): void;
  /**
   * Makes every call of `operation` fail with `error` while `window` covers the kit's clock (before any validation
   * or side effect): `{ fromMs, untilMs }` in kit milliseconds since start, or a function of them. Returns a
   * function that removes the injection.
   */
  injectErrorDuring(operation: Operation, error: InjectedError, window: FaultWindow): () => void;
  /** Every request received so far. */
  readonly calls: readonly RecordedCall[];
  /** Runs SQL directly on the engine (test setup and inspection); returns rows as objects. */
  query(sql: string, values?: readonly unknown[]): Promise<Record<string, unknown>[]>;
  /** Number of statements not yet FINISHED, FAILED or ABORTED. */
  activeStatements(): number;
  /** Number of sessions open (busy, or idle within their keep-alive). */
  openSessions(): number;
  /** Aborts running statements, closes the server, and closes the engine if the service created it. */
  stop(): Promise<void>;
}

export async function startLocalRedshiftData(options: LocalRedshiftDataOptions = {}): Promise<LocalRedshiftData> {
  validateOptions(options);
  const ownsEngine = options.engine === undefined;
  const engine =
    options.engine ??
    (options.connectionString !== undefined
      ? await createPostgresEngine({ connectionString: options.connectionString })
      : await createPgliteEngine());
  const account = options.account ?? '123456789012';
  const listeners = new Set<(event: StatusChangeEvent) => void>();
  const injected: { operation: string; error: InjectedError; remaining: number }[] = [];
  const windows = new Set<{ operation: string; error: InjectedError; window: FaultWindow }>();
  const clock = options.clock ?? createKitClock();
  const calls: RecordedCall[] = [];

  const store = new StatementStore({
    engine,
    region: options.region ?? 'us-east-1',
    account,
    principal: options.principal ?? `arn:aws:iam::${account}:user/local`,
    maxActiveStatements: options.maxActiveStatements ?? 200,
    resultPageSize: options.resultPageSize ?? 1000,
    statementDelayMs: options.statementDelayMs ?? 0,
    submittedMs: options.submittedMs ?? 0,
    maxSessions: options.maxSessions ?? 50,
    clock,
    emit: (event) => {
      for (const listener of [...listeners]) {
        try {
          listener(event);
        } catch (err) {
          process.emitWarning(`local Data API: an event listener threw: ${(err as Error).message}`);
        }
      }
    },
  });

  const operations: Record<Operation, (body: Record<string, unknown>) => unknown> = {
    ExecuteStatement: (body) => store.start(parseExecuteStatement(body)),
    BatchExecuteStatement: (body) => store.start(parseBatchExecuteStatement(body)),
    DescribeStatement: (body) => store.describe(parseStatementId(body), parseWaitTimeSeconds(body)),
    GetStatementResult: (body) => store.getResult(parseStatementId(body), parseNextToken(body), parseWaitTimeSeconds(body)),
    GetStatementResultV2: (body) => store.getResult(parseStatementId(body), parseNextToken(body), parseWaitTimeSeconds(body), 'CSV'),
    CancelStatement: (body) => store.cancel(parseStatementId(body)),
    ListStatements: (body) => store.list(parseListStatements(body)),
  };

  /** The error a call of `operation` gets now: a window covering the kit's clock, else the next counted one. */
  const injectedFor = (operation: string): InjectedError | undefined => {
    const elapsed = clock.elapsed();
    for (const entry of windows) if (entry.operation === operation && isInWindow(entry.window, elapsed)) return entry.error;
    const counted = injected.find((i) => i.operation === operation && i.remaining > 0);
    if (!counted) return undefined;
    counted.remaining--;
    return counted.error;
  };

  const handle = async (operation: string, input: Record<string, unknown>): Promise<unknown> => {
    const call: RecordedCall = { operation, input };
    calls.push(call);
    try {
      const injection = injectedFor(operation);
      if (injection) throw new DataApiError(injection.name, injection.message, injection.status ?? 400);
      const run = (operations as Record<string, ((body: Record<string, unknown>) => unknown) | undefined>)[operation];
      if (!run) throw new DataApiError('UnknownOperationException', `Operation ${operation} is not supported by the local Data API.`);
      return await run(input);
    } catch (err) {
      if (err instanceof DataApiError) call.error = { name: err.code, message: err.message };
      throw err;
    }
  };

  let server: Server;
  let endpoint: string;
  try {
    ({ server, endpoint } = await startJsonProtocolServer(handle));
  } catch (err) {
    if (ownsEngine) await engine.close();
    throw err;
  }

  let stopped: Promise<void> | undefined;
  return {
    endpoint,
    onEvent(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    injectError(operation, error, times = 1) {
      if (!OPERATIONS.includes(operation)) throw new Error(`injectError: unknown operation ${operation}`);
      if (!Number.isInteger(times) || times < 1) throw new Error('injectError: times must be a positive integer');
      injected.push({ operation, error, remaining: times });
    },
    injectErrorDuring(operation, error, window) {
      if (!OPERATIONS.includes(operation)) throw new Error(`injectErrorDuring: unknown operation ${operation}`);
      checkFaultWindow(window, 'injectErrorDuring');
      const entry = { operation, error, window };
      windows.add(entry);
      return () => void windows.delete(entry);
    },
    calls,
    query: (sql, values) => engine.query(sql, values),
    activeStatements: () => store.activeCount(),
    openSessions: () => store.sessionCount(),
    stop() {
      stopped ??= (async () => {
        await stopServer(server);
        await store.shutdown();
        listeners.clear();
        if (ownsEngine) await engine.close();
      })();
      return stopped;
    },
  };
}

function validateOptions(options: LocalRedshiftDataOptions): void {
  const positiveInteger = (value: number | undefined, name: string): void => {
    if (value !== undefined && (!Number.isInteger(value) || value < 1)) {
      throw new Error(`startLocalRedshiftData: ${name} must be a positive integer, got ${value}`);
    }
  };
  if (options.engine !== undefined && options.connectionString !== undefined) {
    throw new Error('startLocalRedshiftData: give engine or connectionString, not both');
  }
  positiveInteger(options.maxActiveStatements, 'maxActiveStatements');
  positiveInteger(options.resultPageSize, 'resultPageSize');
  positiveInteger(options.maxSessions, 'maxSessions');
  if (options.submittedMs !== undefined && (!Number.isFinite(options.submittedMs) || options.submittedMs < 0)) {
    throw new Error(`startLocalRedshiftData: submittedMs must be a non-negative number, got ${options.submittedMs}`);
  }
  const delay = options.statementDelayMs;
  if (typeof delay === 'number' && (!Number.isFinite(delay) || delay < 0)) {
    throw new Error(`startLocalRedshiftData: statementDelayMs must be a non-negative number, got ${delay}`);
  }
}
