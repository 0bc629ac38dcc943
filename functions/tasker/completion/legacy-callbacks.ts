/**
 * The sweep's one-off repair after an upgrade: a release without the pending-callback index recorded a
 * failed callback as `SEND_FAILED` and left it in no index, so nothing would ever retry it (issue 25's
 * stranded task, written before the fix). Before its first retry pass, the sweep reads the whole table once
 * (a filtered Scan, page by page within the invocation's time) and puts each such item in the
 * pending-callback index, due now; the retry pass that follows sends its callback like any other.
 *
 * The table remembers where the pass stands (legacy-callbacks marker item), and each container remembers a
 * finished table, so once done a sweep pays one GetItem per cold start and nothing when warm. The running
 * release never writes a legacy item (every claim indexes), so a finished pass stays finished.
 */
import type { TaskerContext } from '../platform/tasker-context';
import type { TimeBudget } from '../statements/run-to-completion';
import { errorMessage, errorName } from '../platform/errors';
import { logger } from '../platform/logger';

/** Items read per Scan page (the filter keeps few of them; a page is at most 1 MB either way). */
export const LEGACY_SCAN_PAGE_SIZE = 1_000;

/** Tables this container saw finished: a warm sweep skips even the marker read. */
const finishedTables = new Set<string>();

export interface LegacyIndexingSummary {
  /** Legacy failed callbacks put in the pending-callback index by this sweep. */
  indexed: number;
  /** Whether the pass over the table is finished (now or before). */
  done: boolean;
}

/**
 * Indexes the legacy failed callbacks, resuming the pass where the last sweep stopped; `reserveMs`: time left
 * under which no further page is read (the first always is). Never throws: a failure is logged and the next
 * sweep resumes from the last page recorded.
 */
export async function indexLegacyCallbacks(
  ctx: TaskerContext,
  now: Date,
  budget: TimeBudget | undefined,
  reserveMs: number,
  pageSize: number = LEGACY_SCAN_PAGE_SIZE,
): Promise<LegacyIndexingSummary> {
  const summary: LegacyIndexingSummary = { indexed: 0, done: false };
  if (finishedTables.has(ctx.config.tableName)) return { indexed: 0, done: true };
  const { legacy } = ctx.table;
  try {
    const state = await legacy.scanState();
    let startKey = state.resumeKey;
    let pages = 0;
    while (!state.done) {
      if (pages > 0 && budget !== undefined && budget.getRemainingTimeInMillis() < reserveMs) {
        await legacy.saveScanState({ done: false, resumeKey: startKey }, now);
        logger.info('upgrade: legacy callback pass paused; the next sweep resumes it', { indexed: summary.indexed });
        return summary;
      }
      const page = await legacy.page(startKey, pageSize);
      pages += 1;
      for (const key of page.keys) {
        if (await legacy.index(key, now)) summary.indexed += 1;
      }
      if (page.nextKey === undefined) {
        await legacy.saveScanState({ done: true }, now);
        break;
      }
      startKey = page.nextKey;
    }
    summary.done = true;
    finishedTables.add(ctx.config.tableName);
    if (summary.indexed > 0) {
      logger.warn('upgrade: failed callbacks from an earlier release put in the pending-callback index; this sweep retries them', {
        indexed: summary.indexed,
      });
    }
  } catch (error) {
    logger.error('upgrade: the legacy callback pass failed; the next sweep resumes it', {
      error: errorName(error),
      message: errorMessage(error),
      indexed: summary.indexed,
    });
  }
  return summary;
}
