/**
 * Runs Data API statements on a PGlite instance in the current thread.
 *
 * Used inside the engine's worker thread (`pglite-worker.ts`): PGlite runs a query synchronously
 * (a `pg_sleep` blocks its thread), and it loads Node built-ins with dynamic `import()`, which
 * jest's module sandbox refuses. PGlite has one connection, so statements run one at a time.
 */
import type { PGlite as PGliteType, Transaction } from '@electric-sql/pglite';
import { EngineAborted, type EngineColumn, type EngineOutcome, type EngineStatement, type RunOptions, type SqlEngine } from './engine';

/** Type OIDs whose default PGlite parser would turn the text into a JS object; we want the text. */
const PARSED_TYPE_IDS = [16, 17, 20, 21, 23, 26, 114, 700, 701, 1082, 1083, 1114, 1184, 1186, 1266, 1700, 3802];
const keepText = (text: string): string => text;
const TEXT_PARSERS = Object.fromEntries(PARSED_TYPE_IDS.map((id) => [id, keepText]));

/** Opens PGlite (about 4.5 s) in this thread. `dataDir`: a directory, or in memory when undefined. */
export async function openPglite(dataDir?: string): Promise<SqlEngine> {
  const { PGlite } = await import('@electric-sql/pglite');
  const db: PGliteType = new PGlite(dataDir);
  await db.waitReady;
  return new PgliteRunner(db);
}

type Queryable = Pick<PGliteType, 'query'> | Transaction;

class PgliteRunner implements SqlEngine {
  private queue: Promise<unknown> = Promise.resolve();
  private readonly typeNames = new Map<number, string>();

  constructor(private readonly db: PGliteType) {}

  run(statements: readonly EngineStatement[], options: RunOptions): Promise<EngineOutcome[]> {
    return this.exclusive(async () => {
      if (options.signal.aborted) throw new EngineAborted();
      if (!options.transaction) return this.runEach(this.db, statements, options.signal);
      let outcomes: EngineOutcome[] = [];
      try {
        await this.db.transaction(async (tx) => {
          outcomes = await this.runEach(tx, statements, options.signal);
          // Throwing inside the callback makes PGlite roll the transaction back.
          if (outcomes.some((o) => !o.ok)) throw new RollbackRequested();
        });
      } catch (err) {
        if (!(err instanceof RollbackRequested)) throw err;
      }
      return outcomes;
    });
  }

  async query(sql: string, values: readonly unknown[] = []): Promise<Record<string, unknown>[]> {
    return this.exclusive(async () => (await this.db.query<Record<string, unknown>>(sql, [...values])).rows);
  }

  async close(): Promise<void> {
    await this.queue.catch(() => undefined);
    await this.db.close();
  }

  private async runEach(target: Queryable, statements: readonly EngineStatement[], signal: AbortSignal): Promise<EngineOutcome[]> {
    const outcomes: EngineOutcome[] = [];
    for (const statement of statements) {
      if (signal.aborted) throw new EngineAborted();
      const outcome = await this.runOne(target, statement);
      outcomes.push(outcome);
      if (!outcome.ok) break;
    }
    return outcomes;
  }

  private async runOne(target: Queryable, statement: EngineStatement): Promise<EngineOutcome> {
    try {
      const result = await target.query<unknown[]>(statement.text, [...statement.values], {
        rowMode: 'array',
        parsers: TEXT_PARSERS,
      });
      const hasResultSet = result.fields.length > 0;
      const columns: EngineColumn[] = [];
      for (const field of result.fields) {
        columns.push({ name: field.name, typeId: field.dataTypeID, typeName: await this.typeName(target, field.dataTypeID) });
      }
      return {
        ok: true,
        columns,
        rows: result.rows.map((row) => row.map(asText)),
        hasResultSet,
        rowCount: hasResultSet ? result.rows.length : (result.affectedRows ?? 0),
      };
    } catch (err) {
      const e = err as { message?: string; code?: string };
      return { ok: false, message: String(e.message ?? err), code: e.code };
    }
  }

  private async typeName(target: Queryable, typeId: number): Promise<string> {
    let name = this.typeNames.get(typeId);
    if (name === undefined) {
      const found = await target.query<{ typname: string }>('select typname from pg_type where oid = $1', [typeId]);
      name = found.rows[0]?.typname ?? 'unknown';
      this.typeNames.set(typeId, name);
    }
    return name;
  }

  /** Runs `work` after everything queued before it (PGlite has a single connection). */
  private exclusive<T>(work: () => Promise<T>): Promise<T> {
    const result = this.queue.then(work);
    this.queue = result.catch(() => undefined);
    return result;
  }
}

class RollbackRequested extends Error {}

/** Array values still come back parsed (PGlite registers array parsers per type); give them back as text. */
function asText(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string') return value;
  return JSON.stringify(value, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v));
}
