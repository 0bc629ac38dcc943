/**
 * Failed callbacks left by a release without the pending-callback index: `callbackState = SEND_FAILED` and
 * no `pendingCallback`. Such a release took a claimed call out of the running index and put it in no other,
 * so after an upgrade no sweep would ever find it again (a fast-path claim whose callback failed has no
 * status event left to redrive it). Only a Scan finds them; it runs once per table, page by page, and its
 * progress is kept in one marker item so an interrupted pass resumes where it stopped.
 */
import { GetCommand, PutCommand, ScanCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { TABLE } from '../../shared/contract';
import { CALLBACK_SEND_FAILED } from './callback-records';
import { conditionalWrite } from './stored-item';

/**
 * The marker item's key. Call keys are hex digests and lock keys start with `singleton#`, so it meets neither,
 * and it carries no index attribute, so no index query ever returns it.
 */
export const LEGACY_CALLBACK_MARKER_KEY = 'upgrade#pending-callback-index';

/** Where the one-off pass over the table stands. */
export interface LegacyCallbackScan {
  /** The whole table was read: nothing legacy can be left (the running release writes none). */
  done: boolean;
  /** The Scan's `LastEvaluatedKey` to resume from, when a pass stopped before the end. */
  resumeKey?: Record<string, unknown>;
}

/** One page of the Scan: the keys of legacy failed callbacks it found, and where the next page starts. */
export interface LegacyCallbackPage {
  keys: string[];
  nextKey?: Record<string, unknown>;
}

const LEGACY_FILTER = 'callbackState = :sendFailed AND attribute_not_exists(#pending)';
const LEGACY_NAMES = { '#pending': TABLE.PENDING_CALLBACK_INDEX.hashKey };

export class LegacyCallbacks {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  /** Where the pass stands; a table never scanned has no marker. */
  async scanState(): Promise<LegacyCallbackScan> {
    const result = await this.db.send(
      new GetCommand({ TableName: this.tableName, Key: { [TABLE.PARTITION_KEY]: LEGACY_CALLBACK_MARKER_KEY } }),
    );
    const item = result.Item;
    return { done: item?.done === true, resumeKey: item?.resumeKey as Record<string, unknown> | undefined };
  }

  /** Records where the pass stands. */
  async saveScanState(state: LegacyCallbackScan, now: Date): Promise<void> {
    await this.db.send(
      new PutCommand({
        TableName: this.tableName,
        Item: {
          [TABLE.PARTITION_KEY]: LEGACY_CALLBACK_MARKER_KEY,
          done: state.done,
          ...(state.resumeKey ? { resumeKey: state.resumeKey } : {}),
          updatedAt: now.toISOString(),
        },
      }),
    );
  }

  /** One Scan page (at most `pageSize` items read) from `startKey`, filtered to legacy failed callbacks. */
  async page(startKey: Record<string, unknown> | undefined, pageSize: number): Promise<LegacyCallbackPage> {
    const result = await this.db.send(
      new ScanCommand({
        TableName: this.tableName,
        FilterExpression: LEGACY_FILTER,
        ProjectionExpression: '#pk',
        ExpressionAttributeNames: { ...LEGACY_NAMES, '#pk': TABLE.PARTITION_KEY },
        ExpressionAttributeValues: { ':sendFailed': CALLBACK_SEND_FAILED },
        ExclusiveStartKey: startKey,
        Limit: pageSize,
      }),
    );
    const keys = (result.Items ?? []).map((item) => item[TABLE.PARTITION_KEY] as string);
    return { keys, nextKey: result.LastEvaluatedKey };
  }

  /**
   * Puts a legacy failed callback in the pending-callback index, due now, so the sweep retries it like any
   * other; removes the TTL the old release set at its claim, so it is not expired before it is answered.
   * Returns false when the item is no longer legacy (answered, or indexed by a claim since the Scan read it).
   */
  async index(pk: string, now: Date): Promise<boolean> {
    return conditionalWrite(() =>
      this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: { [TABLE.PARTITION_KEY]: pk },
          UpdateExpression: 'SET #pending = :pendingValue, #next = :now REMOVE #ttl',
          ConditionExpression: LEGACY_FILTER,
          ExpressionAttributeNames: { ...LEGACY_NAMES, '#next': TABLE.PENDING_CALLBACK_INDEX.rangeKey, '#ttl': TABLE.TTL_ATTRIBUTE },
          ExpressionAttributeValues: {
            ':sendFailed': CALLBACK_SEND_FAILED,
            ':pendingValue': TABLE.PENDING_CALLBACK_VALUE,
            ':now': now.toISOString(),
          },
        }),
      ),
    );
  }
}
