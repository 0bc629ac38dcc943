/**
 * End to end, with the handler bundle exactly as the construct ships it (dist/tasker-handler.zip):
 * state machines run locally, statements run on PostgreSQL behind the local Data API, completion
 * events travel the rule pattern → SQS-shaped batches → handler → SendTask* → the waiting state.
 */
import { DescribeStatementCommand, RedshiftDataClient } from '@aws-sdk/client-redshift-data';
import { cancelOnTimeout } from '../../examples/state-machines/cancel-on-timeout';
import { singleFailure } from '../../examples/state-machines/single-failure';
import { eltStateMachine } from '../../local/demo/elt-state-machine';
import { startLocalTasker, type LocalTasker } from '../../local/stack';
import { SLOW, SLOW_STATEMENT_TASKER_OPTIONS } from '../support/slow-statements';
import type { StateEvent } from '../../local/step-functions/run-state-machine';
import { serializeDefinition } from '../../modules/sfn';

let tasker: LocalTasker;

beforeAll(async () => {
  tasker = await startLocalTasker(SLOW_STATEMENT_TASKER_OPTIONS);
});
afterAll(async () => {
  await tasker?.stop();
});
afterEach(async () => {
  await tasker.delivery.idle();
});

const acceptedCallbacks = () => tasker.callbacks.calls.filter((c) => c.answeredWith === undefined && c.action !== 'SendTaskHeartbeat');

it('runs the multi-step ELT state machine to the expected result', async () => {
  const before = acceptedCallbacks().length;
  const events: StateEvent[] = [];
  const result = await tasker.run(
    serializeDefinition(eltStateMachine(tasker.functionArn, { orders: 500, topRegions: 3 })),
    {},
    {
      onStateEvent: (e) => events.push(e),
    },
  );
  expect(result.status).toBe('SUCCEEDED');
  expect(events.filter((e) => e.type === 'StateExited').map((e) => e.name)).toEqual([
    'Create tables',
    'Load raw orders',
    'Clean orders',
    'Aggregate revenue',
    'Query top regions',
    'Read top regions',
    'Summarise',
  ]);

  // The expected figures come from PostgreSQL itself, not from the state machine.
  const [counts] = await tasker.dataApi.query(
    `SELECT (SELECT COUNT(*)::int FROM stg_orders) AS loaded, (SELECT COUNT(*)::int FROM orders_clean) AS clean,
            (SELECT COUNT(*)::int FROM revenue_by_region_day) AS aggregated`,
  );
  expect(counts.loaded).toBe(500);
  const top = await tasker.dataApi.query(
    `SELECT region, SUM(orders)::int AS orders, SUM(revenue)::text AS revenue FROM revenue_by_region_day GROUP BY region ORDER BY ` +
      `SUM(revenue) DESC LIMIT 3`,
  );
  expect(result.output).toEqual({
    loadedOrders: counts.loaded,
    cleanOrders: counts.clean,
    aggregateRows: counts.aggregated,
    topRegions: top.map((row) => [{ stringValue: row.region }, { longValue: row.orders }, { stringValue: row.revenue }]),
    columns: ['region', 'orders', 'revenue'],
  });

  // Five SQL states, five callbacks, every statement started with an event and this tasker's name prefix.
  expect(acceptedCallbacks().length - before).toBe(5);
  const starts = tasker.dataApi.calls
    .filter((c) => c.operation === 'ExecuteStatement' || c.operation === 'BatchExecuteStatement')
    .slice(-5);
  expect(starts.map((c) => c.operation)).toEqual([
    'BatchExecuteStatement',
    'ExecuteStatement',
    'ExecuteStatement',
    'ExecuteStatement',
    'ExecuteStatement',
  ]);
  for (const call of starts) {
    expect(call.input).toMatchObject({ WithEvent: true, ClusterIdentifier: 'local-cluster', Database: 'dev', DbUser: 'etl' });
    expect(String(call.input.StatementName)).toMatch(/^sfnrs-local-/);
  }
  expect(tasker.delivery.deadLetters).toEqual([]);
});

it('catches a failing SQL statement on FAILED, with the PostgreSQL error in the cause', async () => {
  const result = await tasker.run(serializeDefinition(singleFailure(tasker.functionArn)));
  expect(result.status).toBe('SUCCEEDED');
  const { error } = result.output as { error: { Error: string; Cause: string } };
  expect(error.Error).toBe('FAILED');
  expect(error.Cause).toContain('relation \\"sfn_example_table_that_does_not_exist\\" does not exist');
});

it('cancels the running statement when its state times out', async () => {
  const client = new RedshiftDataClient({
    endpoint: tasker.dataApi.endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'l', secretAccessKey: 'l' },
  });
  const result = await tasker.run(
    serializeDefinition(cancelOnTimeout(tasker.functionArn, { sql: `SELECT 42 ${SLOW}`, timeoutSeconds: 1 })),
  );
  expect(result).toMatchObject({ status: 'FAILED', error: 'StatementTimedOut' });
  expect(result.events.map((e) => [e.type, e.name, e.error])).toEqual([
    ['StateEntered', 'Run slow statement', undefined],
    ['StateFailed', 'Run slow statement', 'States.Timeout'],
    ['StateCaught', 'Run slow statement', undefined],
    ['StateExited', 'Run slow statement', undefined],
    ['StateEntered', 'Cancel statement', undefined],
    ['StateExited', 'Cancel statement', undefined],
    ['StateEntered', 'Timed out', undefined],
    ['StateFailed', 'Timed out', 'StatementTimedOut'],
  ]);

  const slowStart = tasker.dataApi.calls.filter((c) => c.operation === 'ExecuteStatement' && String(c.input.Sql).includes(SLOW)).pop();
  expect(slowStart).toBeDefined();
  const cancel = tasker.dataApi.calls.filter((c) => c.operation === 'CancelStatement').pop();
  expect(cancel?.error).toBeUndefined();
  const described = await client.send(new DescribeStatementCommand({ Id: String(cancel!.input.Id) }));
  expect(described).toMatchObject({ Status: 'ABORTED', QueryString: `SELECT 42 ${SLOW}` });
  expect(tasker.dataApi.activeStatements()).toBe(0);

  // The ABORTED event still reaches the handler; its callback finds the token closed and is not retried forever.
  await tasker.delivery.idle();
  expect(tasker.delivery.deadLetters).toEqual([]);
  client.destroy();
});
