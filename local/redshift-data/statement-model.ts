/**
 * What the local Data API keeps per statement, and the pure views of it its operations answer with
 * (DescribeStatement fields, the batch summary, paging tokens). statements.ts and statement-runner.ts share it.
 */
import { STATUS_EVENT } from '../../functions/shared/contract';
import type { EngineColumn } from './engine';
import { validationError } from './errors';
import type { TerminalState } from './events';
import type { BoundSql, SqlParameter } from './parameters';
import type { StartRequest, Target } from './requests';
import type { LocalSession } from './sessions';

export type Status = 'SUBMITTED' | 'STARTED' | TerminalState;

/** Where a statement or a sub-statement is in its lifecycle (what DescribeStatement reports for it). */
export interface Lifecycle {
  status: Status;
  createdAt: Date;
  updatedAt: Date;
  startedAtNs?: bigint;
  /** Nanoseconds from STARTED to the end; -1 until it ends. */
  durationNs: number;
  error?: string;
}

export interface SubStatement extends Lifecycle {
  id: string;
  sql: string;
  bound: BoundSql;
  queryId: number;
  hasResultSet: boolean;
  resultRows: number;
  result?: { columns: EngineColumn[]; rows: (string | null)[][] };
}

export interface Statement extends Lifecycle {
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

const TERMINAL: readonly Status[] = STATUS_EVENT.STATES;
export const isTerminal = (status: Status): boolean => TERMINAL.includes(status);
export const epochSeconds = (date: Date): number => date.getTime() / 1000;
/** The lifecycle of a statement (or sub-statement) just submitted. */
export const submittedAt = (now: Date): Lifecycle => ({ status: 'SUBMITTED', createdAt: now, updatedAt: now, durationNs: -1 });

/** Where a statement runs: its request's target, or its session's. */
export const targetOf = (statement: Statement): Target => statement.session?.target ?? statement.request.target;

type DescribedFields = Pick<
  SubStatement,
  'status' | 'error' | 'durationNs' | 'createdAt' | 'updatedAt' | 'sql' | 'hasResultSet' | 'resultRows' | 'queryId'
>;

/** The DescribeStatement fields a statement and each of its sub-statements share. */
export function describeCommon(sub: DescribedFields, statement: Statement): Record<string, unknown> {
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

/** The batch's summary row: its own status, the sum of sub-statement rows, the last query id. */
export function aggregate(statement: Statement): SubStatement {
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

export function targetFields(target: Target): Record<string, unknown> {
  return {
    ClusterIdentifier: target.clusterIdentifier,
    WorkgroupName: target.workgroupName,
    Database: target.database,
    DbUser: target.dbUser,
    SecretArn: target.secretArn,
  };
}

export function parametersField(parameters: readonly SqlParameter[]): SqlParameter[] | undefined {
  return parameters.length > 0 ? parameters.map((p) => ({ ...p })) : undefined;
}

export function encodeToken(value: object): string {
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

export function decodeResultToken(token: string, id: string): number {
  const { id: tokenId, offset } = decodeToken(token);
  if (tokenId !== id || !Number.isInteger(offset) || (offset as number) < 0) throw validationError('NextToken is invalid.');
  return offset as number;
}

export function decodeListToken(token: string): number {
  const { before } = decodeToken(token);
  if (!Number.isInteger(before)) throw validationError('NextToken is invalid.');
  return before as number;
}
