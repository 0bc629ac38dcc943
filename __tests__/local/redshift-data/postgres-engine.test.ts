/**
 * The PostgreSQL-server engine, on a real throwaway server started by this file (initdb + pg_ctl).
 *
 * The engine contract (text values, column types, row counts, SQLSTATEs, transactions, and the Data API
 * behaviour built on them) runs against BOTH engines, so the server engine is held to what the PGlite
 * engine does. Then what only a server engine can do: really cancel a running statement.
 */
import {
  BatchExecuteStatementCommand,
  CancelStatementCommand,
  ExecuteStatementCommand,
  GetStatementResultCommand,
  RedshiftDataClient,
} from '@aws-sdk/client-redshift-data';
import { Client } from 'pg';
import {
  createPgliteEngine,
  createPostgresEngine,
  EngineAborted,
  PostgresEngineConfigurationError,
  startLocalRedshiftData,
  type SqlEngine,
} from '../../../local/redshift-data';
import { APPLICATION_NAME } from '../../../local/redshift-data/postgres-engine';
import { CLUSTER, credentials, finished, run, startDataApi, stopStartedDataApis, uniqueTable } from './data-api-test-client';
import { freeLoopbackPort } from '../../support/free-port';
import { postgresUnavailableReason, startThrowawayPostgres, type ThrowawayPostgres } from './throwaway-postgres';

const unavailable = postgresUnavailableReason();
if (unavailable) {
  console.warn(`Skipping the PostgreSQL-server engine tests: ${unavailable}. Install PostgreSQL (initdb, pg_ctl, postgres) to run them.`);
}
const describeWithPostgres = unavailable ? describe.skip : describe;

let server: ThrowawayPostgres;
/** A connection of the test's own, to inspect the server (pg_stat_activity) behind the engine's back. */
let admin: Client;
const engines: Record<'PGlite' | 'PostgreSQL server', SqlEngine> = {} as never;

if (!unavailable) {
  beforeAll(async () => {
    // PGlite starts in its worker thread while the server is initialised.
    const pglite = createPgliteEngine();
    server = await startThrowawayPostgres();
    admin = new Client({ connectionString: server.connectionString });
    await admin.connect();
    [engines.PGlite, engines['PostgreSQL server']] = await Promise.all([
      pglite,
      createPostgresEngine({ connectionString: server.connectionString }),
    ]);
  });
  afterEach(stopStartedDataApis);
  afterAll(async () => {
    await Promise.allSettled(Object.values(engines).map((engine) => engine.close()));
    await admin?.end();
    await server?.stop();
  });
}

const start = startDataApi;

const never = new AbortController().signal;

describeWithPostgres.each(['PGlite', 'PostgreSQL server'] as const)('engine contract: %s', (name) => {
  const engine = (): SqlEngine => engines[name];

  it('gives values as PostgreSQL text output, columns with type OIDs and names', async () => {
    const [outcome] = await engine().run(
      [
        {
          text: `select 9007199254740993::int8 as big, true as yes, '{"a": 1}'::json as doc, timestamp '2024-01-02 03:04:05' as at,
                        1.50::numeric(5,2) as amount, $1::varchar as label, null::text as nothing`,
          values: ['x'],
        },
      ],
      { transaction: false, signal: never },
    );
    expect(outcome).toEqual({
      ok: true,
      hasResultSet: true,
      rowCount: 1,
      rows: [['9007199254740993', 't', '{"a": 1}', '2024-01-02 03:04:05', '1.50', 'x', null]],
      columns: [
        { name: 'big', typeId: 20, typeName: 'int8' },
        { name: 'yes', typeId: 16, typeName: 'bool' },
        { name: 'doc', typeId: 114, typeName: 'json' },
        { name: 'at', typeId: 1114, typeName: 'timestamp' },
        { name: 'amount', typeId: 1700, typeName: 'numeric' },
        { name: 'label', typeId: 1043, typeName: 'varchar' },
        { name: 'nothing', typeId: 25, typeName: 'text' },
      ],
    });
  });

  it('counts affected rows, and reports an error with its SQLSTATE and stops there', async () => {
    const table = uniqueTable();
    const outcomes = await engine().run(
      [
        { text: `create table ${table} (n int)`, values: [] },
        { text: `insert into ${table} select generate_series(1, 3)`, values: [] },
        { text: `update ${table} set n = n + 1 where n > $1`, values: ['1'] },
        { text: 'select * from no_such_table', values: [] },
        { text: 'select 1', values: [] },
      ],
      { transaction: false, signal: never },
    );
    expect(outcomes.map((o) => (o.ok ? [o.hasResultSet, o.rowCount] : [o.code, o.message]))).toEqual([
      [false, 0],
      [false, 3],
      [false, 2],
      ['42P01', 'relation "no_such_table" does not exist'],
    ]);
    // Auto-commit: the statements before the error stay.
    expect(await engine().query(`select count(*)::int as c from ${table}`)).toEqual([{ c: 3 }]);
  });

  it('rejects with EngineAborted, running nothing, when the signal is already aborted', async () => {
    const table = uniqueTable();
    const controller = new AbortController();
    controller.abort();
    await expect(
      engine().run([{ text: `create table ${table} (n int)`, values: [] }], { transaction: true, signal: controller.signal }),
    ).rejects.toBeInstanceOf(EngineAborted);
    expect(await engine().query(`select to_regclass('${table}')::text as t`)).toEqual([{ t: null }]);
  });

  it('through the Data API: typed records and column metadata from GetStatementResult', async () => {
    const { client } = await start(engine(), { resultPageSize: 2 });
    const select = await run(
      client,
      `select g as n, g * 1.5::float8 as f, (g % 2 = 0) as even, (g * 10)::numeric(10,2) as amount,
              case when g = 3 then null else 'row ' || g end as label, date '2024-01-01' + g as day
         from generate_series(1, 3) g order by g`,
    );
    expect(select).toMatchObject({ Status: 'FINISHED', ResultRows: 3, HasResultSet: true });
    const first = await client.send(new GetStatementResultCommand({ Id: select.Id }));
    const second = await client.send(new GetStatementResultCommand({ Id: select.Id, NextToken: first.NextToken }));
    expect(second.NextToken).toBeUndefined();
    expect([...first.Records!, ...second.Records!][2]).toEqual([
      { longValue: 3 },
      { doubleValue: 4.5 },
      { booleanValue: false },
      { stringValue: '30.00' },
      { isNull: true },
      { stringValue: '2024-01-04' },
    ]);
    expect(first.ColumnMetadata!.map((c) => c.typeName)).toEqual(['int4', 'float8', 'bool', 'numeric', 'text', 'date']);
  });

  it('through the Data API: binds named parameters', async () => {
    const { client } = await start(engine());
    const select = await run(client, `select :name::text as name, :n::int + 1 as next, ':n' as literal`, {
      Parameters: [
        { name: 'name', value: "O'Brien; drop table x" },
        { name: 'n', value: '41' },
      ],
    });
    const result = await client.send(new GetStatementResultCommand({ Id: select.Id }));
    expect(result.Records).toEqual([[{ stringValue: "O'Brien; drop table x" }, { longValue: 42 }, { stringValue: ':n' }]]);
  });

  it('through the Data API: an SQL error is FAILED with the PostgreSQL message; two commands in one are refused', async () => {
    const { client, events } = await start(engine());
    const failed = await run(client, 'select 1/0', { WithEvent: true });
    expect(failed).toMatchObject({ Status: 'FAILED', Error: 'ERROR: division by zero' });
    const twoCommands = await run(client, 'select 1; select 2');
    expect(twoCommands.Status).toBe('FAILED');
    expect(twoCommands.Error).toMatch(/multiple commands/);
    await new Promise((resolve) => setImmediate(resolve));
    expect(events.map((e) => e.detail.state)).toEqual(['FAILED']);
  });

  it('through the Data API: a batch is one transaction, rolled back on error; AUTO_COMMIT keeps earlier statements', async () => {
    const { client, api } = await start(engine());
    const [rolledBack, kept] = [uniqueTable(), uniqueTable()];
    const batch = (Sqls: string[], ExecutionMode?: 'AUTO_COMMIT') =>
      client.send(new BatchExecuteStatementCommand({ ...CLUSTER, Sqls, ExecutionMode })).then(({ Id }) => finished(client, Id!));
    const failed = await batch([
      `create table ${rolledBack} (n int)`,
      `insert into ${rolledBack} values (1)`,
      'select * from missing_table',
      'select 1',
    ]);
    expect(failed.Status).toBe('FAILED');
    expect(failed.Error).toBe('ERROR: relation "missing_table" does not exist');
    expect(failed.SubStatements!.map((s) => [s.Status, s.ResultRows])).toEqual([
      ['FINISHED', 0],
      ['FINISHED', 1],
      ['FAILED', -1],
      ['ABORTED', -1],
    ]);
    expect(await api.query(`select to_regclass('${rolledBack}')::text as t`)).toEqual([{ t: null }]);
    expect((await batch([`create table ${kept} (n int)`, 'select * from missing_table'], 'AUTO_COMMIT')).Status).toBe('FAILED');
    expect(await api.query(`select to_regclass('${kept}')::text as t`)).toEqual([{ t: kept }]);
    const ok = await batch([`insert into ${kept} values (1), (2)`, `select count(*) from ${kept}`]);
    expect(ok.Status).toBe('FINISHED');
    expect((await client.send(new GetStatementResultCommand({ Id: `${ok.Id}:2` }))).Records).toEqual([[{ longValue: 2 }]]);
  });
});

/** Our engine's sessions running `pg_sleep`, as the server sees them. */
async function sleepingSessions(): Promise<{ pid: number; state: string }[]> {
  const { rows } = await admin.query<{ pid: number; state: string }>(
    `select pid, state from pg_stat_activity where application_name = $1 and query like '%pg_sleep%'`,
    [APPLICATION_NAME],
  );
  return rows;
}

/** Polls `check` every 20 ms until it returns true; fails after `ms`. */
async function until(check: () => Promise<boolean>, ms = 3_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${ms} ms`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describeWithPostgres('PostgreSQL server: cancel', () => {
  const engine = (): SqlEngine => engines['PostgreSQL server'];

  it('CancelStatement stops a running pg_sleep on the server: ABORTED, and the query is gone from pg_stat_activity', async () => {
    const { client, events } = await start(engine());
    const { Id } = await client.send(new ExecuteStatementCommand({ ...CLUSTER, Sql: 'select pg_sleep(10)', WithEvent: true }));
    await until(async () => (await sleepingSessions()).some((s) => s.state === 'active'));
    const cancelledAt = Date.now();
    await client.send(new CancelStatementCommand({ Id }));
    expect((await finished(client, Id!)).Status).toBe('ABORTED');
    await until(async () => (await sleepingSessions()).every((s) => s.state !== 'active'));
    expect(Date.now() - cancelledAt).toBeLessThan(5_000); // pg_sleep(10) would hold for 10 s
    expect(events.map((e) => [e.detail.statementId, e.detail.state])).toEqual([[Id, 'ABORTED']]);
    // The engine still works afterwards (the aborted connection was dropped, not reused).
    expect((await run(client, 'select 1')).Status).toBe('FINISHED');
  });

  it('cancelling a batch rolls its transaction back on the server, leaving no session idle in transaction', async () => {
    const { client, api } = await start(engine());
    const table = uniqueTable();
    const { Id } = await client.send(
      new BatchExecuteStatementCommand({
        ...CLUSTER,
        Sqls: [
          `create table ${table} (n int)`,
          `insert into ${table} values (1)`,
          'select pg_sleep(10)',
          `insert into ${table} values (2)`,
        ],
      }),
    );
    await until(async () => (await sleepingSessions()).some((s) => s.state === 'active'));
    await client.send(new CancelStatementCommand({ Id }));
    const done = await finished(client, Id!);
    expect(done.Status).toBe('ABORTED');
    await until(async () => (await sleepingSessions()).every((s) => s.state !== 'active'));
    // The engine rolls back and drops the connection just after the cancel (the statement is ABORTED already).
    const openTransactions = () =>
      admin
        .query(`select pid from pg_stat_activity where application_name = $1 and state like 'idle in transaction%'`, [APPLICATION_NAME])
        .then((r) => r.rowCount);
    await until(async () => (await openTransactions()) === 0, 2_000);
    expect(await api.query(`select to_regclass('${table}')::text as t`)).toEqual([{ t: null }]);
  });

  it('an aborted signal makes run reject with EngineAborted while the query runs', async () => {
    const controller = new AbortController();
    const running = engine().run([{ text: 'select pg_sleep(10)', values: [] }], { transaction: false, signal: controller.signal });
    await until(async () => (await sleepingSessions()).some((s) => s.state === 'active'));
    const abortedAt = Date.now();
    controller.abort();
    await expect(running).rejects.toBeInstanceOf(EngineAborted);
    expect(Date.now() - abortedAt).toBeLessThan(5_000); // pg_sleep(10) would hold for 10 s
    expect((await sleepingSessions()).filter((s) => s.state === 'active')).toEqual([]);
  });

  it('stop() cancels what runs on the server and returns quickly', async () => {
    const api = await startLocalRedshiftData({ engine: engine() });
    const client = new RedshiftDataClient({ endpoint: api.endpoint, region: 'us-east-1', credentials, maxAttempts: 1 });
    await client.send(new ExecuteStatementCommand({ ...CLUSTER, Sql: 'select pg_sleep(10)' }));
    await until(async () => (await sleepingSessions()).some((s) => s.state === 'active'));
    const t0 = Date.now();
    await api.stop();
    expect(Date.now() - t0).toBeLessThan(5_000); // pg_sleep(10) would hold for 10 s
    expect(api.activeStatements()).toBe(0);
    await until(async () => (await sleepingSessions()).every((s) => s.state !== 'active'));
  });
});

describeWithPostgres('PostgreSQL server: options', () => {
  it('startLocalRedshiftData({ connectionString }) runs statements there and closes its connections on stop', async () => {
    const connectionString = `${server.connectionString}?application_name=convenience-test`;
    const api = await startLocalRedshiftData({ connectionString });
    const client = new RedshiftDataClient({ endpoint: api.endpoint, region: 'us-east-1', credentials, maxAttempts: 1 });
    const table = uniqueTable();
    expect((await run(client, `create table ${table} as select 1 as n`)).Status).toBe('FINISHED');
    expect((await admin.query(`select count(*)::int as c from ${table}`)).rows).toEqual([{ c: 1 }]);
    const sessions = () =>
      admin.query(`select pid from pg_stat_activity where application_name = 'convenience-test'`).then((r) => r.rowCount);
    expect(await sessions()).toBeGreaterThan(0);
    await api.stop();
    await until(async () => (await sessions()) === 0);
  });

  it('refuses bad options with a named error before connecting', async () => {
    await expect(createPostgresEngine({ connectionString: ' ' })).rejects.toBeInstanceOf(PostgresEngineConfigurationError);
    await expect(createPostgresEngine({ connectionString: server.connectionString, maxConnections: 0 })).rejects.toThrow(/maxConnections/);
    await expect(
      startLocalRedshiftData({ engine: engines['PostgreSQL server'], connectionString: server.connectionString }),
    ).rejects.toThrow(/engine or connectionString, not both/);
  });

  it('fails to start with the connection error when nothing listens there', async () => {
    const closedPort = await freeLoopbackPort();
    await expect(createPostgresEngine({ connectionString: `postgres://postgres@127.0.0.1:${closedPort}/postgres` })).rejects.toThrow(
      /cannot connect to PostgreSQL: .*ECONNREFUSED/,
    );
  });
});
