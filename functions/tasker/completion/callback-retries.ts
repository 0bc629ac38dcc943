/**
 * The sweep's pass over the pending-callback index: every completion that was claimed (by the start's fast
 * path, an event or the sweep) and whose callback Step Functions has not answered yet.
 *
 * - A due entry (`nextAttemptAt <= now`: backoff elapsed after a failed attempt, or a claimer's lease ran out)
 *   is re-claimed and its callback sent again through the same exactly-once path (completeStatement),
 *   rebuilt from the item's recorded state and one DescribeStatement, until Step Functions answers:
 *   accepted, or refused because the task is closed.
 * - A due entry older than CALLBACK_MAX_AGE_SECONDS (from its start) is given up: recorded as
 *   `MAX_AGE_REACHED`, logged as an error and counted (`CallbacksAbandoned`).
 * - The rest wait for their time, unless a retry of this pass was answered (accepted, or refused as closed):
 *   the callback target answers again, so the failed callbacks still backing off are made due at once
 *   (`expedited`) and retried in the same pass, instead of up to 15 minutes later. When nothing was due, one
 *   failed callback whose last attempt is 30 s old is tried early as a probe, so a recovery is noticed within
 *   one sweep even when every callback waits out a long backoff. A claim's lease is never cut short (only
 *   `SEND_FAILED` entries are expedited).
 * - The pass reports how many remain and the age of the oldest (`CallbacksPending`, `OldestPendingCallbackAge`)
 *   so a callback stuck behind an outage is visible.
 *
 * One Query per page of the index (entries are small: keys, statement id, completedAt), earliest
 * `nextAttemptAt` first, so due entries come first; bounded by the invocation's time left like the
 * running-index pass.
 */
import type { DescribeStatementResponse } from '@aws-sdk/client-redshift-data';
import { METRICS } from '../../shared/contract';
import { CALLBACK_SEND_FAILED, type PendingCallbackEntry } from '../table/callback-records';
import { completeStatement, SWEEP_CLAIMER, type CompletionResult } from './complete-statement';
import { forEachConcurrently } from '../platform/concurrency';
import { errorMessage, errorName } from '../platform/errors';
import { logger, shortToken } from '../platform/logger';
import { countMetric, gaugeMetric } from '../platform/metrics';
import type { TimeBudget } from '../statements/run-to-completion';
import { statementNameFor } from '../platform/statement-name';
import { foundStatusChange, isTerminalStatus } from '../input/status-event';
import type { TaskerContext } from '../platform/tasker-context';
import type { TrackedCall } from '../table/tracking-table';

/** Index entries read per Query. */
export const RETRY_PAGE_SIZE = 100;
/** Callbacks retried at once (each: a read, DescribeStatement, the claim, the callback, the record). */
export const RETRY_CONCURRENCY = 8;
/** A failed callback may be tried early as a probe (nothing due in the pass) once its last attempt is this old. */
export const PROBE_AFTER_SECONDS = 30;
/** Entries a pass reads (one GetItem each) looking for one to probe with. */
export const PROBE_CANDIDATES = 5;

export interface CallbackRetrySummary {
  /** Due entries the sweep took up. */
  due: number;
  /** Of those, callbacks Step Functions (or CloudFormation) accepted now. */
  delivered: number;
  /** Of those, refused because the task is closed (the retries end). */
  refused: number;
  /** Of those, failed again: a later sweep retries them (backoff). */
  failedAgain: number;
  /** Of those, given up at the maximum age. */
  abandoned: number;
  /** Of those, the sweep could not handle (logged; they stay due for the next sweep). */
  errors: number;
  /** Failed callbacks made due ahead of their backoff: the probe, and all once a retry was answered (counted in `due` too). */
  expedited: number;
  /** Callbacks still pending after the pass (in flight, or waiting for their retry). */
  pending: number;
  /** Seconds since the statement ended of the oldest still pending (0 when none). */
  oldestPendingAgeSeconds: number;
  /** Whether the time budget ended the pass before the whole index was read. */
  capped: boolean;
}

type RetryOutcome = 'delivered' | 'refused' | 'failedAgain' | 'abandoned' | 'settled';

const OUTCOME_OF: Record<CompletionResult, RetryOutcome> = {
  completed: 'delivered',
  'callback-refused': 'refused',
  'callback-pending': 'failedAgain',
  duplicate: 'settled',
  unknown: 'settled',
};

/** Retries every due pending callback; `reserveMs`: time left under which no further page is read (the first always is). */
export async function retryPendingCallbacks(
  ctx: TaskerContext,
  run: { now: Date; invokedFunctionArn?: string },
  budget: TimeBudget | undefined,
  reserveMs: number,
): Promise<CallbackRetrySummary> {
  const pass = new RetryPass(ctx, run);
  const shortOfTime = (): boolean => budget !== undefined && budget.getRemainingTimeInMillis() < reserveMs;
  const nowIso = run.now.toISOString();
  let read = 0;
  // A retried entry moves further down the index (its new `nextAttemptAt`), so a later page may hold it again.
  const seen = new Set<string>();
  // Entries not due yet, in index order (earliest next attempt first): see RetryPass.retryBackingOff.
  const backingOff: PendingCallbackEntry[] = [];
  for await (const page of ctx.table.indexes.pendingCallbackPages(RETRY_PAGE_SIZE)) {
    if (read > 0 && shortOfTime()) {
      pass.summary.capped = page.length > 0;
      break;
    }
    read += page.length;
    const fresh = page.filter((entry) => !seen.has(entry.pk));
    for (const entry of fresh) seen.add(entry.pk);
    const due = fresh.filter((entry) => entry.nextAttemptAt <= nowIso);
    backingOff.push(...fresh.filter((entry) => entry.nextAttemptAt > nowIso));
    pass.summary.due += due.length;
    await forEachConcurrently(due, RETRY_CONCURRENCY, (entry) => pass.retry(entry));
  }
  if (!shortOfTime()) await pass.retryBackingOff(backingOff);
  else for (const entry of backingOff) pass.stillPending(entry);
  const { summary } = pass;
  countMetric(METRICS.NAMES.CALLBACKS_RETRIED, undefined, summary.delivered);
  gaugeMetric(METRICS.NAMES.CALLBACKS_PENDING, 'Count', summary.pending);
  gaugeMetric(METRICS.NAMES.OLDEST_PENDING_CALLBACK_AGE, 'Seconds', summary.oldestPendingAgeSeconds);
  return summary;
}

/** One sweep's pass over the pending callbacks: what it retried, expedited and left pending. */
class RetryPass {
  readonly summary: CallbackRetrySummary = {
    due: 0,
    delivered: 0,
    refused: 0,
    failedAgain: 0,
    abandoned: 0,
    errors: 0,
    expedited: 0,
    pending: 0,
    oldestPendingAgeSeconds: 0,
    capped: false,
  };

  constructor(
    private readonly ctx: TaskerContext,
    private readonly run: { now: Date; invokedFunctionArn?: string },
  ) {}

  /** Counts an entry that stays pending after this pass, and its age. */
  stillPending(entry: PendingCallbackEntry): void {
    this.summary.pending += 1;
    const completedAt = Date.parse(entry.completedAt ?? '');
    if (Number.isFinite(completedAt)) {
      const ageSeconds = Math.floor((this.run.now.getTime() - completedAt) / 1000);
      this.summary.oldestPendingAgeSeconds = Math.max(this.summary.oldestPendingAgeSeconds, ageSeconds);
    }
  }

  /** Retries one due entry and counts the outcome; an error is logged and the entry stays due for the next sweep. */
  async retry(entry: PendingCallbackEntry): Promise<void> {
    try {
      const outcome = await retryOne(this.ctx, entry, this.run);
      if (outcome === 'failedAgain') this.stillPending(entry);
      if (outcome !== 'settled') this.summary[outcome] += 1;
    } catch (error) {
      this.summary.errors += 1;
      this.stillPending(entry);
      logger.error('sweep could not retry a pending callback; the next sweep tries again', {
        key: entry.pk,
        error: errorName(error),
        message: errorMessage(error),
      });
    }
  }

  /**
   * The entries still backing off. When a retry of this pass was answered, the callback target answers again: all
   * of them are expedited. When nothing was due, no retry tells either way, so one failed callback whose last
   * attempt is PROBE_AFTER_SECONDS old is tried early as a probe, and its answer decides for the rest. When the due
   * retries were refused, the target still refuses: they keep their backoff.
   */
  async retryBackingOff(entries: readonly PendingCallbackEntry[]): Promise<void> {
    const rest = this.summary.due === 0 ? await this.probe(entries) : entries;
    if (this.summary.delivered + this.summary.refused === 0) {
      for (const entry of rest) this.stillPending(entry);
      return;
    }
    await forEachConcurrently(rest, RETRY_CONCURRENCY, (entry) => this.expediteAndRetry(entry));
  }

  /** Tries the first eligible entry among the first PROBE_CANDIDATES; returns the entries it did not try. */
  private async probe(entries: readonly PendingCallbackEntry[]): Promise<readonly PendingCallbackEntry[]> {
    const probeAfterMs = PROBE_AFTER_SECONDS * 1000;
    for (const [index, entry] of entries.slice(0, PROBE_CANDIDATES).entries()) {
      const item = await this.ctx.table.calls.get(entry.pk).catch(() => undefined);
      const failedAt = Date.parse(item?.callbackFailedAt ?? '');
      if (item?.callbackState !== CALLBACK_SEND_FAILED || !(this.run.now.getTime() - failedAt >= probeAfterMs)) continue;
      await this.expediteAndRetry(entry);
      return entries.filter((_, other) => other !== index);
    }
    return entries;
  }

  /**
   * Makes a failed callback due now and retries it. Only a SEND_FAILED entry moves; a claim in flight keeps its
   * lease and stays pending. A failed write leaves the entry to its backoff: a later sweep retries it.
   */
  private async expediteAndRetry(entry: PendingCallbackEntry): Promise<void> {
    const expedited = await this.ctx.table.callbacks.expedite({ pk: entry.pk, now: this.run.now }).catch(() => false);
    if (!expedited) return this.stillPending(entry);
    this.summary.expedited += 1;
    this.summary.due += 1;
    await this.retry(entry);
  }
}

async function retryOne(
  ctx: TaskerContext,
  entry: PendingCallbackEntry,
  run: { now: Date; invokedFunctionArn?: string },
): Promise<RetryOutcome> {
  const item = await ctx.table.calls.get(entry.pk);
  // Answered (or re-claimed) since the index was read: the entry was stale.
  if (!item?.pendingCallback || (item.nextAttemptAt ?? '') > run.now.toISOString() || !isTerminalStatus(item.status)) return 'settled';
  if (Date.parse(item.startedAt) + ctx.config.callbackMaxAgeSeconds * 1000 <= run.now.getTime()) return abandon(ctx, item, run.now);

  const description = await describeEnded(ctx, item);
  const change = foundStatusChange({
    statementName: statementNameFor(ctx.config.statementNamePrefix, item.pk),
    statementId: item.statementId as string,
    description,
    // The state recorded at the first claim is the statement's end; a retry never decides it again.
    state: item.status,
    foundBy: 'sweep',
    invokedFunctionArn: run.invokedFunctionArn,
    now: run.now,
  });
  const result = await completeStatement(ctx, { key: item.pk, change, claimer: SWEEP_CLAIMER, description, retry: true, now: run.now });
  logger.info('sweep retried a pending callback', {
    key: item.pk,
    statementId: item.statementId,
    previousError: item.callbackError,
    attempts: item.callbackAttempts,
    result,
  });
  return OUTCOME_OF[result];
}

/** DescribeStatement of an ended statement; after the Data API forgot it (24 h), what the item recorded. */
async function describeEnded(ctx: TaskerContext, item: TrackedCall): Promise<DescribeStatementResponse> {
  try {
    return await ctx.dataApi.describe(item.statementId as string);
  } catch (error) {
    if (errorName(error) !== 'ResourceNotFoundException') throw error;
    const forgotten = `the Data API no longer knows the statement (${errorMessage(error)})`;
    return {
      Id: item.statementId,
      Status: item.status,
      ...(item.status === 'FAILED' ? { Error: `the statement FAILED; its error text is unavailable: ${forgotten}` } : {}),
    } as DescribeStatementResponse;
  }
}

async function abandon(ctx: TaskerContext, item: TrackedCall, now: Date): Promise<RetryOutcome> {
  if (!(await ctx.table.callbacks.abandon({ pk: item.pk, now, ttlSeconds: ctx.config.itemTtlSeconds }))) return 'settled';
  logger.error('pending callback given up at the maximum age: the task was never answered', {
    key: item.pk,
    statementId: item.statementId,
    state: item.status,
    executionArn: item.executionArn,
    taskToken: shortToken(item.taskToken),
    startedAt: item.startedAt,
    attempts: item.callbackAttempts,
    lastError: item.callbackError,
    maxAgeSeconds: ctx.config.callbackMaxAgeSeconds,
  });
  countMetric(METRICS.NAMES.CALLBACKS_ABANDONED);
  return 'abandoned';
}
