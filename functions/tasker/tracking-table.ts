/**
 * The tracking table (contract TABLE): one item per started call, plus the singleton locks.
 *
 * Every write is a single conditional Put/Update (no transactions): cheaper, and the condition is
 * what makes registration and completion safe under retries, duplicates and concurrency.
 * The item holds only what a later step reads back (DynamoDB bills writes per started KB): the statement
 * name is the prefix + key, and the SQL hash, action and state name are in the start's log line.
 */
import { GetCommand, PutCommand, QueryCommand, UpdateCommand, DeleteCommand, type DynamoDBDocumentClient, type QueryCommandInput } from '@aws-sdk/lib-dynamodb';
import { TABLE, TABLE_DEFINITION } from '../shared/contract';
import { fromStoredTaskToken, toStoredTaskToken } from './stored-task-token';

export type CallStatus = 'RUNNING' | 'FINISHED' | 'FAILED' | 'ABORTED' | 'START_FAILED';
export type TerminalState = 'FINISHED' | 'FAILED' | 'ABORTED';

/**
 * Where the completion goes. `CLAIMED` = claimed for completion and the callback is being (or was) sent;
 * `SENT` = confirmed (sweep path); `SEND_FAILED` = the callback failed for a reason other than a closed
 * token (access denied, outage), so any later claimer may claim it again; otherwise the error name the
 * callback target answered with.
 */
export type CallbackState = 'CLAIMED' | 'SENT' | 'SEND_FAILED' | 'NOT_NEEDED' | string;

/** The callback state that lets any claimer re-claim a completion (see `claimCompletion`). */
export const CALLBACK_SEND_FAILED = 'SEND_FAILED';

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
  /** TTL (epoch seconds), set once the call is done. */
  expiresAt?: number;
  completedAt?: string;
  /** Who claimed the completion: `sqs#<messageId>` or `sweep`. */
  claimedBy?: string;
  callbackState?: CallbackState;
  callbackError?: string;
  /** ISO time the last callback failed with `SEND_FAILED`. */
  callbackFailedAt?: string;
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
const _contractNames: [typeof TABLE.PARTITION_KEY, typeof TABLE.RUNNING_INDEX.hashKey, typeof TABLE.RUNNING_SQL_ATTRIBUTE, typeof TABLE.TTL_ATTRIBUTE, typeof TABLE.EXECUTION_INDEX.hashKey, typeof TABLE.EXECUTION_INDEX.rangeKey] =
  ['pk', 'runningPartition', 'runningSql', 'expiresAt', 'executionArn', 'startedAt'] satisfies [keyof TrackedCall, keyof TrackedCall, keyof TrackedCall, keyof TrackedCall, keyof TrackedCall, keyof TrackedCall];
void _contractNames;
const _indexedName: typeof TABLE_DEFINITION.STATEMENT_ID_ATTRIBUTE = 'statementId' satisfies keyof IndexedCall & keyof TrackedCall;
void _indexedName;

/** What the indexes hold of a call (contract TABLE_DEFINITION: keys + statementId). */
export interface IndexedCall {
  pk: string;
  startedAt: string;
  statementId?: string;
}

/** The item as stored: the task token in its compact form. */
type StoredCall = Omit<TrackedCall, 'taskToken'> & { taskToken?: string | Uint8Array };

const toStored = (call: TrackedCall): StoredCall =>
  call.taskToken === undefined ? { ...call } : { ...call, taskToken: toStoredTaskToken(call.taskToken) };

const fromStored = (item: Record<string, unknown> | undefined): TrackedCall | undefined => {
  if (!item) return undefined;
  const stored = item as StoredCall;
  return stored.taskToken === undefined ? (stored as TrackedCall) : { ...stored, taskToken: fromStoredTaskToken(stored.taskToken) };
};

const isConditionalFailure = (error: unknown): boolean =>
  error instanceof Error && error.name === 'ConditionalCheckFailedException';

const epochSeconds = (now: Date): number => Math.floor(now.getTime() / 1000);

export class TrackingTable {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  /**
   * Registers a started call. Fails (returns false) when the key is already registered, i.e. this is a
   * repeated invocation of the same task; a START_FAILED item may be overwritten (a retry after a failed start).
   */
  async register(item: TrackedCall): Promise<boolean> {
    return this.putUnlessTracked(item);
  }

  /** Records a call whose start failed (kept until its TTL); never overwrites a running or finished call. */
  async recordStartFailure(item: TrackedCall, now: Date, ttlSeconds: number): Promise<void> {
    const failed: TrackedCall = { ...item, status: 'START_FAILED', expiresAt: epochSeconds(now) + ttlSeconds };
    delete failed.runningPartition;
    delete failed.runningSql;
    await this.putUnlessTracked(failed);
  }

  /**
   * Writes `item` unless its key holds a call other than a failed start. Returns false (and writes
   * nothing) when it does.
   */
  private async putUnlessTracked(item: TrackedCall): Promise<boolean> {
    try {
      await this.db.send(
        new PutCommand({
          TableName: this.tableName,
          Item: toStored(item),
          ConditionExpression: 'attribute_not_exists(#pk) OR #status = :startFailed',
          ExpressionAttributeNames: { '#pk': TABLE.PARTITION_KEY, '#status': 'status' },
          ExpressionAttributeValues: { ':startFailed': 'START_FAILED' },
        }),
      );
      return true;
    } catch (error) {
      if (isConditionalFailure(error)) return false;
      throw error;
    }
  }

  /** The item; `consistent: false` halves the read's cost where a slightly stale item will do (the sweep's heartbeats). */
  async get(pk: string, options: { consistent?: boolean } = {}): Promise<TrackedCall | undefined> {
    const result = await this.db.send(
      new GetCommand({ TableName: this.tableName, Key: { [TABLE.PARTITION_KEY]: pk }, ConsistentRead: options.consistent ?? true }),
    );
    return fromStored(result.Item);
  }

  /** The newest call of an execution that has a statement (START_FAILED calls have none), newest first. */
  async latestForExecution(executionArn: string): Promise<IndexedCall | undefined> {
    return this.firstFound(
      {
        IndexName: TABLE.EXECUTION_INDEX.name,
        KeyConditionExpression: '#arn = :arn',
        ExpressionAttributeNames: { '#arn': TABLE.EXECUTION_INDEX.hashKey },
        ExpressionAttributeValues: { ':arn': executionArn },
        ScanIndexForward: false,
        // Small pages: the newest item almost always has a statement, so one page answers.
        Limit: 5,
      },
      (item) => item.statementId !== undefined,
    );
  }

  /** The pages of an index Query, one Query call each, asked only as the caller reads on. */
  private async *indexPages(
    query: Omit<QueryCommandInput, 'TableName' | 'ExclusiveStartKey' | 'Limit'>,
    pageLimit?: () => number,
  ): AsyncGenerator<IndexedCall[]> {
    let startKey: Record<string, unknown> | undefined;
    do {
      const page = await this.db.send(
        new QueryCommand({ ...query, TableName: this.tableName, Limit: pageLimit?.(), ExclusiveStartKey: startKey }),
      );
      yield (page.Items as IndexedCall[] | undefined) ?? [];
      startKey = page.LastEvaluatedKey;
    } while (startKey);
  }

  /** Pages through an index Query until an entry passes `wanted`; undefined when none does. */
  private async firstFound(
    query: Omit<QueryCommandInput, 'TableName' | 'ExclusiveStartKey'>,
    wanted: (item: IndexedCall) => boolean,
  ): Promise<IndexedCall | undefined> {
    for await (const items of this.indexPages(query)) {
      const found = items.find(wanted);
      if (found) return found;
    }
    return undefined;
  }

  /**
   * Claims the completion of a call: the one conditional update that decides who sends the callback.
   *
   * Wins when the call is RUNNING, or when the same claimer claimed it before and its callback is not
   * confirmed otherwise (`callbackState = CLAIMED`): that is a redelivery of the claimer's own SQS message
   * after a crash, or the next sweep after a sweep crashed, and it must send the callback again (Step
   * Functions answers TaskTimedOut if the first one did get through). Any claimer also wins when the last
   * callback failed (`callbackState = SEND_FAILED`): a DLQ redrive gives the event a new message id, and
   * it must still send the callback. Any other claimer loses, so a duplicate event produces no second
   * callback. Returns the claimed item, or undefined when lost.
   *
   * The SQS path removes `runningPartition` here (its SQS message is the record of unfinished work); the
   * sweep keeps it until `confirmSweepCallback`, so a crashed sweep's claim is found by the next sweep.
   * Both remove `runningSql`: the statement has ended, so it no longer blocks a singleton of the same SQL.
   */
  async claimCompletion(args: {
    pk: string;
    state: TerminalState;
    statementId: string;
    claimer: string;
    now: Date;
    ttlSeconds: number;
    keepRunningPartition: boolean;
  }): Promise<TrackedCall | undefined> {
    const remove = args.keepRunningPartition ? ' REMOVE #runningSql' : ' REMOVE #runningSql, #running';
    try {
      const result = await this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: { [TABLE.PARTITION_KEY]: args.pk },
          UpdateExpression:
            'SET #status = :state, statementId = if_not_exists(statementId, :sid), completedAt = :now, ' +
            `#ttl = :expires, claimedBy = :claimer, callbackState = :claimed${remove}`,
          ConditionExpression:
            '#status = :running OR (claimedBy = :claimer AND callbackState = :claimed) OR callbackState = :sendFailed',
          ExpressionAttributeNames: {
            '#status': 'status',
            '#ttl': TABLE.TTL_ATTRIBUTE,
            '#runningSql': TABLE.RUNNING_SQL_ATTRIBUTE,
            ...(args.keepRunningPartition ? {} : { '#running': TABLE.RUNNING_INDEX.hashKey }),
          },
          ExpressionAttributeValues: {
            ':state': args.state,
            ':sid': args.statementId,
            ':now': args.now.toISOString(),
            ':expires': epochSeconds(args.now) + args.ttlSeconds,
            ':claimer': args.claimer,
            ':claimed': 'CLAIMED',
            ':sendFailed': CALLBACK_SEND_FAILED,
            ':running': 'RUNNING',
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

  /** Records how the callback target answered when it refused the callback (expired token, ...). */
  async recordCallbackRefused(pk: string, errorName: string, message: string): Promise<void> {
    await this.db.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: { [TABLE.PARTITION_KEY]: pk },
        UpdateExpression: 'SET callbackState = :state, callbackError = :message REMOVE #running',
        ExpressionAttributeNames: { '#running': TABLE.RUNNING_INDEX.hashKey },
        ExpressionAttributeValues: { ':state': errorName, ':message': message.slice(0, 1_000) },
      }),
    );
  }

  /**
   * Records that `claimer`'s callback failed for a reason other than a closed token, so the next delivery
   * of the event (any message id: a DLQ redrive) or the next sweep claims it again. Only while the claim
   * is still `claimer`'s and unconfirmed; leaves the running index as it is (the sweep keeps it).
   * Returns false when the claim moved on (nothing written).
   */
  async recordCallbackSendFailed(pk: string, claimer: string, errorName: string, now: Date): Promise<boolean> {
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: { [TABLE.PARTITION_KEY]: pk },
          UpdateExpression: 'SET callbackState = :failed, callbackError = :error, callbackFailedAt = :now',
          ConditionExpression: 'claimedBy = :claimer AND callbackState = :claimed',
          ExpressionAttributeValues: {
            ':failed': CALLBACK_SEND_FAILED,
            ':error': errorName.slice(0, 256),
            ':now': now.toISOString(),
            ':claimer': claimer,
            ':claimed': 'CLAIMED',
          },
        }),
      );
      return true;
    } catch (error) {
      if (isConditionalFailure(error)) return false;
      throw error;
    }
  }

  /** Ends a sweep's claim after its callback went out: leaves the running index, callback confirmed. */
  async confirmSweepCallback(pk: string, callbackState: CallbackState): Promise<void> {
    await this.db.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: { [TABLE.PARTITION_KEY]: pk },
        UpdateExpression: 'SET callbackState = :state REMOVE #running',
        ConditionExpression: 'claimedBy = :sweep',
        ExpressionAttributeNames: { '#running': TABLE.RUNNING_INDEX.hashKey },
        ExpressionAttributeValues: { ':state': callbackState, ':sweep': 'sweep' },
      }),
    );
  }

  /** Running calls, oldest first, a page of at most `pageSize` per Query, read as the caller reads on. */
  runningPages(pageSize: number): AsyncGenerator<IndexedCall[]> {
    return this.indexPages(
      {
        IndexName: TABLE.RUNNING_INDEX.name,
        KeyConditionExpression: '#part = :running',
        ExpressionAttributeNames: { '#part': TABLE.RUNNING_INDEX.hashKey },
        ExpressionAttributeValues: { ':running': TABLE.RUNNING_PARTITION_VALUE },
      },
      () => pageSize,
    );
  }

  /** Every call of an execution (as the execution index holds them). */
  async callsOfExecution(executionArn: string): Promise<IndexedCall[]> {
    return this.queryIndex({
      IndexName: TABLE.EXECUTION_INDEX.name,
      KeyConditionExpression: '#arn = :arn',
      ExpressionAttributeNames: { '#arn': TABLE.EXECUTION_INDEX.hashKey },
      ExpressionAttributeValues: { ':arn': executionArn },
    });
  }

  /** Every entry of an index query, read in pages of at most 100. */
  private async queryIndex(
    query: Pick<QueryCommandInput, 'IndexName' | 'KeyConditionExpression' | 'ExpressionAttributeNames' | 'ExpressionAttributeValues'>,
  ): Promise<IndexedCall[]> {
    const found: IndexedCall[] = [];
    for await (const items of this.indexPages(query, () => 100)) found.push(...items);
    return found;
  }

  /**
   * A running call of the same SQL on the same database (`runningSql`) other than `exceptPk` (the caller's own
   * call, on a repeated invocation), or undefined. One Query of the running index, filtered: it reads the
   * entries of the running statements only (about 250 bytes each; 0.5 RRU per 8 KB of them), never the table.
   * The index is eventually consistent: a statement registered a moment ago may not be seen yet.
   */
  async otherRunningWithSql(runningSql: string, exceptPk: string): Promise<IndexedCall | undefined> {
    return this.firstFound(
      {
        IndexName: TABLE.RUNNING_INDEX.name,
        KeyConditionExpression: '#part = :running',
        FilterExpression: '#sql = :sql AND #pk <> :own',
        ExpressionAttributeNames: { '#part': TABLE.RUNNING_INDEX.hashKey, '#sql': TABLE.RUNNING_SQL_ATTRIBUTE, '#pk': TABLE.PARTITION_KEY },
        ExpressionAttributeValues: { ':running': TABLE.RUNNING_PARTITION_VALUE, ':sql': runningSql, ':own': exceptPk },
      },
      () => true,
    );
  }

  /**
   * Claims the cancel of an orphaned statement: wins only while the call runs and no one claimed it
   * before, so concurrent sweeps and the execution-end rule cancel it once. Records why. Returns false when lost.
   */
  async claimOrphanCancel(pk: string, reason: string, now: Date): Promise<boolean> {
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: { [TABLE.PARTITION_KEY]: pk },
          UpdateExpression: 'SET orphanReason = :reason, orphanedAt = :now',
          ConditionExpression: '#status = :running AND attribute_not_exists(orphanReason)',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: { ':reason': reason.slice(0, 256), ':now': now.toISOString(), ':running': 'RUNNING' },
        }),
      );
      return true;
    } catch (error) {
      if (isConditionalFailure(error)) return false;
      throw error;
    }
  }

  /**
   * After CancelStatement failed: a passing fault (`retry`) gives the claim back so the next sweep tries
   * again; a final refusal is recorded beside the reason.
   */
  async settleFailedOrphanCancel(pk: string, outcome: { retry: true } | { retry: false; error: string }): Promise<void> {
    await this.db.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: { [TABLE.PARTITION_KEY]: pk },
        ...(outcome.retry
          ? { UpdateExpression: 'REMOVE orphanReason, orphanedAt' }
          : { UpdateExpression: 'SET orphanCancelError = :error', ExpressionAttributeValues: { ':error': outcome.error.slice(0, 1_000) } }),
      }),
    );
  }

  /**
   * Takes the singleton lock for one SQL text. Succeeds when free, already held by the same call (a
   * repeated invocation), or stale (held longer than a statement can exist in the Data API: 24 h).
   */
  async acquireSingletonLock(lockKey: string, owner: string, now: Date): Promise<boolean> {
    const staleAfterSeconds = 86_400;
    try {
      await this.db.send(
        new PutCommand({
          TableName: this.tableName,
          Item: {
            [TABLE.PARTITION_KEY]: lockKey,
            owner,
            acquiredAt: now.toISOString(),
            staleAt: epochSeconds(now) + staleAfterSeconds,
            // TTL cleans up a lock whose release was lost, well after it went stale.
            [TABLE.TTL_ATTRIBUTE]: epochSeconds(now) + 2 * staleAfterSeconds,
          },
          ConditionExpression: 'attribute_not_exists(#pk) OR #owner = :owner OR staleAt < :now',
          ExpressionAttributeNames: { '#pk': TABLE.PARTITION_KEY, '#owner': 'owner' },
          ExpressionAttributeValues: { ':owner': owner, ':now': epochSeconds(now) },
        }),
      );
      return true;
    } catch (error) {
      if (isConditionalFailure(error)) return false;
      throw error;
    }
  }

  /** Releases the lock if `owner` still holds it (a stale lock taken over by another call stays theirs). */
  async releaseSingletonLock(lockKey: string, owner: string): Promise<void> {
    try {
      await this.db.send(
        new DeleteCommand({
          TableName: this.tableName,
          Key: { [TABLE.PARTITION_KEY]: lockKey },
          ConditionExpression: '#owner = :owner',
          ExpressionAttributeNames: { '#owner': 'owner' },
          ExpressionAttributeValues: { ':owner': owner },
        }),
      );
    } catch (error) {
      if (!isConditionalFailure(error)) throw error;
    }
  }
}
