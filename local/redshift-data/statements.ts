/**
 * The statements the local Data API knows: their lifecycle and how each operation sees them.
 *
 * A statement is created SUBMITTED, becomes STARTED on the next tick, waits the optional artificial
 * delay (cancellable, so tests can observe STARTED and cancel), runs on the engine and ends FINISHED,
 * FAILED or ABORTED. A single statement is kept as a batch of one so both share one code path.
 */
import { randomUUID } from 'node:crypto';
import { EngineAborted, type EngineColumn, type SqlEngine } from './engine';
import { DataApiError, statementNotFound, validationError } from './errors';
import { buildStatusChangeEvent, targetArn, type StatusChangeEvent, type TerminalState } from './events';
import { bindParameters, type BoundSql, type SqlParameter } from './parameters';
import { toColumnMetadata, toCsv, toRecords } from './records';
import type { ListRequest, ResultFormat, StartRequest, Target } from './requests';
import { SessionRegistry, type LocalSession } from './sessions';

export type Status = 'SUBMITTED' | 'STARTED' | TerminalState;

export interface StatementStoreOptions {
  engine: SqlEngine;
  region: string;
  account: string;
  principal: string;
  maxActiveStatements: number;
  resultPageSize: number;
  statementDelayMs: number | ((statement: { sqls: readonly string[]; statementName?: string }) => number);
  submittedMs: number;
  /** Sessions open at once before ActiveSessionsExceededException. */
  maxSessions: number;
  emit: (event: StatusChangeEvent) => void;
}

/** Where a statement or a sub-statement is in its lifecycle (what DescribeStatement reports for it). */
interface Lifecycle {
  status: Status;
  createdAt: Date;
  updatedAt: Date;
  startedAtNs?: bigint;
  /** Nanoseconds from STARTED to the end; -1 until it ends. */
  durationNs: number;
  error?: string;
}

interface SubStatement extends Lifecycle {
  id: string;
  sql: string;
  bound: BoundSql;
  queryId: number;
  hasResultSet: boolean;
  resultRows: number;
  result?: { columns: EngineColumn[]; rows: (string | null)[][] };
}

interface Statement extends Lifecycle {
  seq: number;
  id: string;
  request: StartRequest;
  /** The session it runs in (its connection, its target). */
  session?: LocalSession;
  subs: SubStatement[];
  pid: number;
  abort: AbortController;
  /** Resolves when the statement reaches a terminal state. */
  ended: Promise<void>;
  markEnded: () => void;
}

/** A ClientToken is remembered 8 hours. */
const CLIENT_TOKEN_TTL_MS = 8 * 3600 * 1000;
const TERMINAL: readonly Status[] = ['FINISHED', 'FAILED', 'ABORTED'];
const isTerminal = (status: Status): boolean => TERMINAL.includes(status);
const epochSeconds = (date: Date): number => date.getTime() / 1000;
/** The lifecycle of a statement (or sub-statement) just submitted. */
const submittedAt = (now: Date): Lifecycle => ({ status: 'SUBMITTED', createdAt: now, updatedAt: now, durationNs: -1 });

export class StatementStore {
  private readonly statements = new Map<string, Statement>();
  private readonly clientTokens = new Map<string, { fingerprint: string; id: string; at: number }>();
  private seq = 0;
  private queryIds = 100_000;
  private readonly running = new Set<Promise<void>>();
  private readonly sessions: SessionRegistry;

  constructor(private readonly options: StatementStoreOptions) {
    this.sessions = new SessionRegistry(options.engine, options.maxSessions);
  }

  /** ExecuteStatement / BatchExecuteStatement. */
  async start(request: StartRequest): Promise<Record<string, unknown>> {
    const statement = this.byClientToken(request) ?? (await this.createInSession(request));
    // WaitTimeSeconds: answer when the statement ends or the wait is over, whichever comes first.
    if (request.waitTimeSeconds > 0) await waitFor(statement.ended, request.waitTimeSeconds * 1000);
    const output: Record<string, unknown> = { Id: statement.id, CreatedAt: epochSeconds(statement.createdAt), ...targetFields(targetOf(statement)) };
    if (statement.session) output.SessionId = statement.session.id;
    if (request.waitTimeSeconds > 0) {
      output.Status = statement.status;
      output.HasResultSet = statement.subs.some((s) => s.hasResultSet);
    }
    return output;
  }

  /** Creates the statement, in a session when the request opens or names one. */
  private async createInSession(request: StartRequest): Promise<Statement> {
    const id = randomUUID();
    let session: LocalSession | undefined;
    let opened = false;
    if (request.sessionId !== undefined) {
      session = this.sessions.take(request.sessionId, id, request.sessionKeepAliveSeconds);
    } else if ((request.sessionKeepAliveSeconds ?? 0) > 0) {
      this.checkActiveLimit();
      session = await this.sessions.open(request.target, request.sessionKeepAliveSeconds as number, id);
      opened = true;
    }
    try {
      return this.create(request, id, session);
    } catch (err) {
      if (opened && session) await this.sessions.close(session);
      else if (session) this.sessions.release(session);
      throw err;
    }
  }

  /** Sessions open now (busy or idle within their keep-alive). */
  sessionCount(): number {
    return this.sessions.count();
  }

  async describe(id: string, waitTimeSeconds: number): Promise<Record<string, unknown>> {
    const { statement, sub } = this.find(id);
    if (waitTimeSeconds > 0) await waitFor(statement.ended, waitTimeSeconds * 1000);
    const { request } = statement;
    if (sub) {
      return {
        Id: sub.id,
        ...this.describeCommon(sub, statement),
        ...targetFields(targetOf(statement)),
        QueryParameters: parametersField(request.parameters),
      };
    }
    const output: Record<string, unknown> = {
      Id: statement.id,
      ...this.describeCommon(request.isBatch ? aggregate(statement) : statement.subs[0], statement),
      Status: statement.status,
      Error: statement.error,
      Duration: statement.durationNs,
      ...targetFields(targetOf(statement)),
      QueryParameters: parametersField(request.parameters),
      ResultFormat: request.resultFormat,
      SessionId: statement.session?.id,
    };
    if (request.isBatch) {
      output.QueryString = undefined;
      output.SubStatements = statement.subs.map((s) => ({ Id: s.id, ...this.describeCommon(s, statement) }));
      output.ExecutionMode = request.executionMode;
    }
    return output;
  }

  /** GetStatementResult (`JSON`) or GetStatementResultV2 (`CSV`): each serves statements started with its format only. */
  async getResult(id: string, nextToken: string | undefined, waitTimeSeconds: number, format: ResultFormat = 'JSON'): Promise<Record<string, unknown>> {
    const { statement, sub } = this.find(id);
    if (waitTimeSeconds > 0) await waitFor(statement.ended, waitTimeSeconds * 1000);
    if (!sub && statement.request.isBatch) {
      throw validationError('BatchExecuteStatement result can only be retrieved with sub-statement id.');
    }
    if (statement.request.resultFormat !== format) {
      throw validationError(
        `The statement was run with ResultFormat ${statement.request.resultFormat}: fetch its result with ${
          statement.request.resultFormat === 'CSV' ? 'GetStatementResultV2' : 'GetStatementResult'
        }.`,
      );
    }
    const target = sub ?? statement.subs[0];
    if (target.status !== 'FINISHED' || !target.result || !target.hasResultSet) {
      throw new DataApiError('ResourceNotFoundException', 'Query does not have result. Please check query status with DescribeStatement.', 400, {
        ResourceId: id,
      });
    }
    const offset = nextToken === undefined ? 0 : decodeResultToken(nextToken, target.id);
    const { rows, columns } = target.result;
    const end = Math.min(rows.length, offset + this.options.resultPageSize);
    const page = rows.slice(offset, end);
    return {
      // CSV: one CSVRecords text per page, the header line on the first page only.
      Records: format === 'CSV' ? [{ CSVRecords: toCsv(page, columns, offset === 0) }] : toRecords(page, columns),
      ColumnMetadata: columns.map(toColumnMetadata),
      TotalNumRows: rows.length,
      ...(format === 'CSV' && { ResultFormat: 'CSV' }),
      NextToken: end < rows.length ? encodeToken({ id: target.id, offset: end }) : undefined,
    };
  }

  cancel(id: string): Record<string, unknown> {
    const { statement, sub } = this.find(id);
    if (sub) throw validationError('Cancel the batch statement by its own id, not a sub-statement id.');
    if (isTerminal(statement.status)) {
      throw validationError(`Could not cancel a query that is already in ${statement.status} state.`);
    }
    statement.abort.abort();
    this.finish(statement, 'ABORTED');
    return { Status: true };
  }

  list(request: ListRequest): Record<string, unknown> {
    const before = request.nextToken === undefined ? Infinity : decodeListToken(request.nextToken);
    const matching = [...this.statements.values()]
      .filter((s) => s.seq < before)
      .filter((s) => request.statementName === undefined || (s.request.statementName ?? '').startsWith(request.statementName))
      .filter((s) => request.status === 'ALL' || s.status === request.status)
      .filter((s) => request.database === undefined || s.request.target.database === request.database)
      .filter((s) => request.clusterIdentifier === undefined || s.request.target.clusterIdentifier === request.clusterIdentifier)
      .filter((s) => request.workgroupName === undefined || s.request.target.workgroupName === request.workgroupName)
      .sort((a, b) => b.seq - a.seq); // newest first
    const page = matching.slice(0, request.maxResults);
    const more = matching.length > page.length;
    return {
      Statements: page.map((s) => ({
        Id: s.id,
        StatementName: s.request.statementName,
        Status: s.status,
        CreatedAt: epochSeconds(s.createdAt),
        UpdatedAt: epochSeconds(s.updatedAt),
        IsBatchStatement: s.request.isBatch,
        ...(s.request.isBatch ? { QueryStrings: s.request.sqls } : { QueryString: s.request.sqls[0] }),
        QueryParameters: parametersField(s.request.parameters),
        SecretArn: s.request.target.secretArn,
        ResultFormat: s.request.resultFormat,
        SessionId: s.session?.id,
      })),
      NextToken: more ? encodeToken({ before: page[page.length - 1].seq }) : undefined,
    };
  }

  /** Number of statements not yet FINISHED, FAILED or ABORTED. */
  activeCount(): number {
    return [...this.statements.values()].filter((s) => !isTerminal(s.status)).length;
  }

  /** Cancels what still runs and waits for every run to settle (used by `stop`). */
  async shutdown(): Promise<void> {
    for (const statement of this.statements.values()) {
      if (!isTerminal(statement.status)) {
        statement.abort.abort();
        this.finish(statement, 'ABORTED');
      }
    }
    await Promise.allSettled([...this.running]);
    await this.sessions.closeAll();
  }

  private byClientToken(request: StartRequest): Statement | undefined {
    if (request.clientToken === undefined) return undefined;
    const now = Date.now();
    for (const [token, entry] of this.clientTokens) if (now - entry.at > CLIENT_TOKEN_TTL_MS) this.clientTokens.delete(token);
    const entry = this.clientTokens.get(request.clientToken);
    if (!entry) return undefined;
    if (entry.fingerprint !== fingerprint(request)) {
      throw validationError('ClientToken was already used with a different request.');
    }
    return this.statements.get(entry.id);
  }

  private checkActiveLimit(): void {
    if (this.activeCount() >= this.options.maxActiveStatements) {
      throw new DataApiError(
        'ActiveStatementsExceededException',
        `The number of active statements exceeds the limit of ${this.options.maxActiveStatements}.`,
      );
    }
  }

  private create(request: StartRequest, id: string, session: LocalSession | undefined): Statement {
    this.checkActiveLimit();
    const now = new Date();
    let markEnded = (): void => undefined;
    const ended = new Promise<void>((resolve) => (markEnded = resolve));
    const statement: Statement = {
      seq: ++this.seq,
      id,
      request,
      session,
      subs: request.sqls.map((sql, i) => ({
        id: request.isBatch ? `${id}:${i + 1}` : id,
        sql,
        bound: bindParameters(sql, request.parameters),
        ...submittedAt(now),
        queryId: 0,
        hasResultSet: false,
        resultRows: -1,
      })),
      ...submittedAt(now),
      pid: 1_073_741_824 + this.seq,
      abort: new AbortController(),
      ended,
      markEnded,
    };
    this.statements.set(id, statement);
    if (request.clientToken !== undefined) {
      this.clientTokens.set(request.clientToken, { fingerprint: fingerprint(request), id, at: Date.now() });
    }
    const run = this.run(statement).finally(() => this.running.delete(run));
    this.running.add(run);
    return statement;
  }

  private async run(statement: Statement): Promise<void> {
    await new Promise((resolve) => setImmediate(resolve));
    if (this.options.submittedMs > 0 && !(await sleepUnlessAborted(this.options.submittedMs, statement.abort.signal))) return;
    if (isTerminal(statement.status)) return;
    statement.status = 'STARTED';
    statement.updatedAt = new Date();
    statement.startedAtNs = process.hrtime.bigint();
    const delay = this.delayFor(statement);
    if (delay > 0 && !(await sleepUnlessAborted(delay, statement.abort.signal))) return;
    const transaction = statement.request.isBatch && statement.request.executionMode === 'TRANSACTION';
    for (const sub of statement.subs) this.transition(sub, 'STARTED');
    try {
      // A session's statements run on its own connection.
      const outcomes = await (statement.session?.connection ?? this.options.engine).run(
        statement.subs.map((s) => s.bound),
        { transaction, signal: statement.abort.signal },
      );
      if (isTerminal(statement.status)) return; // cancelled while the engine ran
      outcomes.forEach((outcome, i) => {
        const sub = statement.subs[i];
        sub.queryId = ++this.queryIds;
        if (outcome.ok) {
          sub.hasResultSet = outcome.hasResultSet;
          sub.resultRows = outcome.rowCount;
          sub.result = { columns: outcome.columns, rows: outcome.rows };
          this.transition(sub, 'FINISHED');
        } else {
          sub.error = `ERROR: ${outcome.message}`;
          this.transition(sub, 'FAILED');
        }
      });
      const failed = statement.subs.find((s) => s.status === 'FAILED');
      this.finish(statement, failed ? 'FAILED' : 'FINISHED', failed?.error);
    } catch (err) {
      if (isTerminal(statement.status)) return;
      if (err instanceof EngineAborted) this.finish(statement, 'ABORTED');
      else this.finish(statement, 'FAILED', `ERROR: ${(err as Error).message ?? String(err)}`);
    }
  }

  private delayFor(statement: Statement): number {
    const { statementDelayMs } = this.options;
    return typeof statementDelayMs === 'number'
      ? statementDelayMs
      : statementDelayMs({ sqls: statement.request.sqls, statementName: statement.request.statementName });
  }

  private transition(sub: SubStatement, status: Status): void {
    const now = process.hrtime.bigint();
    if (status === 'STARTED') sub.startedAtNs = now;
    else if (sub.startedAtNs !== undefined) sub.durationNs = Number(now - sub.startedAtNs);
    sub.status = status;
    sub.updatedAt = new Date();
  }

  private finish(statement: Statement, state: TerminalState, error?: string): void {
    for (const sub of statement.subs) if (!isTerminal(sub.status)) this.transition(sub, 'ABORTED');
    statement.status = state;
    statement.error = error;
    statement.updatedAt = new Date();
    if (statement.startedAtNs !== undefined) statement.durationNs = Number(process.hrtime.bigint() - statement.startedAtNs);
    statement.markEnded();
    if (statement.session) this.sessions.release(statement.session);
    if (statement.request.withEvent) this.emitEvent(statement, state);
  }

  private emitEvent(statement: Statement, state: TerminalState): void {
    const last = [...statement.subs].reverse().find((s) => s.queryId > 0);
    const event = buildStatusChangeEvent({
      account: this.options.account,
      region: this.options.region,
      principal: this.options.principal,
      resourceArn: targetArn(targetOf(statement), this.options.region, this.options.account),
      statementId: statement.id,
      statementName: statement.request.statementName,
      redshiftQueryId: last?.queryId ?? -1,
      state,
      rows: state === 'FINISHED' ? aggregate(statement).resultRows : -1,
      endedAt: statement.updatedAt,
    });
    // Delivered after the current call returns, as EventBridge delivers asynchronously.
    setImmediate(() => this.options.emit(event));
  }

  private describeCommon(sub: Pick<SubStatement, 'status' | 'error' | 'durationNs' | 'createdAt' | 'updatedAt' | 'sql' | 'hasResultSet' | 'resultRows' | 'queryId'>, statement: Statement) {
    return {
      Status: sub.status,
      Error: sub.error,
      Duration: sub.durationNs,
      CreatedAt: epochSeconds(sub.createdAt),
      UpdatedAt: epochSeconds(sub.updatedAt),
      QueryString: sub.sql,
      HasResultSet: sub.hasResultSet,
      ResultRows: sub.resultRows,
      ResultSize: sub.resultRows < 0 ? -1 : 0,
      RedshiftQueryId: sub.queryId,
      RedshiftPid: statement.pid,
    };
  }

  private find(id: string): { statement: Statement; sub?: SubStatement } {
    const [parentId, index] = id.split(':');
    const statement = this.statements.get(parentId);
    if (!statement) throw statementNotFound(id);
    if (index === undefined) return { statement };
    const sub = statement.request.isBatch ? statement.subs[Number(index) - 1] : undefined;
    if (!sub) throw statementNotFound(id);
    return { statement, sub };
  }
}

/** Where a statement runs: its request's target, or its session's. */
const targetOf = (statement: Statement): Target => statement.session?.target ?? statement.request.target;

/** The batch's summary row: its own status, the sum of sub-statement rows, the last query id. */
function aggregate(statement: Statement): SubStatement {
  const counted = statement.subs.filter((s) => s.resultRows >= 0);
  return {
    ...statement.subs[statement.subs.length - 1],
    status: statement.status,
    error: statement.error,
    durationNs: statement.durationNs,
    createdAt: statement.createdAt,
    updatedAt: statement.updatedAt,
    hasResultSet: statement.subs.some((s) => s.hasResultSet),
    resultRows: counted.length === 0 ? -1 : counted.reduce((sum, s) => sum + s.resultRows, 0),
    queryId: Math.max(0, ...statement.subs.map((s) => s.queryId)),
  };
}

function targetFields(target: Target): Record<string, unknown> {
  return {
    ClusterIdentifier: target.clusterIdentifier,
    WorkgroupName: target.workgroupName,
    Database: target.database,
    DbUser: target.dbUser,
    SecretArn: target.secretArn,
  };
}

function parametersField(parameters: readonly SqlParameter[]): SqlParameter[] | undefined {
  return parameters.length > 0 ? parameters.map((p) => ({ ...p })) : undefined;
}

function fingerprint(request: StartRequest): string {
  const { clientToken: _ignored, waitTimeSeconds: _wait, ...rest } = request;
  return JSON.stringify(rest);
}

function encodeToken(value: object): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

function decodeToken(token: string): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
    if (value && typeof value === 'object') return value as Record<string, unknown>;
  } catch {
    // fall through to the error below
  }
  throw validationError('NextToken is invalid.');
}

function decodeResultToken(token: string, id: string): number {
  const { id: tokenId, offset } = decodeToken(token);
  if (tokenId !== id || !Number.isInteger(offset) || (offset as number) < 0) throw validationError('NextToken is invalid.');
  return offset as number;
}

function decodeListToken(token: string): number {
  const { before } = decodeToken(token);
  if (!Number.isInteger(before)) throw validationError('NextToken is invalid.');
  return before as number;
}

function waitFor(promise: Promise<void>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([promise, new Promise<void>((resolve) => (timer = setTimeout(resolve, ms)))]).finally(() => clearTimeout(timer));
}

/** Sleeps `ms`; resolves false (early) if the signal aborts. */
function sleepUnlessAborted(ms: number, signal: AbortSignal): Promise<boolean> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve(false);
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve(true);
    }, ms);
    const onAbort = (): void => {
      clearTimeout(timer);
      resolve(false);
    };
    signal.addEventListener('abort', onAbort, { once: true });
  });
}
