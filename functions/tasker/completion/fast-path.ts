/**
 * The fast path: once the statement is started and registered, the start asks the Data API to wait for it
 * (DescribeStatement with `WaitTimeSeconds`), and when it is done by then, completes the task itself instead
 * of waiting for the status-change event. Registering first keeps `statementId: LATEST` (a cancel on
 * timeout) working during the wait.
 *
 * It goes through the same exactly-once claim as the event (`completeStatement`, claimer `start`), so the
 * event that still follows loses the claim and is acknowledged as a duplicate: one callback either way.
 * A statement still running after the wait is left to the event path unchanged. The wait is bounded by
 * the invocation's time left minus the safety margin SQL resources keep, so the start always answers
 * within the function timeout.
 */
import type { DescribeStatementResponse } from '@aws-sdk/client-redshift-data';
import { statementPrincipal } from '../platform/principal';
import { completeStatement } from './complete-statement';
import { errorName } from '../platform/errors';
import { logger } from '../platform/logger';
import { safetyMarginMs, type TimeBudget } from '../statements/run-to-completion';
import { foundStatusChange, isTerminalStatus } from '../input/status-event';
import type { TaskerContext } from '../platform/tasker-context';

/** Who claims a completion on the fast path (recorded as `claimedBy`). */
export const START_CLAIMER = 'start';

/** Whole seconds the start may wait: the setting, less when the invocation has less time left (0 = no wait). */
export function fastPathWaitSeconds(configuredSeconds: number, budget: TimeBudget | undefined): number {
  if (configuredSeconds <= 0 || !budget) return Math.max(0, configuredSeconds);
  const remaining = budget.getRemainingTimeInMillis();
  // The margin covers what follows the wait: registration, DescribeStatement, claim and callback.
  const usable = remaining - safetyMarginMs(remaining);
  return Math.max(0, Math.min(configuredSeconds, Math.floor(usable / 1000)));
}

export interface FastPathArgs {
  key: string;
  statementName: string;
  statementId: string;
  waitSeconds: number;
  logContext: Record<string, unknown>;
  /** The invoked function's ARN (the Lambda context's), for the event's `account` and `region`. */
  invokedFunctionArn?: string;
}

/**
 * Waits for a registered statement and completes it when it ended within the wait. The one DescribeStatement
 * gives what the event would have carried (rows, query id) and the error text of a FAILED statement.
 * Returns the description (undefined when the wait failed). Never throws: when the wait or the claim fails,
 * the call stays RUNNING and the event (or the sweep) completes it; when the claim was made but the callback
 * failed, the claim is a pending callback that the sweep retries (complete-statement.ts).
 */
export async function completeOnFastPath(ctx: TaskerContext, args: FastPathArgs): Promise<DescribeStatementResponse | undefined> {
  let description: DescribeStatementResponse | undefined;
  try {
    description = await ctx.dataApi.describe(args.statementId, { waitSeconds: args.waitSeconds });
    const state = description.Status;
    if (!isTerminalStatus(state)) return description;
    const change = foundStatusChange({
      statementName: args.statementName,
      statementId: args.statementId,
      description,
      state,
      foundBy: 'fastPath',
      invokedFunctionArn: args.invokedFunctionArn,
      now: new Date(),
    });
    // The event's `detail.principal` is the identity that ran the statement: this function's role (set by the deployment).
    const principal = statementPrincipal(process.env, args.invokedFunctionArn);
    if (principal) change.event.detail = { principal, ...(change.event.detail as Record<string, unknown>) };
    const result = await completeStatement(ctx, { key: args.key, change, claimer: START_CLAIMER, description });
    logger.info(
      result === 'callback-pending' ? 'fast-path callback failed; the sweep retries it' : 'statement completed on the fast path',
      { ...args.logContext, statementId: args.statementId, result },
    );
  } catch (error) {
    logger.warn('fast-path completion failed before or while claiming; the status event or the sweep completes the statement', {
      ...args.logContext,
      statementId: args.statementId,
      error: errorName(error),
    });
  }
  return description;
}
