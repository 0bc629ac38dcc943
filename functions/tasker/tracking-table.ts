/**
 * The tracking table (contract TABLE): one item per started call, plus the singleton locks.
 *
 * Every write is a single conditional Put/Update (no transactions): cheaper, and the condition is
 * what makes registration and completion safe under retries, duplicates and concurrency.
 * The item holds only what a later step reads back (DynamoDB bills writes per started KB): the statement
 * name is the prefix + key, and the SQL hash, action and state name are in the start's log line.
 */
import { GetCommand, PutCommand, QueryCommand, UpdateCommand, DeleteCommand, type DynamoDBDocumentClient, type QueryCommandInput } from '@aws-sdk/lib-dynamodb';
import { TABLE } from '../shared/contract';
import { CallbackRecords, type PendingCallbackEntry } from './callback-records';
import { fromStored, isConditionalFailure, epochSeconds, toStored } from './stored-item';
import type { IndexedCall, TrackedCall } from './tracked-call';

export type { CallbackState, CallStatus, CloudFormationTarget, IndexedCall, TerminalState, TrackedCall } from './tracked-call';

export class TrackingTable {
  /** The completion's claim and callback records (callback-records.ts). */
  readonly callbacks: CallbackRecords;

  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {
    this.callbacks = new CallbackRecords(db, tableName);
  }

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

  /**
   * Claimed callbacks not answered yet, earliest `nextAttemptAt` first (due ones lead), a page of at most
   * `pageSize` per Query of the pending-callback index, read as the caller reads on.
   */
  pendingCallbackPages(pageSize: number): AsyncGenerator<PendingCallbackEntry[]> {
    return this.indexPages(
      {
        IndexName: TABLE.PENDING_CALLBACK_INDEX.name,
        KeyConditionExpression: '#pending = :pending',
        ExpressionAttributeNames: { '#pending': TABLE.PENDING_CALLBACK_INDEX.hashKey },
        ExpressionAttributeValues: { ':pending': TABLE.PENDING_CALLBACK_VALUE },
      },
      () => pageSize,
    ) as AsyncGenerator<PendingCallbackEntry[]>;
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
