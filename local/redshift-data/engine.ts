/**
 * The SQL engine behind the local Data API: anything that runs PostgreSQL statements.
 *
 * The embedded PGlite engine (`pglite-engine.ts`) is the default; `postgres-engine.ts` runs them on a
 * PostgreSQL server. Values come back as PostgreSQL's text output so the service can
 * type them the way the Data API does, whatever the engine.
 */

/** One statement to run, with `$n` placeholders already bound. */
export interface EngineStatement {
  text: string;
  values: readonly string[];
}

/** A column of a result set. */
export interface EngineColumn {
  name: string;
  /** PostgreSQL type OID. */
  typeId: number;
  /** PostgreSQL type name (`int4`, `varchar`, …). */
  typeName: string;
}

/** What one statement produced. */
export type EngineOutcome =
  | {
      ok: true;
      /** Columns of the result set; empty when the statement returns none. */
      columns: EngineColumn[];
      /** Rows as PostgreSQL's text output (`null` for NULL), one array per row. */
      rows: (string | null)[][];
      hasResultSet: boolean;
      /** Rows returned (SELECT) or affected (INSERT/UPDATE/DELETE/COPY); 0 otherwise. */
      rowCount: number;
    }
  | {
      ok: false;
      /** The engine's error text, e.g. `relation "x" does not exist`. */
      message: string;
      /** SQLSTATE, e.g. `42P01`. */
      code?: string;
    };

export interface RunOptions {
  /** All statements in one transaction (rolled back on the first error or on abort); else each commits alone. */
  transaction: boolean;
  /** Aborted when the statement is cancelled: the engine runs nothing more and rolls back an open transaction. */
  signal: AbortSignal;
}

/** Thrown by `run` when the signal aborts it before it finished. */
export class EngineAborted extends Error {
  constructor() {
    super('statement aborted');
    this.name = 'EngineAborted';
  }
}

/**
 * One database connection held for a Data API session: statements run on it one at a time, so temporary
 * tables and settings persist between them, and nowhere else.
 */
export interface EngineSession {
  run(statements: readonly EngineStatement[], options: RunOptions): Promise<EngineOutcome[]>;
  close(): Promise<void>;
}

export interface SqlEngine {
  /**
   * Opens a connection of its own for a session. Absent when the engine cannot keep one apart (PGlite is a
   * single connection shared by every statement): the service then refuses sessions.
   */
  openSession?(): Promise<EngineSession>;
  /**
   * Runs statements in order and stops at the first error: the returned list then ends with the failure
   * (statements after it are not run). Rejects with `EngineAborted` when the signal aborts first.
   */
  run(statements: readonly EngineStatement[], options: RunOptions): Promise<EngineOutcome[]>;
  /** Runs one statement for test setup or inspection and returns rows as objects (engine-native values). */
  query(sql: string, values?: readonly unknown[]): Promise<Record<string, unknown>[]>;
  close(): Promise<void>;
}
