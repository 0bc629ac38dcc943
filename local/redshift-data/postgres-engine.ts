/**
 * A `SqlEngine` on a PostgreSQL server reached by a connection string (npm `pg`, a connection pool).
 *
 * Behaves like the embedded PGlite engine: values come back as PostgreSQL's text output, columns with
 * their type OIDs and names, errors with their SQLSTATE. Unlike PGlite, a cancelled statement is really
 * cancelled on the server (`pg_cancel_backend` from a second connection) and an open transaction is
 * rolled back, so the server stops working on it.
 */
import { Client, Pool, type PoolClient, type QueryArrayConfig, type QueryConfig, type QueryResult } from 'pg';
import {
  EngineAborted,
  type EngineColumn,
  type EngineOutcome,
  type EngineSession,
  type EngineStatement,
  type RunOptions,
  type SqlEngine,
} from './engine';

export interface PostgresEngineOptions {
  /** `postgres://user:password@host:port/database` (anything `pg` accepts). */
  connectionString: string;
  /** Connections the pool opens at most: statements beyond wait for a free one (they stay STARTED). @default 10 */
  maxConnections?: number;
}

/** Thrown when the options are unusable, before anything connects. */
export class PostgresEngineConfigurationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PostgresEngineConfigurationError';
  }
}

/** `application_name` of the engine's connections. */
export const APPLICATION_NAME = 'local-redshift-data';

/** Every column as the server's text output: `pg` would otherwise parse ints, dates, JSON, arrays… */
const TEXT_TYPES = {
  getTypeParser:
    () =>
    (text: string): string =>
      text,
};

/** Connects (and checks the connection with one query) before resolving. */
export async function createPostgresEngine(options: PostgresEngineOptions): Promise<SqlEngine> {
  validateOptions(options);
  const pool = new Pool({
    connectionString: options.connectionString,
    max: options.maxConnections ?? 10,
    // Names our sessions in pg_stat_activity (a connection string's own application_name wins).
    application_name: APPLICATION_NAME,
  });
  // An idle pooled connection that the server drops must not crash the process.
  pool.on('error', (err) => process.emitWarning(`local Data API (PostgreSQL): idle connection error: ${err.message}`));
  try {
    await pool.query('select 1');
  } catch (err) {
    await pool.end();
    throw new Error(`cannot connect to PostgreSQL: ${(err as Error).message}`);
  }
  return new PostgresEngine(pool, options.connectionString);
}

function validateOptions(options: PostgresEngineOptions): void {
  if (typeof options?.connectionString !== 'string' || options.connectionString.trim() === '') {
    throw new PostgresEngineConfigurationError('createPostgresEngine: connectionString must be a non-empty string');
  }
  const max = options.maxConnections;
  if (max !== undefined && (!Number.isInteger(max) || max < 1)) {
    throw new PostgresEngineConfigurationError(`createPostgresEngine: maxConnections must be a positive integer, got ${max}`);
  }
}

class PostgresEngine implements SqlEngine {
  private readonly typeNames = new Map<number, string>();
  private closed = false;

  constructor(
    private readonly pool: Pool,
    private readonly connectionString: string,
  ) {}

  async run(statements: readonly EngineStatement[], options: RunOptions): Promise<EngineOutcome[]> {
    if (options.signal.aborted) throw new EngineAborted();
    const client = await this.pool.connect();
    const health = { discard: false };
    try {
      return await this.runOn(client, statements, options, health);
    } finally {
      client.release(health.discard);
    }
  }

  /** A session's own connection (outside the pool, so sessions never starve ordinary statements). */
  async openSession(): Promise<EngineSession> {
    const client = new Client({ connectionString: this.connectionString, application_name: `${APPLICATION_NAME}-session` });
    client.on('error', (err) => process.emitWarning(`local Data API (PostgreSQL): session connection error: ${err.message}`));
    await client.connect();
    let tail: Promise<unknown> = Promise.resolve();
    return {
      // One statement at a time on the connection (the service refuses a second one; this is the belt to those braces).
      run: (statements, options) => {
        const next = tail.then(() => this.runOn(client, statements, options, { discard: false }));
        tail = next.catch(() => undefined);
        return next;
      },
      close: () => client.end().catch(() => undefined),
    };
  }

  /**
   * Runs on one connection. Sets `health.discard` when the connection's state is uncertain (a run aborted
   * or broken): a pooled one is then destroyed, not reused, so no late cancel request or open
   * transaction can reach the next run.
   */
  private async runOn(
    client: PoolClient | Client,
    statements: readonly EngineStatement[],
    options: RunOptions,
    health: { discard: boolean },
  ): Promise<EngineOutcome[]> {
    const { signal, transaction } = options;
    const session = new Session(client, this.connectionString, signal);
    try {
      if (signal.aborted) throw new EngineAborted();
      if (transaction) await session.query({ text: 'begin' });
      const outcomes = await this.runEach(session, statements);
      if (transaction) {
        if (outcomes.every((o) => o.ok)) await session.query({ text: 'commit' });
        else health.discard = !(await rollback(client));
      }
      return outcomes;
    } catch (err) {
      health.discard = true;
      // Wait for a cancel in flight, so that it cannot hit the rollback.
      await session.settled();
      if (transaction) await rollback(client);
      if (signal.aborted || err instanceof EngineAborted) throw new EngineAborted();
      throw err;
    } finally {
      await session.settled();
    }
  }

  async query(sql: string, values: readonly unknown[] = []): Promise<Record<string, unknown>[]> {
    return (await this.pool.query<Record<string, unknown>>(sql, [...values])).rows;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.pool.end();
  }

  private async runEach(session: Session, statements: readonly EngineStatement[]): Promise<EngineOutcome[]> {
    const outcomes: EngineOutcome[] = [];
    for (const statement of statements) {
      if (session.signal.aborted) throw new EngineAborted();
      const outcome = await this.runOne(session, statement);
      outcomes.push(outcome);
      if (!outcome.ok) break;
    }
    return outcomes;
  }

  private async runOne(session: Session, statement: EngineStatement): Promise<EngineOutcome> {
    let result: QueryResult<unknown[]>;
    try {
      result = await session.query({
        text: statement.text,
        values: [...statement.values],
        rowMode: 'array',
        types: TEXT_TYPES,
        // The extended protocol even without parameters, as PGlite: one statement per call
        // ("cannot insert multiple commands into a prepared statement").
        queryMode: 'extended',
      });
    } catch (err) {
      const e = err as { message?: string; code?: string };
      // Our own cancel, or no SQL error at all (a lost connection): the run as a whole ends. A cancel
      // we did not ask for (statement_timeout, another session) is an SQL error like any other.
      if (session.signal.aborted || e.code === undefined) throw err;
      return { ok: false, message: String(e.message ?? err), code: e.code };
    }
    const hasResultSet = result.fields.length > 0;
    const columns: EngineColumn[] = [];
    for (const field of result.fields) {
      columns.push({ name: field.name, typeId: field.dataTypeID, typeName: await this.typeName(field.dataTypeID) });
    }
    return {
      ok: true,
      columns,
      rows: result.rows.map((row) => row.map((value) => (value === null || value === undefined ? null : String(value)))),
      hasResultSet,
      rowCount: hasResultSet ? result.rows.length : (result.rowCount ?? 0),
    };
  }

  /** Type names by OID, looked up once (on the pool: the run's connection may be in a failed transaction). */
  private async typeName(typeId: number): Promise<string> {
    let name = this.typeNames.get(typeId);
    if (name === undefined) {
      const found = await this.pool.query<{ typname: string }>('select typname from pg_type where oid = $1', [typeId]);
      name = found.rows[0]?.typname ?? 'unknown';
      this.typeNames.set(typeId, name);
    }
    return name;
  }
}

/** `pg`'s query options, plus `queryMode` which its type definitions lack. */
type StatementQuery = (QueryConfig | QueryArrayConfig) & { queryMode?: 'extended' };

/**
 * One run's connection, watched by its abort signal: on abort, the query running on it is cancelled
 * on the server. `settled()` waits until that cancel request has been answered.
 */
class Session {
  private running = false;
  private cancelling: Promise<void> = Promise.resolve();

  constructor(
    private readonly client: PoolClient | Client,
    private readonly connectionString: string,
    readonly signal: AbortSignal,
  ) {}

  async query(config: StatementQuery): Promise<QueryResult<unknown[]>> {
    const onAbort = (): void => {
      // `pg` keeps the connection's backend pid (from the server's BackendKeyData) but does not type it.
      const pid = (this.client as unknown as { processID: number | null }).processID;
      if (this.running && pid !== null) this.cancelling = cancelBackend(this.connectionString, pid);
    };
    this.signal.addEventListener('abort', onAbort, { once: true });
    this.running = true;
    try {
      return await this.client.query<unknown[]>(config as QueryArrayConfig);
    } finally {
      this.running = false;
      this.signal.removeEventListener('abort', onAbort);
    }
  }

  settled(): Promise<void> {
    return this.cancelling;
  }
}

/** Cancels the query the backend `pid` runs, from a connection of its own (the pool may be full). */
async function cancelBackend(connectionString: string, pid: number): Promise<void> {
  const client = new Client({ connectionString, application_name: `${APPLICATION_NAME}-cancel` });
  try {
    await client.connect();
    await client.query('select pg_cancel_backend($1)', [pid]);
  } catch (err) {
    process.emitWarning(`local Data API (PostgreSQL): could not cancel backend ${pid}: ${(err as Error).message}`);
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** Rolls back; false when that failed (the connection must then be destroyed, which rolls back too). */
async function rollback(client: PoolClient | Client): Promise<boolean> {
  try {
    await client.query('rollback');
    return true;
  } catch {
    return false;
  }
}
