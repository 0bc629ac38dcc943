/**
 * The scheduled sweep. Once per table after an upgrade, it indexes the failed callbacks an earlier release
 * left in no index (legacy-callbacks.ts). Then it retries the callbacks that were claimed and not answered (the
 * pending-callback index, callback-retries.ts), then it goes over the calls the sparse running index holds:
 * - completes statements whose status-change event was lost (EventBridge delivers these events best
 *   effort): calls running past the grace period are asked about with DescribeStatement, and finished
 *   ones go through the same exactly-once path as events, so a late event finds them claimed;
 * - sends SendTaskHeartbeat for every task whose statement still runs (one eventually consistent
 *   GetItem reads the token; the index holds only keys and statement ids);
 * - cancels, once, a statement whose heartbeat says its task is closed (orphans.ts).
 */
import type { DescribeStatementResponse } from '@aws-sdk/client-redshift-data';
import { METRICS } from '../../shared/contract';
import { retryPendingCallbacks, type CallbackRetrySummary } from '../completion/callback-retries';
import { indexLegacyCallbacks } from '../completion/legacy-callbacks';
import { completeStatement, SWEEP_CLAIMER } from '../completion/complete-statement';
import { forEachConcurrently } from '../platform/concurrency';
import { errorMessage, errorName } from '../platform/errors';
import { sendHeartbeat } from '../completion/heartbeat';
import { statementNameFor } from '../platform/statement-name';
import { logger } from '../platform/logger';
import { countMetric } from '../platform/metrics';
import { cancelOrphan } from '../completion/orphans';
import { foundStatusChange, isTerminalStatus } from '../input/status-event';
import type { TimeBudget } from '../statements/run-to-completion';
import type { TaskerContext } from '../platform/tasker-context';
import type { IndexedCall } from '../table/tracking-table';

/** Running calls read from the index per Query; the sweep reads page after page while time is left. */
export const SWEEP_PAGE_SIZE = 100;
/**
 * Invocation time a sweep keeps in hand: it starts no further page with less left (the first page is always
 * swept). The calls left over wait for the next sweep, and the log says so (`capped`).
 */
export const SWEEP_RESERVE_MS = 10_000;
/**
 * Calls handled at once. Each takes two or three sequential AWS calls (read, describe, heartbeat) that
 * mostly wait on the network; overlapping a few shortens the billed duration without bursting the APIs.
 */
export const SWEEP_CONCURRENCY = 8;

export interface SweepSummary {
  /** Calls past the grace period, asked about with DescribeStatement. */
  examined: number;
  /** Of those, completed by the sweep (their event was lost). */
  completed: number;
  /** Of those, still running. */
  stillRunning: number;
  /** Calls the sweep could not handle (logged; the next sweep tries again). */
  failed: number;
  /** Heartbeats Step Functions accepted. */
  heartbeats: number;
  /** Heartbeats that failed for a reason other than a closed task (retried by the next sweep). */
  heartbeatsFailed: number;
  /** Statements cancelled because their task was closed. */
  orphansCancelled: number;
  /** The pass over the pending callbacks (claimed, not answered yet). */
  callbacks: CallbackRetrySummary;
  /** Failed callbacks of an earlier release this sweep put in the pending-callback index (retried in `callbacks`). */
  legacyCallbacksIndexed: number;
}

type SweepOutcome = 'completed' | 'running' | 'heartbeat' | 'heartbeat-failed' | 'orphan-cancelled';

/** What every call of one sweep is judged by. */
interface SweepRun {
  /** Calls started before this are past the grace period. */
  cutoff: string;
  now: Date;
  /** The invoked function's ARN, for the completions the sweep builds (`account`, `region`). */
  invokedFunctionArn?: string;
}

/**
 * Sweeps every running call, oldest first, page by page. `budget` (the Lambda context) bounds it by the
 * invocation's time left; without one (tests, the local kit) it sweeps them all.
 */
export async function sweep(ctx: TaskerContext, budget?: TimeBudget, now: Date = new Date()): Promise<SweepSummary> {
  const { config, table } = ctx;
  const cutoff = new Date(now.getTime() - config.sweepGraceSeconds * 1000).toISOString();
  const run: SweepRun = { cutoff, now, invokedFunctionArn: budget?.invokedFunctionArn };
  // Callbacks waiting for Step Functions first: they are what a waiting task needs most.
  const legacy = await indexLegacyCallbacks(ctx, now, budget, SWEEP_RESERVE_MS);
  const callbacks = await retryPendingCallbacks(ctx, run, budget, SWEEP_RESERVE_MS);
  const summary: SweepSummary = {
    examined: 0,
    completed: 0,
    stillRunning: 0,
    failed: 0,
    heartbeats: 0,
    heartbeatsFailed: 0,
    orphansCancelled: 0,
    callbacks,
    legacyCallbacksIndexed: legacy.indexed,
  };
  let swept = 0;
  let capped = false;
  for await (const page of table.indexes.runningPages(SWEEP_PAGE_SIZE)) {
    if (swept > 0 && budget !== undefined && budget.getRemainingTimeInMillis() < SWEEP_RESERVE_MS) {
      capped = page.length > 0;
      break;
    }
    await sweepPage(ctx, page, run, summary);
    swept += page.length;
  }
  countMetric(METRICS.NAMES.SWEEP_REPAIRS, undefined, summary.completed);
  countMetric(METRICS.NAMES.HEARTBEATS_SENT, undefined, summary.heartbeats);
  logger.info('sweep done', { ...summary, running: swept, cutoff, capped });
  if (callbacks.pending > 0) {
    logger.warn('callbacks wait for an answer from Step Functions', {
      pending: callbacks.pending,
      oldestPendingAgeSeconds: callbacks.oldestPendingAgeSeconds,
    });
  }
  return summary;
}

async function sweepPage(ctx: TaskerContext, items: readonly IndexedCall[], run: SweepRun, summary: SweepSummary): Promise<void> {
  await forEachConcurrently(items, SWEEP_CONCURRENCY, async (item) => {
    const pastGrace = item.startedAt < run.cutoff;
    if (pastGrace) summary.examined += 1;
    try {
      const outcomes = await sweepOne(ctx, item, pastGrace, run);
      if (outcomes.includes('completed')) summary.completed += 1;
      if (pastGrace && !outcomes.includes('completed')) summary.stillRunning += 1;
      if (outcomes.includes('heartbeat')) summary.heartbeats += 1;
      if (outcomes.includes('heartbeat-failed')) summary.heartbeatsFailed += 1;
      if (outcomes.includes('orphan-cancelled')) summary.orphansCancelled += 1;
    } catch (error) {
      summary.failed += 1;
      logger.error('sweep could not complete a call', { key: item.pk, error: errorName(error), message: errorMessage(error) });
    }
  });
}

/** `item` is what the running index holds (key, startedAt, statementId). */
async function sweepOne(ctx: TaskerContext, item: IndexedCall, pastGrace: boolean, run: SweepRun): Promise<SweepOutcome[]> {
  if (pastGrace && (await completeIfEnded(ctx, item, run))) return ['completed'];
  const outcomes: SweepOutcome[] = pastGrace ? ['running'] : [];
  if (ctx.config.sendHeartbeats) outcomes.push(...(await heartbeatFor(ctx, item, run.now)));
  return outcomes;
}

/** Asks the Data API about the statement; completes the call when it ended. Returns whether it did. */
async function completeIfEnded(ctx: TaskerContext, item: IndexedCall, run: SweepRun): Promise<boolean> {
  let description: DescribeStatementResponse;
  try {
    description = await ctx.dataApi.describe(item.statementId as string);
  } catch (error) {
    if (errorName(error) !== 'ResourceNotFoundException') throw error;
    // The Data API forgets statements after 24 h: the call can only be reported as failed.
    description = {
      Id: item.statementId,
      Status: 'FAILED',
      Error: `the Data API no longer knows the statement (${errorMessage(error)})`,
    } as DescribeStatementResponse;
  }
  const state = description.Status;
  if (!isTerminalStatus(state)) return false;
  const change = foundStatusChange({
    // The statement name is not stored: it is the prefix + key, as the start named it.
    statementName: statementNameFor(ctx.config.statementNamePrefix, item.pk),
    statementId: item.statementId as string,
    description,
    state,
    foundBy: 'sweep',
    invokedFunctionArn: run.invokedFunctionArn,
    now: run.now,
  });
  const result = await completeStatement(ctx, { key: item.pk, change, claimer: SWEEP_CLAIMER, description, now: run.now });
  logger.info('sweep completed a call whose event did not arrive', { key: item.pk, statementId: item.statementId, state, result });
  return true;
}

/**
 * The heartbeat of a running task; a closed task's statement is cancelled as an orphan. Calls without a
 * token (polling, CloudFormation), already claimed for completion or already cancelled get none.
 */
async function heartbeatFor(ctx: TaskerContext, item: IndexedCall, now: Date): Promise<SweepOutcome[]> {
  const call = await ctx.table.calls.get(item.pk, { consistent: false });
  if (!call?.taskToken || call.status !== 'RUNNING' || call.orphanReason !== undefined || !item.statementId) return [];
  const result = await sendHeartbeat(ctx.stepFunctions, call.taskToken);
  if (result.kind === 'alive') return ['heartbeat'];
  const logContext = { key: item.pk, statementId: item.statementId, executionArn: call.executionArn, error: result.error };
  if (result.kind === 'failed') {
    logger.warn('heartbeat failed; not taken as a closed task, the next sweep retries', { ...logContext, message: result.message });
    return ['heartbeat-failed'];
  }
  logger.warn('heartbeat refused: the task is closed', { ...logContext, cancel: ctx.config.cancelOrphanedStatements });
  if (!ctx.config.cancelOrphanedStatements) return [];
  const cancelled = await cancelOrphan(ctx, { pk: item.pk, statementId: item.statementId }, result.error, now);
  return cancelled === 'cancelled' ? ['orphan-cancelled'] : [];
}
