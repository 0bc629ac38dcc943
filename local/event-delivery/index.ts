/**
 * The local delivery path of status-change events: EventBridge rule → SQS queue (with a dead-letter
 * queue) → the Lambda event source mapping → the handler.
 *
 * `publish(event)` applies the rule's event pattern (the construct's own `statementStatusEventPattern`,
 * evaluated with its `matchesStatementStatusEvent`), queues matching events as SQS messages, and hands
 * them to the handler in batches shaped like Lambda's SQS event. Records the handler reports in
 * `batchItemFailures` (or a whole batch, if it throws) come back after the visibility timeout; a message
 * received `maxReceiveCount` times without success moves to `deadLetters`.
 */
import { randomUUID } from 'node:crypto';
import { SETTINGS } from '../../functions/shared/settings';
import { createKitClock, type KitClock, type KitTimer } from '../clock';
import { matchesStatementStatusEvent, type StatementStatusEventPattern } from '../../modules/event-pattern';
import { sqsRecord } from './sqs-record';
import type { SqsBatchResponse, SqsEvent, SqsRecord } from './sqs-types';

export { sqsRecord, type SqsRecordFields } from './sqs-record';
export type { SqsBatchResponse, SqsEvent, SqsRecord, SqsRecordAttributes } from './sqs-types';

export interface EventDeliveryOptions {
  /** The rule's event pattern, e.g. `statementStatusEventPattern(prefix)` from `modules/event-pattern`. */
  pattern: StatementStatusEventPattern;
  /**
   * The function the event source mapping invokes. A thrown error fails the whole batch; what it returns is read
   * as Lambda reads it (a partial batch response, or nothing), malformed answers included (`failedIds`).
   */
  handler: (event: SqsEvent) => unknown;
  /** Most records per batch (the event source mapping's `batch_size`). @default 10 */
  batchSize?: number;
  /** Milliseconds (kit time, clock.ts) to wait for more messages before invoking with a partial batch. @default 5 */
  batchWindowMs?: number;
  /** Batches handled at the same time (Lambda concurrency of the mapping). @default 2 */
  concurrency?: number;
  /**
   * Milliseconds (kit time) a failed message stays invisible before it is delivered again (the queue's visibility timeout, made small).
   * @default 100
   */
  visibilityTimeoutMs?: number;
  /** Receives before a message moves to the dead-letter list (the redrive policy). @default SETTINGS.maxReceiveCount (15) */
  maxReceiveCount?: number;
  /** ARN in each record's `eventSourceARN`. @default 'arn:aws:sqs:us-east-1:123456789012:local-status-events' */
  queueArn?: string;
  /** The clock the batch window and visibility timeout are measured on (kit time, clock.ts). @default wall time */
  clock?: KitClock;
}

/** A message in the dead-letter list: the last record delivered and why it is there. */
export interface DeadLetter {
  record: SqsRecord;
  receiveCount: number;
}

/** One handler invocation, for tests and the demo. */
export interface DeliveredBatch {
  messageIds: string[];
  failedMessageIds: string[];
  durationMs: number;
  /** Set when the handler threw (every record then counts as failed). */
  error?: string;
}

export interface LocalEventDelivery {
  /** Applies the pattern; queues the event if it matches. Returns whether it matched. */
  publish(event: unknown): boolean;
  /** Events that did not match the pattern (EventBridge would not route them to the queue). */
  readonly unmatched: readonly unknown[];
  /** Messages moved to the dead-letter queue, in order. */
  readonly deadLetters: readonly DeadLetter[];
  /** Every handler invocation so far. */
  readonly batches: readonly DeliveredBatch[];
  /** Messages not yet deleted or dead-lettered (queued, in flight or waiting to be visible again). */
  pending(): number;
  /** Resolves once no message is pending; rejects after `timeoutMs`. @default timeoutMs 30000 */
  idle(timeoutMs?: number): Promise<void>;
  /** Stops delivering; pending messages are dropped. Waits for batches in flight. */
  stop(): Promise<void>;
}

interface Message {
  messageId: string;
  body: string;
  sentAt: number;
  firstReceivedAt?: number;
  receiveCount: number;
  visibleAt: number;
  inFlight: boolean;
}

export function startEventDelivery(options: EventDeliveryOptions): LocalEventDelivery {
  const batchSize = positiveInteger(options.batchSize ?? 10, 'batchSize');
  const concurrency = positiveInteger(options.concurrency ?? 2, 'concurrency');
  const maxReceiveCount = positiveInteger(options.maxReceiveCount ?? SETTINGS.maxReceiveCount.default, 'maxReceiveCount');
  const visibilityTimeoutMs = nonNegative(options.visibilityTimeoutMs ?? 100, 'visibilityTimeoutMs');
  const batchWindowMs = nonNegative(options.batchWindowMs ?? 5, 'batchWindowMs');
  const queueArn = options.queueArn ?? 'arn:aws:sqs:us-east-1:123456789012:local-status-events';
  const clock = options.clock ?? createKitClock();

  const queue: Message[] = [];
  const unmatched: unknown[] = [];
  const deadLetters: DeadLetter[] = [];
  const batches: DeliveredBatch[] = [];
  const inFlightBatches = new Set<Promise<void>>();
  let idleWaiters: (() => void)[] = [];
  let timer: KitTimer | undefined;
  let stopped = false;

  const toRecord = (m: Message): SqsRecord =>
    sqsRecord({
      body: m.body,
      queueArn,
      messageId: m.messageId,
      receiveCount: m.receiveCount,
      sentAt: m.sentAt,
      firstReceivedAt: m.firstReceivedAt,
    });

  const remove = (m: Message): void => {
    const i = queue.indexOf(m);
    if (i >= 0) queue.splice(i, 1);
  };

  const notifyIfIdle = (): void => {
    if (queue.length === 0 && inFlightBatches.size === 0) {
      const waiters = idleWaiters;
      idleWaiters = [];
      for (const resolve of waiters) resolve();
    }
  };

  /** Schedules the next poll: now if messages are visible, else when the next one becomes visible. */
  const schedule = (delayMs = batchWindowMs): void => {
    if (stopped || timer) return;
    timer = clock.setTimeout(() => {
      timer = undefined;
      poll();
    }, delayMs);
  };

  const poll = (): void => {
    const now = clock.now();
    while (inFlightBatches.size < concurrency) {
      const visible = queue.filter((m) => !m.inFlight && m.visibleAt <= now);
      if (visible.length === 0) break;
      const taken: Message[] = [];
      for (const m of visible) {
        if (taken.length === batchSize) break;
        // SQS redrive: a message already received maxReceiveCount times moves to the DLQ instead of being received again.
        if (m.receiveCount >= maxReceiveCount) {
          remove(m);
          deadLetters.push({ record: toRecord(m), receiveCount: m.receiveCount });
          continue;
        }
        m.receiveCount++;
        m.firstReceivedAt ??= now;
        m.inFlight = true;
        taken.push(m);
      }
      if (taken.length === 0) continue;
      const run = deliver(taken).finally(() => {
        inFlightBatches.delete(run);
        schedule(0);
        notifyIfIdle();
      });
      inFlightBatches.add(run);
    }
    const waiting = queue.filter((m) => !m.inFlight);
    if (waiting.length > 0 && inFlightBatches.size < concurrency) {
      schedule(Math.max(0, Math.min(...waiting.map((m) => m.visibleAt)) - clock.now()));
    }
    notifyIfIdle();
  };

  const deliver = async (messages: Message[]): Promise<void> => {
    const started = Date.now();
    const ids = messages.map((m) => m.messageId);
    let failed: Set<string>;
    let error: string | undefined;
    try {
      const response = await options.handler({ Records: messages.map(toRecord) });
      failed = failedIds(response, ids);
    } catch (err) {
      error = `${(err as Error).name}: ${(err as Error).message}`;
      failed = new Set(ids);
    }
    batches.push({ messageIds: ids, failedMessageIds: ids.filter((id) => failed.has(id)), durationMs: Date.now() - started, error });
    // One instant for the whole batch: read per message, the clock can tick between two records, and the batch would
    // then come back split in two (the records of one receive become visible together, as in SQS).
    const visibleAgainAt = clock.now() + visibilityTimeoutMs;
    for (const m of messages) {
      m.inFlight = false;
      if (failed.has(m.messageId)) m.visibleAt = visibleAgainAt;
      else remove(m);
    }
  };

  return {
    publish(event) {
      if (stopped) throw new Error('event delivery is stopped');
      if (!matchesStatementStatusEvent(options.pattern, event)) {
        unmatched.push(event);
        return false;
      }
      queue.push({
        messageId: randomUUID(),
        body: JSON.stringify(event),
        sentAt: clock.now(),
        receiveCount: 0,
        visibleAt: clock.now(),
        inFlight: false,
      });
      schedule();
      return true;
    },
    unmatched,
    deadLetters,
    batches,
    pending: () => queue.length,
    idle(timeoutMs = 30_000) {
      if (queue.length === 0 && inFlightBatches.size === 0) return Promise.resolve();
      return new Promise<void>((resolve, reject) => {
        const timeout = setTimeout(() => {
          idleWaiters = idleWaiters.filter((w) => w !== done);
          reject(new Error(`event delivery not idle after ${timeoutMs} ms: ${queue.length} message(s) pending`));
        }, timeoutMs);
        const done = (): void => {
          clearTimeout(timeout);
          resolve();
        };
        idleWaiters.push(done);
      });
    },
    async stop() {
      stopped = true;
      timer?.clear();
      timer = undefined;
      await Promise.allSettled([...inFlightBatches]);
      queue.length = 0;
      notifyIfIdle();
    },
  };
}

/**
 * The ids to retry, as Lambda reads a partial batch response: none when the response is empty;
 * every record when the response is malformed or names a record that is not in the batch.
 */
function failedIds(response: unknown, ids: string[]): Set<string> {
  if (response === undefined || response === null) return new Set();
  const failures = (response as Partial<SqsBatchResponse>).batchItemFailures;
  if (failures === undefined || failures === null) return new Set();
  if (!Array.isArray(failures)) return new Set(ids);
  const failed = new Set<string>();
  for (const failure of failures) {
    const id = (failure as { itemIdentifier?: unknown })?.itemIdentifier;
    if (typeof id !== 'string' || !ids.includes(id)) return new Set(ids);
    failed.add(id);
  }
  return failed;
}

function positiveInteger(value: number, name: string): number {
  if (!Number.isInteger(value) || value < 1) throw new Error(`startEventDelivery: ${name} must be a positive integer, got ${value}`);
  return value;
}

function nonNegative(value: number, name: string): number {
  if (!Number.isFinite(value) || value < 0) throw new Error(`startEventDelivery: ${name} must be a non-negative number, got ${value}`);
  return value;
}
