/**
 * The singleton locks on the tracking table: one item per SQL text (`executeSingletonStatement`), keyed
 * apart from the calls, held by the call that started the statement and released when it ends.
 */
import { DeleteCommand, PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { TABLE } from '../../shared/contract';
import { conditionalWrite, epochSeconds } from './stored-item';

export class SingletonLocks {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  /**
   * Takes the singleton lock for one SQL text. Succeeds when free, already held by the same call (a
   * repeated invocation), or stale (held longer than a statement can exist in the Data API: 24 h).
   */
  async acquire(lockKey: string, owner: string, now: Date): Promise<boolean> {
    const staleAfterSeconds = 86_400;
    return conditionalWrite(() =>
      this.db.send(
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
      ),
    );
  }

  /** Releases the lock if `owner` still holds it (a stale lock taken over by another call stays theirs). */
  async release(lockKey: string, owner: string): Promise<void> {
    await conditionalWrite(() =>
      this.db.send(
        new DeleteCommand({
          TableName: this.tableName,
          Key: { [TABLE.PARTITION_KEY]: lockKey },
          ConditionExpression: '#owner = :owner',
          ExpressionAttributeNames: { '#owner': 'owner' },
          ExpressionAttributeValues: { ':owner': owner },
        }),
      ),
    );
  }
}
