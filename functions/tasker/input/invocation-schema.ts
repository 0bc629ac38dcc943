/**
 * The direct-invocation payload: its schema (valibot) and the parsed, typed form the rest of the handler uses.
 *
 * Everything is checked here, before any side effect; the first problem becomes an `InvalidInput` error
 * whose message names the field and why. Unknown fields are ignored, as the original handler did, so
 * existing state machines that pass extra fields keep working.
 */
import * as v from 'valibot';
import { LIMITS } from '../../shared/contract';
import { InvalidInput } from '../platform/errors';

/** The keyword for "the last statement started for this executionArn". */
export const LATEST = 'LATEST';
/** The Data API's limit on one SQL statement (100 KB) and on a batch (40 statements). */
export const SQL_MAX_BYTES = 100_000;
export const BATCH_MAX_STATEMENTS = 40;

export const START_ACTIONS = ['executeStatement', 'executeSingletonStatement'] as const;
export const STATEMENT_ACTIONS = ['describeStatement', 'cancelStatement', 'getStatementResult'] as const;
export type StartAction = (typeof START_ACTIONS)[number];
export type StatementAction = (typeof STATEMENT_ACTIONS)[number];

/** A named SQL parameter (`:name` in the SQL). Values travel apart from the SQL and are never logged. */
export interface SqlParameter {
  name: string;
  value: string;
}

/** What to run: one statement (optionally with parameters) or a batch. */
export type SqlToRun =
  | { kind: 'single'; sqlStatement: string; parameters?: SqlParameter[] }
  | { kind: 'batch'; sqlStatements: string[]; executionMode: 'TRANSACTION' | 'AUTO_COMMIT' };

/** Where the call comes from: the Step Functions context fields the payload passes. */
export interface CallerContext {
  taskToken?: string;
  executionArn?: string;
  stateName?: string;
  stateEnteredTime?: string;
}

/** Data API session use of a start (`sessions.ts`): start a session, or run in one. */
export interface SessionRequest {
  /** Keep the session open this long after the statement ends (`SessionKeepAliveSeconds`). */
  keepAliveSeconds?: number;
  /** Run in this session (`SessionId`); `LATEST` = the session of the execution's newest statement. */
  sessionId?: string;
}

/** The Data API's result formats: JSON (GetStatementResult) or CSV (GetStatementResultV2). */
export type ResultFormat = 'JSON' | 'CSV';

export interface StartInvocation extends CallerContext {
  action: StartAction;
  sql: SqlToRun;
  /** Present when the payload names a session field. */
  session?: SessionRequest;
  /** `ResultFormat` of the statement; CSV results are read with `resultFormat: 'CSV'`. */
  resultFormat?: ResultFormat;
}

export interface StatementInvocation {
  action: StatementAction;
  /** A statement id, or `LATEST`. */
  statementId: string;
  executionArn?: string;
  nextToken?: string;
  /** getStatementResult: CSV reads with GetStatementResultV2. */
  resultFormat?: ResultFormat;
}

export type Invocation = StartInvocation | StatementInvocation;

/** `arn:<partition>:<service>:<region>:<account>:<resource>` (region and account may be empty, as for S3). */
const ANY_ARN = /^arn:[a-z0-9-]+:[a-z0-9-]+:[a-z0-9-]*:[0-9]*:\S+$/;
/** What `$$.Execution.Id` holds: a Standard or Express execution's ARN. */
const EXECUTION_ARN = /^arn:[a-z0-9-]+:states:[^:]*:[^:]*:(execution|express):[^:]+:[^:]+/;
/** Fields that only make sense when starting SQL: refused with describe/cancel/result (ambiguous). */
const START_ONLY_FIELDS = ['sqlStatement', 'sqlStatements', 'parameters', 'executionMode'] as const;

const sqlText = v.pipe(
  v.string('must be a string'),
  v.check((text) => text.trim().length > 0, 'must not be empty'),
  v.maxBytes(SQL_MAX_BYTES, `must be at most ${SQL_MAX_BYTES} bytes`),
);

const STATEMENT_ID = /^(LATEST|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}(:\d+)?)$/i;
const SESSION_ID = /^(LATEST|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/i;

const payloadSchema = v.looseObject({
  action: v.optional(
    v.picklist([...START_ACTIONS, ...STATEMENT_ACTIONS], `must be one of ${[...START_ACTIONS, ...STATEMENT_ACTIONS].join(', ')}`),
  ),
  sqlStatement: v.optional(sqlText),
  sqlStatements: v.optional(
    v.pipe(
      v.array(sqlText, 'must be an array of SQL strings'),
      v.nonEmpty('must hold at least one statement'),
      v.maxLength(BATCH_MAX_STATEMENTS, `must hold at most ${BATCH_MAX_STATEMENTS} statements`),
    ),
  ),
  executionMode: v.optional(v.picklist(['TRANSACTION', 'AUTO_COMMIT'], 'must be TRANSACTION or AUTO_COMMIT')),
  parameters: v.optional(
    v.pipe(
      v.array(
        v.object(
          {
            name: v.pipe(
              v.string('must be a string'),
              v.regex(/^[A-Za-z_][A-Za-z0-9_]{0,127}$/, 'must be a SQL identifier (letters, digits, underscore)'),
            ),
            value: v.union([v.string(), v.number(), v.boolean()], 'must be a string, number or boolean'),
          },
          'must be an object {name, value}',
        ),
        'must be an array of {name, value}',
      ),
      v.nonEmpty('must not be empty (leave it out instead)'),
      v.check((list) => new Set(list.map((p) => p.name)).size === list.length, 'must not repeat a name'),
    ),
  ),
  taskToken: v.optional(
    v.pipe(
      v.string('must be a string'),
      v.nonEmpty('must not be empty'),
      v.maxLength(LIMITS.TASK_TOKEN_MAX, `must be at most ${LIMITS.TASK_TOKEN_MAX} characters`),
    ),
  ),
  // Any ARN: the original's callers without a task token pass their own (a Lambda function's, say) so that
  // LATEST finds their statement later. With taskToken it must be an execution's (checked in toStart).
  executionArn: v.optional(
    v.pipe(
      v.string('must be a string'),
      v.regex(ANY_ARN, 'must be an ARN ($$.Execution.Id in a state machine, or the ARN of the caller)'),
      v.maxLength(2_048, 'must be at most 2048 characters'),
    ),
  ),
  stateName: v.optional(
    v.pipe(v.string('must be a string'), v.nonEmpty('must not be empty'), v.maxLength(80, 'must be at most 80 characters')),
  ),
  stateEnteredTime: v.optional(v.pipe(v.string('must be a string'), v.isoTimestamp('must be an ISO timestamp ($$.State.EnteredTime)'))),
  statementId: v.optional(v.pipe(v.string('must be a string'), v.regex(STATEMENT_ID, "must be a statement id or 'LATEST'"))),
  nextToken: v.optional(v.pipe(v.string('must be a string'), v.nonEmpty('must not be empty'))),
  sessionKeepAliveSeconds: v.optional(
    v.pipe(
      v.number('must be a number'),
      v.integer('must be a whole number of seconds'),
      v.minValue(1, 'must be at least 1'),
      v.maxValue(LIMITS.SESSION_KEEP_ALIVE_SECONDS_MAX, `must be at most ${LIMITS.SESSION_KEEP_ALIVE_SECONDS_MAX} (24 h)`),
    ),
  ),
  sessionId: v.optional(v.pipe(v.string('must be a string'), v.regex(SESSION_ID, "must be a Data API session id or 'LATEST'"))),
  resultFormat: v.optional(v.picklist(['JSON', 'CSV'], 'must be JSON or CSV')),
});

type Payload = v.InferOutput<typeof payloadSchema>;

const invalid = (field: string, why: string): InvalidInput => new InvalidInput(`${field}: ${why}`);

/** Validates a direct-invocation payload; throws `InvalidInput` naming the first bad field. */
export function parseInvocation(payload: unknown): Invocation {
  if (typeof payload !== 'object' || payload === null || Array.isArray(payload)) {
    throw invalid('(payload)', 'must be a JSON object');
  }
  const result = v.safeParse(payloadSchema, payload);
  if (!result.success) {
    const issue = result.issues[0];
    throw invalid(v.getDotPath(issue) ?? '(payload)', issue.message);
  }
  const input = result.output;
  const action = input.action ?? 'executeStatement';
  if (input.nextToken !== undefined && action !== 'getStatementResult') {
    throw invalid('nextToken', 'is only valid with action getStatementResult');
  }
  const isStart = (START_ACTIONS as readonly string[]).includes(action);
  if (!isStart) {
    for (const field of ['sessionId', 'sessionKeepAliveSeconds'] as const) {
      if (input[field] !== undefined) throw invalid(field, 'is only valid with executeStatement or executeSingletonStatement');
    }
  }
  if (input.resultFormat !== undefined && !isStart && action !== 'getStatementResult') {
    throw invalid('resultFormat', 'is only valid when starting a statement or with getStatementResult');
  }
  if (isStart) return toStart(action as StartAction, input);
  return toStatementCall(action as StatementAction, input);
}

function toStart(action: StartAction, input: Payload): StartInvocation {
  if (input.sqlStatement !== undefined && input.sqlStatements !== undefined) {
    throw invalid('sqlStatements', 'give sqlStatement or sqlStatements, not both');
  }
  if (input.sqlStatement === undefined && input.sqlStatements === undefined) {
    throw invalid('sqlStatement', `is required for ${action}`);
  }
  if (input.taskToken !== undefined && input.executionArn === undefined) {
    throw invalid('executionArn', 'is required with taskToken (pass $$.Execution.Id), or the task could never be completed');
  }
  if (input.taskToken !== undefined && !EXECUTION_ARN.test(input.executionArn as string)) {
    throw invalid('executionArn', 'must be a Step Functions execution ARN ($$.Execution.Id) with taskToken');
  }
  let sql: SqlToRun;
  if (input.sqlStatements !== undefined) {
    if (input.parameters !== undefined) throw invalid('parameters', 'are not supported with sqlStatements (BatchExecuteStatement)');
    sql = { kind: 'batch', sqlStatements: input.sqlStatements, executionMode: input.executionMode ?? 'TRANSACTION' };
  } else {
    if (input.executionMode !== undefined) throw invalid('executionMode', 'only applies to sqlStatements');
    sql = { kind: 'single', sqlStatement: input.sqlStatement as string };
    if (input.parameters) sql.parameters = input.parameters.map((p) => ({ name: p.name, value: String(p.value) }));
  }
  if (input.sessionId === LATEST && input.executionArn === undefined) {
    throw invalid('executionArn', "is required with sessionId 'LATEST'");
  }
  const session =
    input.sessionId !== undefined || input.sessionKeepAliveSeconds !== undefined
      ? { sessionId: input.sessionId, keepAliveSeconds: input.sessionKeepAliveSeconds }
      : undefined;
  return {
    action,
    sql,
    ...(session && { session }),
    ...(input.resultFormat && { resultFormat: input.resultFormat }),
    taskToken: input.taskToken,
    executionArn: input.executionArn,
    stateName: input.stateName,
    stateEnteredTime: input.stateEnteredTime,
  };
}

function toStatementCall(action: StatementAction, input: Payload): StatementInvocation {
  // The original refused these too: describing (cancelling, reading) and starting SQL in one call is ambiguous.
  const startField = START_ONLY_FIELDS.find((field) => input[field] !== undefined);
  if (startField !== undefined) {
    throw invalid(
      startField,
      `cannot be combined with action ${action}, which reads an existing statement by statementId (to run SQL, use executeStatement)`,
    );
  }
  if (input.statementId === undefined) throw invalid('statementId', `is required for ${action} (an id or 'LATEST')`);
  if (input.statementId === LATEST && input.executionArn === undefined) {
    throw invalid('executionArn', "is required with statementId 'LATEST'");
  }
  return {
    action,
    statementId: input.statementId,
    executionArn: input.executionArn,
    nextToken: input.nextToken,
    ...(input.resultFormat && { resultFormat: input.resultFormat }),
  };
}
