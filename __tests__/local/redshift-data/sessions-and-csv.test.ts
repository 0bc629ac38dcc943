/**
 * The local Data API's sessions, WaitTimeSeconds and CSV results, through the real SDK client.
 *
 * Sessions on a real throwaway PostgreSQL server (one connection per session: a temporary table lives in
 * its session only); on PGlite, which is one shared connection, sessions are refused. CSV and the wait
 * work on both engines; they run on PGlite here.
 */
import {
  DescribeStatementCommand,
  ExecuteStatementCommand,
  GetStatementResultCommand,
  GetStatementResultV2Command,
} from '@aws-sdk/client-redshift-data';
import { createPgliteEngine, createPostgresEngine, type SqlEngine } from '../../../local/redshift-data';
import { CLUSTER, finished, startDataApi, stopStartedDataApis } from './data-api-test-client';
import { postgresUnavailableReason, startThrowawayPostgres, type ThrowawayPostgres } from './throwaway-postgres';

const unavailable = postgresUnavailableReason();
if (unavailable) console.warn(`Skipping the session tests on a PostgreSQL server: ${unavailable}.`);
const describeWithPostgres = unavailable ? describe.skip : describe;

/** SQL containing this marker stays STARTED for 1.5 s. */
const SLOW = '/* slow */';
const slowDelay = ({ sqls }: { sqls: readonly string[] }): number => (sqls.some((sql) => sql.includes(SLOW)) ? 1_500 : 0);

let pglite: SqlEngine;
let server: ThrowawayPostgres | undefined;
let postgres: SqlEngine | undefined;

beforeAll(async () => {
  const starting = createPgliteEngine();
  if (!unavailable) {
    server = await startThrowawayPostgres();
    postgres = await createPostgresEngine({ connectionString: server.connectionString });
  }
  pglite = await starting;
});
afterEach(stopStartedDataApis);
afterAll(async () => {
  await Promise.allSettled([pglite?.close(), postgres?.close()]);
  await server?.stop();
});

const errorOf = async (promise: Promise<unknown>): Promise<{ name: string; message: string }> => {
  try {
    await promise;
  } catch (err) {
    return { name: (err as Error).name, message: (err as Error).message };
  }
  throw new Error('expected the call to fail');
};

describeWithPostgres('sessions on a PostgreSQL server', () => {
  it('keeps a temporary table within its session and nowhere else', async () => {
    const { client, api } = await startDataApi(postgres!);
    const first = await client.send(
      new ExecuteStatementCommand({ ...CLUSTER, Sql: 'CREATE TEMP TABLE staged AS SELECT 41 + 1 AS answer', SessionKeepAliveSeconds: 60 }),
    );
    expect(first.SessionId).toMatch(/^[0-9a-f-]{36}$/);
    expect((await finished(client, first.Id!)).Status).toBe('FINISHED');

    const inSession = await client.send(new ExecuteStatementCommand({ Sql: 'SELECT answer FROM staged', SessionId: first.SessionId }));
    expect(inSession.SessionId).toBe(first.SessionId);
    const described = await finished(client, inSession.Id!);
    expect(described).toMatchObject({ Status: 'FINISHED', SessionId: first.SessionId, ClusterIdentifier: CLUSTER.ClusterIdentifier });
    const result = await client.send(new GetStatementResultCommand({ Id: inSession.Id }));
    expect(result.Records).toEqual([[{ longValue: 42 }]]);

    // Outside the session (an ordinary statement, or another session) the table does not exist.
    const outside = await client.send(new ExecuteStatementCommand({ ...CLUSTER, Sql: 'SELECT answer FROM staged' }));
    expect(await finished(client, outside.Id!)).toMatchObject({
      Status: 'FAILED',
      Error: expect.stringContaining('"staged" does not exist'),
    });
    const other = await client.send(
      new ExecuteStatementCommand({ ...CLUSTER, Sql: 'SELECT answer FROM staged', SessionKeepAliveSeconds: 60 }),
    );
    expect(other.SessionId).not.toBe(first.SessionId);
    expect((await finished(client, other.Id!)).Status).toBe('FAILED');
    expect(api.openSessions()).toBe(2);
  });

  it('refuses a statement sent to a busy session, and one naming a target besides the session', async () => {
    const { client } = await startDataApi(postgres!, { statementDelayMs: slowDelay });
    const slow = await client.send(new ExecuteStatementCommand({ ...CLUSTER, Sql: `SELECT 1 ${SLOW}`, SessionKeepAliveSeconds: 60 }));
    const busy = await errorOf(client.send(new ExecuteStatementCommand({ Sql: 'SELECT 2', SessionId: slow.SessionId })));
    expect(busy).toEqual({
      name: 'ValidationException',
      message: expect.stringMatching(/^Session \S+ is busy: statement \S+ is running in it/),
    });
    const both = await errorOf(client.send(new ExecuteStatementCommand({ ...CLUSTER, Sql: 'SELECT 2', SessionId: slow.SessionId })));
    expect(both.message).toMatch(/SessionId cannot be combined with ClusterIdentifier, Database, DbUser/);
    await finished(client, slow.Id!);
    // Idle again: the session takes the next statement.
    const next = await client.send(new ExecuteStatementCommand({ Sql: 'SELECT 2', SessionId: slow.SessionId }));
    expect((await finished(client, next.Id!)).Status).toBe('FINISHED');
  });

  it('closes a session once it has been idle for its keep-alive', async () => {
    const { client, api } = await startDataApi(postgres!);
    const started = await client.send(new ExecuteStatementCommand({ ...CLUSTER, Sql: 'SELECT 1', SessionKeepAliveSeconds: 1 }));
    await finished(client, started.Id!);
    expect(api.openSessions()).toBe(1);
    await new Promise((resolve) => setTimeout(resolve, 1_300));
    expect(api.openSessions()).toBe(0);
    const expired = await errorOf(client.send(new ExecuteStatementCommand({ Sql: 'SELECT 1', SessionId: started.SessionId })));
    expect(expired).toEqual({ name: 'ResourceNotFoundException', message: `Session ${started.SessionId} does not exist or has expired.` });
  });

  it('refuses a session beyond maxSessions with ActiveSessionsExceededException', async () => {
    const { client } = await startDataApi(postgres!, { maxSessions: 1 });
    const first = await client.send(new ExecuteStatementCommand({ ...CLUSTER, Sql: 'SELECT 1', SessionKeepAliveSeconds: 60 }));
    await finished(client, first.Id!);
    const refused = await errorOf(client.send(new ExecuteStatementCommand({ ...CLUSTER, Sql: 'SELECT 1', SessionKeepAliveSeconds: 60 })));
    expect(refused.name).toBe('ActiveSessionsExceededException');
  });
});

describe('on PGlite', () => {
  it('refuses sessions with a clear error and starts nothing', async () => {
    const { client, api } = await startDataApi(pglite);
    const refused = await errorOf(client.send(new ExecuteStatementCommand({ ...CLUSTER, Sql: 'SELECT 1', SessionKeepAliveSeconds: 60 })));
    expect(refused).toEqual({
      name: 'ValidationException',
      message: expect.stringContaining('Sessions need the PostgreSQL-server engine'),
    });
    expect(api.activeStatements()).toBe(0);
    expect(api.openSessions()).toBe(0);
  });

  it('WaitTimeSeconds answers with the status: FINISHED when done within it, STARTED when not; the event follows either way', async () => {
    const { client, events } = await startDataApi(pglite, { statementDelayMs: slowDelay });
    const quick = await client.send(new ExecuteStatementCommand({ ...CLUSTER, Sql: 'SELECT 1', WaitTimeSeconds: 5, WithEvent: true }));
    expect(quick).toMatchObject({ Status: 'FINISHED', HasResultSet: true });
    const slow = await client.send(
      new ExecuteStatementCommand({ ...CLUSTER, Sql: `SELECT 1 ${SLOW}`, WaitTimeSeconds: 1, WithEvent: true }),
    );
    expect(slow.Status).toBe('STARTED');
    await finished(client, slow.Id!);
    await new Promise((resolve) => setImmediate(resolve));
    expect(events.map((e) => [e.detail.statementId, e.detail.state])).toEqual([
      [quick.Id, 'FINISHED'],
      [slow.Id, 'FINISHED'],
    ]);
  });

  it('serves CSV results through GetStatementResultV2, paged with NextToken, header on the first page', async () => {
    const { client } = await startDataApi(pglite, { resultPageSize: 2 });
    const sql = `SELECT n, CASE WHEN n = 2 THEN 'a,"b"' END AS label, n % 2 = 0 AS even FROM generate_series(1, 3) AS n ORDER BY n`;
    const { Id } = await client.send(new ExecuteStatementCommand({ ...CLUSTER, Sql: sql, ResultFormat: 'CSV' }));
    expect(await finished(client, Id!)).toMatchObject({ Status: 'FINISHED', ResultFormat: 'CSV' });
    const first = await client.send(new GetStatementResultV2Command({ Id }));
    expect(first).toMatchObject({
      ResultFormat: 'CSV',
      TotalNumRows: 3,
      Records: [{ CSVRecords: 'n,label,even\n1,,false\n2,"a,""b""",true\n' }],
    });
    expect(first.ColumnMetadata?.map((c) => c.name)).toEqual(['n', 'label', 'even']);
    const second = await client.send(new GetStatementResultV2Command({ Id, NextToken: first.NextToken }));
    expect(second.Records).toEqual([{ CSVRecords: '3,,false\n' }]);
    expect(second.NextToken).toBeUndefined();
    // Each operation serves its own format only.
    expect((await errorOf(client.send(new GetStatementResultCommand({ Id })))).message).toMatch(
      /ResultFormat CSV: fetch its result with GetStatementResultV2/,
    );
    const json = await client.send(new ExecuteStatementCommand({ ...CLUSTER, Sql: 'SELECT 1' }));
    await finished(client, json.Id!);
    expect((await errorOf(client.send(new GetStatementResultV2Command({ Id: json.Id })))).message).toMatch(/ResultFormat JSON/);
    expect((await client.send(new DescribeStatementCommand({ Id: json.Id }))).ResultFormat).toBe('JSON');
  });
});
