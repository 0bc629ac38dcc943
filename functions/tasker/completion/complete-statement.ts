/**
 * Completing a tracked statement — the one exactly-once path shared by the start's fast path, the SQS event
 * consumer and the sweep (both its lost-event repairs and its callback retries).
 *
 * "Claim, then call back, then record the answer" (callback-records.ts has the states):
 *   1. A conditional update moves the item from RUNNING to its terminal state and records the claimer
 *      (`start`, `sqs#<messageId>` or `sweep`). Only one claimer can win, so duplicate events, the fast path
 *      and a sweep racing each other produce one callback. The claim also puts the item in the
 *      pending-callback index: from here on the sweep can always find it.
 *   2. The winner sends the callback (Step Functions or CloudFormation).
 *   3. The answer is recorded: accepted (`SENT`) or refused because the task is closed (TaskTimedOut,
 *      TaskDoesNotExist, InvalidToken) ends the callback and takes the item out of the pending index. Any
 *      other failure (an outage, access denied, a throttled DescribeStatement) is recorded as `SEND_FAILED`
 *      with the next attempt's time (backoff), and the completion returns `callback-pending`: the caller
 *      acknowledges its event, and the sweep retries the callback until Step Functions answers or the
 *      maximum age passes. No receive count and no dead-letter queue decides a callback's fate.
 * A crash between 1 and 3 cannot lose the callback: the claim's lease runs out and the sweep re-claims it
 * (an SQS redelivery of the same message re-claims it at once). If the first callback did get through,
 * Step Functions answers the repeat with TaskTimedOut, which is recorded — the task sees one result.
 */
import type { DescribeStatementResponse } from '@aws-sdk/client-redshift-data';
import { LIMITS, METRICS } from '../../shared/contract';
import { type CallbackMessage, CLOSED_TOKEN_ERRORS, putCloudFormationResponse, sendStepFunctionsCallback } from './callbacks';
import { completionResponse } from './cloudformation-response';
import { isRetryableDataApiError } from '../platform/data-api';
import { errorMessage, errorName } from '../platform/errors';
import { logger, shortToken } from '../platform/logger';
import { countMetric, millisecondsMetric } from '../platform/metrics';
import type { StatusChange } from '../input/status-event';
import { truncateChars } from '../platform/truncate';
import type { TaskerContext } from '../platform/tasker-context';
import { CALLBACK_NOT_NEEDED, CALLBACK_SENT } from '../table/callback-records';
import type { CallbackState, CloudFormationTarget, TrackedCall } from '../table/tracking-table';

export type CompletionResult =
  /** This call claimed the completion and delivered it (or there was nothing to deliver). */
  | 'completed'
  /** The callback target refused (expired/closed token); recorded on the item. */
  | 'callback-refused'
  /** The callback failed for another reason; recorded as SEND_FAILED, the sweep retries it (backoff). */
  | 'callback-pending'
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
  /** The sweep retrying a callback whose earlier attempt failed (the completion was counted then). */
  retry?: boolean;
  now?: Date;
}

export const SWEEP_CLAIMER = 'sweep';

export async function completeStatement(ctx: TaskerContext, args: CompleteArgs): Promise<CompletionResult> {
  const { table } = ctx;
  const now = args.now ?? new Date();
  const { change } = args;

  const item = await table.callbacks.claim({
    pk: args.key,
    state: change.state,
    statementId: change.statementId,
    claimer: args.claimer,
    // The sweep re-claims only what is due (two sweeps may overlap); an event or the start re-enters its own claim.
    byName: args.claimer !== SWEEP_CLAIMER,
    now,
  });
  if (!item) {
    // Lost the claim: read the item only now (off the happy path) to tell "unknown" from "duplicate".
    const existing = await table.calls.get(args.key);
    if (!existing) return 'unknown';
    logger.info('completion already claimed; duplicate not called back', {
      key: args.key,
      statementId: change.statementId,
      state: change.state,
      status: existing.status,
      claimedBy: existing.claimedBy,
      callbackState: existing.callbackState,
      claimer: args.claimer,
    });
    return 'duplicate';
  }

  if (!args.retry) countMetric(METRICS.NAMES.STATEMENTS_COMPLETED, [METRICS.DIMENSIONS.OUTCOME, change.state]);
  const logContext = {
    key: args.key,
    statementId: change.statementId,
    state: change.state,
    claimer: args.claimer,
    executionArn: item.executionArn,
    taskToken: shortToken(item.taskToken),
    attempt: (item.callbackAttempts ?? 0) + 1,
  };
  let result: CompletionResult;
  try {
    result = await answerCaller(ctx, item, args, logContext);
  } catch (error) {
    // Whatever failed after the claim (reading the error text, the callback, the CloudFormation PUT), the
    // claim is recorded as a pending retry; only when even that write fails does the error reach the caller.
    result = await recordSendFailure(ctx, item, args, now, error, logContext);
  }
  if (item.singletonLock) await table.locks.release(item.singletonLock, item.pk);
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
    } catch (error) {
      if (!CLOSED_TOKEN_ERRORS.has(errorName(error))) throw error;
      // The task ended (timed out, execution stopped) or was already answered: record it and move on.
      logger.warn('task callback refused: token closed', { ...logContext, error: errorName(error) });
      countMetric(METRICS.NAMES.CALLBACKS_REFUSED, [METRICS.DIMENSIONS.OUTCOME, errorName(error)]);
      await recordAnswer(ctx, args, errorName(error), logContext, errorMessage(error));
      return 'callback-refused';
    }
    logger.info('task callback sent', { ...logContext, callback: message.kind });
    // From the statement's end (the event's time, to the second) to the callback.
    const endedAt = Date.parse(args.change.time ?? '');
    if (Number.isFinite(endedAt)) millisecondsMetric(METRICS.NAMES.CALLBACK_LATENCY, Date.now() - endedAt);
    await recordAnswer(ctx, args, CALLBACK_SENT, logContext);
    return 'completed';
  }
  if (item.cloudFormation) {
    await answerCloudFormation(ctx, item.cloudFormation, args);
    logger.info('CloudFormation response sent', logContext);
    await recordAnswer(ctx, args, CALLBACK_SENT, logContext);
    return 'completed';
  }
  logger.info('statement completed (no callback: the caller polls)', logContext);
  await recordAnswer(ctx, args, CALLBACK_NOT_NEEDED, logContext);
  return 'completed';
}

/**
 * Records the callback target's answer, ending the pending callback. Never throws: the answer is in, so a
 * failed write must not turn into a retry of the event; the sweep's later retry of the still-pending entry
 * is answered TaskTimedOut (the token is closed) and recorded then.
 */
async function recordAnswer(
  ctx: TaskerContext,
  args: CompleteArgs,
  state: CallbackState,
  logContext: Record<string, unknown>,
  message?: string,
): Promise<void> {
  try {
    const now = args.now ?? new Date();
    const recorded = await ctx.table.callbacks.recordAnswered({
      pk: args.key,
      claimer: args.claimer,
      state,
      now,
      ttlSeconds: ctx.config.itemTtlSeconds,
      message,
    });
    if (!recorded)
      logger.warn('callback answered but the claim had moved on; answer not recorded', { ...logContext, callbackState: state });
  } catch (error) {
    logger.warn('callback answered but recording it failed; the sweep settles it', {
      ...logContext,
      callbackState: state,
      error: errorName(error),
    });
  }
}

/**
 * Records a failed attempt as SEND_FAILED with the next attempt's time, so the sweep retries it (any claimer
 * may re-claim it once due). Returns `callback-pending`: the caller may acknowledge its event, the callback
 * is in the pending-callback index. When even this write fails, the callback's error is rethrown (an SQS
 * record is then retried; the claim's lease still brings the sweep to it).
 */
async function recordSendFailure(
  ctx: TaskerContext,
  item: TrackedCall,
  args: CompleteArgs,
  now: Date,
  error: unknown,
  logContext: Record<string, unknown>,
): Promise<CompletionResult> {
  const attempts = (item.callbackAttempts ?? 0) + 1;
  let recorded: boolean;
  try {
    recorded = await ctx.table.callbacks.recordSendFailed({
      pk: args.key,
      claimer: args.claimer,
      errorName: errorName(error),
      attempts,
      now,
    });
  } catch (writeError) {
    logger.error('answering the caller failed and SEND_FAILED could not be recorded', {
      ...logContext,
      error: errorName(error),
      writeError: errorName(writeError),
    });
    throw error;
  }
  logger.warn('answering the caller failed; the sweep retries the callback', {
    ...logContext,
    error: errorName(error),
    message: errorMessage(error),
    attempts,
    recorded,
  });
  return 'callback-pending';
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
    // Only with describeOnSuccess, whoever described the statement already: the output's keys never depend on
    // which path (fast, event, sweep) answered, so a state machine reading them works on every path.
    const description = ctx.config.describeOnSuccess ? (args.description ?? (await ctx.dataApi.describe(change.statementId))) : undefined;
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
  const errorText = change.state === 'FAILED' ? await failureText(ctx, args) : 'statement ABORTED: it was cancelled before it finished';
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

async function answerCloudFormation(ctx: TaskerContext, target: CloudFormationTarget, args: CompleteArgs): Promise<void> {
  const errorText = args.change.state === 'FAILED' ? await failureText(ctx, args) : undefined;
  await putCloudFormationResponse(target.responseUrl, completionResponse(target, args.change, errorText));
}
