/**
 * Idempotency keys: which invocations are the same call (statement names built from a key: statement-name.ts).
 *
 * A call's key is derived from what the invocation carries, so a repeated invocation of the same task
 * (a Lambda retry, a Step Functions `Retry` after a Lambda error) maps to the same tracking item, the
 * same statement name and the same Data API `ClientToken` — and therefore never starts the SQL twice.
 * Every key is 64 lower-case hex characters (a SHA-256), so names have a fixed length.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { CheckedTarget } from '../../shared/redshift-target';
import type { SqlToRun, StartInvocation } from './invocation-schema';

const sha256 = (...parts: string[]): string => {
  const hash = createHash('sha256');
  // Length-prefix each part so ('ab','c') and ('a','bc') differ.
  for (const part of parts) hash.update(`${part.length}:${part}`);
  return hash.digest('hex');
};

/** Hash of the SQL text (not of parameter values): what the singleton lock and the logs use. */
export function sqlHash(sql: SqlToRun): string {
  return sql.kind === 'single' ? sha256('sql', sql.sqlStatement) : sha256('batch', sql.executionMode, ...sql.sqlStatements);
}

/** Total SQL length in characters, for logs (the text itself is never logged). */
export const sqlLength = (sql: SqlToRun): number =>
  sql.kind === 'single' ? sql.sqlStatement.length : sql.sqlStatements.reduce((sum, text) => sum + text.length, 0);

/**
 * The idempotency key of a start invocation:
 * - with a task token: the token, execution, state name and entered time (a token identifies one task);
 * - without a token but with executionArn and stateEnteredTime: the state entry plus the SQL hash
 *   (one state entry runs one statement; a polling loop re-entering the state gets a new entered time);
 * - otherwise a fresh random key: the caller gives nothing that identifies a repeat, and deriving one
 *   from the SQL alone would wrongly merge two legitimate runs of the same SQL.
 */
export function idempotencyKeyFor(invocation: StartInvocation): string {
  const { taskToken, executionArn, stateName, stateEnteredTime } = invocation;
  if (taskToken !== undefined) return sha256('task', taskToken, executionArn ?? '', stateName ?? '', stateEnteredTime ?? '');
  if (executionArn !== undefined && stateEnteredTime !== undefined) {
    return sha256('state', executionArn, stateName ?? '', stateEnteredTime, sqlHash(invocation.sql));
  }
  return randomBytes(32).toString('hex');
}

/** Key of a CloudFormation request: CloudFormation repeats the same RequestId when it retries. */
export const cloudFormationKeyFor = (stackId: string, requestId: string, logicalResourceId: string): string =>
  sha256('cfn', stackId, requestId, logicalResourceId);

/**
 * What "the same SQL is running" means for executeSingletonStatement: the same SQL text (hash) on the same
 * database. Taskers that share one table (`callbackTasker`) but target other databases do not block each other.
 */
export function runningSqlKeyFor(target: CheckedTarget, hashOfSql: string): string {
  const where = target.kind === 'cluster' ? target.clusterIdentifier : target.workgroupName;
  // Workgroups hash under their earlier tag 'serverless': keys of statements running across an upgrade stay equal.
  const kindTag = target.kind === 'cluster' ? 'cluster' : 'serverless';
  return sha256('running-sql', kindTag, where, target.database, hashOfSql);
}

/** Partition key of the lock that serialises executeSingletonStatement for one SQL text on one database. */
export const singletonLockKeyFor = (runningSqlKey: string): string => `singleton#${runningSqlKey}`;
