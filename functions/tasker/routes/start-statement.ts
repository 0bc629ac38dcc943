/**
 * Starting a statement: the path of executeStatement / executeSingletonStatement (and CloudFormation).
 *
 * Order of calls (the happy path costs 2 AWS calls here, 4 per statement in all):
 *   1. ExecuteStatement / BatchExecuteStatement with `WithEvent`, the statement name (prefix + key) and
 *      `ClientToken` = key. The Data API remembers a client token for 8 h and answers a repeat with the
 *      same statement, so a repeated invocation of the same task never runs the SQL twice.
 *   2. A conditional Put registers the call (RUNNING, with the statement id). If the key is already
 *      registered, this is a repeated invocation: nothing is written and the existing statement id is answered.
 * Registering after the start saves the "update with statement id" call. The completion event cannot
 * overtake the Put in practice (it travels through EventBridge and SQS); if it ever did, the completion
 * retries a record whose item is not there yet (see sqs-batch.ts), so nothing is lost.
 * A start failure is recorded as START_FAILED (with a TTL) and thrown under a stable error name.
 * Every running item carries `runningSql` (SQL text + database, hashed), projected into the running index at
 * no extra call or write unit. executeSingletonStatement first takes a lock item for its SQL text (race-free
 * between singletons), then Queries the running index for any other running statement of the same text,
 * plain ones included (2 more calls, and the lock's release on completion); see the README's Handler API.
 * With the fast path (fast-path.ts) the start then asks the Data API to wait a little; a statement done by
 * then is completed here, through the same claim as the event. Sessions: sessions.ts.
 */
import type { ExecuteStatementCommandOutput } from '@aws-sdk/client-redshift-data';
import { METRICS, TABLE } from '../../shared/contract';
import { isRetryableDataApiError, toPlainResponse, type DataApi } from '../platform/data-api';
import { ConcurrentExecution, RetryableStartError, StartFailedError, TaskerError, errorMessage, errorName } from '../platform/errors';
import { idempotencyKeyFor, runningSqlKeyFor, singletonLockKeyFor, sqlHash, sqlLength } from '../input/idempotency';
import { clientTokenFor, statementNameFor } from '../platform/statement-name';
import type { StartInvocation } from '../input/invocation-schema';
import { completeOnFastPath, fastPathWaitSeconds } from '../completion/fast-path';
import { logger, shortToken } from '../platform/logger';
import type { TimeBudget } from '../statements/run-to-completion';
import { resolveSessionId, sessionBusyError, sessionFields } from '../statements/sessions';
import { countMetric } from '../platform/metrics';
import type { TaskerContext } from '../platform/tasker-context';
import type { CloudFormationTarget, TrackedCall, TrackingTable } from '../table/tracking-table';

export interface StartOptions {
  /** Overrides the derived key (CloudFormation derives its own from the request). */
  key?: string;
  /** The CloudFormation request to answer on completion. */
  cloudFormation?: CloudFormationTarget;
  /** Clock, for tests. @default new Date() */
  now?: Date;
  /** The invocation's time left (the Lambda context): bounds the fast path's wait. @default - no bound beyond the setting */
  budget?: TimeBudget;
}

export interface StartResult {
  key: string;
  statementName: string;
  statementId: string;
  /** True when this invocation repeated an earlier one and started nothing new. */
  repeated: boolean;
  /**
   * The Data API's ExecuteStatement response shape (`Id`, `CreatedAt`, ...), dates as ISO strings; after a
   * fast-path wait it carries `Status` (FINISHED when the statement is done) and `SessionId` in a session.
   */
  response: Record<string, unknown>;
}

/** What every log line of one start carries: the call, never the SQL text or the whole token. */
function startLogContext(invocation: StartInvocation, key: string, hashOfSql: string) {
  return {
    key,
    action: invocation.action,
    executionArn: invocation.executionArn,
    stateName: invocation.stateName,
    taskToken: shortToken(invocation.taskToken),
    sqlHash: hashOfSql,
    sqlLength: sqlLength(invocation.sql),
    parameterCount: invocation.sql.kind === 'single' ? (invocation.sql.parameters?.length ?? 0) : 0,
  };
}

export async function startStatement(ctx: TaskerContext, invocation: StartInvocation, options: StartOptions = {}): Promise<StartResult> {
  const { config, table } = ctx;
  const now = options.now ?? new Date();
  const key = options.key ?? idempotencyKeyFor(invocation);
  const statementName = statementNameFor(config.statementNamePrefix, key);
  const hashOfSql = sqlHash(invocation.sql);
  const logContext = startLogContext(invocation, key, hashOfSql);

  const runningSql = runningSqlKeyFor(config.target, hashOfSql);
  const singletonLock = invocation.action === 'executeSingletonStatement' ? singletonLockKeyFor(runningSql) : undefined;
  if (singletonLock) await refuseIfSameSqlRuns(table, { lockKey: singletonLock, runningSql, key, hashOfSql, now }, logContext);

  // Only what completion, LATEST and the sweep read back; the rest is in the log lines (tracking-table.ts).
  const item: TrackedCall = {
    pk: key,
    status: 'RUNNING',
    startedAt: now.toISOString(),
    executionArn: invocation.executionArn,
    taskToken: invocation.taskToken,
    cloudFormation: options.cloudFormation,
    singletonLock,
    runningPartition: TABLE.RUNNING_PARTITION_VALUE,
    runningSql,
  };

  const waitSeconds = fastPathWaitSeconds(config.fastPathSeconds, options.budget);
  let response: ExecuteStatementCommandOutput;
  try {
    const sessionId =
      invocation.session?.sessionId && (await resolveSessionId(table, invocation.session.sessionId, invocation.executionArn));
    response = await execute(ctx.dataApi, invocation, statementName, key, sessionId || undefined);
  } catch (error) {
    const name = errorName(error);
    const message = `${name}: ${errorMessage(error)}`;
    logger.warn('statement did not start', { ...logContext, error: name, retryable: isRetryableDataApiError(error) });
    countMetric(METRICS.NAMES.START_ERRORS, [METRICS.DIMENSIONS.ERROR, name]);
    await table.calls.recordStartFailure({ ...item, startError: message.slice(0, 1_000) }, now, config.itemTtlSeconds);
    if (singletonLock) await table.locks.release(singletonLock, key);
    if (error instanceof TaskerError) throw error;
    throw (
      sessionBusyError(error, message) ??
      (isRetryableDataApiError(error) ? new RetryableStartError(message) : new StartFailedError(message))
    );
  }
  const statementId = response.Id as string;

  if (await table.calls.register({ ...item, statementId, ...(response.SessionId && { sessionId: response.SessionId }) })) {
    logger.info('statement started', { ...logContext, statementId, statementName, sessionId: response.SessionId });
    countMetric(METRICS.NAMES.STATEMENTS_STARTED, [METRICS.DIMENSIONS.ACTION, invocation.action]);
    const plain = toPlainResponse(response);
    if (waitSeconds > 0) {
      // The fast path: a caller without a token gets the status (FINISHED: the finished response).
      const invokedFunctionArn = options.budget?.invokedFunctionArn;
      const described = await completeOnFastPath(ctx, { key, statementName, statementId, waitSeconds, logContext, invokedFunctionArn });
      if (described?.Status) Object.assign(plain, { Status: described.Status, HasResultSet: described.HasResultSet ?? false });
    }
    return { key, statementName, statementId, repeated: false, response: plain };
  }

  // A repeated invocation of the same task: the client token made the Data API answer the same statement.
  const existing = await table.calls.get(key);
  const existingId = existing?.statementId ?? statementId;
  if (existingId !== statementId) {
    // Only possible when the repeat came after the Data API forgot the client token (8 h).
    logger.warn('repeated invocation started a second statement (client token expired)', {
      ...logContext,
      statementId,
      trackedStatementId: existingId,
    });
  } else {
    logger.info('repeated invocation recognised; no new statement', { ...logContext, statementId, status: existing?.status });
  }
  return { key, statementName, statementId: existingId, repeated: true, response: { ...toPlainResponse(response), Id: existingId } };
}

/**
 * The singleton check: the lock serialises singletons of the same SQL (a conditional Put, so two cannot both
 * pass), and the index shows the running statements of the same SQL that other calls started, singleton or
 * not. Throws ConcurrentExecution, holding no lock, when either says the SQL runs.
 */
async function refuseIfSameSqlRuns(
  table: TrackingTable,
  call: { lockKey: string; runningSql: string; key: string; hashOfSql: string; now: Date },
  logContext: Record<string, unknown>,
): Promise<void> {
  const { lockKey, runningSql, key, hashOfSql, now } = call;
  const refusal = `a statement with the same SQL text (sha256 ${hashOfSql}) is already running`;
  if (!(await table.locks.acquire(lockKey, key, now))) {
    logger.info('singleton statement refused: the same SQL runs as a singleton', logContext);
    throw new ConcurrentExecution(refusal);
  }
  const running = await table.indexes.otherRunningWithSql(runningSql, key).catch(async (error: unknown) => {
    await table.locks.release(lockKey, key);
    throw error;
  });
  if (running) {
    // A repeated invocation of a singleton that did start (a plain run of its SQL began since) is not refused:
    // it answers its own statement below, and the lock stays its. Read only here, off the happy path.
    if ((await table.calls.get(key))?.statementId !== undefined) return;
    await table.locks.release(lockKey, key);
    logger.info('singleton statement refused: the same SQL runs', { ...logContext, runningStatementId: running.statementId });
    throw new ConcurrentExecution(`${refusal}: ${running.statementId ?? 'starting'}`);
  }
}

function execute(
  dataApi: DataApi,
  invocation: StartInvocation,
  statementName: string,
  key: string,
  sessionId: string | undefined,
): Promise<ExecuteStatementCommandOutput> {
  const common = {
    ...sessionFields(invocation.session, sessionId),
    StatementName: statementName,
    WithEvent: true,
    ClientToken: clientTokenFor(key),
    ...(invocation.resultFormat && { ResultFormat: invocation.resultFormat }),
  };
  const { sql } = invocation;
  if (sql.kind === 'batch') {
    // BatchExecuteStatement's response has the same fields as ExecuteStatement's.
    return dataApi.batchExecute({
      ...common,
      Sqls: sql.sqlStatements,
      ExecutionMode: sql.executionMode,
    }) as Promise<ExecuteStatementCommandOutput>;
  }
  return dataApi.execute({ ...common, Sql: sql.sqlStatement, Parameters: sql.parameters });
}
