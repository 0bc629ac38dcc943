/**
 * SQL as Terraform resources: the `aws_lambda_invocation` (`lifecycle_scope = "CRUD"`) path.
 *
 * The provider invokes the function synchronously on create, update and delete of the resource and stores
 * what the function returns in the resource's `result`. This handler picks the SQL for the action
 * (terraform-lifecycle-input.ts), runs it to completion inside the invocation's time budget
 * (run-to-completion.ts) and returns a small JSON result. A failed statement throws: Lambda reports the
 * error, the provider fails the apply and shows the message, which carries the Redshift error text.
 */
import { errorName } from '../platform/errors';
import { sqlHash, sqlLength } from '../input/idempotency';
import type { SqlToRun } from '../input/invocation-schema';
import { logger } from '../platform/logger';
import { runToCompletion, type TimeBudget } from '../statements/run-to-completion';
import type { TaskerContext } from '../platform/tasker-context';
import {
  parametersUsedBy,
  parseSqlResourceEvent,
  type LifecycleSql,
  type SqlField,
  type TerraformAction,
} from '../input/terraform-lifecycle-input';

/** What Terraform stores in the resource's `result` (as JSON). */
export interface SqlResourceResult {
  /** The lifecycle action the provider asked for. */
  action: TerraformAction;
  /** Which SQL field ran (`none`: delete without `destroy` SQL). */
  ran: SqlField | 'none';
  /** `FINISHED`, or `SKIPPED` when nothing ran. */
  state: 'FINISHED' | 'SKIPPED';
  statementId?: string;
  /** DescribeStatement's ResultRows (Redshift reports -1 for statements without rows). */
  rows?: number;
  hasResultSet?: boolean;
  durationMs?: number;
}

/**
 * Used when the handler is called without a Lambda context (tests, local runs): a fixed budget of 60 s.
 * In Lambda the context always gives the real remaining time.
 */
export const DEFAULT_BUDGET_MS = 60_000;

/** Suffix of the statement names: prefix + `terraform-<action>`, never a tracking key (64 hex characters). */
export const statementNameSuffix = (action: TerraformAction): string => `terraform-${action}`;

export async function handleTerraformLifecycle(ctx: TaskerContext, event: unknown, budget?: TimeBudget): Promise<SqlResourceResult> {
  // Parsing throws InvalidInput before anything runs.
  const request = parseSqlResourceEvent(event);
  const { config } = ctx;
  const logContext = { action: request.action, field: request.field, hasPreviousInput: request.hasPreviousInput };
  if (request.sql === undefined || request.field === undefined) {
    logger.info('terraform delete: no destroy SQL, nothing to run', logContext);
    return { action: request.action, ran: 'none', state: 'SKIPPED' };
  }

  const sql = request.sql;
  const parameters = sql.kind === 'single' ? parametersUsedBy(sql.sql, request.parameters) : [];
  const forLogs = asSqlToRun(sql);
  const statementName = `${config.statementNamePrefix}${statementNameSuffix(request.action)}`;
  logger.info('terraform lifecycle: running SQL', {
    ...logContext,
    statementName,
    sqlHash: sqlHash(forLogs),
    sqlLength: sqlLength(forLogs),
    parameterCount: parameters.length,
  });
  let result: Awaited<ReturnType<typeof runToCompletion>>;
  try {
    result = await runToCompletion(ctx.dataApi, {
      statementName,
      sql,
      parameters,
      budget: budget ?? fixedBudget(DEFAULT_BUDGET_MS),
      label: `${request.field} SQL`,
    });
  } catch (error) {
    // The message may quote SQL literals (Redshift errors do): log the name only; Terraform shows the message.
    logger.warn('terraform lifecycle: SQL did not finish', { ...logContext, statementName, error: errorName(error) });
    throw error;
  }
  logger.info('terraform lifecycle: SQL finished', { ...logContext, statementId: result.statementId, durationMs: result.durationMs });
  return {
    action: request.action,
    ran: request.field,
    state: result.state,
    statementId: result.statementId,
    rows: result.rows,
    hasResultSet: result.hasResultSet,
    durationMs: result.durationMs,
  };
}

const asSqlToRun = (sql: LifecycleSql): SqlToRun =>
  sql.kind === 'single'
    ? { kind: 'single', sqlStatement: sql.sql }
    : { kind: 'batch', sqlStatements: sql.sqls, executionMode: 'TRANSACTION' };

function fixedBudget(ms: number): TimeBudget {
  const end = Date.now() + ms;
  return { getRemainingTimeInMillis: () => Math.max(0, end - Date.now()) };
}
