/**
 * Runs the app's nightly state machine locally: the tasker's real handler (the zip the construct deploys),
 * a local Redshift Data API on PostgreSQL, DynamoDB (dynalite), event delivery and Step Functions, all in
 * this process. Set LOCAL_REDSHIFT_PG_URL to use a PostgreSQL server; otherwise PostgreSQL is embedded (PGlite).
 */
import { startLocalTasker, type LocalTasker } from 'cdktf-stepfunctions-redshift/local';
import { nightlyDefinition, taskerProps } from '../src/nightly';

let tasker: LocalTasker;

beforeAll(async () => {
  tasker = await startLocalTasker({ props: taskerProps, connectionString: process.env.LOCAL_REDSHIFT_PG_URL || undefined });
  await tasker.seed([
    'DROP TABLE IF EXISTS staged_orders, orders, daily_totals',
    'CREATE TABLE staged_orders (region text NOT NULL, amount int NOT NULL)',
    'CREATE TABLE orders (day date NOT NULL, region text NOT NULL, amount int NOT NULL CHECK (amount > 0))',
    'CREATE TABLE daily_totals (day date NOT NULL, region text NOT NULL, total int NOT NULL, PRIMARY KEY (day, region))',
  ]);
  tasker.registerStateMachine('nightly', nightlyDefinition(tasker.functionArn));
});
afterAll(() => tasker?.stop());

test('loads and aggregates a day: SUCCEEDED', async () => {
  await tasker.seed(['DELETE FROM staged_orders', "INSERT INTO staged_orders VALUES ('north', 10), ('north', 5), ('south', 7)"]);
  const result = await tasker.run('nightly', { day: '2026-01-01' });
  expect(result.status).toBe('SUCCEEDED');
  expect(result.statesVisited).toEqual(['Load orders', 'Aggregate', 'Done']);
  expect(result.output).toMatchObject({ load: { detail: { state: 'FINISHED', rows: 3 } } });
  expect(await tasker.query("SELECT region, total FROM daily_totals WHERE day = '2026-01-01' ORDER BY region")).toEqual([
    { region: 'north', total: 15 },
    { region: 'south', total: 7 },
  ]);
});

test('a failing statement is caught: FAILED with the state machine error, nothing half-loaded', async () => {
  await tasker.seed(['DELETE FROM staged_orders', "INSERT INTO staged_orders VALUES ('north', 10), ('west', -1)"]);
  const result = await tasker.run('nightly', { day: '2026-01-02' });
  expect(result.status).toBe('FAILED');
  expect(result.error).toBe('NightlyFailed');
  expect(result.statesVisited).toEqual(['Load orders', 'Nightly failed']);
  // The Catch saw the statement's failure: the SQL error is in the state's events.
  const caught = result.events.find((event) => event.type === 'StateEntered' && event.name === 'Nightly failed');
  expect(JSON.stringify(caught?.input)).toContain('orders_amount_check');
  expect(await tasker.query("SELECT count(*)::int AS n FROM orders WHERE day = '2026-01-02'")).toEqual([{ n: 0 }]);
});
