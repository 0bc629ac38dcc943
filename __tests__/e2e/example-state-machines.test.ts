/**
 * Every example state machine of `examples/state-machines/` run end to end on the local flow, with the
 * handler bundle exactly as the construct ships it: the examples' own definitions (slow SQL swapped for a
 * quick statement the local Data API holds STARTED), statements on PostgreSQL, completion events through
 * the rule pattern and SQS-shaped batches back to the handler and the waiting state.
 *
 * Each test asserts what the example's README promises: execution status, the states that ran, and the
 * output paths a user relies on, checked against PostgreSQL and the local Data API rather than constants.
 */
import { DescribeStatementCommand, GetStatementResultCommand, RedshiftDataClient } from '@aws-sdk/client-redshift-data';
import { EXAMPLE_STATE_MACHINES } from '../../examples/state-machines/catalog';
import { cancelOnTimeout } from '../../examples/state-machines/cancel-on-timeout';
import { polling } from '../../examples/state-machines/polling';
import { singletonStatements } from '../../examples/state-machines/singleton-statements';
import { startLocalTasker, type LocalTasker } from '../../local/stack';
import type { ExecutionResult } from '../../local/step-functions/run-state-machine';
import { serializeDefinition, type StateMachineDefinition } from '../../modules/sfn';

/** SQL carrying `/* hold <n> ms *\/` stays STARTED that long before it runs (a slow statement that does not block PostgreSQL). */
const hold = (ms: number): string => `/* hold ${ms} ms */`;
const HOLD_PATTERN = /\/\* hold (\d+) ms \*\//;

let tasker: LocalTasker;
let dataApi: RedshiftDataClient;

beforeAll(async () => {
  // One stack, hence one PGlite engine, for the whole file.
  tasker = await startLocalTasker({
    dataApi: {
      statementDelayMs: ({ sqls }) => Math.max(0, ...sqls.map((sql) => Number(HOLD_PATTERN.exec(sql)?.[1] ?? 0))),
    },
    delivery: { visibilityTimeoutMs: 50, maxReceiveCount: 3 },
  });
  dataApi = new RedshiftDataClient({
    endpoint: tasker.dataApi.endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'l', secretAccessKey: 'l' },
  });
});
afterAll(async () => {
  dataApi?.destroy();
  await tasker?.stop();
});
afterEach(async () => {
  // Every event reached the handler and nothing was dead-lettered, whatever the example did.
  await tasker.delivery.idle();
  expect(tasker.delivery.deadLetters).toEqual([]);
  expect(tasker.dataApi.activeStatements()).toBe(0);
});

/** The catalog's builder of an example (the definition `addExampleStateMachines` deploys). */
function catalogDefinition(id: string): StateMachineDefinition {
  const example = EXAMPLE_STATE_MACHINES.find((e) => e.id === id);
  if (!example) throw new Error(`no example "${id}" in the catalog`);
  return example.build(tasker.functionArn);
}

const run = (machine: StateMachineDefinition, input: unknown = {}, executionName?: string): Promise<ExecutionResult> =>
  tasker.run(serializeDefinition(machine), input, executionName === undefined ? {} : { executionName });

/** `[type, state, error]` of every event, for exact traces of sequential machines. */
const trace = (result: ExecutionResult) => result.events.map((e) => [e.type, e.name, e.error]);
/** Names of the states that were left normally (ran to their end or were caught), sorted: for parallel machines. */
const exitedStates = (result: ExecutionResult) =>
  result.events
    .filter((e) => e.type === 'StateExited')
    .map((e) => e.name)
    .sort();

type JsonState = { Type: string; Parameters?: { Payload?: { sqlStatement?: string; sqlStatements?: string[] } }; Branches?: JsonBranch[] };
type JsonBranch = { StartAt: string; States: Record<string, JsonState> };
/** The SQL a Task state of the definition sends (read from the definition so the test follows the example). */
const sqlOf = (scope: JsonBranch, state: string): string => {
  const sql = scope.States[state]?.Parameters?.Payload?.sqlStatement;
  if (sql === undefined) throw new Error(`state "${state}" sends no sqlStatement`);
  return sql;
};
const asScope = (machine: StateMachineDefinition) => machine as unknown as JsonBranch;

interface CompletionEvent {
  source: string;
  'detail-type': string;
  detail: { statementId: string; state: string; rows: number; statementName: string };
}
interface CaughtError {
  Error: string;
  Cause: string;
}

const describeStatement = (id: string) => dataApi.send(new DescribeStatementCommand({ Id: id }));
const statementStarts = () =>
  tasker.dataApi.calls.filter((c) => c.operation === 'ExecuteStatement' || c.operation === 'BatchExecuteStatement');

const TESTED = new Set<string>();

it('covers every example of the catalog', () => {
  // Filled by the tests below at definition time (jest collects them before running any).
  expect([...TESTED].sort()).toEqual(EXAMPLE_STATE_MACHINES.map((e) => e.id).sort());
});

// Sessions need the PostgreSQL-server engine: the example runs end to end in fast-path-and-sessions.test.ts;
// here (PGlite) it must fail clearly rather than pretend.
TESTED.add('session-temp-table');
it('session-temp-table: on PGlite the session is refused with a clear RedshiftDataError', async () => {
  const result = await run(catalogDefinition('session-temp-table'));
  expect(result).toMatchObject({ status: 'FAILED', error: 'RedshiftDataError' });
  expect(result.cause).toContain('Sessions need the PostgreSQL-server engine');
});

TESTED.add('single-success');
it('single-success: the output is the completion event of the statement', async () => {
  const machine = catalogDefinition('single-success');
  const result = await run(machine);
  expect(result.status).toBe('SUCCEEDED');
  expect(trace(result)).toEqual([
    ['StateEntered', 'Run statement', undefined],
    ['StateExited', 'Run statement', undefined],
  ]);
  const event = result.output as CompletionEvent;
  expect(event).toMatchObject({
    source: 'aws.redshift-data',
    'detail-type': 'Redshift Data Statement Status Change',
    detail: { state: 'FINISHED', rows: 1 },
  });
  expect(event.detail.statementName).toMatch(/^sfnrs-local-/);
  // `$.detail.statementId` names the statement the Data API ran.
  const described = await describeStatement(event.detail.statementId);
  expect(described).toMatchObject({ Status: 'FINISHED', QueryString: sqlOf(asScope(machine), 'Run statement'), ResultRows: 1 });
});

TESTED.add('single-failure');
it('single-failure: FAILED is caught, the PostgreSQL message is in the cause, the input is kept', async () => {
  const machine = catalogDefinition('single-failure');
  const sql = sqlOf(asScope(machine), 'Run failing statement');
  const postgresMessage = await tasker.dataApi.query(sql).then(
    () => undefined,
    (err: Error) => err.message,
  );
  expect(postgresMessage).toMatch(/does not exist/);

  const result = await run(machine, { runId: 'r-1' });
  expect(result.status).toBe('SUCCEEDED');
  expect(trace(result)).toEqual([
    ['StateEntered', 'Run failing statement', undefined],
    ['StateFailed', 'Run failing statement', 'FAILED'],
    ['StateCaught', 'Run failing statement', undefined],
    ['StateExited', 'Run failing statement', undefined],
    ['StateEntered', 'Handle SQL failure', undefined],
    ['StateExited', 'Handle SQL failure', undefined],
  ]);
  const output = result.output as { runId: string; error: CaughtError };
  expect(output.runId).toBe('r-1');
  expect(output.error.Error).toBe('FAILED');
  // The cause is the statement's FAILED event as JSON, `detail.error` holding the database's message.
  const cause = JSON.parse(output.error.Cause) as CompletionEvent & { detail: { error: string } };
  expect(cause.detail).toMatchObject({ state: 'FAILED', error: expect.stringContaining(postgresMessage as string) });
  expect(await describeStatement(cause.detail.statementId)).toMatchObject({ Status: 'FAILED', QueryString: sql });
});

TESTED.add('chained-statements');
it('chained-statements: each statement after the previous one; the insert binds the execution name', async () => {
  const machine = catalogDefinition('chained-statements');
  const executionName = `chained-${Date.now()}`;
  const result = await run(machine, {}, executionName);
  expect(result.status).toBe('SUCCEEDED');
  expect(trace(result)).toEqual(
    ['Create table', 'Insert row', 'Count rows'].flatMap((name) => [
      ['StateEntered', name, undefined],
      ['StateExited', name, undefined],
    ]),
  );
  // The row the insert wrote carries this execution's name.
  expect(await tasker.dataApi.query('SELECT id, label FROM sfn_example_runs WHERE label = $1', [executionName])).toEqual([
    { id: 1, label: executionName },
  ]);
  // The three statements ran one after another, in order.
  const starts = statementStarts().slice(-3);
  expect(starts.map((c) => c.input.Sql)).toEqual(['Create table', 'Insert row', 'Count rows'].map((s) => sqlOf(asScope(machine), s)));
  expect(starts[1].input.Parameters).toEqual([
    { name: 'id', value: '1' },
    { name: 'label', value: executionName },
  ]);
  // The last state's output is the count's completion event; its result equals PostgreSQL's count.
  const event = result.output as CompletionEvent;
  expect(event.detail).toMatchObject({ state: 'FINISHED', rows: 1 });
  const counted = await dataApi.send(new GetStatementResultCommand({ Id: event.detail.statementId }));
  const [expected] = await tasker.dataApi.query('SELECT COUNT(*)::int AS row_count FROM sfn_example_runs');
  expect(counted.Records).toEqual([[{ longValue: expected.row_count }]]);
});

TESTED.add('parallel-statements');
it('parallel-statements: all branches start before any finishes; the output lists every completion event', async () => {
  const machine = catalogDefinition('parallel-statements');
  const branches = (asScope(machine).States['Run in parallel'].Branches ?? []).map((b) => ({ name: b.StartAt, sql: sqlOf(b, b.StartAt) }));
  expect(branches).toHaveLength(3);

  const result = await run(machine);
  expect(result.status).toBe('SUCCEEDED');
  expect(exitedStates(result)).toEqual(['Run in parallel', ...branches.map((b) => b.name)].sort());
  const firstBranchExit = Math.min(
    ...result.events.filter((e) => e.type === 'StateExited' && e.stateType === 'Task').map((e) => result.events.indexOf(e)),
  );
  for (const b of branches) {
    expect(result.events.findIndex((e) => e.type === 'StateEntered' && e.name === b.name)).toBeLessThan(firstBranchExit);
  }

  const events = result.output as CompletionEvent[];
  expect(events).toHaveLength(branches.length);
  expect(new Set(events.map((e) => e.detail.statementId)).size).toBe(branches.length);
  // Branch outputs come in branch order: each is the event of its own branch's statement.
  for (const [index, event] of events.entries()) {
    expect(event.detail).toMatchObject({ state: 'FINISHED', rows: 1 });
    expect(await describeStatement(event.detail.statementId)).toMatchObject({ Status: 'FINISHED', QueryString: branches[index].sql });
  }
});

TESTED.add('singleton-statements');
it('singleton-statements: one branch runs the statement, every other one is refused with ConcurrentExecution', async () => {
  const branchCount = 3;
  const sql = `SELECT 7 AS lucky ${hold(1_500)}`;
  const result = await run(singletonStatements(tasker.functionArn, { sql, branches: branchCount }));
  expect(result.status).toBe('SUCCEEDED');

  const outputs = result.output as Array<CompletionEvent & { error?: CaughtError }>;
  expect(outputs).toHaveLength(branchCount);
  const winners = outputs.flatMap((o, index) => (o.detail !== undefined ? [index] : []));
  expect(winners).toHaveLength(1);
  const winner = winners[0];
  expect(outputs[winner].detail).toMatchObject({ state: 'FINISHED', rows: 1 });
  for (const [index, output] of outputs.entries()) {
    if (index !== winner) expect(output.error?.Error).toBe('ConcurrentExecution');
  }
  // The refused branches went to their catch state; the winner did not.
  const refusedStates = outputs.flatMap((_, index) => (index === winner ? [] : [`Already running (${index + 1})`]));
  const allRuns = outputs.map((_, index) => `Run report (${index + 1})`);
  expect(exitedStates(result)).toEqual(['Run the report once', ...allRuns, ...refusedStates].sort());
  expect(result.events.filter((e) => e.type === 'StateFailed').map((e) => [e.name, e.error])).toEqual(
    expect.arrayContaining(refusedStates.map((s) => [s.replace('Already running', 'Run report'), 'ConcurrentExecution'])),
  );
  // Only the winner's statement reached the Data API.
  expect(statementStarts().filter((c) => c.input.Sql === sql)).toHaveLength(1);
  expect(await describeStatement(outputs[winner].detail.statementId)).toMatchObject({ Status: 'FINISHED', QueryString: sql });
});

TESTED.add('cancel-on-timeout');
it('cancel-on-timeout: the timed-out statement is cancelled (ABORTED) and the execution fails with StatementTimedOut', async () => {
  const sql = `SELECT COUNT(*) AS generated FROM generate_series(1, 10) AS g ${hold(60_000)}`;
  const result = await run(cancelOnTimeout(tasker.functionArn, { sql, timeoutSeconds: 1 }));
  expect(result).toMatchObject({ status: 'FAILED', error: 'StatementTimedOut' });
  expect(trace(result)).toEqual([
    ['StateEntered', 'Run slow statement', undefined],
    ['StateFailed', 'Run slow statement', 'States.Timeout'],
    ['StateCaught', 'Run slow statement', undefined],
    ['StateExited', 'Run slow statement', undefined],
    ['StateEntered', 'Cancel statement', undefined],
    ['StateExited', 'Cancel statement', undefined],
    ['StateEntered', 'Timed out', undefined],
    ['StateFailed', 'Timed out', 'StatementTimedOut'],
  ]);

  // `LATEST` resolved to the slow statement, and the cancel was accepted.
  const started = statementStarts().filter((c) => c.input.Sql === sql);
  expect(started).toHaveLength(1);
  const cancel = tasker.dataApi.calls.filter((c) => c.operation === 'CancelStatement').pop();
  expect(cancel?.error).toBeUndefined();
  const described = await describeStatement(String(cancel?.input.Id));
  expect(described).toMatchObject({ Status: 'ABORTED', QueryString: sql });
  const cancelExit = result.events.find((e) => e.type === 'StateExited' && e.name === 'Cancel statement');
  expect((cancelExit!.output as { cancel?: { Payload?: unknown } }).cancel?.Payload).toBeDefined();
});

TESTED.add('read-result-set');
it('read-result-set: the rows read back equal the rows PostgreSQL returns for the query', async () => {
  const machine = catalogDefinition('read-result-set');
  const sql = sqlOf(asScope(machine), 'Run query');
  const result = await run(machine);
  expect(result.status).toBe('SUCCEEDED');
  expect(trace(result)).toEqual(
    ['Run query', 'Read result'].flatMap((name) => [
      ['StateEntered', name, undefined],
      ['StateExited', name, undefined],
    ]),
  );

  const output = result.output as {
    statement: CompletionEvent;
    result: { Payload: { Records: unknown[][]; ColumnMetadata: { name: string }[]; TotalNumRows: number } };
  };
  // `LATEST` read the query the first state ran.
  const read = tasker.dataApi.calls.filter((c) => c.operation === 'GetStatementResult').pop();
  expect(read?.input.Id).toBe(output.statement.detail.statementId);

  const rows = await tasker.dataApi.query(sql);
  expect(rows.length).toBeGreaterThan(0);
  const asField = (value: unknown) => (typeof value === 'number' ? { longValue: value } : { stringValue: String(value) });
  expect(output.result.Payload.Records).toEqual(rows.map((row) => Object.values(row).map(asField)));
  expect(output.result.Payload.ColumnMetadata.map((c) => c.name)).toEqual(Object.keys(rows[0]));
  expect(output.result.Payload.TotalNumRows).toBe(rows.length);
  expect(output.statement.detail).toMatchObject({ state: 'FINISHED', rows: rows.length });
});

TESTED.add('transaction');
describe('transaction', () => {
  const ACCOUNTS = 'SELECT id, balance FROM sfn_example_accounts ORDER BY id';

  it('applies every statement when all succeed', async () => {
    await tasker.dataApi.query('DROP TABLE IF EXISTS sfn_example_accounts');
    const machine = catalogDefinition('transaction');
    const result = await run(machine);
    expect(result.status).toBe('SUCCEEDED');
    expect(trace(result)).toEqual([
      ['StateEntered', 'Transfer', undefined],
      ['StateExited', 'Transfer', undefined],
    ]);
    expect((result.output as CompletionEvent).detail.state).toBe('FINISHED');
    const batch = statementStarts().pop();
    expect(batch?.operation).toBe('BatchExecuteStatement');
    expect(batch?.input.Sqls).toEqual(asScope(machine).States.Transfer.Parameters?.Payload?.sqlStatements);
    // The table was created and the amount moved.
    expect(await tasker.dataApi.query(ACCOUNTS)).toEqual([
      { id: 1, balance: 60 },
      { id: 2, balance: 40 },
    ]);
  });

  it('changes nothing when a later statement fails, and routes the failure to the rollback state', async () => {
    // The last UPDATE (balance 0 + 40) breaks this constraint, after the DELETE, INSERT and first UPDATE ran.
    await tasker.dataApi.query('DROP TABLE IF EXISTS sfn_example_accounts');
    await tasker.dataApi.query('CREATE TABLE sfn_example_accounts (id integer, balance integer CHECK (balance <> 40))');
    await tasker.dataApi.query('INSERT INTO sfn_example_accounts (id, balance) VALUES (1, 5), (2, 6), (3, 7)');
    const before = await tasker.dataApi.query(ACCOUNTS);

    const result = await run(catalogDefinition('transaction'));
    expect(result).toMatchObject({ status: 'FAILED', error: 'TransferFailed' });
    expect(trace(result)).toEqual([
      ['StateEntered', 'Transfer', undefined],
      ['StateFailed', 'Transfer', 'FAILED'],
      ['StateCaught', 'Transfer', undefined],
      ['StateExited', 'Transfer', undefined],
      ['StateEntered', 'Transfer rolled back', undefined],
      ['StateFailed', 'Transfer rolled back', 'TransferFailed'],
    ]);
    const failed = result.events.find((e) => e.type === 'StateFailed' && e.name === 'Transfer');
    expect(failed?.cause).toMatch(/check constraint/);
    // None of the five statements left a trace: the rows are those from before the run.
    expect(await tasker.dataApi.query(ACCOUNTS)).toEqual(before);
    await tasker.dataApi.query('DROP TABLE sfn_example_accounts');
  });
});

TESTED.add('polling');
describe('polling', () => {
  interface PollingOutput {
    executionDetails: { Id: string; CreatedAt: unknown };
    status: { Payload: { Id: string; Status: string; Error?: string } };
  }
  const visits = (result: ExecutionResult, state: string) =>
    result.events.filter((e) => e.type === 'StateEntered' && e.name === state).length;

  it('starts without a task token, loops while the statement runs, and succeeds once it is FINISHED', async () => {
    // Longer than the start's fast-path wait (1 s), so the loop still finds it running.
    const sql = `SELECT 1 AS polled ${hold(3_500)}`;
    const machine = polling(tasker.functionArn, { sql, pollSeconds: 1 });
    const result = await run(machine);
    expect(result.status).toBe('SUCCEEDED');
    expect(result.events.filter((e) => e.type === 'StateEntered').map((e) => e.name)[0]).toBe('Start statement');
    expect(result.events.at(-1)).toMatchObject({ type: 'StateExited', name: 'Statement finished' });
    // The statement was still running at the first check, so the Choice sent the machine back to Wait.
    expect(visits(result, 'Describe statement')).toBeGreaterThan(1);
    expect(visits(result, 'Wait before check')).toBe(visits(result, 'Describe statement'));

    const output = result.output as PollingOutput;
    // `$.executionDetails.Id` is the statement the Data API ran, and the last describe read it.
    const starts = statementStarts().filter((c) => c.input.Sql === sql);
    expect(starts.map((c) => c.operation)).toEqual(['ExecuteStatement']);
    const describedIds = tasker.dataApi.calls
      .filter((c) => c.operation === 'DescribeStatement')
      .slice(-visits(result, 'Describe statement'))
      .map((c) => c.input.Id);
    expect(describedIds).toEqual(Array(visits(result, 'Describe statement')).fill(output.executionDetails.Id));
    expect(output.status.Payload).toMatchObject({ Id: output.executionDetails.Id, Status: 'FINISHED' });
    expect(await describeStatement(output.executionDetails.Id)).toMatchObject({ Status: 'FINISHED', QueryString: sql, ResultRows: 1 });
  });

  it('ends in the Fail state when the statement FAILED, the database message in the last describe', async () => {
    const sql = 'SELECT * FROM sfn_example_polled_table_that_does_not_exist';
    const result = await run(polling(tasker.functionArn, { sql, pollSeconds: 1 }));
    expect(result).toMatchObject({ status: 'FAILED', error: 'StatementFailed' });
    expect(result.events.at(-1)).toMatchObject({ type: 'StateFailed', name: 'Statement failed', error: 'StatementFailed' });
    const lastCheck = result.events.filter((e) => e.type === 'StateExited' && e.name === 'Describe statement').pop();
    const status = (lastCheck!.output as PollingOutput).status.Payload;
    expect(status).toMatchObject({ Status: 'FAILED', Error: expect.stringMatching(/does not exist/) });
    expect(await describeStatement(status.Id)).toMatchObject({ Status: 'FAILED', QueryString: sql });
  });
});
