/**
 * A Step Functions "Execution Status Change" event (ABORTED, TIMED_OUT, FAILED) from the optional rule on
 * the tasker's state machines: the execution's statements still running have nobody waiting for them,
 * so they are cancelled at once (orphans.ts) instead of at the next sweep's heartbeat.
 */
import { EXECUTION_EVENT } from '../../shared/contract';
import { InvalidInput } from '../platform/errors';
import { logger } from '../platform/logger';
import { cancelOrphan } from '../completion/orphans';
import type { TaskerContext } from '../platform/tasker-context';

export interface ExecutionEndedSummary {
  executionArn: string;
  status: string;
  /** Calls of the execution that had a statement. */
  calls: number;
  /** Statements this event cancelled. */
  cancelled: number;
}

/** Whether `event` is an "Execution Status Change" event (any status). */
export function isExecutionStatusEvent(event: Record<string, unknown>): boolean {
  return event.source === EXECUTION_EVENT.SOURCE && event['detail-type'] === EXECUTION_EVENT.DETAIL_TYPE;
}

export async function handleExecutionEnded(
  ctx: TaskerContext,
  event: { detail?: Record<string, unknown> },
  now: Date = new Date(),
): Promise<ExecutionEndedSummary> {
  const executionArn = event.detail?.executionArn;
  const status = event.detail?.status;
  if (typeof executionArn !== 'string' || typeof status !== 'string') {
    throw new InvalidInput('an Execution Status Change event needs detail.executionArn and detail.status');
  }
  const summary: ExecutionEndedSummary = { executionArn, status, calls: 0, cancelled: 0 };
  const { config, table } = ctx;
  if (!(EXECUTION_EVENT.ENDED_STATUSES as readonly string[]).includes(status) || !config.cancelOrphanedStatements) {
    logger.debug('execution status change ignored', { executionArn, status, cancelOrphanedStatements: config.cancelOrphanedStatements });
    return summary;
  }
  for (const call of await table.indexes.callsOfExecution(executionArn)) {
    if (!call.statementId) continue;
    summary.calls += 1;
    // Finished calls lose the claim's condition (not RUNNING): nothing is cancelled twice or after the fact.
    if ((await cancelOrphan(ctx, { pk: call.pk, statementId: call.statementId }, `execution:${status}`, now)) === 'cancelled') {
      summary.cancelled += 1;
    }
  }
  logger.info('execution ended; its running statements cancelled', { ...summary });
  return summary;
}
