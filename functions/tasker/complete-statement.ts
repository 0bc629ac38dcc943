/**
 * Completing a tracked statement — the one exactly-once path shared by the SQS event consumer and the sweep.
 *
 * Exactly-once design ("claim, then call back"):
 *   1. A conditional update moves the item from RUNNING to its terminal state and records the claimer
 *      (`sqs#<messageId>` or `sweep`). Only one claimer can win, so duplicate events and a sweep racing an
 *      event produce one callback.
 *   2. The winner sends the callback (Step Functions or CloudFormation).
 * A crash between 1 and 2 cannot lose the callback: the winner's SQS message was not acknowledged, so it is
 * redelivered with the same message id, and the claim lets the same claimer in again while the callback is
 * unconfirmed (`callbackState = CLAIMED`); a sweep's claim keeps the item in the running index until the
 * callback is confirmed, so the next sweep re-drives it. If the first callback did get through before the
 * crash, Step Functions answers the repeat with TaskTimedOut, which is recorded and acknowledged — so the
 * task still sees exactly one result. On the SQS path the acknowledgement of the message is the
 * confirmation: no further write, keeping the happy path at 2 calls here (claim + callback).
 * A callback that fails for another reason (access denied, outage) is recorded as `SEND_FAILED`, which
 * any claimer may claim again: the same event redriven from the DLQ (a new message id) then sends it.
 */
import type { DescribeStatementResponse } from '@aws-sdk/client-redshift-data';
import { LIMITS, METRICS } from '../shared/contract';
import { CallbackMessage, CLOSED_TOKEN_ERRORS, putCloudFormationResponse, sendStepFunctionsCallback } from './callbacks';
import { completionResponse } from './cloudformation-response';
import { isRetryableDataApiError } from './data-api';
import { errorMessage, errorName } from './errors';
import { logger, shortToken } from './logger';
import { countMetric, millisecondsMetric } from './metrics';
import type { StatusChange } from './status-event';
import { truncateChars } from './truncate';
import type { TaskerContext } from './tasker-context';
import type { TrackedCall, TrackingTable } from './tracking-table';

export type CompletionResult =
  /** This call claimed the completion and delivered it (or there was nothing to deliver). */
  | 'completed'
  /** The callback target refused (expired/closed token); recorded on the item. */
  | 'callback-refused'
  /** Another claimer completed (or is completing) it: a duplicate, nothing sent. */
  | 'duplicate'
  /** No tracking item has this key. */
  | 'unknown';

export interface CompleteArgs {
  key: string;
  change: StatusChange;
  /** `sqs#<messageId>`, `sweep`, or `start` (the fast path, fast-path.ts). */
  claimer: string;
  /** The sweep or the fast path already described the statement; reused instead of a second DescribeStatement. */
  description?: DescribeStatementResponse;
  now?: Date;
}

export const SWEEP_CLAIMER = 'sweep';

export async function completeStatement(ctx: TaskerContext, args: CompleteArgs): Promise<CompletionResult> {
  const { config, table } = ctx;
  const now = args.now ?? new Date();
  const viaSweep = args.claimer === SWEEP_CLAIMER;
  const { change } = args;

  const item = await table.claimCompletion({
    pk: args.key,
    state: change.state,
    statementId: change.statementId,
    claimer: args.claimer,
    now,
    ttlSeconds: config.itemTtlSeconds,
    keepRunningPartition: viaSweep,
  });
  if (!item) {
    // Lost the claim: read the item only now (off the happy path) to tell "unknown" from "duplicate".
    const existing = await table.get(args.key);
    if (!existing) return 'unknown';
    logger.info('completion already claimed; duplicate not called back', {
      key: args.key,
      statementId: change.statementId,
      state: change.state,
      status: existing.status,
      claimedBy: existing.claimedBy,
      claimer: args.claimer,
    });
    return 'duplicate';
  }

  countMetric(METRICS.NAMES.STATEMENTS_COMPLETED, [METRICS.DIMENSIONS.OUTCOME, change.state]);
  const logContext = {
    key: args.key,
    statementId: change.statementId,
    state: change.state,
    claimer: args.claimer,
    executionArn: item.executionArn,
    taskToken: shortToken(item.taskToken),
  };
  let result: CompletionResult;
  try {
    result = await answerCaller(ctx, item, args, logContext);
  } catch (error) {
    // Whatever failed after the claim (reading the error text, the callback, the CloudFormation PUT), the
    // claim is marked so that any later delivery, even under another message id, answers the caller.
    await recordSendFailure(table, args, now, error, logContext);
    throw error;
  }

  if (item.singletonLock) await table.releaseSingletonLock(item.singletonLock, item.pk);
  if (viaSweep && result === 'completed') await table.confirmSweepCallback(args.key, 'SENT');
  return result;
}

/** Answers whoever waits for the statement: the Step Functions task, the CloudFormation stack, or nobody (polling). */
async function answerCaller(
  ctx: TaskerContext,
  item: TrackedCall,
  args: CompleteArgs,
  logContext: Record<string, unknown>,
): Promise<CompletionResult> {
  if (item.taskToken) {
    const message = await callbackMessage(ctx, item, args);
    try {
      await sendStepFunctionsCallback(ctx.stepFunctions, item.taskToken, message);
      logger.info('task callback sent', { ...logContext, callback: message.kind });
      // From the statement's end (the event's time, to the second) to the callback.
      const endedAt = Date.parse(args.change.time ?? '');
      if (Number.isFinite(endedAt)) millisecondsMetric(METRICS.NAMES.CALLBACK_LATENCY, Date.now() - endedAt);
      return 'completed';
    } catch (error) {
      if (!CLOSED_TOKEN_ERRORS.has(errorName(error))) throw error;
      // The task ended (timed out, execution stopped) or was already answered: record it and move on.
      logger.warn('task callback refused: token closed', { ...logContext, error: errorName(error) });
      countMetric(METRICS.NAMES.CALLBACKS_REFUSED, [METRICS.DIMENSIONS.OUTCOME, errorName(error)]);
      await ctx.table.recordCallbackRefused(args.key, errorName(error), errorMessage(error));
      return 'callback-refused';
    }
  }
  if (item.cloudFormation) {
    await answerCloudFormation(ctx, item, args);
    logger.info('CloudFormation response sent', logContext);
    return 'completed';
  }
  logger.info('statement completed (no callback: the caller polls)', logContext);
  return 'completed';
}

/**
 * Marks the claim SEND_FAILED (answering the caller failed) so a later delivery with another message id (a DLQ redrive after the cause
 * is fixed) or the next sweep re-claims it and sends the callback; without it that delivery would lose the
 * claim and be taken for a duplicate. Best effort: the caller rethrows the callback's error either way.
 */
async function recordSendFailure(
  table: TrackingTable,
  args: CompleteArgs,
  now: Date,
  error: unknown,
  logContext: Record<string, unknown>,
): Promise<void> {
  try {
    const recorded = await table.recordCallbackSendFailed(args.key, args.claimer, errorName(error), now);
    logger.warn('answering the caller failed; the event will be retried', { ...logContext, error: errorName(error), recorded });
  } catch (writeError) {
    logger.error('answering the caller failed and SEND_FAILED could not be recorded', {
      ...logContext,
      error: errorName(error),
      writeError: errorName(writeError),
    });
  }
}

/**
 * The Redshift error text of a failed statement (the event does not carry it). When DescribeStatement
 * refuses for good (AccessDenied: a statement another role started, as with a shared callback path;
 * ResourceNotFound: results expired), the task still gets its FAILED callback, with a cause saying why the
 * text is missing: waiting for a text that cannot come would leave the task hanging until its timeout.
 * A passing fault (throttling, 5xx) is thrown, so the record is retried.
 */
async function failureText({ dataApi }: TaskerContext, args: CompleteArgs): Promise<string> {
  let description: DescribeStatementResponse;
  try {
    description = args.description ?? (await dataApi.describe(args.change.statementId));
  } catch (error) {
    if (isRetryableDataApiError(error)) throw error;
    logger.warn('error text of a failed statement unavailable', {
      statementId: args.change.statementId,
      error: errorName(error),
    });
    return `the statement FAILED; its error text is unavailable (DescribeStatement: ${errorName(error)}: ${errorMessage(error)})`;
  }
  return description.Error ?? 'the Data API reported no error text';
}

/** The Step Functions callback for a terminal state, shaped as the original handler's (see README). */
async function callbackMessage(ctx: TaskerContext, item: TrackedCall, args: CompleteArgs): Promise<CallbackMessage> {
  const { change } = args;
  if (change.state === 'FINISHED') {
    const added: Record<string, unknown> = {};
    if (change.rows !== undefined) added.rowsAffected = change.rows;
    const description = args.description ?? (ctx.config.describeOnSuccess ? await ctx.dataApi.describe(change.statementId) : undefined);
    if (description) {
      added.hasResultSet = description.HasResultSet ?? false;
      if (description.ResultRows !== undefined) added.resultRows = description.ResultRows;
      if (description.Duration !== undefined) added.durationMs = Math.round(description.Duration / 1e6);
    }
    // The session the statement ran in, for the next state (`sessionIdPath`); the event does not carry it.
    if (item.sessionId !== undefined) added.sessionId = item.sessionId;
    if (added.durationMs === undefined && change.time) {
      // The event time has second precision; never report a negative duration for a fast statement.
      const elapsed = Date.parse(change.time) - Date.parse(item.startedAt);
      if (Number.isFinite(elapsed)) added.durationMs = Math.max(0, elapsed);
    }
    return { kind: 'success', output: successOutput({ ...change.event, ...added }) };
  }
  const errorText =
    change.state === 'FAILED' ? await failureText(ctx, args) : 'statement ABORTED: it was cancelled before it finished';
  const error = change.state === 'FAILED' ? 'FAILED' : ctx.config.abortedErrorName;
  return { kind: 'failure', error: truncateChars(error, LIMITS.SEND_TASK_FAILURE_ERROR_MAX), cause: failureCause(change.event, errorText) };
}

/** The success output, within the 256 KB limit (the event is small; this guards against odd events). */
function successOutput(output: Record<string, unknown>): string {
  const text = JSON.stringify(output);
  if (Buffer.byteLength(text) <= LIMITS.SEND_TASK_SUCCESS_OUTPUT_MAX_BYTES) return text;
  const detail = (output.detail ?? {}) as Record<string, unknown>;
  return JSON.stringify({
    source: output.source,
    'detail-type': output['detail-type'],
    detail: { statementId: detail.statementId, statementName: detail.statementName, state: detail.state, rows: detail.rows },
    outputTruncated: true,
  });
}

/** The failure cause: the event as JSON with `detail.error`, kept valid JSON within 32,768 characters. */
export function failureCause(event: Record<string, unknown>, errorText: string): string {
  const withError = (text: string): string =>
    JSON.stringify({ ...event, detail: { ...((event.detail as Record<string, unknown>) ?? {}), error: text } });
  const full = withError(errorText);
  const overflow = full.length - LIMITS.SEND_TASK_FAILURE_CAUSE_MAX;
  if (overflow <= 0) return full;
  // Shorten the error text (JSON escaping can add characters, hence the margin), then cut as a last resort.
  const shortened = withError(truncateChars(errorText, Math.max(0, errorText.length - overflow - 64)));
  return shortened.length <= LIMITS.SEND_TASK_FAILURE_CAUSE_MAX ? shortened : truncateChars(shortened, LIMITS.SEND_TASK_FAILURE_CAUSE_MAX);
}

async function answerCloudFormation(ctx: TaskerContext, item: TrackedCall, args: CompleteArgs): Promise<void> {
  const target = item.cloudFormation!;
  const errorText = args.change.state === 'FAILED' ? await failureText(ctx, args) : undefined;
  await putCloudFormationResponse(target.responseUrl, completionResponse(target, args.change, errorText));
}
