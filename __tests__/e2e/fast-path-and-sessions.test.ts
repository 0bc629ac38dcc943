/**
 * End to end with the shipped handler bundle on a real throwaway PostgreSQL server: the fast path (a short
 * statement answered by the start invocation, the later status event a duplicate), the event path for a
 * statement that outlives the wait, Data API sessions across states, session errors under their names,
 * and CSV results paged with nextToken.
 */
import { DescribeStatementCommand, GetStatementResultCommand, RedshiftDataClient } from '@aws-sdk/client-redshift-data';
import { DynamoDBDocumentClient, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { ENV, ERRORS } from '../../functions/shared/contract';
import { sessionTempTable } from '../../examples/state-machines/session-temp-table';
import type { StatusChangeEvent } from '../../local/redshift-data';
import { startLocalTasker, type LocalTasker } from '../../local/stack';
import { definition, serializeDefinition, sqlTask, type SqlTaskOptions } from '../../modules/sfn';
import { postgresUnavailableReason, startThrowawayPostgres, type ThrowawayPostgres } from '../local/redshift-data/throwaway-postgres';

const unavailable = postgresUnavailableReason();
if (unavailable) console.warn(`Skipping the fast-path and session flow tests: ${unavailable}.`);
const describeWithPostgres = unavailable ? describe.skip : describe;

/** SQL carrying `/* hold <n> ms *\/` stays STARTED that long before it runs. */
const hold = (ms: number): string => `/* hold ${ms} ms */`;
const HOLD_PATTERN = /\/\* hold (\d+) ms \*\//;
const EXECUTION_PREFIX = 'arn:aws:states:us-east-1:123456789012:execution:local:';
/** The EventBridge schedule's event: the handler routes it to the sweep. */
const SCHEDULED_EVENT = { source: 'aws.events', 'detail-type': 'Scheduled Event', detail: {}, time: '2026-11-24T10:00:00Z' };

let server: ThrowawayPostgres;
let tasker: LocalTasker;
let dataApi: RedshiftDataClient;
let documents: DynamoDBDocumentClient;
/** Events held back instead of published (set per test), to prove who completed a task. */
let held: StatusChangeEvent[] | undefined;

describeWithPostgres('fast path and sessions through the local flow', () => {
  beforeAll(async () => {
    server = await startThrowawayPostgres();
    tasker = await startLocalTasker({
      dataApi: {
        connectionString: server.connectionString,
        resultPageSize: 2,
        statementDelayMs: ({ sqls }) => Math.max(0, ...sqls.map((sql) => Number(HOLD_PATTERN.exec(sql)?.[1] ?? 0))),
      },
      delivery: { visibilityTimeoutMs: 50, maxReceiveCount: 3 },
      env: { [ENV.FAST_PATH_SECONDS]: '1' },
      routeEvent: (event, publish) => (held ? void held.push(event) : void publish(event)),
    });
    dataApi = new RedshiftDataClient({
      endpoint: tasker.dataApi.endpoint,
      region: 'us-east-1',
      credentials: { accessKeyId: 'l', secretAccessKey: 'l' },
    });
    documents = DynamoDBDocumentClient.from(tasker.dynamoDb.client);
  });
  afterEach(async () => {
    held = undefined;
    await tasker.delivery.idle();
    expect(tasker.delivery.deadLetters).toEqual([]);
  });
  afterAll(async () => {
    dataApi?.destroy();
    await tasker?.stop();
    await server?.stop();
  });

  const oneState = (name: string, options: SqlTaskOptions) =>
    serializeDefinition(definition({ states: [sqlTask(tasker.functionArn, name, { retry: false, ...options })] }));
  const trackedItem = async (statementId: string): Promise<Record<string, unknown> | undefined> =>
    (await documents.send(new ScanCommand({ TableName: tasker.tableName }))).Items?.find((item) => item.statementId === statementId);
  const callbacksFor = (token: string | undefined) => tasker.callbacks.calls.filter((c) => c.taskToken === token);

  it('completes a 50 ms statement from the start invocation; the later event is acknowledged as a duplicate', async () => {
    held = [];
    const firstCall = tasker.callbacks.calls.length;
    const result = await tasker.run(oneState('Quick', { sql: `SELECT 6 * 7 AS answer ${hold(50)}` }));
    // The execution finished while the status event was still held back: the start answered it.
    expect(result.status).toBe('SUCCEEDED');
    const output = result.output as { fastPath?: boolean; detail: { statementId: string; state: string; rows: number } };
    expect(output).toMatchObject({ fastPath: true, source: 'aws.redshift-data', detail: { state: 'FINISHED', rows: 1 } });
    // describeOnSuccess is off: the fast path's own DescribeStatement adds nothing the event path would not have.
    expect(output).not.toHaveProperty('hasResultSet');
    const events = held;
    expect(events.map((e) => e.detail.statementId)).toEqual([output.detail.statementId]);
    expect((await trackedItem(output.detail.statementId))?.claimedBy).toBe('start');

    // Now the event arrives: delivered, acknowledged (no failure, no retry), and no second callback.
    held = undefined;
    const batchesBefore = tasker.delivery.batches.length;
    for (const event of events) tasker.delivery.publish(event);
    await tasker.delivery.idle();
    const batches = tasker.delivery.batches.slice(batchesBefore);
    expect(batches.flatMap((b) => b.messageIds)).toHaveLength(1);
    expect(batches.flatMap((b) => b.failedMessageIds)).toEqual([]);
    const token = tasker.callbacks.calls[firstCall]?.taskToken;
    expect(callbacksFor(token).map((c) => [c.action, c.answeredWith])).toEqual([['SendTaskSuccess', undefined]]);
    expect((await trackedItem(output.detail.statementId))?.claimedBy).toBe('start');
  });

  it('fails a quick failing statement on the fast path with the Redshift error text', async () => {
    held = [];
    // No catch: the FAILED callback fails the execution, with the cause the start built.
    const result = await tasker.run(oneState('Broken', { sql: `SELECT * FROM no_such_table ${hold(50)}` }));
    expect(result.status).toBe('FAILED');
    expect(result.error).toBe('FAILED');
    expect(JSON.parse(result.cause ?? '{}')).toMatchObject({
      fastPath: true,
      detail: { state: 'FAILED', error: expect.stringContaining('"no_such_table" does not exist') },
    });
    expect(held).toHaveLength(1);
  });

  it(
    'leaves a fast-path callback that failed to the sweep: the status event is a duplicate, the next due sweep answers the task ' + 'once',
    async () => {
      held = [];
      tasker.callbacks.failNext('SendTaskSuccess', 'AccessDeniedException');
      const firstCall = tasker.callbacks.calls.length;
      const running = tasker.run(oneState('Quick again', { sql: `SELECT 1 ${hold(50)}` }));
      // The start's callback is refused after its claim; the start itself still answers, the claim is a pending callback.
      const sendFailed = async (): Promise<string | undefined> => {
        const statementId = held?.[0]?.detail.statementId;
        return statementId && (await trackedItem(statementId))?.callbackState === 'SEND_FAILED' ? statementId : undefined;
      };
      let statementId: string | undefined;
      for (let i = 0; i < 250; i++) {
        statementId = await sendFailed();
        if (statementId) break;
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      expect(statementId).toBeDefined();
      expect(await trackedItem(statementId!)).toMatchObject({ claimedBy: 'start', pendingCallback: 'PENDING' });
      // The status event arrives: acknowledged as a duplicate, nothing sent (the retry is not due yet).
      const events = held!;
      held = undefined;
      for (const event of events) tasker.delivery.publish(event);
      await tasker.delivery.idle();
      const token = tasker.callbacks.calls[firstCall].taskToken;
      expect(callbacksFor(token)).toHaveLength(1);

      // The sweep once the retry is due: the kit's clock (the handler's Date) steps past the 30 s backoff.
      tasker.clock.advance(31_000);
      await tasker.invoke(SCHEDULED_EVENT);
      const result = await running;
      expect(result.status).toBe('SUCCEEDED');
      expect(callbacksFor(token).map((c) => [c.action, c.answeredWith])).toEqual([
        ['SendTaskSuccess', 'AccessDeniedException'],
        ['SendTaskSuccess', undefined],
      ]);
      expect(await trackedItem(statementId!)).toMatchObject({ claimedBy: 'sweep', callbackState: 'SENT' });
    },
  );

  it('completes a 3 s statement with a 1 s fast path through the status event', async () => {
    const firstCall = tasker.callbacks.calls.length;
    const result = await tasker.run(oneState('Slow', { sql: `SELECT 1 AS one ${hold(3_000)}` }));
    expect(result.status).toBe('SUCCEEDED');
    const output = result.output as { fastPath?: boolean; detail: { statementId: string; state: string } };
    expect(output.fastPath).toBeUndefined();
    expect(output.detail.state).toBe('FINISHED');
    // The start waited 1 s on DescribeStatement, then left the statement to the event.
    const waits = tasker.dataApi.calls.filter((c) => c.operation === 'DescribeStatement' && c.input.Id === output.detail.statementId);
    expect(waits.map((c) => c.input.WaitTimeSeconds)).toEqual([1]);
    expect(String((await trackedItem(output.detail.statementId))?.claimedBy)).toMatch(/^sqs#/);
    expect(callbacksFor(tasker.callbacks.calls[firstCall]?.taskToken)).toHaveLength(1);
  });

  it('answers a caller without a task token with the finished response', async () => {
    const answer = await tasker.invoke({ sqlStatement: `SELECT 1 ${hold(50)}` });
    expect(answer).toMatchObject({ ok: true, payload: { Status: 'FINISHED', HasResultSet: true, Id: expect.any(String) } });
  });

  it('keeps a temporary table from one state to the next in a session, and it is absent outside it', async () => {
    const result = await tasker.run(serializeDefinition(sessionTempTable(tasker.functionArn)));
    expect(result.status).toBe('SUCCEEDED');
    const output = result.output as { staged: { sessionId: string }; summed: { sessionId: string; detail: { statementId: string } } };
    expect(output.staged.sessionId).toMatch(/^[0-9a-f-]{36}$/);
    expect(output.summed.sessionId).toBe(output.staged.sessionId);
    const sum = await dataApi.send(new GetStatementResultCommand({ Id: output.summed.detail.statementId }));
    expect(sum.Records).toEqual([[{ longValue: 15 }]]);

    const outside = await tasker.run(oneState('Outside', { sql: 'SELECT SUM(n) FROM staged_numbers' }));
    expect(outside.status).toBe('FAILED');
    expect(outside.cause).toContain('\\"staged_numbers\\" does not exist');
  });

  it("runs in the session of the execution's newest statement with sessionId LATEST", async () => {
    const machine = definition({
      states: [
        sqlTask(tasker.functionArn, 'Stage', {
          sql: 'CREATE TEMP TABLE latest_rows AS SELECT 3 AS n',
          session: { keepAliveSeconds: 60 },
          next: 'Read',
        }),
        sqlTask(tasker.functionArn, 'Read', { sql: 'SELECT n FROM latest_rows', sessionId: 'LATEST' }),
      ],
    });
    const result = await tasker.run(serializeDefinition(machine));
    expect(result.status).toBe('SUCCEEDED');
    expect((result.output as { detail: { rows: number } }).detail.rows).toBe(1);
  });

  it('surfaces session errors under their documented names, and the sqlTask retry waits out a busy session', async () => {
    // A session whose statement runs 1.5 s; a statement sent to it meanwhile is refused as busy.
    const slow = await tasker.invoke({ sqlStatement: `SELECT 1 ${hold(1_500)}`, sessionKeepAliveSeconds: 60 });
    expect(slow).toMatchObject({ ok: true, payload: { Status: 'STARTED', SessionId: expect.any(String) } });
    const sessionId = (slow as { payload: { SessionId: string } }).payload.SessionId;
    const busy = await tasker.invoke({ sqlStatement: 'SELECT 2', sessionId });
    expect(busy).toMatchObject({ ok: false, errorType: ERRORS.SESSION_BUSY, errorMessage: expect.stringContaining('is busy') });

    const noSession = await tasker.invoke({
      sqlStatement: 'SELECT 2',
      sessionId: 'LATEST',
      executionArn: `${EXECUTION_PREFIX}never-started`,
    });
    expect(noSession).toMatchObject({ ok: false, errorType: ERRORS.SESSION_NOT_FOUND });

    // The same busy session from a state machine: RedshiftSessionBusy is retried (2 s later) and succeeds.
    await dataApi.send(new DescribeStatementCommand({ Id: (slow as { payload: { Id: string } }).payload.Id, WaitTimeSeconds: 10 }));
    // 5 s: still busy after the start's own 1 s fast-path wait and the local runner's start-up (up to ~3 s
    // on a loaded machine), when the state's first attempt arrives.
    const again = await tasker.invoke({ sqlStatement: `SELECT 1 ${hold(5_000)}`, sessionId });
    expect(again).toMatchObject({ ok: true, payload: { Status: 'STARTED' } });
    const machine = definition({ states: [sqlTask(tasker.functionArn, 'In session', { sql: 'SELECT 3 AS three', sessionId })] });
    const result = await tasker.run(serializeDefinition(machine));
    expect(result.status).toBe('SUCCEEDED');
    // The state's first attempt(s) were refused as busy (how many depends on timing), then one ran.
    const stateCalls = tasker.dataApi.calls.filter((c) => c.input.SessionId === sessionId && c.input.Sql === 'SELECT 3 AS three');
    expect(stateCalls.length).toBeGreaterThan(1);
    expect(stateCalls.slice(0, -1).every((c) => c.error?.message.includes('is busy'))).toBe(true);
    expect(stateCalls.at(-1)?.error).toBeUndefined();
    expect((result.output as { sessionId: string }).sessionId).toBe(sessionId);
  });

  it('pages CSV results with nextToken (GetStatementResultV2)', async () => {
    const started = await tasker.invoke({
      sqlStatement: 'SELECT n, n * n AS square FROM generate_series(1, 3) AS n ORDER BY n',
      resultFormat: 'CSV',
    });
    expect(started).toMatchObject({ ok: true, payload: { Status: 'FINISHED' } });
    const statementId = (started as { payload: { Id: string } }).payload.Id;
    const first = await tasker.invoke({ action: 'getStatementResult', statementId, resultFormat: 'CSV' });
    expect(first).toMatchObject({
      ok: true,
      payload: { ResultFormat: 'CSV', TotalNumRows: 3, Records: [{ CSVRecords: 'n,square\n1,1\n2,4\n' }] },
    });
    const nextToken = (first as { payload: { NextToken: string } }).payload.NextToken;
    const second = await tasker.invoke({ action: 'getStatementResult', statementId, resultFormat: 'CSV', nextToken });
    expect(second).toMatchObject({ ok: true, payload: { Records: [{ CSVRecords: '3,9\n' }] } });
    expect((second as { payload: { NextToken?: string } }).payload.NextToken).toBeUndefined();
  });
});
