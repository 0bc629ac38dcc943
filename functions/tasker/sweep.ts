/**
 * The scheduled sweep: completes statements whose status-change event was lost (EventBridge delivers
 * these events best effort). It reads only the sparse running index, asks DescribeStatement about the
 * calls running past the grace period, and completes finished ones through the same exactly-once path
 * as events, so an event arriving afterwards finds the call claimed and does nothing.
 */
import { DescribeStatementCommand, type DescribeStatementResponse } from '@aws-sdk/client-redshift-data';
import { STATUS_EVENT } from '../shared/contract';
import { clients } from './clients';
import { completeStatement, SWEEP_CLAIMER } from './complete-statement';
import { getConfig } from './config';
import { errorMessage, errorName } from './errors';
import { statementNameFor } from './idempotency';
import { logger } from './logger';
import type { StatusChange } from './status-event';
import { TrackingTable, type IndexedCall, type TerminalState } from './tracking-table';

/** Calls examined per sweep at most; the rest wait for the next run (logged). */
export const SWEEP_MAX_ITEMS = 200;

export interface SweepSummary {
  examined: number;
  completed: number;
  stillRunning: number;
  failed: number;
}

export async function sweep(now: Date = new Date()): Promise<SweepSummary> {
  const config = getConfig();
  const table = new TrackingTable(config.tableName);
  const cutoff = new Date(now.getTime() - config.sweepGraceSeconds * 1000);
  const items = await table.runningStartedBefore(cutoff, SWEEP_MAX_ITEMS);
  const summary: SweepSummary = { examined: items.length, completed: 0, stillRunning: 0, failed: 0 };
  for (const item of items) {
    try {
      const outcome = await sweepOne(item, now);
      if (outcome === 'running') summary.stillRunning += 1;
      else summary.completed += 1;
    } catch (error) {
      summary.failed += 1;
      logger.error('sweep could not complete a call', { key: item.pk, error: errorName(error), message: errorMessage(error) });
    }
  }
  logger.info('sweep done', { ...summary, cutoff: cutoff.toISOString(), capped: items.length === SWEEP_MAX_ITEMS });
  return summary;
}

/** `item` is what the running index holds (key, startedAt, statementId): all a sweep needs. */
async function sweepOne(item: IndexedCall, now: Date): Promise<'running' | 'completed'> {
  let description: DescribeStatementResponse;
  try {
    description = await clients().redshiftData.send(new DescribeStatementCommand({ Id: item.statementId }));
  } catch (error) {
    if (errorName(error) !== 'ResourceNotFoundException') throw error;
    // The Data API forgets statements after 24 h: the call can only be reported as failed.
    description = { Id: item.statementId, Status: 'FAILED', Error: `the Data API no longer knows the statement (${errorMessage(error)})` } as DescribeStatementResponse;
  }
  const state = description.Status as string;
  if (!(STATUS_EVENT.STATES as readonly string[]).includes(state)) return 'running';
  const change = syntheticStatusChange(item, description, state as TerminalState, now);
  const result = await completeStatement({ key: item.pk, change, claimer: SWEEP_CLAIMER, description, now });
  logger.info('sweep completed a call whose event did not arrive', { key: item.pk, statementId: item.statementId, state, result });
  return 'completed';
}

/** A status-change event built from DescribeStatement, shaped like the real one, so callbacks look the same. */
function syntheticStatusChange(item: IndexedCall, description: DescribeStatementResponse, state: TerminalState, now: Date): StatusChange {
  // The statement name is not stored: it is the prefix + key, as the start named it.
  const statementName = statementNameFor(getConfig().statementNamePrefix, item.pk);
  const time = (description.UpdatedAt ?? now).toISOString().replace(/\.\d{3}Z$/, 'Z');
  const rows = description.ResultRows !== undefined && description.ResultRows >= 0 ? description.ResultRows : undefined;
  const event = {
    version: '0',
    source: STATUS_EVENT.SOURCE,
    'detail-type': STATUS_EVENT.DETAIL_TYPE,
    time,
    detail: {
      statementName,
      statementId: item.statementId,
      redshiftQueryId: description.RedshiftQueryId,
      state,
      ...(rows !== undefined ? { rows } : {}),
    },
    // Marks a completion found by the sweep rather than delivered as an event.
    sweep: true,
  };
  return { event, statementName, statementId: item.statementId as string, state, rows, time };
}
