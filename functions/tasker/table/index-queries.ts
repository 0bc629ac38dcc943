/**
 * Queries of the tracking table's indexes (contract TABLE_DEFINITION): an execution's calls (LATEST, the
 * execution-end rule), the running calls (sweep, singleton check) and the pending callbacks (retries).
 * Index entries hold the projected attributes only; read the item (call-records.ts) for the rest.
 */
import { QueryCommand, type DynamoDBDocumentClient, type QueryCommandInput } from '@aws-sdk/lib-dynamodb';
import { TABLE } from '../../shared/contract';
import type { PendingCallbackEntry } from './callback-records';
import type { IndexedCall } from './tracked-call';

export class IndexQueries {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

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
}
