/**
 * The statements the local Data API knows, and how each operation sees them. A statement's own life
 * (SUBMITTED → STARTED → the end, its event) is statement-runner.ts; the fields operations answer with are
 * statement-model.ts. A single statement is kept as a batch of one so both share one code path.
 */
import { randomUUID } from 'node:crypto';
import type { KitClock } from '../clock';
import { DataApiError, statementNotFound, validationError } from './errors';
import { bindParameters } from './parameters';
import { toColumnMetadata, toCsv, toRecords } from './records';
import type { ListRequest, ResultFormat, StartRequest } from './requests';
import { SessionRegistry, type LocalSession } from './sessions';
import {
  aggregate,
  decodeListToken,
  decodeResultToken,
  describeCommon,
  encodeToken,
  epochSeconds,
  isTerminal,
  parametersField,
  submittedAt,
  targetFields,
  targetOf,
  type Statement,
  type SubStatement,
} from './statement-model';
import { StatementRunner, type StatementRunnerOptions } from './statement-runner';

export type { Status } from './statement-model';

export interface StatementStoreOptions extends StatementRunnerOptions {
  maxActiveStatements: number;
  resultPageSize: number;
  /** Sessions open at once before ActiveSessionsExceededException. */
  maxSessions: number;
}

/** A ClientToken is remembered 8 hours. */
const CLIENT_TOKEN_TTL_MS = 8 * 3600 * 1000;

export class StatementStore {
  private readonly statements = new Map<string, Statement>();
  private readonly clientTokens = new Map<string, { fingerprint: string; id: string; at: number }>();
  private seq = 0;
  private readonly running = new Set<Promise<void>>();
  private readonly sessions: SessionRegistry;
  private readonly runner: StatementRunner;

  constructor(private readonly options: StatementStoreOptions) {
    this.sessions = new SessionRegistry(options.engine, options.maxSessions);
    this.runner = new StatementRunner(options, this.sessions);
  }

  /** ExecuteStatement / BatchExecuteStatement. */
  async start(request: StartRequest): Promise<Record<string, unknown>> {
    const statement = this.byClientToken(request) ?? (await this.createInSession(request));
    // WaitTimeSeconds: answer when the statement ends or the wait is over, whichever comes first.
    if (request.waitTimeSeconds > 0) await waitFor(statement.ended, request.waitTimeSeconds * 1000, this.options.clock);
    const output: Record<string, unknown> = {
      Id: statement.id,
      CreatedAt: epochSeconds(statement.createdAt),
      ...targetFields(targetOf(statement)),
    };
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
    if (waitTimeSeconds > 0) await waitFor(statement.ended, waitTimeSeconds * 1000, this.options.clock);
    const { request } = statement;
    if (sub) {
      return {
        Id: sub.id,
        ...describeCommon(sub, statement),
        ...targetFields(targetOf(statement)),
        QueryParameters: parametersField(request.parameters),
      };
    }
    const output: Record<string, unknown> = {
      Id: statement.id,
      ...describeCommon(request.isBatch ? aggregate(statement) : statement.subs[0], statement),
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
      output.SubStatements = statement.subs.map((s) => ({ Id: s.id, ...describeCommon(s, statement) }));
      output.ExecutionMode = request.executionMode;
    }
    return output;
  }

  /** GetStatementResult (`JSON`) or GetStatementResultV2 (`CSV`): each serves statements started with its format only. */
  async getResult(
    id: string,
    nextToken: string | undefined,
    waitTimeSeconds: number,
    format: ResultFormat = 'JSON',
  ): Promise<Record<string, unknown>> {
    const { statement, sub } = this.find(id);
    if (waitTimeSeconds > 0) await waitFor(statement.ended, waitTimeSeconds * 1000, this.options.clock);
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
      throw new DataApiError(
        'ResourceNotFoundException',
        'Query does not have result. Please check query status with DescribeStatement.',
        400,
        {
          ResourceId: id,
        },
      );
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
    this.runner.finish(statement, 'ABORTED');
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
        this.runner.finish(statement, 'ABORTED');
      }
    }
    await Promise.allSettled([...this.running]);
    await this.sessions.closeAll();
  }

  private byClientToken(request: StartRequest): Statement | undefined {
    if (request.clientToken === undefined) return undefined;
    const now = this.options.clock.now();
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
    const now = new Date(this.options.clock.now());
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
      this.clientTokens.set(request.clientToken, { fingerprint: fingerprint(request), id, at: this.options.clock.now() });
    }
    const run = this.runner.run(statement).finally(() => this.running.delete(run));
    this.running.add(run);
    return statement;
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

function fingerprint(request: StartRequest): string {
  const { clientToken: _ignored, waitTimeSeconds: _wait, ...rest } = request;
  return JSON.stringify(rest);
}

/** Resolves when `promise` does or after `kitMs` of kit time, whichever comes first. */
async function waitFor(promise: Promise<void>, kitMs: number, clock: KitClock): Promise<void> {
  const stop = new AbortController();
  await Promise.race([promise, clock.sleep(kitMs, stop.signal)]);
  stop.abort();
}
