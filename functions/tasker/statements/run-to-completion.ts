/**
 * Runs one statement (or batch) synchronously inside the Lambda's time budget: start it, then poll
 * DescribeStatement with backoff until it ends. Used by SQL resources (terraform-lifecycle.ts).
 *
 * Nothing is tracked and no status-change event is requested (`WithEvent: false`): Terraform waits for the
 * answer of this very invocation, so no Step Functions or CloudFormation callback may ever fire for it. The
 * statement name still carries the tasker's prefix (so it is recognisable in ListStatements), followed by a
 * suffix that is not a tracking key, so the completion path would ignore an event for it anyway.
 *
 * The budget is the invocation's remaining time minus a safety margin kept to cancel the statement and
 * answer. A statement still running at the deadline is cancelled (best effort) and the call fails with
 * `StatementExceededLambdaTimeout` — it never hangs until Lambda kills the function.
 */
import type { DescribeStatementResponse } from '@aws-sdk/client-redshift-data';
import { randomUUID } from 'node:crypto';
import { isRetryableDataApiError, type DataApi } from '../platform/data-api';
import {
  errorMessage,
  errorName,
  RetryableStartError,
  SqlStatementFailed,
  StartFailedError,
  StatementExceededLambdaTimeout,
} from '../platform/errors';
import type { SqlParameter } from '../input/invocation-schema';
import type { LifecycleSql } from '../input/terraform-lifecycle-input';
import { truncateChars } from '../platform/truncate';

/** What the caller's clock says about the time left: a Lambda `Context` fits. */
export interface TimeBudget {
  getRemainingTimeInMillis(): number;
  /** The invoked function's ARN (a Lambda `Context` has it): the account and region of events the tasker builds. */
  readonly invokedFunctionArn?: string;
}

/**
 * The invocation's time budget: the Lambda context, which always has `getRemainingTimeInMillis`. A context made by
 * hand (a test, a script calling the handler) may lack it: the routes then run unbounded, as without a context.
 */
export function timeBudgetOf(context: { getRemainingTimeInMillis?: unknown } | undefined): TimeBudget | undefined {
  return typeof context?.getRemainingTimeInMillis === 'function' ? (context as TimeBudget) : undefined;
}

export interface RunOptions {
  statementName: string;
  sql: LifecycleSql;
  parameters: SqlParameter[];
  budget: TimeBudget;
  /** Label for messages, e.g. `create SQL`. */
  label: string;
  /** First wait between two DescribeStatement calls, doubled after each. @default 100 */
  initialPollMs?: number;
  /** Longest wait between two DescribeStatement calls. @default 2000 */
  maxPollMs?: number;
}

export interface RunResult {
  statementId: string;
  state: 'FINISHED';
  /** DescribeStatement's ResultRows (-1 for statements without rows on Redshift), when given. */
  rows?: number;
  hasResultSet: boolean;
  /** Redshift's own duration of the statement, else the time this invocation waited. */
  durationMs: number;
}

/** Kept from the remaining time to cancel and answer: 10 %, at least 0.5 s, at most 5 s. */
export function safetyMarginMs(remainingMs: number): number {
  return Math.min(5_000, Math.max(500, Math.round(remainingMs * 0.1)));
}

const FAILURE_TEXT_MAX = 4_000;
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
const isAbort = (error: unknown): boolean => errorName(error) === 'AbortError' || errorName(error) === 'TimeoutError';

/** Runs on `dataApi`'s target. */
export async function runToCompletion(dataApi: DataApi, options: RunOptions): Promise<RunResult> {
  const started = Date.now();
  const remaining = options.budget.getRemainingTimeInMillis();
  const margin = safetyMarginMs(remaining);
  const deadline = started + remaining - margin;
  const timeLeft = (): number => deadline - Date.now();
  const budgetText = `the Lambda had ${remaining} ms left and keeps ${margin} ms to cancel and answer`;

  if (timeLeft() <= 0) {
    throw new StatementExceededLambdaTimeout(
      `${options.label} was not started: too little time left (${budgetText}); raise the function timeout`,
    );
  }

  let statementId: string;
  try {
    statementId = await start(dataApi, options, timeLeft());
  } catch (error) {
    if (isAbort(error)) {
      throw new StatementExceededLambdaTimeout(
        `${options.label}: the start call did not answer within the Lambda's time budget (${budgetText}); the statement may have started`,
      );
    }
    const message = `${errorName(error)}: ${errorMessage(error)}`;
    throw isRetryableDataApiError(error) ? new RetryableStartError(message) : new StartFailedError(message);
  }

  let pause = options.initialPollMs ?? 100;
  const maxPause = options.maxPollMs ?? 2_000;
  for (;;) {
    const wait = Math.min(pause, timeLeft());
    if (wait > 0) await sleep(wait);
    if (timeLeft() <= 0) break;
    let description: DescribeStatementResponse;
    try {
      description = await dataApi.describe(statementId, { abortSignal: AbortSignal.timeout(Math.max(1, timeLeft())) });
    } catch (error) {
      // A throttled or aborted poll is not an answer: try again while time is left.
      if (isRetryableDataApiError(error) || isAbort(error)) {
        pause = Math.min(pause * 2, maxPause);
        continue;
      }
      await cancelQuietly(dataApi, statementId, margin);
      throw new StartFailedError(
        `${options.label} (statement ${statementId}): DescribeStatement failed: ${errorName(error)}: ${errorMessage(error)}`,
      );
    }
    switch (description.Status) {
      case 'FINISHED':
        return {
          statementId,
          state: 'FINISHED',
          rows: description.ResultRows,
          hasResultSet: description.HasResultSet ?? false,
          durationMs:
            description.Duration !== undefined && description.Duration >= 0 ? Math.round(description.Duration / 1e6) : Date.now() - started,
        };
      case 'FAILED':
        throw new SqlStatementFailed(
          `${options.label} failed (statement ${statementId}): ` +
            `${truncateChars(description.Error ?? 'the Data API reported no error text', FAILURE_TEXT_MAX)}`,
        );
      case 'ABORTED':
        throw new SqlStatementFailed(`${options.label} was ABORTED (statement ${statementId}): it was cancelled before it finished`);
    }
    pause = Math.min(pause * 2, maxPause);
  }

  const cancelled = await cancelQuietly(dataApi, statementId, margin);
  throw new StatementExceededLambdaTimeout(
    `${options.label} (statement ${statementId}) was still running after ${Date.now() - started} ms and exceeded the Lambda timeout ` +
      `(${budgetText}); ${cancelled ? 'it was cancelled' : 'cancelling it failed, it may still be running'}. ` +
      'SQL resources must finish within the function timeout: raise it, or run long SQL from a state machine.',
  );
}

function start(dataApi: DataApi, options: RunOptions, timeLeftMs: number): Promise<string> {
  const common = {
    StatementName: options.statementName,
    WithEvent: false,
    // Fresh per invocation: the SDK's own retries of this request cannot start the SQL twice, while a later
    // apply running the same SQL again (destroy, then create) is never mistaken for a repeat.
    ClientToken: randomUUID(),
  };
  const send = { abortSignal: AbortSignal.timeout(Math.max(1, timeLeftMs)) };
  const { sql } = options;
  const request =
    sql.kind === 'batch'
      ? dataApi.batchExecute({ ...common, Sqls: sql.sqls }, send)
      : dataApi.execute({ ...common, Sql: sql.sql, Parameters: options.parameters.length > 0 ? options.parameters : undefined }, send);
  return request.then((response) => response.Id as string);
}

/** CancelStatement, best effort, bounded by half the safety margin; true when the Data API accepted it. */
async function cancelQuietly(dataApi: DataApi, statementId: string, marginMs: number): Promise<boolean> {
  try {
    const answer = await dataApi.cancel(statementId, { abortSignal: AbortSignal.timeout(Math.max(1, Math.floor(marginMs / 2))) });
    return answer.Status !== false;
  } catch {
    return false;
  }
}
