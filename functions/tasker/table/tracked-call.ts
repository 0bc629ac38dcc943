/**
 * The tracking item's shape (contract TABLE): what one started call records, read by the table's
 * writers (tracking-table.ts, callback-records.ts) and the code that answers the caller.
 */
import type { TABLE, TABLE_DEFINITION, TerminalStatementState } from '../../shared/contract';

export type CallStatus = 'RUNNING' | TerminalStatementState | 'START_FAILED';
export type TerminalState = TerminalStatementState;

/**
 * Where the completion's callback is (callback-records.ts): `CLAIMED` = claimed, being sent; `SENT` =
 * accepted; `SEND_FAILED` = an attempt failed for a reason other than a closed token (outage, access
 * denied), retried by the sweep when due; `NOT_NEEDED` = the caller polls; `MAX_AGE_REACHED` = given up
 * unanswered at the maximum age; otherwise the closed-token error name the callback target answered with.
 */
export type CallbackState = 'CLAIMED' | 'SENT' | 'SEND_FAILED' | 'NOT_NEEDED' | 'MAX_AGE_REACHED' | string;

/** The CloudFormation request a call answers when it completes. */
export interface CloudFormationTarget {
  responseUrl: string;
  stackId: string;
  requestId: string;
  logicalResourceId: string;
  physicalResourceId: string;
  requestType: string;
}

/** The item's attribute names follow the contract; these literal names are checked against it below. */
export interface TrackedCall {
  pk: string;
  statementId?: string;
  status: CallStatus;
  /** ISO time the handler started the statement (range key of both indexes). */
  startedAt: string;
  executionArn?: string;
  /** The token as given; stored compactly (stored-task-token.ts). */
  taskToken?: string;
  cloudFormation?: CloudFormationTarget;
  /** Partition key of the singleton lock this call holds, released on completion. */
  singletonLock?: string;
  /** `RUNNING` while running; removed on completion so the sparse index holds running items only. */
  runningPartition?: string;
  /** While running: the SQL text and database as one hash (idempotency.ts `runningSqlKeyFor`), for the singleton check. */
  runningSql?: string;
  /** TTL (epoch seconds), set once the call's callback is answered (or it failed to start). */
  expiresAt?: number;
  completedAt?: string;
  /** Who claimed the completion last (who delivered it once `SENT`): `sqs#<messageId>`, `start` (fast path) or `sweep`. */
  claimedBy?: string;
  callbackState?: CallbackState;
  callbackError?: string;
  /** ISO time the last callback failed with `SEND_FAILED`. */
  callbackFailedAt?: string;
  /** Failed callback attempts so far (the retry backoff's exponent). */
  callbackAttempts?: number;
  /** `PENDING` from the claim until the callback is answered or given up (sparse `byPendingCallback` index). */
  pendingCallback?: string;
  /** ISO time the pending callback may next be (re)claimed: the claimer's lease end, then the retry time. */
  nextAttemptAt?: string;

  startError?: string;
  /** The Data API session the statement ran in (sessions.ts): passed on in the success output. */
  sessionId?: string;
  /**
   * Why the tasker cancelled the statement as an orphan (its task was closed): the closed-token error a
   * heartbeat got (`TaskTimedOut`, `TaskDoesNotExist`, `InvalidToken`) or `execution:<status>`. Set once,
   * by the one conditional write that decides who cancels.
   */
  orphanReason?: string;
  /** ISO time the orphan cancel was claimed. */
  orphanedAt?: string;
  /** The error CancelStatement answered when it could not cancel (the statement had already ended, ...). */
  orphanCancelError?: string;
}

// Compile-time guard: TrackedCall's literal attribute names must match the contract.
const _contractNames: [
  typeof TABLE.PARTITION_KEY,
  typeof TABLE.RUNNING_INDEX.hashKey,
  typeof TABLE.RUNNING_SQL_ATTRIBUTE,
  typeof TABLE.TTL_ATTRIBUTE,
  typeof TABLE.EXECUTION_INDEX.hashKey,
  typeof TABLE.EXECUTION_INDEX.rangeKey,
] = ['pk', 'runningPartition', 'runningSql', 'expiresAt', 'executionArn', 'startedAt'] satisfies [
  keyof TrackedCall,
  keyof TrackedCall,
  keyof TrackedCall,
  keyof TrackedCall,
  keyof TrackedCall,
  keyof TrackedCall,
];
void _contractNames;
const _indexedName: typeof TABLE_DEFINITION.STATEMENT_ID_ATTRIBUTE = 'statementId' satisfies keyof IndexedCall & keyof TrackedCall;
void _indexedName;
const _pendingNames: [typeof TABLE.PENDING_CALLBACK_INDEX.hashKey, typeof TABLE.PENDING_CALLBACK_INDEX.rangeKey] = [
  'pendingCallback',
  'nextAttemptAt',
] satisfies [keyof TrackedCall, keyof TrackedCall];
void _pendingNames;

/** What the indexes hold of a call (contract TABLE_DEFINITION: keys + statementId). */
export interface IndexedCall {
  pk: string;
  startedAt: string;
  statementId?: string;
}
