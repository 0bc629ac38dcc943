/**
 * The call lifecycle on the tracking table (contract TABLE): register a started call, record a failed start,
 * read an item back, and claim/settle the cancel of an orphaned statement. The completion's claim and
 * callback writes are callback-records.ts.
 *
 * Every write is a single conditional Put/Update (no transactions): cheaper, and the condition is
 * what makes registration and completion safe under retries, duplicates and concurrency.
 * The item holds only what a later step reads back (DynamoDB bills writes per started KB): the statement
 * name is the prefix + key, and the SQL hash, action and state name are in the start's log line.
 */
import { GetCommand, PutCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { TABLE } from '../../shared/contract';
import { conditionalWrite, epochSeconds, fromStored, toStored } from './stored-item';
import type { TrackedCall } from './tracked-call';

export class CallRecords {
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
    return conditionalWrite(() =>
      this.db.send(
        new PutCommand({
          TableName: this.tableName,
          Item: toStored(item),
          ConditionExpression: 'attribute_not_exists(#pk) OR #status = :startFailed',
          ExpressionAttributeNames: { '#pk': TABLE.PARTITION_KEY, '#status': 'status' },
          ExpressionAttributeValues: { ':startFailed': 'START_FAILED' },
        }),
      ),
    );
  }

  /** The item; `consistent: false` halves the read's cost where a slightly stale item will do (the sweep's heartbeats). */
  async get(pk: string, options: { consistent?: boolean } = {}): Promise<TrackedCall | undefined> {
    const result = await this.db.send(
      new GetCommand({ TableName: this.tableName, Key: { [TABLE.PARTITION_KEY]: pk }, ConsistentRead: options.consistent ?? true }),
    );
    return fromStored(result.Item);
  }

  /**
   * Claims the cancel of an orphaned statement: wins only while the call runs and no one claimed it
   * before, so concurrent sweeps and the execution-end rule cancel it once. Records why. Returns false when lost.
   */
  async claimOrphanCancel(pk: string, reason: string, now: Date): Promise<boolean> {
    return conditionalWrite(() =>
      this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: { [TABLE.PARTITION_KEY]: pk },
          UpdateExpression: 'SET orphanReason = :reason, orphanedAt = :now',
          ConditionExpression: '#status = :running AND attribute_not_exists(orphanReason)',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: { ':reason': reason.slice(0, 256), ':now': now.toISOString(), ':running': 'RUNNING' },
        }),
      ),
    );
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
}
