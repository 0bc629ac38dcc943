/**
 * The handler on the happy path, as built (the esbuild bundle, required in this process), against the
 * local services: the PGlite-backed Data API (which records calls and emits real status-change
 * events), dynalite behind a counting proxy (local/dynamodb/counting-proxy), and the local Step Functions callback
 * endpoint. It measures, per statement:
 * - the AWS calls the handler makes (counted at those endpoints);
 * - the DynamoDB write units, from the tracking item read back after each phase (dynamo-capacity.ts);
 * - what the singleton check adds to a statement (executeSingletonStatement): calls, WRU and RRU;
 * - the handler's time to start a statement and to complete a batch of 1 and of 10 events;
 * - the callback latency: from the Data API emitting the event to the callback reaching the Step
 *   Functions endpoint, through the local EventBridge rule → SQS → event source mapping path;
 * - the bytes of log lines the handler writes (its stdout, captured so they do not mix with the table).
 */
import { DynamoDBDocumentClient, QueryCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import type { SQSEvent } from 'aws-lambda';
import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { TABLE, TABLE_DEFINITION } from '../functions/shared/contract';
import { toStoredTaskToken } from '../functions/tasker/table/stored-task-token';
import { sqsRecord, startEventDelivery } from '../local/event-delivery';
import { startLocalRedshiftData, type StatusChangeEvent } from '../local/redshift-data';
import { startLocalStepFunctionsCallbacks } from '../local/step-functions/callback-server';
import { statementStatusEventPattern } from '../modules/event-pattern';
import { createTrackingTable } from '../local/dynamodb';
import { startCountingLocalDynamoDb } from '../local/dynamodb/counting-proxy';
import { assignProcessEnv, inProcessTaskerEnvironment, saveProcessEnv } from '../local/tasker-environment';
import { itemSize, queryReadUnits, writeCost, type DynamoItem, type GsiKeys } from './dynamo-capacity';
import { summarize, type SampleSummary } from './stats';

export interface HandlerBenchOptions {
  /** The bundled handler (`dist/handler/index.js`). */
  bundlePath: string;
  /** Rounds of a batch of 1 event. @default 9 */
  singleRounds?: number;
  /** Rounds of a batch of 10 events. @default 5 */
  batchRounds?: number;
  /** Statements timed end to end through the delivery path. @default 10 */
  latencyStatements?: number;
  /** Characters of the task token (real ones are several hundred, at most 2,048). @default 680 */
  taskTokenLength?: number;
  progress: (message: string) => void;
}

export interface HandlerBenchResult {
  /** Operation names per service for one statement, start and completion. */
  calls: { dynamodb: string[]; redshiftData: string[]; sfn: string[] };
  callCount: number;
  /** WRU per write and in total, with the item sizes they come from. */
  dynamo: {
    startWrite: ReturnType<typeof writeCost>;
    completionWrite: ReturnType<typeof writeCost>;
    wru: number;
    rru: number;
    itemBytesAfterStart: number;
    itemBytesAfterCompletion: number;
    taskTokenLength: number;
    /** The same two writes with a 2,048-character token (the longest a task token may be). */
    wruWithLongestToken: number;
    /** The longest token that keeps the items within 1 KB, and the WRU then. */
    tokenLengthWithin1Kb: number;
    wruWithin1Kb: number;
  };
  startMs: SampleSummary;
  batch1Ms: SampleSummary;
  batch10Ms: SampleSummary;
  /** `batch10Ms` per event. */
  batch10PerEventMs: SampleSummary;
  callbackLatencyMs: SampleSummary;
  logBytesPerStatement: number;
  /** One sweep invocation with nothing overdue. */
  sweep: { ms: number; calls: string[] };
  /** One executeSingletonStatement, start to callback, with nothing else of its SQL running. */
  singleton: {
    calls: { dynamodb: string[]; redshiftData: string[]; sfn: string[] };
    callCount: number;
    /** Every write of the statement (lock put, register, claim, lock delete), tables and indexes. */
    wru: number;
    /** The lock's put and delete alone. */
    lockWru: number;
    /** The running-index Query that looks for a running statement of the same SQL (nothing else running). */
    rru: number;
    /** That Query with 200 statements running, the Data API's limit per cluster. */
    rruWith200Running: number;
  };
}

const EXECUTION_ARN = 'arn:aws:states:us-east-1:123456789012:execution:nightly-load:0b8f1c2e-5d1a-4e7b-9a55-3f0c2d9e7a41';
const PREFIX = 'sfnrs-bench-';
// The indexes as deployed: each entry holds the table key, the index keys and the projected attributes.
const INDEXES: GsiKeys[] = TABLE_DEFINITION.GLOBAL_SECONDARY_INDEXES.map((index) => ({
  ...index,
  entryAttributes: [TABLE.PARTITION_KEY, index.hashKey, index.rangeKey, ...index.nonKeyAttributes],
}));

/** A task token of `length` characters as the bench sends them (random base64url). */
const tokenOfLength = (length: number): string => randomBytes(length).toString('base64url').slice(0, length);

/** The bundle exports the handler of functions/tasker/index.ts. */
type Handler = typeof import('../functions/tasker/index')['handler'];

/** Captures what the handler writes to stdout (its JSON log lines) and counts the bytes. */
function captureStdout(): { bytes: () => number; reset: () => void; restore: () => void } {
  const original = process.stdout.write.bind(process.stdout);
  let bytes = 0;
  process.stdout.write = ((chunk: string | Uint8Array, ...rest: unknown[]) => {
    bytes += typeof chunk === 'string' ? Buffer.byteLength(chunk) : chunk.byteLength;
    const callback = rest.find((arg) => typeof arg === 'function') as (() => void) | undefined;
    callback?.();
    return true;
  }) as typeof process.stdout.write;
  return { bytes: () => bytes, reset: () => (bytes = 0), restore: () => (process.stdout.write = original) };
}

const sqsBatch = (events: readonly StatusChangeEvent[]): SQSEvent => ({
  Records: events.map((event) =>
    sqsRecord({ body: JSON.stringify(event), queueArn: 'arn:aws:sqs:us-east-1:123456789012:bench-status-events' }),
  ),
});

/**
 * The item as the completion's claim leaves it (the handler writes it and the answer in one invocation, so it is
 * not read back): the answer's attributes not yet there, the pending-callback index entry present.
 */
function claimedItem(done: DynamoItem): DynamoItem {
  const { expiresAt: _expires, ...claimed } = done;
  return {
    ...claimed,
    callbackState: 'CLAIMED',
    [TABLE.PENDING_CALLBACK_INDEX.hashKey]: TABLE.PENDING_CALLBACK_VALUE,
    [TABLE.PENDING_CALLBACK_INDEX.rangeKey]: String(done.completedAt),
  };
}

/** The completion's two conditional updates: the claim (running → pending-callback index) and the recorded answer. */
function completionCost(running: DynamoItem, done: DynamoItem): ReturnType<typeof writeCost> {
  const claimed = claimedItem(done);
  const claim = writeCost(running, claimed, INDEXES);
  const answer = writeCost(claimed, done, INDEXES);
  const indexes = Object.fromEntries(Object.keys(claim.indexes).map((name) => [name, claim.indexes[name] + answer.indexes[name]]));
  return { table: claim.table + answer.table, indexes, total: claim.total + answer.total };
}

export async function benchHandler(options: HandlerBenchOptions): Promise<HandlerBenchResult> {
  const tokenLength = options.taskTokenLength ?? 680;
  const stdout = captureStdout();
  const restoreEnv = saveProcessEnv();
  const stops: (() => Promise<void>)[] = [];
  try {
    options.progress('handler: starting the local Data API (PGlite), dynalite and the callback endpoint');
    const [dataApi, dynamo, sfn] = await Promise.all([
      startLocalRedshiftData(),
      startCountingLocalDynamoDb(),
      startLocalStepFunctionsCallbacks(),
    ]);
    stops.push(
      () => dataApi.stop(),
      () => dynamo.stop(),
      () => sfn.stop(),
    );
    const tableName = 'bench-tracking';
    await createTrackingTable(dynamo.client, tableName);
    const documents = DynamoDBDocumentClient.from(dynamo.client);

    // The construct's environment for these props. The names are the handler's defaults, so the log and
    // metric lines (whose bytes the bench counts) carry the same service name as without them.
    assignProcessEnv(
      inProcessTaskerEnvironment(
        {
          redshiftTarget: { clusterIdentifier: 'bench-cluster', database: 'dev', dbUser: 'tasker' },
          namePrefix: 'sfn-redshift-tasker',
          statementNamePrefix: PREFIX,
          logLevel: 'INFO',
          // These rows measure the event path; bench/fast-path-bench.ts measures the fast path against it.
          fastPathSeconds: 0,
        },
        { tableName, functionName: 'sfn-redshift-tasker' },
        { region: 'us-east-1', dynamoDb: dynamo.endpoint, redshiftData: dataApi.endpoint, sfn: sfn.endpoint },
      ),
    );
    // The bundle reads its environment when loaded and on first use: load it only now.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const handler = (require(options.bundlePath) as { handler: Handler }).handler;

    // Events by statement id; `deliverTo` set = route them through the delivery path instead.
    const events = new Map<string, StatusChangeEvent>();
    const waiters = new Map<string, (event: StatusChangeEvent) => void>();
    let deliverTo: ((event: StatusChangeEvent) => void) | undefined;
    dataApi.onEvent((event) => {
      if (deliverTo) return deliverTo(event);
      const waiter = waiters.get(event.detail.statementId);
      if (waiter) waiter(event);
      else events.set(event.detail.statementId, event);
    });
    const eventFor = (statementId: string): Promise<StatusChangeEvent> => {
      const known = events.get(statementId);
      if (known) return Promise.resolve(known);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no status-change event for ${statementId} within 10 s`)), 10_000);
        waiters.set(statementId, (event) => {
          clearTimeout(timer);
          waiters.delete(statementId);
          resolve(event);
        });
      });
    };

    const startTimes: number[] = [];
    /** Starts one statement; `timed` records the handler time (only for starts that do not overlap others). */
    const startOne = async (timed = true): Promise<{ token: string; statementId: string }> => {
      const token = tokenOfLength(tokenLength);
      const payload = {
        taskToken: token,
        executionArn: EXECUTION_ARN,
        stateName: 'Load daily sales',
        stateEnteredTime: new Date().toISOString(),
        sqlStatement: 'SELECT 1',
      };
      const started = performance.now();
      const response = (await handler(payload)) as { Id: string };
      if (timed) startTimes.push(performance.now() - started);
      return { token, statementId: response.Id };
    };
    const readItem = async (statementId: string): Promise<DynamoItem> => {
      const items = (await documents.send(new ScanCommand({ TableName: tableName }))).Items ?? [];
      const item = items.find((candidate) => candidate.statementId === statementId);
      if (!item) throw new Error(`no tracking item for statement ${statementId}`);
      return item as DynamoItem;
    };
    const callCounts = () => ({ dynamodb: dynamo.calls.length, redshiftData: dataApi.calls.length, sfn: sfn.calls.length });

    // 1. One statement, accounted call by call (the first also warms the clients up).
    options.progress('handler: one statement, counting calls, write units and log bytes');
    const before = callCounts();
    stdout.reset();
    const first = await startOne();
    const afterStart = await readItem(first.statementId);
    const callsAtStart = callCounts();
    const firstEvent = await eventFor(first.statementId);
    const response = (await handler(sqsBatch([firstEvent]))) as { batchItemFailures: unknown[] };
    if (response.batchItemFailures.length > 0) throw new Error(`the completion failed: ${JSON.stringify(response)}`);
    const firstCallback = await sfn.waitForCallback(first.token);
    if (firstCallback.action !== 'SendTaskSuccess') throw new Error(`expected SendTaskSuccess, got ${firstCallback.action}`);
    const logBytesPerStatement = stdout.bytes();
    const afterCompletion = await readItem(first.statementId);
    const calls = {
      dynamodb: dynamo.calls.slice(before.dynamodb),
      redshiftData: dataApi.calls.slice(before.redshiftData).map((call) => call.operation),
      sfn: sfn.calls.slice(before.sfn).map((call) => call.action),
    };
    const writesAtStart = dynamo.calls.slice(before.dynamodb, callsAtStart.dynamodb);
    const writesAtCompletion = dynamo.calls.slice(callsAtStart.dynamodb);
    if (writesAtStart.join() !== 'PutItem' || writesAtCompletion.join() !== 'UpdateItem,UpdateItem') {
      // The WRU model below prices exactly one put and two updates (claim, answer); anything else must be modelled anew.
      throw new Error(`unexpected DynamoDB calls: start ${writesAtStart.join(',')}, completion ${writesAtCompletion.join(',')}`);
    }
    const startWrite = writeCost(undefined, afterStart, INDEXES);
    const completionWrite = completionCost(afterStart, afterCompletion);
    // The task token is most of the item: price the same writes with other token lengths, stored as the
    // handler stores them (a base64 token as its bytes).
    const withToken = (item: DynamoItem, length: number): DynamoItem => ({ ...item, taskToken: toStoredTaskToken(tokenOfLength(length)) });
    const wruForToken = (length: number): number =>
      writeCost(undefined, withToken(afterStart, length), INDEXES).total +
      completionCost(withToken(afterStart, length), withToken(afterCompletion, length)).total;
    const wruWithLongestToken = wruForToken(2048);
    // The longest token (a multiple of 4 characters, as padded base64 is) that keeps both items within 1 KB.
    const within1Kb = (length: number): boolean =>
      Math.max(
        itemSize(withToken(afterStart, length)),
        itemSize(claimedItem(withToken(afterCompletion, length))),
        itemSize(withToken(afterCompletion, length)),
      ) <= 1024;
    let tokenLengthWithin1Kb = 0;
    for (let length = 4; length <= 2048 && within1Kb(length); length += 4) tokenLengthWithin1Kb = length;

    // 1b. One singleton statement: what the check (lock + byRunningSql Query) adds to the same path.
    options.progress("handler: one singleton statement, counting the check's calls and units");
    const singletonSql = 'SELECT 2';
    const beforeSingleton = callCounts();
    const singletonToken = tokenOfLength(tokenLength);
    const singletonStarted = (await handler({
      action: 'executeSingletonStatement',
      taskToken: singletonToken,
      executionArn: EXECUTION_ARN,
      stateName: 'Refresh sales summary',
      stateEnteredTime: new Date().toISOString(),
      sqlStatement: singletonSql,
    })) as { Id: string };
    const singletonItem = await readItem(singletonStarted.Id);
    const lockItem = ((await documents.send(new ScanCommand({ TableName: tableName }))).Items ?? []).find((item) =>
      String(item.pk).startsWith('singleton#'),
    ) as DynamoItem | undefined;
    if (!lockItem) throw new Error('the singleton statement left no lock item');
    // What the check's Query read: the running index's entries (a filter does not reduce what is read), but
    // for the statement's own, registered only after the check (none here: nothing else runs).
    const runningEntries = (
      (
        await documents.send(
          new QueryCommand({
            TableName: tableName,
            IndexName: TABLE.RUNNING_INDEX.name,
            KeyConditionExpression: '#part = :running',
            ExpressionAttributeNames: { '#part': TABLE.RUNNING_INDEX.hashKey },
            ExpressionAttributeValues: { ':running': TABLE.RUNNING_PARTITION_VALUE },
          }),
        )
      ).Items ?? []
    ).filter((entry) => entry.pk !== singletonItem.pk) as DynamoItem[];
    // The same Query with 200 statements running (the Data API's limit of active statements per cluster).
    const runningIndex = INDEXES.find((index) => index.name === TABLE.RUNNING_INDEX.name);
    if (runningIndex === undefined) throw new Error(`no ${TABLE.RUNNING_INDEX.name} index in TABLE_DEFINITION`);
    const ownEntry = Object.fromEntries((runningIndex.entryAttributes ?? []).map((name) => [name, singletonItem[name]])) as DynamoItem;
    const singletonEvent = await eventFor(singletonStarted.Id);
    const singletonBatch = (await handler(sqsBatch([singletonEvent]))) as { batchItemFailures: unknown[] };
    if (singletonBatch.batchItemFailures.length > 0) throw new Error(`the singleton completion failed: ${JSON.stringify(singletonBatch)}`);
    await sfn.waitForCallback(singletonToken);
    const singletonDone = await readItem(singletonStarted.Id);
    const singletonCalls = {
      dynamodb: dynamo.calls.slice(beforeSingleton.dynamodb),
      redshiftData: dataApi.calls.slice(beforeSingleton.redshiftData).map((call) => call.operation),
      sfn: sfn.calls.slice(beforeSingleton.sfn).map((call) => call.action),
    };
    if (singletonCalls.dynamodb.join() !== 'PutItem,Query,PutItem,UpdateItem,UpdateItem,DeleteItem') {
      // The units below price exactly these calls; anything else must be modelled anew.
      throw new Error(`unexpected DynamoDB calls for a singleton statement: ${singletonCalls.dynamodb.join(',')}`);
    }
    const lockWru = writeCost(undefined, lockItem, INDEXES).total + writeCost(lockItem, undefined, INDEXES).total;
    const singleton = {
      calls: singletonCalls,
      callCount: singletonCalls.dynamodb.length + singletonCalls.redshiftData.length + singletonCalls.sfn.length,
      wru: lockWru + writeCost(undefined, singletonItem, INDEXES).total + completionCost(singletonItem, singletonDone).total,
      lockWru,
      rru: queryReadUnits(runningEntries),
      rruWith200Running: queryReadUnits(Array.from({ length: 200 }, () => ownEntry)),
    };

    // 2. Batches of 1 and of 10 events, timed at the handler.
    const timeBatch = async (size: number): Promise<number> => {
      const started = size === 1 ? [await startOne()] : await Promise.all(Array.from({ length: size }, () => startOne(false)));
      const batchEvents = await Promise.all(started.map((s) => eventFor(s.statementId)));
      const batch = sqsBatch(batchEvents);
      const t0 = performance.now();
      const result = (await handler(batch)) as { batchItemFailures: unknown[] };
      const ms = performance.now() - t0;
      if (result.batchItemFailures.length > 0) throw new Error(`batch of ${size}: ${result.batchItemFailures.length} failures`);
      await Promise.all(started.map((s) => sfn.waitForCallback(s.token)));
      return ms;
    };
    await timeBatch(10); // warm-up, not counted
    startTimes.length = 0;
    const batch1: number[] = [];
    const batch10: number[] = [];
    const singleRounds = options.singleRounds ?? 9;
    const batchRounds = options.batchRounds ?? 5;
    for (let round = 0; round < Math.max(singleRounds, batchRounds); round++) {
      if (round < singleRounds) batch1.push(await timeBatch(1));
      if (round < batchRounds) batch10.push(await timeBatch(10));
    }
    options.progress(`handler: ${singleRounds} batches of 1 and ${batchRounds} of 10 timed`);

    // 3. One sweep (the 5-minute schedule) with no statement overdue: its time and calls are a fixed cost. The first sweep of
    // a table also makes its one-off upgrade pass (legacy-callbacks.ts), so the steady sweep timed is the second.
    const scheduledEvent = () => ({ source: 'aws.events', 'detail-type': 'Scheduled Event', detail: {}, time: new Date().toISOString() });
    await handler(scheduledEvent());
    const callsBeforeSweep = callCounts();
    const sweepStarted = performance.now();
    await handler(scheduledEvent());
    const sweepMs = performance.now() - sweepStarted;
    const sweepCalls = [
      ...dynamo.calls.slice(callsBeforeSweep.dynamodb),
      ...dataApi.calls.slice(callsBeforeSweep.redshiftData).map((call) => call.operation),
      ...sfn.calls.slice(callsBeforeSweep.sfn).map((call) => call.action),
    ];

    // 4. End to end through EventBridge rule → SQS → event source mapping (local), one statement at a time.
    const delivery = startEventDelivery({ pattern: statementStatusEventPattern(PREFIX), handler, batchSize: 10, batchWindowMs: 0 });
    stops.unshift(() => delivery.stop());
    const emittedAt = new Map<string, number>();
    const callbackAt = new Map<string, number>();
    deliverTo = (event) => {
      emittedAt.set(event.detail.statementId, performance.now());
      delivery.publish(event);
    };
    const unsubscribe = sfn.onCallback((call) => callbackAt.set(call.taskToken, performance.now()));
    const latencies: number[] = [];
    const latencyStatements = options.latencyStatements ?? 10;
    for (let i = 0; i < latencyStatements; i++) {
      const { token, statementId } = await startOne();
      await sfn.waitForCallback(token);
      const emitted = emittedAt.get(statementId);
      const answered = callbackAt.get(token);
      if (emitted === undefined || answered === undefined) throw new Error(`latency of ${statementId} not recorded`);
      latencies.push(answered - emitted);
    }
    unsubscribe();
    if (delivery.deadLetters.length > 0) throw new Error(`${delivery.deadLetters.length} events dead-lettered`);
    options.progress(`handler: ${latencyStatements} statements timed through the delivery path`);

    return {
      calls,
      callCount: calls.dynamodb.length + calls.redshiftData.length + calls.sfn.length,
      dynamo: {
        startWrite,
        completionWrite,
        wru: startWrite.total + completionWrite.total,
        rru: 0,
        itemBytesAfterStart: itemSize(afterStart),
        itemBytesAfterCompletion: itemSize(afterCompletion),
        taskTokenLength: tokenLength,
        wruWithLongestToken,
        tokenLengthWithin1Kb,
        wruWithin1Kb: wruForToken(tokenLengthWithin1Kb),
      },
      startMs: summarize(startTimes),
      batch1Ms: summarize(batch1),
      batch10Ms: summarize(batch10),
      batch10PerEventMs: summarize(batch10.map((ms) => ms / 10)),
      callbackLatencyMs: summarize(latencies),
      logBytesPerStatement,
      sweep: { ms: sweepMs, calls: sweepCalls },
      singleton,
    };
  } finally {
    for (const stop of stops) await stop().catch(() => undefined);
    stdout.restore();
    restoreEnv();
  }
}
