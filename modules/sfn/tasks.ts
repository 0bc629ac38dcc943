/**
 * Task states that call the tasker function: one call each, with the payload fields, retries and
 * catches users otherwise write (and get wrong) by hand.
 *
 * Every helper takes the tasker function's ARN (a literal or a Terraform token such as
 * `tasker.lambdaFunction.arn`), the state's name and its options, and returns a {@link NamedState}
 * whose `state` is the plain ASL JSON. Compose them with `definition()` from `./definition`, or put
 * `.state` into a hand-written definition.
 */
import { ERRORS } from '../../functions/shared/contract';
import type { Catcher, JsonObject, NamedState, Retrier, TaskState } from './asl';
import { InvalidStateOptionsError } from './errors';
import { transition, type TransitionOptions } from './transition';

export type { TransitionOptions } from './transition';

/** Resource of a state that invokes the function and waits for `SendTaskSuccess`/`SendTaskFailure`. */
export const WAIT_FOR_TASK_TOKEN_RESOURCE = 'arn:aws:states:::lambda:invoke.waitForTaskToken';
/** Resource of a state that invokes the function and takes its return value. */
export const LAMBDA_INVOKE_RESOURCE = 'arn:aws:states:::lambda:invoke';

/** The `action` values of the tasker's invocation payload. */
export const TASKER_ACTIONS = {
  EXECUTE: 'executeStatement',
  EXECUTE_SINGLETON: 'executeSingletonStatement',
  DESCRIBE: 'describeStatement',
  CANCEL: 'cancelStatement',
  GET_RESULT: 'getStatementResult',
} as const;

/** `statementId` value meaning "the last statement this execution started". */
export const LATEST_STATEMENT = 'LATEST';

/** Most statements one BatchExecuteStatement takes (the handler refuses more). */
export const MAX_BATCH_STATEMENTS = 40;

/** A statement id the handler accepts: `LATEST`, or a Data API id (a UUID, `:<n>` for a sub-statement of a batch). */
const STATEMENT_ID_PATTERN = /^(LATEST|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}(:\d+)?)$/i;
/** A session id the handler accepts: `LATEST`, or a Data API session id (a UUID). */
const SESSION_ID_PATTERN = /^(LATEST|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/i;

/** Errors Step Functions raises when a state times out (`TimeoutSeconds`) or misses a heartbeat (`HeartbeatSeconds`). */
export const TIMEOUT_ERRORS = ['States.Timeout', 'States.HeartbeatTimeout'] as const;

/** The original library's advice: Lambda service errors, retried patiently. */
export const LAMBDA_SERVICE_ERRORS_RETRY: Retrier = {
  ErrorEquals: ['Lambda.ServiceException', 'Lambda.AWSLambdaException', 'Lambda.SdkClientException'],
  IntervalSeconds: 2,
  MaxAttempts: 6,
  BackoffRate: 2,
};

/** The original library's advice: Lambda throttling, retried often and quickly. */
export const LAMBDA_THROTTLING_RETRY: Retrier = {
  ErrorEquals: ['Lambda.TooManyRequestsException'],
  IntervalSeconds: 1,
  MaxAttempts: 10,
  BackoffRate: 1.5,
};

/**
 * The handler's retryable start failure (Data API throttling, more than 200 active statements on the
 * cluster): wait for running statements to finish, up to about five minutes in all.
 */
export const RETRYABLE_START_RETRY: Retrier = {
  ErrorEquals: [ERRORS.RETRYABLE_START],
  IntervalSeconds: 5,
  MaxAttempts: 8,
  BackoffRate: 2,
  MaxDelaySeconds: 60,
};

/**
 * A statement's Data API session is busy (the previous statement in it still runs) or a session limit was
 * reached: retried quickly at first, for about two minutes in all.
 */
export const SESSION_BUSY_RETRY: Retrier = {
  ErrorEquals: [ERRORS.SESSION_BUSY],
  IntervalSeconds: 2,
  MaxAttempts: 6,
  BackoffRate: 2,
  MaxDelaySeconds: 30,
};

/** Options every state calling the tasker takes. */
export interface TaskerCallOptions extends TransitionOptions {
  /**
   * Where the result goes in the state's input; `null` discards it and passes the input on unchanged.
   * @default '$' (the ASL default: the result replaces the input)
   */
  readonly resultPath?: string | null;
  /**
   * Add the recommended `Retry` blocks (Lambda service errors, Lambda throttling, and for SQL tasks
   * the handler's retryable start error).
   * @default true
   */
  readonly retry?: boolean;
  /**
   * Name of the state to go to on any error not caught by a more specific option (`States.ALL`).
   * @default - none: other errors fail the state machine
   */
  readonly catchAll?: string;
  /**
   * Where a catch puts the error object (`{ Error, Cause }`) in the state's input; `null` discards it.
   * @default '$.error' (the input is kept, so the next state still sees it)
   */
  readonly catchResultPath?: string | null;
  /**
   * A comment on the state.
   * @default - none
   */
  readonly comment?: string;
}

/** Options of {@link sqlTask}. */
export interface SqlTaskOptions extends TaskerCallOptions {
  /**
   * The SQL statement. Give `sql` or `sqls`, not both.
   * @default - none
   */
  readonly sql?: string;
  /**
   * Several SQL statements, run by the handler with BatchExecuteStatement (one transaction unless
   * `executionMode` says otherwise). Give `sql` or `sqls`, not both.
   * @default - none
   */
  readonly sqls?: string[];
  /**
   * How `sqls` run: `TRANSACTION` (all or nothing) or `AUTO_COMMIT` (each on its own). Only with `sqls`.
   * @default - the handler's default, TRANSACTION
   */
  readonly executionMode?: 'TRANSACTION' | 'AUTO_COMMIT';
  /**
   * Named SQL parameters (`:name` in the SQL), sent as `[{ name, value }]` so values never get pasted
   * into SQL. A key ending in `.$` takes its value from a JSONPath: `{ 'day.$': '$.day' }`. Only with `sql`.
   * @default - none
   */
  readonly parameters?: Record<string, string>;
  /**
   * Fail the state with `States.Timeout` after this many seconds (then `catchTimeout` applies).
   * The tasker's next sweep then finds the task closed and cancels the statement (unless the tasker has
   * `cancelOrphanedStatements: false`); point `catchTimeout` at a {@link cancelTask} to cancel it at once.
   * @default - none: the state waits up to the state machine's own timeout
   */
  readonly timeoutSeconds?: number;
  /**
   * Fail the state with `States.HeartbeatTimeout` after this many seconds without a heartbeat. The
   * tasker's sweep sends one for every running statement, so this means "the tasker stopped looking
   * after the statement": pick at least two sweep intervals plus the sweep's run time (for the default
   * `rate(5 minutes)`, 660 or more). It must be below `timeoutSeconds`.
   * @default - none
   */
  readonly heartbeatSeconds?: number;
  /**
   * Run as `executeSingletonStatement`: the handler refuses with `ConcurrentExecution` while a
   * statement with the same SQL text runs for this tasker. Only with `sql`.
   * @default false
   */
  readonly singleton?: boolean;
  /**
   * Name of the state to go to when the SQL fails (error `FAILED`, and `ABORTED` when the tasker sends
   * that name for cancelled statements, see `abortedErrorName`).
   * @default - none
   */
  readonly catchFailed?: string;
  /**
   * Error name the tasker sends for a cancelled (ABORTED) statement: the tasker's own
   * `abortedErrorName` setting. With `ABORTED`, `catchFailed` catches both names.
   * @default 'FAILED'
   */
  readonly abortedErrorName?: 'FAILED' | 'ABORTED';
  /**
   * Name of the state to go to on `States.Timeout` or `States.HeartbeatTimeout`.
   * @default - none
   */
  readonly catchTimeout?: string;
  /**
   * Name of the state to go to when a singleton statement is refused (`ConcurrentExecution`).
   * Only with `singleton: true`.
   * @default - none
   */
  readonly catchConcurrent?: string;
  /**
   * Start a Data API session with this statement: it stays open `keepAliveSeconds` (1 to 86400) after the
   * statement ends, and the state's output carries its `sessionId` for later states (`sessionIdPath`).
   * Temporary tables created in a session are visible to later statements of that session only.
   * @default - no session
   */
  readonly session?: { readonly keepAliveSeconds: number };
  /**
   * Run in an existing session: a JSONPath to its id in the state's input (for example
   * `$.staged.sessionId`, the output of an earlier state with `session`). With `session` too, the
   * session's keep-alive is set anew.
   * @default - none
   */
  readonly sessionIdPath?: string;
  /**
   * Run in an existing session: its id, or `LATEST` for the session of this execution's newest statement.
   * Give `sessionId` or `sessionIdPath`, not both.
   * @default - none
   */
  readonly sessionId?: string;
  /**
   * `ResultFormat` of the statement: `CSV` results are read with `resultTask(..., { resultFormat: 'CSV' })`.
   * @default - the Data API's default, JSON
   */
  readonly resultFormat?: 'JSON' | 'CSV';
}

/** Options of {@link describeTask} and {@link cancelTask}. */
export interface StatementTaskOptions extends TaskerCallOptions {
  /**
   * The Data API statement id, or `LATEST`: the last statement this execution started.
   * Give `statementId` or `statementIdPath`, not both.
   * @default 'LATEST'
   */
  readonly statementId?: string;
  /**
   * A JSONPath to the statement id in the state's input, for example `$.detail.statementId`.
   * @default - none: `statementId` applies
   */
  readonly statementIdPath?: string;
}

/** Options of {@link resultTask}. */
export interface ResultTaskOptions extends StatementTaskOptions {
  /**
   * `NextToken` of a previous page of results. Give `nextToken` or `nextTokenPath`, not both.
   * @default - none: the first page
   */
  readonly nextToken?: string;
  /**
   * A JSONPath to the `NextToken` of a previous page in the state's input.
   * @default - none
   */
  readonly nextTokenPath?: string;
  /**
   * `CSV` reads a statement started with `resultFormat: 'CSV'` (GetStatementResultV2: `Records` holds
   * `CSVRecords` text).
   * @default 'JSON'
   */
  readonly resultFormat?: 'JSON' | 'CSV';
}

/**
 * A state that runs SQL through the tasker and waits for the statement to finish (the callback pattern):
 * it succeeds with the statement's completion event and fails with `FAILED` when the SQL fails.
 */
export function sqlTask(functionArn: string, name: string, options: SqlTaskOptions): NamedState<TaskState> {
  checkFunctionArn(functionArn, name);
  const statements = sqlPayload(name, options);
  checkSeconds(name, options);
  if (options.singleton && options.sqls !== undefined) {
    throw new InvalidStateOptionsError(name, '`singleton` works with `sql` only, not with `sqls`.');
  }
  if (options.parameters !== undefined && options.sqls !== undefined) {
    throw new InvalidStateOptionsError(name, '`parameters` work with `sql` only (BatchExecuteStatement takes no parameters).');
  }
  if (options.catchConcurrent !== undefined && !options.singleton) {
    throw new InvalidStateOptionsError(
      name,
      '`catchConcurrent` needs `singleton: true` (only singleton statements raise ConcurrentExecution).',
    );
  }

  const session = sessionPayload(name, options);
  const payload: JsonObject = {
    action: options.singleton ? TASKER_ACTIONS.EXECUTE_SINGLETON : TASKER_ACTIONS.EXECUTE,
    ...statements,
    ...(options.parameters !== undefined && { parameters: sqlParameters(name, options.parameters) }),
    ...session,
    ...(options.resultFormat !== undefined && { resultFormat: options.resultFormat }),
    'taskToken.$': '$$.Task.Token',
    'executionArn.$': '$$.Execution.Id',
    // With the state name and entry time the handler recognises a repeated invocation of the same task.
    'stateName.$': '$$.State.Name',
    'stateEnteredTime.$': '$$.State.EnteredTime',
  };

  const failedErrors = options.abortedErrorName === 'ABORTED' ? [ERRORS.FAILED, ERRORS.ABORTED] : [ERRORS.FAILED];
  const catchers = catchBlocks(options, [
    [options.catchConcurrent, [ERRORS.CONCURRENT_EXECUTION]],
    [options.catchFailed, failedErrors],
    [options.catchTimeout, [...TIMEOUT_ERRORS]],
  ]);

  const state: TaskState = {
    Type: 'Task',
    ...(options.comment !== undefined && { Comment: options.comment }),
    Resource: WAIT_FOR_TASK_TOKEN_RESOURCE,
    Parameters: { FunctionName: functionArn, Payload: payload },
    ...(options.resultPath !== undefined && { ResultPath: options.resultPath }),
    ...(options.timeoutSeconds !== undefined && { TimeoutSeconds: options.timeoutSeconds }),
    ...(options.heartbeatSeconds !== undefined && { HeartbeatSeconds: options.heartbeatSeconds }),
    ...retryBlock(options, [
      LAMBDA_SERVICE_ERRORS_RETRY,
      LAMBDA_THROTTLING_RETRY,
      RETRYABLE_START_RETRY,
      ...(Object.keys(session).length > 0 ? [SESSION_BUSY_RETRY] : []),
    ]),
    ...(catchers.length > 0 && { Catch: catchers }),
    ...transition(name, options),
  };
  return { name, state };
}

/** The session fields of a sqlTask payload (the handler's `sessionKeepAliveSeconds` / `sessionId`). */
function sessionPayload(name: string, options: SqlTaskOptions): JsonObject {
  const { session, sessionId, sessionIdPath } = options;
  if (sessionId !== undefined && sessionIdPath !== undefined) {
    throw new InvalidStateOptionsError(name, 'give `sessionId` or `sessionIdPath`, not both.');
  }
  if (sessionIdPath !== undefined && !sessionIdPath.startsWith('$')) {
    throw new InvalidStateOptionsError(name, '`sessionIdPath` must be a JSONPath starting with "$".');
  }
  if (sessionId !== undefined && !SESSION_ID_PATTERN.test(sessionId)) {
    throw new InvalidStateOptionsError(name, '`sessionId` must be a Data API session id (a UUID) or `LATEST`.');
  }
  const keepAlive = session?.keepAliveSeconds;
  if (session !== undefined && (keepAlive === undefined || !Number.isInteger(keepAlive) || keepAlive < 1 || keepAlive > 86_400)) {
    throw new InvalidStateOptionsError(name, '`session.keepAliveSeconds` must be a whole number of seconds from 1 to 86400 (24 h).');
  }
  return {
    ...(keepAlive !== undefined && { sessionKeepAliveSeconds: keepAlive }),
    ...(sessionId !== undefined && { sessionId }),
    ...(sessionIdPath !== undefined && { 'sessionId.$': sessionIdPath }),
  };
}

/** A state that asks the tasker to cancel a statement (by default the last one this execution started). */
export function cancelTask(functionArn: string, name: string, options: StatementTaskOptions = {}): NamedState<TaskState> {
  return statementCall(functionArn, name, TASKER_ACTIONS.CANCEL, options, {});
}

/** A state that reads a statement's status (Data API `DescribeStatement` response, under `Payload`). */
export function describeTask(functionArn: string, name: string, options: StatementTaskOptions = {}): NamedState<TaskState> {
  return statementCall(functionArn, name, TASKER_ACTIONS.DESCRIBE, options, {});
}

/** A state that reads a page of a statement's result set (Data API `GetStatementResult` response, under `Payload`). */
export function resultTask(functionArn: string, name: string, options: ResultTaskOptions = {}): NamedState<TaskState> {
  if (options.nextToken !== undefined && options.nextTokenPath !== undefined) {
    throw new InvalidStateOptionsError(name, 'give `nextToken` or `nextTokenPath`, not both.');
  }
  const nextToken: JsonObject =
    options.nextTokenPath !== undefined
      ? { 'nextToken.$': options.nextTokenPath }
      : options.nextToken !== undefined
        ? { nextToken: options.nextToken }
        : {};
  const format: JsonObject = options.resultFormat === 'CSV' ? { resultFormat: 'CSV' } : {};
  return statementCall(functionArn, name, TASKER_ACTIONS.GET_RESULT, options, { ...nextToken, ...format });
}

/** The shared shape of describe/cancel/result: a plain invoke whose function result is kept as `Payload`. */
function statementCall(
  functionArn: string,
  name: string,
  action: string,
  options: StatementTaskOptions,
  extra: JsonObject,
): NamedState<TaskState> {
  checkFunctionArn(functionArn, name);
  if (options.statementId !== undefined && options.statementIdPath !== undefined) {
    throw new InvalidStateOptionsError(name, 'give `statementId` or `statementIdPath`, not both.');
  }
  if (options.statementId !== undefined && !STATEMENT_ID_PATTERN.test(options.statementId)) {
    throw new InvalidStateOptionsError(name, '`statementId` must be a Data API statement id (a UUID, optionally `:<n>`) or `LATEST`.');
  }
  const statementId: JsonObject =
    options.statementIdPath !== undefined
      ? { 'statementId.$': options.statementIdPath }
      : { statementId: options.statementId ?? LATEST_STATEMENT };
  const catchers = catchBlocks(options, []);
  const state: TaskState = {
    Type: 'Task',
    ...(options.comment !== undefined && { Comment: options.comment }),
    Resource: LAMBDA_INVOKE_RESOURCE,
    Parameters: {
      FunctionName: functionArn,
      Payload: { action, ...statementId, ...extra, 'executionArn.$': '$$.Execution.Id' },
    },
    // Keep the function's result, drop the invoke metadata (status code, headers) that only costs payload size.
    ResultSelector: { 'Payload.$': '$.Payload' },
    ...(options.resultPath !== undefined && { ResultPath: options.resultPath }),
    ...retryBlock(options, [LAMBDA_SERVICE_ERRORS_RETRY, LAMBDA_THROTTLING_RETRY]),
    ...(catchers.length > 0 && { Catch: catchers }),
    ...transition(name, options),
  };
  return { name, state };
}

function sqlPayload(name: string, options: SqlTaskOptions): JsonObject {
  const { sql, sqls, executionMode } = options;
  if (sql !== undefined && sqls !== undefined) {
    throw new InvalidStateOptionsError(name, 'give `sql` or `sqls`, not both.');
  }
  if (sql === undefined && sqls === undefined) {
    throw new InvalidStateOptionsError(name, 'give `sql` (one statement) or `sqls` (several).');
  }
  if (sql !== undefined) {
    if (sql.trim() === '') throw new InvalidStateOptionsError(name, '`sql` must not be empty.');
    if (executionMode !== undefined) {
      throw new InvalidStateOptionsError(name, '`executionMode` applies to `sqls` only.');
    }
    return { sqlStatement: sql };
  }
  const list = sqls as string[];
  if (list.length === 0 || list.some((statement) => statement.trim() === '')) {
    throw new InvalidStateOptionsError(name, '`sqls` must hold at least one statement, none of them empty.');
  }
  if (list.length > MAX_BATCH_STATEMENTS) {
    throw new InvalidStateOptionsError(name, `\`sqls\` may hold at most ${MAX_BATCH_STATEMENTS} statements (a Data API batch limit).`);
  }
  return { sqlStatements: [...list], ...(executionMode !== undefined && { executionMode }) };
}

/** `{ a: '1', 'b.$': '$.b' }` → `[{ name: 'a', value: '1' }, { name: 'b', 'value.$': '$.b' }]` (the handler's shape). */
function sqlParameters(name: string, parameters: Record<string, string>): JsonObject[] {
  if (Object.keys(parameters).length === 0) {
    throw new InvalidStateOptionsError(name, '`parameters` must not be empty (leave it out instead).');
  }
  const seen = new Set<string>();
  return Object.entries(parameters).map(([key, value]): JsonObject => {
    const isPath = key.endsWith('.$');
    const parameterName = isPath ? key.slice(0, -2) : key;
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(parameterName)) {
      throw new InvalidStateOptionsError(name, `SQL parameter name "${parameterName}" must be letters, digits and underscores.`);
    }
    if (seen.has(parameterName)) {
      throw new InvalidStateOptionsError(name, `SQL parameter "${parameterName}" is given twice (with and without ".$").`);
    }
    seen.add(parameterName);
    if (isPath && !value.startsWith('$')) {
      throw new InvalidStateOptionsError(name, `SQL parameter "${key}" must be a JSONPath starting with "$".`);
    }
    return isPath ? { name: parameterName, 'value.$': value } : { name: parameterName, value };
  });
}

function checkSeconds(name: string, options: SqlTaskOptions): void {
  for (const key of ['timeoutSeconds', 'heartbeatSeconds'] as const) {
    const value = options[key];
    if (value !== undefined && (!Number.isInteger(value) || value < 1)) {
      throw new InvalidStateOptionsError(name, `\`${key}\` must be a whole number of seconds, 1 or more.`);
    }
  }
  const { timeoutSeconds, heartbeatSeconds } = options;
  if (timeoutSeconds !== undefined && heartbeatSeconds !== undefined && heartbeatSeconds >= timeoutSeconds) {
    throw new InvalidStateOptionsError(name, '`heartbeatSeconds` must be below `timeoutSeconds`.');
  }
}

function checkFunctionArn(functionArn: string, name: string): void {
  if (typeof functionArn !== 'string' || functionArn.trim() === '') {
    throw new InvalidStateOptionsError(name, 'the tasker function ARN must be a non-empty string.');
  }
}

function retryBlock(options: TaskerCallOptions, retriers: Retrier[]): { Retry?: Retrier[] } {
  // Copies, so a caller editing one state's Retry never changes another state's.
  return options.retry === false ? {} : { Retry: retriers.map((retrier) => ({ ...retrier, ErrorEquals: [...retrier.ErrorEquals] })) };
}

/** Catch entries in a fixed order, the specific ones first and `States.ALL` last (ASL requires it last). */
function catchBlocks(options: TaskerCallOptions, specific: Array<[string | undefined, string[]]>): Catcher[] {
  const resultPath = options.catchResultPath === undefined ? '$.error' : options.catchResultPath;
  const entries: Array<[string | undefined, string[]]> = [...specific, [options.catchAll, ['States.ALL']]];
  return entries
    .filter((entry): entry is [string, string[]] => entry[0] !== undefined)
    .map(([next, errors]) => ({ ErrorEquals: errors, Next: next, ResultPath: resultPath }));
}
