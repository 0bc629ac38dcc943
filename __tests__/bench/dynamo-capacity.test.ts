import { CreateTableCommand, DynamoDBClient, PutItemCommand, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  itemSize,
  numberSize,
  queryReadUnits,
  readUnits,
  valueSize,
  writeCost,
  writeUnits,
  type GsiKeys,
} from '../../bench/dynamo-capacity';

describe('bench/dynamo-capacity: item sizes', () => {
  it('a string is its UTF-8 bytes plus the name', () => {
    expect(itemSize({ pk: 'abc' })).toBe(2 + 3);
    expect(itemSize({ name: 'é€' })).toBe(4 + 2 + 3);
  });

  it('a number is 1 byte per two significant digits + 1', () => {
    expect(numberSize(7)).toBe(2);
    expect(numberSize(1764000000)).toBe(3); // 1764 → 2 + 1
    expect(numberSize(12345)).toBe(4); // 3 + 1
    expect(numberSize(-0.5)).toBe(2);
    expect(itemSize({ ttl: 1764000000 })).toBe(3 + 3);
  });

  it('booleans and null are 1 byte; binary its raw bytes', () => {
    expect(valueSize(true)).toBe(1);
    expect(valueSize(null)).toBe(1);
    expect(valueSize(new Uint8Array(10))).toBe(10);
  });

  it('lists and maps cost 3 bytes plus 1 per element; map keys count like names', () => {
    expect(valueSize([])).toBe(3);
    expect(valueSize(['ab', 'c'])).toBe(3 + (1 + 2) + (1 + 1));
    expect(valueSize({ a: 'xy' })).toBe(3 + 1 + 1 + 2);
    expect(itemSize({ m: { a: 'xy', n: [true] } })).toBe(1 + 3 + (1 + 1 + 2) + (1 + 1 + (3 + 1 + 1)));
  });

  it('sets are the sum of their elements', () => {
    expect(valueSize(new Set(['ab', 'cde']))).toBe(5);
  });
});

describe('bench/dynamo-capacity: units', () => {
  it('writes: one WRU per started KB, at least one', () => {
    expect(writeUnits(0)).toBe(1);
    expect(writeUnits(1024)).toBe(1);
    expect(writeUnits(1025)).toBe(2);
  });

  it('reads: one RRU per started 4 KB strongly consistent, half eventually consistent', () => {
    expect(readUnits(100)).toBe(1);
    expect(readUnits(4097)).toBe(2);
    expect(readUnits(4097, 'eventual')).toBe(1);
    expect(readUnits(10, 'eventual')).toBe(0.5);
    // A GSI Query: 0.5 RRU when it finds nothing, then per started 4 KB of the entries read.
    expect(queryReadUnits([])).toBe(0.5);
    expect(queryReadUnits([{ pk: 'x'.repeat(4_000) }, { pk: 'y'.repeat(200) }])).toBe(1);
  });

  const indexes: GsiKeys[] = [
    { name: 'byExecution', hashKey: 'executionArn', rangeKey: 'startedAt' },
    { name: 'byRunning', hashKey: 'runningPartition', rangeKey: 'startedAt' },
  ];
  const running = {
    pk: 'k1',
    executionArn: 'arn:x',
    startedAt: '2026-11-25T00:00:00.000Z',
    runningPartition: 'RUNNING',
    token: 'x'.repeat(1000),
  };

  it('a put writes the table and every index whose keys the item has', () => {
    expect(writeCost(undefined, running, indexes)).toEqual({ table: 2, indexes: { byExecution: 2, byRunning: 2 }, total: 6 });
    const { runningPartition: _omit, ...notRunning } = running;
    expect(writeCost(undefined, notRunning, indexes)).toEqual({ table: 2, indexes: { byExecution: 2, byRunning: 0 }, total: 4 });
    const small = { pk: 'k2', executionArn: 'arn:x', startedAt: '2026-11-25T00:00:00.000Z' };
    expect(writeCost(undefined, small, indexes)).toEqual({ table: 1, indexes: { byExecution: 1, byRunning: 0 }, total: 2 });
  });

  it('an update bills the larger of before and after; removing a sparse key deletes from that index', () => {
    const { runningPartition: _omit, ...done } = { ...running, status: 'FINISHED', token: 'x'.repeat(900) };
    expect(writeCost(running, done, indexes)).toEqual({ table: 2, indexes: { byExecution: 1, byRunning: 2 }, total: 5 });
  });

  it('changing an index key costs a delete and a put in that index', () => {
    const moved = { ...running, startedAt: '2026-11-26T00:00:00.000Z' };
    expect(writeCost(running, moved, indexes).indexes).toEqual({ byExecution: 4, byRunning: 4 });
  });

  it('an item in an index neither before nor after costs that index nothing', () => {
    expect(writeCost({ pk: 'a' }, { pk: 'a', x: 'y' }, indexes)).toEqual({ table: 1, indexes: { byExecution: 0, byRunning: 0 }, total: 1 });
    expect(() => writeCost(undefined, undefined, indexes)).toThrow(RangeError);
  });
});

describe('bench/dynamo-capacity: projected indexes (KEYS_ONLY / INCLUDE)', () => {
  const included: GsiKeys[] = [
    {
      name: 'byExecution',
      hashKey: 'executionArn',
      rangeKey: 'startedAt',
      entryAttributes: ['pk', 'executionArn', 'startedAt', 'statementId'],
    },
    {
      name: 'byRunning',
      hashKey: 'runningPartition',
      rangeKey: 'startedAt',
      entryAttributes: ['pk', 'runningPartition', 'startedAt', 'statementId'],
    },
  ];
  const running = {
    pk: 'k'.repeat(64),
    statementId: 's'.repeat(36),
    executionArn: 'arn:x',
    startedAt: '2026-11-25T00:00:00.000Z',
    runningPartition: 'RUNNING',
    status: 'RUNNING',
    token: 'x'.repeat(1500), // the item is 1,704 bytes: 2 WRU
  };

  it('an index write is sized by the entry, not the item', () => {
    expect(writeCost(undefined, running, included)).toEqual({ table: 2, indexes: { byExecution: 1, byRunning: 1 }, total: 4 });
  });

  it('an update that changes no key and no projected attribute writes nothing to that index', () => {
    const { runningPartition: _omit, ...done } = { ...running, status: 'FINISHED', claimedBy: 'sqs#1' };
    // byExecution: keys and statementId unchanged → 0; byRunning: the item leaves the sparse index → 1.
    expect(writeCost(running, done, included)).toEqual({ table: 2, indexes: { byExecution: 0, byRunning: 1 }, total: 3 });
  });

  it('changing a projected attribute writes the entry once; binary values compare by bytes', () => {
    const withId = (id: string) => ({ ...running, statementId: id });
    expect(writeCost(withId('a'), withId('b'), included).indexes).toEqual({ byExecution: 1, byRunning: 1 });
    const binary = (bytes: number[]) => ({ ...running, statementId: new Uint8Array(bytes) });
    expect(writeCost(binary([1, 2]), binary([1, 2]), included).indexes).toEqual({ byExecution: 0, byRunning: 0 });
    expect(writeCost(binary([1, 2]), binary([1, 3]), included).indexes).toEqual({ byExecution: 1, byRunning: 1 });
  });

  it('projection ALL: an update that leaves the item as it was writes no index', () => {
    const all: GsiKeys[] = included.map(({ entryAttributes: _all, ...keys }) => keys);
    expect(writeCost(running, { ...running }, all).indexes).toEqual({ byExecution: 0, byRunning: 0 });
    expect(writeCost(running, { ...running, status: 'FINISHED' }, all).indexes).toEqual({ byExecution: 2, byRunning: 2 });
  });
});

describe('bench/dynamo-capacity: against dynalite’s ConsumedCapacity (table units)', () => {
  // dynalite ships no types.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const dynalite = require('dynalite') as (options: Record<string, unknown>) => Server;
  let server: Server;
  let client: DynamoDBClient;

  beforeAll(async () => {
    server = dynalite({ createTableMs: 0 });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
    client = new DynamoDBClient({
      endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
      region: 'us-east-1',
      credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    });
    await client.send(
      new CreateTableCommand({
        TableName: 'capacity',
        BillingMode: 'PAY_PER_REQUEST',
        KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
        AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
      }),
    );
  });
  afterAll(async () => {
    client.destroy();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  // 990: 1,020 bytes before (1 WRU), 1,056 after (2 WRU): the update bills the larger.
  it.each([100, 990, 1000, 2100, 3000])('a put and a growing update of a ~%i-byte item consume what the model says', async (length) => {
    const before = { pk: `item-${length}`, payload: 'p'.repeat(length), status: 'RUNNING' };
    const after = { ...before, status: 'FINISHED', completedAt: '2026-11-25T10:00:00.000Z' };
    const put = await client.send(new PutItemCommand({ TableName: 'capacity', Item: marshall(before), ReturnConsumedCapacity: 'TOTAL' }));
    expect(put.ConsumedCapacity?.CapacityUnits).toBe(writeCost(undefined, before, []).table);
    const update = await client.send(
      new UpdateItemCommand({
        TableName: 'capacity',
        Key: marshall({ pk: before.pk }),
        UpdateExpression: 'SET #s = :s, completedAt = :c',
        ExpressionAttributeNames: { '#s': 'status' },
        ExpressionAttributeValues: marshall({ ':s': after.status, ':c': after.completedAt }),
        ReturnConsumedCapacity: 'TOTAL',
      }),
    );
    expect(update.ConsumedCapacity?.CapacityUnits).toBe(writeCost(before, after, []).table);
  });
});
