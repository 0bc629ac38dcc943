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
 * executeSingletonStatement first takes a lock item for its SQL text (one more call), released on completion.
 */
import {
  BatchExecuteStatementCommand,
  ExecuteStatementCommand,
  type ExecuteStatementCommandOutput,
} from '@aws-sdk/client-redshift-data';
import { METRICS, TABLE } from '../shared/contract';
import { clients } from './clients';
import { getConfig } from './config';
import { isRetryableDataApiError, targetParameters, toPlainResponse } from './data-api';
import { ConcurrentExecution, RetryableStartError, StartFailedError, errorMessage, errorName } from './errors';
import { clientTokenFor, idempotencyKeyFor, singletonLockKeyFor, sqlHash, sqlLength, statementNameFor } from './idempotency';
import type { StartInvocation } from './invocation-schema';
import { logger, shortToken } from './logger';
import { countMetric } from './metrics';
import { CloudFormationTarget, TrackedCall, TrackingTable } from './tracking-table';

export interface StartOptions {
  /** Overrides the derived key (CloudFormation derives its own from the request). */
  key?: string;
  /** The CloudFormation request to answer on completion. */
  cloudFormation?: CloudFormationTarget;
  /** Clock, for tests. @default new Date() */
  now?: Date;
}

export interface StartResult {
  key: string;
  statementName: string;
  statementId: string;
  /** True when this invocation repeated an earlier one and started nothing new. */
  repeated: boolean;
  /** The Data API's ExecuteStatement response shape (`Id`, `CreatedAt`, ...), dates as ISO strings. */
  response: Record<string, unknown>;
}

export async function startStatement(invocation: StartInvocation, options: StartOptions = {}): Promise<StartResult> {
  const config = getConfig();
  const table = new TrackingTable(config.tableName);
  const now = options.now ?? new Date();
  const key = options.key ?? idempotencyKeyFor(invocation);
  const statementName = statementNameFor(config.statementNamePrefix, key);
  const hashOfSql = sqlHash(invocation.sql);
  const logContext = {
    key,
    action: invocation.action,
    executionArn: invocation.executionArn,
    stateName: invocation.stateName,
    taskToken: shortToken(invocation.taskToken),
    sqlHash: hashOfSql,
    sqlLength: sqlLength(invocation.sql),
    parameterCount: invocation.sql.kind === 'single' ? (invocation.sql.parameters?.length ?? 0) : 0,
  };

  const singletonLock = invocation.action === 'executeSingletonStatement' ? singletonLockKeyFor(hashOfSql) : undefined;
  if (singletonLock && !(await table.acquireSingletonLock(singletonLock, key, now))) {
    logger.info('singleton statement refused: the same SQL is running', logContext);
    throw new ConcurrentExecution(`a statement with the same SQL text (sha256 ${hashOfSql}) is already running`);
  }

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
  };

  let response: ExecuteStatementCommandOutput;
  try {
    response = await execute(invocation, statementName, key);
  } catch (error) {
    const name = errorName(error);
    const message = `${name}: ${errorMessage(error)}`;
    logger.warn('statement did not start', { ...logContext, error: name, retryable: isRetryableDataApiError(error) });
    countMetric(METRICS.NAMES.START_ERRORS, [METRICS.DIMENSIONS.ERROR, name]);
    await table.recordStartFailure({ ...item, startError: message.slice(0, 1_000) }, now, config.itemTtlSeconds);
    if (singletonLock) await table.releaseSingletonLock(singletonLock, key);
    throw isRetryableDataApiError(error) ? new RetryableStartError(message) : new StartFailedError(message);
  }
  const statementId = response.Id as string;

  if (await table.register({ ...item, statementId })) {
    logger.info('statement started', { ...logContext, statementId, statementName });
    countMetric(METRICS.NAMES.STATEMENTS_STARTED, [METRICS.DIMENSIONS.ACTION, invocation.action]);
    return { key, statementName, statementId, repeated: false, response: toPlainResponse(response) };
  }

  // A repeated invocation of the same task: the client token made the Data API answer the same statement.
  const existing = await table.get(key);
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

function execute(invocation: StartInvocation, statementName: string, key: string): Promise<ExecuteStatementCommandOutput> {
  const { redshiftData } = clients();
  const common = {
    ...targetParameters(getConfig().target),
    StatementName: statementName,
    WithEvent: true,
    ClientToken: clientTokenFor(key),
  };
  const { sql } = invocation;
  if (sql.kind === 'batch') {
    // BatchExecuteStatement's response has the same fields as ExecuteStatement's.
    return redshiftData.send(
      new BatchExecuteStatementCommand({ ...common, Sqls: sql.sqlStatements, ExecutionMode: sql.executionMode }),
    ) as Promise<ExecuteStatementCommandOutput>;
  }
  return redshiftData.send(new ExecuteStatementCommand({ ...common, Sql: sql.sqlStatement, Parameters: sql.parameters }));
}
