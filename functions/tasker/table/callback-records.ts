/**
 * The callback's life on the tracking item: claim, then answered, retry pending, or given up.
 *
 *   RUNNING ──claim──▶ CLAIMED ──accepted──────────────▶ SENT                  (answered: TTL set, index entry removed)
 *                        │  ├──token closed────────────▶ TaskTimedOut, ...    (answered)
 *                        │  └──no answer (outage, ...)─▶ SEND_FAILED ──due──▶ re-claimed (CLAIMED) ...
 *                        │                                 └──Step Functions answers another retry: due now (expedite)
 *                        └──claimer died─────────────── (lease ends: due) ──▶ re-claimed (CLAIMED) ...
 *   SEND_FAILED / CLAIMED past CALLBACK_MAX_AGE_SECONDS ─▶ MAX_AGE_REACHED      (given up: logged, counted)
 *
 * Every claim, by any claimer, sets `pendingCallback` (the sparse `byPendingCallback` index) with
 * `nextAttemptAt`: the end of the claimer's lease, then, after a failed attempt, the time of the next retry
 * (exponential backoff on `callbackAttempts`). Only an answer from the callback target (or the maximum age)
 * removes it, so the sweep finds every claimed-but-unanswered callback, whoever claimed it.
 *
 * Exactly once: a re-claim wins only when the entry is due (`nextAttemptAt <= now`), and it moves
 * `nextAttemptAt` a lease ahead in the same conditional write, so two retriers never send at once; the
 * answer is recorded only by the claimer that holds the claim. A repeat after an accepted callback whose
 * confirmation was lost is answered TaskTimedOut by Step Functions, which ends the retries.
 */
import { UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { TABLE } from '../../shared/contract';
import { conditionalWrite, epochSeconds, fromStored, isConditionalFailure } from './stored-item';
import type { CallbackState, TerminalState, TrackedCall } from './tracked-call';

/** The callback state that a failed attempt records (the sweep retries it when due). */
export const CALLBACK_SEND_FAILED = 'SEND_FAILED';
/** Confirmed: the callback target accepted the callback. */
export const CALLBACK_SENT = 'SENT';
/** The caller polls: nothing to call back. */
export const CALLBACK_NOT_NEEDED = 'NOT_NEEDED';
/** Given up at the maximum age without an answer. */
export const CALLBACK_MAX_AGE_REACHED = 'MAX_AGE_REACHED';

/**
 * How long a claimer holds its claim before the sweep may take it over (the claimer died between claim and
 * answer): Lambda's longest timeout, so no live claimer is ever overtaken.
 */
export const CLAIM_LEASE_SECONDS = 900;
/** First retry delay after a failed attempt, doubled per attempt up to the cap. */
export const RETRY_BASE_SECONDS = 30;
export const RETRY_MAX_SECONDS = 900;

/** Seconds to wait after the `attempts`-th failed attempt: 30, 60, 120, ... up to 900. */
export function retryDelaySeconds(attempts: number): number {
  return Math.min(RETRY_MAX_SECONDS, RETRY_BASE_SECONDS * 2 ** Math.max(0, Math.min(attempts - 1, 20)));
}

const at = (now: Date, seconds: number): string => new Date(now.getTime() + seconds * 1000).toISOString();

/** An entry of the pending-callback index (contract TABLE_DEFINITION). */
export interface PendingCallbackEntry {
  pk: string;
  nextAttemptAt: string;
  statementId?: string;
  /** When the statement's end was first claimed. */
  completedAt?: string;
}

const PENDING_NAMES = { '#pending': TABLE.PENDING_CALLBACK_INDEX.hashKey, '#next': TABLE.PENDING_CALLBACK_INDEX.rangeKey };

export class CallbackRecords {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  /**
   * Claims the completion of a call: the one conditional update that decides who sends the callback.
   *
   * Wins when the call is RUNNING (the first claim); when its pending callback is due (`nextAttemptAt <= now`:
   * a retry after a failed attempt, or a claimer's lease ran out); or, for an event or the start, when the
   * same claimer holds the claim (`CLAIMED`): its own SQS message redelivered after a crash. The sweep never
   * re-enters by name: two overlapping sweeps would both pass. Items claimed before pending callbacks
   * existed (`SEND_FAILED`, no index entry) may be claimed by anyone. Any other claimer loses: a duplicate.
   *
   * The claim removes the call from the running index (and its `runningSql`: the statement ended) and puts it
   * in the pending-callback index for a lease; it removes any TTL, so an unanswered item is never expired.
   * Returns the claimed item, or undefined when lost.
   */
  async claim(args: {
    pk: string;
    state: TerminalState;
    statementId: string;
    claimer: string;
    byName: boolean;
    now: Date;
  }): Promise<TrackedCall | undefined> {
    const conditions = [
      '#status = :running',
      '(attribute_exists(#pending) AND #next <= :now)',
      '(callbackState = :sendFailed AND attribute_not_exists(#pending))',
      ...(args.byName ? ['(claimedBy = :claimer AND callbackState = :claimed)'] : []),
    ];
    try {
      const result = await this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: { [TABLE.PARTITION_KEY]: args.pk },
          UpdateExpression:
            'SET #status = :state, statementId = if_not_exists(statementId, :sid), completedAt = if_not_exists(completedAt, :now), ' +
            'claimedBy = :claimer, callbackState = :claimed, #pending = :pendingValue, #next = :leaseEnd ' +
            'REMOVE #runningSql, #running, #ttl',
          ConditionExpression: conditions.join(' OR '),
          ExpressionAttributeNames: {
            '#status': 'status',
            '#ttl': TABLE.TTL_ATTRIBUTE,
            '#runningSql': TABLE.RUNNING_SQL_ATTRIBUTE,
            '#running': TABLE.RUNNING_INDEX.hashKey,
            ...PENDING_NAMES,
          },
          ExpressionAttributeValues: {
            ':state': args.state,
            ':sid': args.statementId,
            ':now': args.now.toISOString(),
            ':claimer': args.claimer,
            ':claimed': 'CLAIMED',
            ':sendFailed': CALLBACK_SEND_FAILED,
            ':running': 'RUNNING',
            ':pendingValue': TABLE.PENDING_CALLBACK_VALUE,
            ':leaseEnd': at(args.now, CLAIM_LEASE_SECONDS),
          },
          ReturnValues: 'ALL_NEW',
        }),
      );
      return fromStored(result.Attributes);
    } catch (error) {
      if (isConditionalFailure(error)) return undefined;
      throw error;
    }
  }

  /**
   * Records the callback target's answer (accepted: `SENT`; refused because the task is closed: the error
   * name; nothing to call back: `NOT_NEEDED`): the callback is over, the item leaves the pending index and
   * gets its TTL. Only while `claimer` holds the claim; returns false when it moved on (nothing written).
   */
  async recordAnswered(args: {
    pk: string;
    claimer: string;
    state: CallbackState;
    now: Date;
    ttlSeconds: number;
    message?: string;
  }): Promise<boolean> {
    return this.conditionalUpdate({
      Key: { [TABLE.PARTITION_KEY]: args.pk },
      UpdateExpression:
        `SET callbackState = :state, #ttl = :expires${args.message === undefined ? '' : ', callbackError = :message'} ` +
        `REMOVE #pending, #next`,
      ConditionExpression: 'claimedBy = :claimer AND callbackState = :claimed',
      ExpressionAttributeNames: { '#ttl': TABLE.TTL_ATTRIBUTE, ...PENDING_NAMES },
      ExpressionAttributeValues: {
        ':state': args.state,
        ':expires': epochSeconds(args.now) + args.ttlSeconds,
        ':claimer': args.claimer,
        ':claimed': 'CLAIMED',
        ...(args.message === undefined ? {} : { ':message': args.message.slice(0, 1_000) }),
      },
    });
  }

  /**
   * Records a failed attempt (an outage, access denied, a failure reading the error text): `SEND_FAILED`,
   * the attempt count, and the next attempt's time (backoff), so the sweep retries it when due. Only while
   * `claimer` holds the claim; returns false when it moved on (nothing written).
   */
  async recordSendFailed(args: { pk: string; claimer: string; errorName: string; attempts: number; now: Date }): Promise<boolean> {
    return this.conditionalUpdate({
      Key: { [TABLE.PARTITION_KEY]: args.pk },
      UpdateExpression:
        'SET callbackState = :failed, callbackError = :error, callbackFailedAt = :now, callbackAttempts = :attempts, #next = :nextAt',
      ConditionExpression: 'claimedBy = :claimer AND callbackState = :claimed',
      ExpressionAttributeNames: { '#next': PENDING_NAMES['#next'] },
      ExpressionAttributeValues: {
        ':failed': CALLBACK_SEND_FAILED,
        ':error': args.errorName.slice(0, 256),
        ':now': args.now.toISOString(),
        ':attempts': args.attempts,
        ':nextAt': at(args.now, retryDelaySeconds(args.attempts)),
        ':claimer': args.claimer,
        ':claimed': 'CLAIMED',
      },
    });
  }

  /**
   * Makes a failed callback due now, ahead of its backoff (Step Functions answers again: callback-retries.ts).
   * Only a `SEND_FAILED` entry, which no claimer holds; a claim's lease is never cut short. Returns false when
   * the entry is not one (answered, re-claimed, or due already): nothing written.
   */
  async expedite(args: { pk: string; now: Date }): Promise<boolean> {
    return this.conditionalUpdate({
      Key: { [TABLE.PARTITION_KEY]: args.pk },
      UpdateExpression: 'SET #next = :now',
      ConditionExpression: 'callbackState = :failed AND attribute_exists(#pending) AND #next > :now',
      ExpressionAttributeNames: PENDING_NAMES,
      ExpressionAttributeValues: { ':failed': CALLBACK_SEND_FAILED, ':now': args.now.toISOString() },
    });
  }

  /**
   * Gives a pending callback up (the maximum age passed): `MAX_AGE_REACHED`, out of the pending index, TTL
   * set. Only while it is due, so no claimer is sending it right now; returns false when it was not.
   */
  async abandon(args: { pk: string; now: Date; ttlSeconds: number }): Promise<boolean> {
    return this.conditionalUpdate({
      Key: { [TABLE.PARTITION_KEY]: args.pk },
      UpdateExpression: 'SET callbackState = :gaveUp, #ttl = :expires REMOVE #pending, #next',
      ConditionExpression: 'attribute_exists(#pending) AND #next <= :now',
      ExpressionAttributeNames: { '#ttl': TABLE.TTL_ATTRIBUTE, ...PENDING_NAMES },
      ExpressionAttributeValues: {
        ':gaveUp': CALLBACK_MAX_AGE_REACHED,
        ':now': args.now.toISOString(),
        ':expires': epochSeconds(args.now) + args.ttlSeconds,
      },
    });
  }

  private async conditionalUpdate(input: Omit<ConstructorParameters<typeof UpdateCommand>[0], 'TableName'>): Promise<boolean> {
    return conditionalWrite(() => this.db.send(new UpdateCommand({ ...input, TableName: this.tableName })));
  }
}
