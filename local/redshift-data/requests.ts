/**
 * Validates Data API request bodies into typed requests, refusing bad input with the
 * service's own `ValidationException` before anything runs.
 */
import { validationError } from './errors';
import { validateParameters, type SqlParameter } from './parameters';

/** Where a statement runs and as whom. */
export interface Target {
  clusterIdentifier?: string;
  workgroupName?: string;
  database: string;
  dbUser?: string;
  secretArn?: string;
}

export type ResultFormat = 'JSON' | 'CSV';

export interface StartRequest {
  sqls: string[];
  isBatch: boolean;
  parameters: SqlParameter[];
  /** Where it runs; with `sessionId` the session's target (filled in by the store). */
  target: Target;
  /** Run in this existing session (the request then names no target). */
  sessionId?: string;
  /** Start a session (or, with `sessionId`, set its keep-alive): seconds it stays open after the statement. */
  sessionKeepAliveSeconds?: number;
  resultFormat: ResultFormat;
  statementName?: string;
  withEvent: boolean;
  clientToken?: string;
  /** TRANSACTION (all or nothing, the default) or AUTO_COMMIT; batches only. */
  executionMode: 'TRANSACTION' | 'AUTO_COMMIT';
  waitTimeSeconds: number;
}

export type StatusFilter = 'ABORTED' | 'ALL' | 'FAILED' | 'FINISHED' | 'PICKED' | 'STARTED' | 'SUBMITTED';

export interface ListRequest {
  statementName?: string;
  status: StatusFilter;
  maxResults: number;
  nextToken?: string;
  database?: string;
  clusterIdentifier?: string;
  workgroupName?: string;
}

const MAX_SQL_BYTES = 100_000;
const MAX_BATCH_STATEMENTS = 40;
const MAX_STATEMENT_NAME = 500;
const MAX_WAIT_SECONDS = 30;
const MAX_SESSION_KEEP_ALIVE_SECONDS = 86_400;
const SESSION_ID_PATTERN = /^[a-z0-9]{8}(-[a-z0-9]{4}){3}-[a-z0-9]{12}$/;
const TARGET_FIELDS = ['ClusterIdentifier', 'WorkgroupName', 'Database', 'DbUser', 'SecretArn'] as const;
const ID_PATTERN = /^[a-z0-9]{8}(-[a-z0-9]{4}){3}-[a-z0-9]{12}(:\d+)?$/;
const STATUS_FILTERS: readonly StatusFilter[] = ['ABORTED', 'ALL', 'FAILED', 'FINISHED', 'PICKED', 'STARTED', 'SUBMITTED'];

type Body = Record<string, unknown>;

export function parseExecuteStatement(body: Body): StartRequest {
  return parseStart(body, [requiredSql(body.Sql, 'Sql')], false);
}

export function parseBatchExecuteStatement(body: Body): StartRequest {
  const sqls = body.Sqls;
  if (!Array.isArray(sqls) || sqls.length === 0) throw validationError('Sqls must be a non-empty list of SQL statements.');
  if (sqls.length > MAX_BATCH_STATEMENTS) throw validationError(`Sqls can hold at most ${MAX_BATCH_STATEMENTS} statements.`);
  return parseStart(
    body,
    sqls.map((sql, i) => requiredSql(sql, `Sqls[${i}]`)),
    true,
  );
}

/** A statement id, optionally with a `:n` sub-statement suffix. */
export function parseStatementId(body: Body): string {
  const id = body.Id;
  if (typeof id !== 'string' || !ID_PATTERN.test(id)) {
    throw validationError(`Id ${JSON.stringify(id)} is not a valid statement id.`);
  }
  return id;
}

export function parseWaitTimeSeconds(body: Body): number {
  const wait = body.WaitTimeSeconds;
  if (wait === undefined) return 0;
  if (!Number.isInteger(wait) || (wait as number) < 0 || (wait as number) > MAX_WAIT_SECONDS) {
    throw validationError(`WaitTimeSeconds must be an integer from 0 to ${MAX_WAIT_SECONDS}.`);
  }
  return wait as number;
}

export function parseNextToken(body: Body): string | undefined {
  return optionalString(body.NextToken, 'NextToken');
}

export function parseListStatements(body: Body): ListRequest {
  const status = body.Status ?? 'ALL';
  if (!STATUS_FILTERS.includes(status as StatusFilter)) {
    throw validationError(`Status must be one of ${STATUS_FILTERS.join(', ')}.`);
  }
  const maxResults = body.MaxResults ?? 100;
  if (!Number.isInteger(maxResults) || (maxResults as number) < 0 || (maxResults as number) > 100) {
    throw validationError('MaxResults must be an integer from 0 to 100.');
  }
  return {
    statementName: optionalString(body.StatementName, 'StatementName'),
    status: status as StatusFilter,
    // 0 means "the default page size" in the real API.
    maxResults: (maxResults as number) === 0 ? 100 : (maxResults as number),
    nextToken: parseNextToken(body),
    database: optionalString(body.Database, 'Database'),
    clusterIdentifier: optionalString(body.ClusterIdentifier, 'ClusterIdentifier'),
    workgroupName: optionalString(body.WorkgroupName, 'WorkgroupName'),
  };
}

function parseStart(body: Body, sqls: string[], isBatch: boolean): StartRequest {
  const resultFormat = body.ResultFormat ?? 'JSON';
  if (resultFormat !== 'JSON' && resultFormat !== 'CSV') throw validationError('ResultFormat must be JSON or CSV.');
  const sessionId = optionalString(body.SessionId, 'SessionId');
  if (sessionId !== undefined && !SESSION_ID_PATTERN.test(sessionId))
    throw validationError(`SessionId ${JSON.stringify(sessionId)} is not a valid session id.`);
  const keepAlive = body.SessionKeepAliveSeconds;
  if (
    keepAlive !== undefined &&
    (!Number.isInteger(keepAlive) || (keepAlive as number) < 0 || (keepAlive as number) > MAX_SESSION_KEEP_ALIVE_SECONDS)
  ) {
    throw validationError(`SessionKeepAliveSeconds must be an integer from 0 to ${MAX_SESSION_KEEP_ALIVE_SECONDS}.`);
  }
  if (sessionId !== undefined) {
    const named = TARGET_FIELDS.filter((field) => body[field] !== undefined);
    if (named.length > 0)
      throw validationError(`SessionId cannot be combined with ${named.join(', ')}: the session already has its target.`);
  }
  const statementName = optionalString(body.StatementName, 'StatementName');
  if (statementName !== undefined && statementName.length > MAX_STATEMENT_NAME) {
    throw validationError(`StatementName must be at most ${MAX_STATEMENT_NAME} characters.`);
  }
  const clientToken = optionalString(body.ClientToken, 'ClientToken');
  if (clientToken !== undefined && (clientToken.length === 0 || clientToken.length > 64)) {
    throw validationError('ClientToken must be 1 to 64 characters.');
  }
  const withEvent = body.WithEvent ?? false;
  if (typeof withEvent !== 'boolean') throw validationError('WithEvent must be a boolean.');
  const executionMode = body.ExecutionMode ?? 'TRANSACTION';
  if (executionMode !== 'TRANSACTION' && executionMode !== 'AUTO_COMMIT') {
    throw validationError('ExecutionMode must be TRANSACTION or AUTO_COMMIT.');
  }
  if (!isBatch && body.ExecutionMode !== undefined) throw validationError('ExecutionMode applies to BatchExecuteStatement only.');
  return {
    sqls,
    isBatch,
    parameters: validateParameters(body.Parameters),
    target: sessionId === undefined ? parseTarget(body) : { database: '' },
    sessionId,
    sessionKeepAliveSeconds: keepAlive as number | undefined,
    resultFormat,
    statementName,
    withEvent,
    clientToken,
    executionMode,
    waitTimeSeconds: parseWaitTimeSeconds(body),
  };
}

function parseTarget(body: Body): Target {
  const clusterIdentifier = optionalString(body.ClusterIdentifier, 'ClusterIdentifier');
  const workgroupName = optionalString(body.WorkgroupName, 'WorkgroupName');
  if ((clusterIdentifier === undefined) === (workgroupName === undefined)) {
    throw validationError('Specify exactly one of ClusterIdentifier and WorkgroupName.');
  }
  const database = optionalString(body.Database, 'Database');
  if (database === undefined || database.length === 0) throw validationError('Database must be specified.');
  const dbUser = optionalString(body.DbUser, 'DbUser');
  const secretArn = optionalString(body.SecretArn, 'SecretArn');
  if (dbUser !== undefined && secretArn !== undefined) throw validationError('Specify DbUser or SecretArn, not both.');
  if (workgroupName !== undefined && dbUser !== undefined) throw validationError('DbUser cannot be used with WorkgroupName.');
  return { clusterIdentifier, workgroupName, database, dbUser, secretArn };
}

function requiredSql(sql: unknown, field: string): string {
  if (typeof sql !== 'string' || sql.trim().length === 0) throw validationError(`${field} must be a non-empty SQL string.`);
  if (Buffer.byteLength(sql, 'utf8') > MAX_SQL_BYTES) {
    throw validationError(`${field} is longer than the ${MAX_SQL_BYTES}-byte statement limit.`);
  }
  return sql;
}

function optionalString(value: unknown, field: string): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw validationError(`${field} must be a string.`);
  return value;
}
