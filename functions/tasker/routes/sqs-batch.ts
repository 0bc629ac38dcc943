/**
 * The SQS consumer: a batch of Redshift Data status-change events (EventBridge → SQS).
 *
 * Each record is handled on its own; only records that failed are reported in `batchItemFailures`, so
 * SQS retries just those and, after maxReceiveCount, moves them to the dead-letter queue: events that cannot
 * be parsed, or whose completion could not even be claimed or recorded (the tracking table failing). A
 * claimed completion whose callback failed is not one of them: it is recorded as a pending callback that the
 * sweep retries (complete-statement.ts), and its record is acknowledged. Every record that is acknowledged
 * without a callback is logged with the reason — nothing is dropped silently.
 */
import type { SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { completeStatement } from '../completion/complete-statement';
import { errorMessage, errorName } from '../platform/errors';
import { keyFromStatementName } from '../platform/statement-name';
import { logger } from '../platform/logger';
import { parseStatusEvent } from '../input/status-event';
import type { TaskerContext } from '../platform/tasker-context';

/**
 * How many receives a record for one of our statement names may take while its tracking item is missing.
 * The item is written right after the statement starts, so a missing item on the first receives is the
 * (unlikely) race of an event overtaking the registration: retry. After that, the item is really gone
 * (expired, or the start crashed before registering): acknowledge with a warning.
 */
export const UNKNOWN_ITEM_MAX_RECEIVES = 3;

export async function handleSqsBatch(ctx: TaskerContext, event: SQSEvent): Promise<SQSBatchResponse> {
  const batchItemFailures: SQSBatchResponse['batchItemFailures'] = [];
  // Records are independent; handle them concurrently (a batch is at most a few records).
  await Promise.all(
    event.Records.map(async (record) => {
      try {
        if ((await handleRecord(ctx, record)) === 'retry') batchItemFailures.push({ itemIdentifier: record.messageId });
      } catch (error) {
        logger.error('status event record failed; reported for retry', {
          messageId: record.messageId,
          error: errorName(error),
          message: errorMessage(error),
        });
        batchItemFailures.push({ itemIdentifier: record.messageId });
      }
    }),
  );
  return { batchItemFailures };
}

async function handleRecord(ctx: TaskerContext, record: SQSRecord): Promise<'ack' | 'retry'> {
  const change = parseStatusEvent(record.body);
  const key = keyFromStatementName(ctx.config.statementNamePrefix, change.statementName);
  const logContext = { messageId: record.messageId, statementId: change.statementId, state: change.state };
  if (key === undefined) {
    logger.debug('event for a statement this tasker did not start; acknowledged', {
      ...logContext,
      statementName: change.statementName.slice(0, 200),
    });
    return 'ack';
  }
  const result = await completeStatement(ctx, { key, change, claimer: `sqs#${record.messageId}` });
  if (result === 'unknown') {
    const receives = Number(record.attributes?.ApproximateReceiveCount);
    if (Number.isFinite(receives) && receives < UNKNOWN_ITEM_MAX_RECEIVES) {
      logger.info('no tracking item for our statement yet; will retry', { ...logContext, key, receives });
      return 'retry';
    }
    logger.warn('no tracking item for our statement; acknowledged without callback', { ...logContext, key, receives });
  }
  return 'ack';
}
