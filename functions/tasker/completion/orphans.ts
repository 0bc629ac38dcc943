/**
 * Cancelling an orphaned statement: one whose Step Functions task is closed (a heartbeat answered
 * TaskTimedOut/TaskDoesNotExist/InvalidToken, or its execution ended), so nobody waits for its result.
 *
 * Exactly once: a conditional write on the item (still RUNNING, no orphan reason yet) decides who
 * cancels and records why; only the winner calls CancelStatement. The statement then ends ABORTED, its
 * event completes the item as usual, and that callback is refused (the token is closed) and recorded.
 */
import { METRICS } from '../../shared/contract';
import { isRetryableDataApiError } from '../platform/data-api';
import { errorMessage, errorName } from '../platform/errors';
import { logger } from '../platform/logger';
import { countMetric } from '../platform/metrics';
import type { TaskerContext } from '../platform/tasker-context';

export type OrphanCancelResult = 'cancelled' | 'already-claimed' | 'cancel-failed';

export async function cancelOrphan(
  { table, dataApi }: Pick<TaskerContext, 'table' | 'dataApi'>,
  call: { pk: string; statementId: string },
  reason: string,
  now: Date,
): Promise<OrphanCancelResult> {
  if (!(await table.calls.claimOrphanCancel(call.pk, reason, now))) return 'already-claimed';
  const logContext = { key: call.pk, statementId: call.statementId, reason };
  try {
    await dataApi.cancel(call.statementId);
  } catch (error) {
    const retry = isRetryableDataApiError(error);
    logger.warn('orphaned statement could not be cancelled', { ...logContext, error: errorName(error), retry });
    await table.calls.settleFailedOrphanCancel(
      call.pk,
      retry ? { retry } : { retry, error: `${errorName(error)}: ${errorMessage(error)}` },
    );
    return 'cancel-failed';
  }
  logger.info('orphaned statement cancelled: its task is closed', logContext);
  countMetric(METRICS.NAMES.ORPHANS_CANCELLED, [METRICS.DIMENSIONS.OUTCOME, reason]);
  return 'cancelled';
}
