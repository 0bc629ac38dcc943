/**
 * The local Data API driven by the real `@aws-sdk/client-redshift-data` client.
 * One PGlite engine is shared by the file (it takes seconds to start); each test starts its own service on it.
 */
import {
  BatchExecuteStatementCommand,
  CancelStatementCommand,
  DescribeStatementCommand,
  ExecuteStatementCommand,
  GetStatementResultCommand,
  ListStatementsCommand,
  RedshiftDataClient,
} from '@aws-sdk/client-redshift-data';
import { createPgliteEngine, startLocalRedshiftData, type LocalRedshiftDataOptions, type SqlEngine } from '../../../local/redshift-data';
import {
  CLUSTER,
  credentials,
  finished,
  run,
  startDataApi,
  stopStartedDataApis,
  uniqueTable,
  type StartedDataApi,
} from './data-api-test-client';

let engine: SqlEngine;

beforeAll(async () => {
  engine = await createPgliteEngine();
});
afterEach(stopStartedDataApis);
afterAll(async () => {
  await engine.close();
});

const start = (options: LocalRedshiftDataOptions = {}): Promise<StartedDataApi> => startDataApi(engine, options);

const nextTick = () => new Promise((resolve) => setImmediate(resolve));

describe('endpoint', () => {
  it('is reached by a client configured only through AWS_ENDPOINT_URL_REDSHIFT_DATA', async () => {
    const { api } = await start();
    const saved = process.env.AWS_ENDPOINT_URL_REDSHIFT_DATA;
    process.env.AWS_ENDPOINT_URL_REDSHIFT_DATA = api.endpoint;
    try {
      const client = new RedshiftDataClient({ region: 'eu-west-1', credentials });
      const out = await client.send(new ExecuteStatementCommand({ ...CLUSTER, Sql: 'select 1 as one' }));
      expect(out.Id).toMatch(/^[0-9a-f-]{36}$/);
      expect(api.calls.map((c) => c.operation)).toEqual(['ExecuteStatement']);
    } finally {
      if (saved === undefined) delete process.env.AWS_ENDPOINT_URL_REDSHIFT_DATA;
      else process.env.AWS_ENDPOINT_URL_REDSHIFT_DATA = saved;
    }
  });
});

describe('ExecuteStatement and DescribeStatement', () => {
  it('goes SUBMITTED → STARTED → FINISHED and describes the finished statement', async () => {
    const { client } = await start({ submittedMs: 100, statementDelayMs: 150 });
    const out = await client.send(new ExecuteStatementCommand({ ...CLUSTER, Sql: 'select 1 as one', StatementName: 'sfnrs-demo' }));
    expect(out).toMatchObject({ ClusterIdentifier: 'local-cluster', Database: 'dev', DbUser: 'etl' });
    expect(out.CreatedAt).toBeInstanceOf(Date);
    const submitted = await client.send(new DescribeStatementCommand({ Id: out.Id }));
    expect(submitted.Status).toBe('SUBMITTED');
    expect(submitted.Duration).toBe(-1);
    await new Promise((r) => setTimeout(r, 130));
    expect((await client.send(new DescribeStatementCommand({ Id: out.Id }))).Status).toBe('STARTED');
    const done = await finished(client, out.Id!);
    expect(done).toMatchObject({
      Id: out.Id,
      Status: 'FINISHED',
      QueryString: 'select 1 as one',
      HasResultSet: true,
      ResultRows: 1,
      ClusterIdentifier: 'local-cluster',
      Database: 'dev',
    });
    expect(done.Error).toBeUndefined();
    // Duration is in nanoseconds and includes the 150 ms the statement stayed STARTED.
    expect(done.Duration!).toBeGreaterThanOrEqual(150e6);
    expect(done.UpdatedAt!.getTime()).toBeGreaterThanOrEqual(done.CreatedAt!.getTime());
    expect(done.RedshiftQueryId).toBeGreaterThan(0);
  });

  it('binds named Parameters as PostgreSQL parameters (values are never spliced into SQL)', async () => {
    const { client } = await start();
    const table = uniqueTable();
    await run(client, `create table ${table} (id int, name varchar(50))`);
    const insert = await run(client, `insert into ${table} values (:id, :name), (:id2, :name)`, {
      Parameters: [
        { name: 'id', value: '1' },
        { name: 'id2', value: '2' },
        { name: 'name', value: "O'Brien; drop table x" },
      ],
    });
    expect(insert).toMatchObject({ Status: 'FINISHED', ResultRows: 2, HasResultSet: false });
    expect(insert.QueryParameters).toEqual([
      { name: 'id', value: '1' },
      { name: 'id2', value: '2' },
      { name: 'name', value: "O'Brien; drop table x" },
    ]);
    const select = await run(client, `select id, name, ':id' as literal from ${table} where id >= :min::int order by id`, {
      Parameters: [{ name: 'min', value: '2' }],
    });
    const result = await client.send(new GetStatementResultCommand({ Id: select.Id }));
    expect(result.Records).toEqual([[{ longValue: 2 }, { stringValue: "O'Brien; drop table x" }, { stringValue: ':id' }]]);
  });

  it('answers WaitTimeSeconds with the final status', async () => {
    const { client } = await start();
    const out = await client.send(new ExecuteStatementCommand({ ...CLUSTER, Sql: 'select 2', WaitTimeSeconds: 5 }));
    expect(out).toMatchObject({ Status: 'FINISHED', HasResultSet: true });
  });

  it('reports a SQL error as FAILED with the PostgreSQL message, and has no result', async () => {
    const { client } = await start();
    const failed = await run(client, 'select * from no_such_table');
    expect(failed.Status).toBe('FAILED');
    expect(failed.Error).toBe('ERROR: relation "no_such_table" does not exist');
    await expect(client.send(new GetStatementResultCommand({ Id: failed.Id }))).rejects.toMatchObject({
      name: 'ResourceNotFoundException',
      message: 'Query does not have result. Please check query status with DescribeStatement.',
    });
  });

  it('refuses more than one statement in ExecuteStatement (use BatchExecuteStatement)', async () => {
    const { client } = await start();
    const failed = await run(client, 'select 1; select 2');
    expect(failed.Status).toBe('FAILED');
    expect(failed.Error).toMatch(/multiple commands/);
  });
});

describe('status-change events', () => {
  it('emits the documented event for a WithEvent statement, and none without WithEvent', async () => {
    const { client, events } = await start({
      account: '111122223333',
      region: 'eu-west-1',
      principal: 'arn:aws:sts::111122223333:assumed-role/tasker/fn',
    });
    const quiet = await run(client, 'select 1');
    const loud = await run(client, 'select generate_series(1, 3)', { WithEvent: true, StatementName: 'sfnrs-abc:1' });
    await nextTick();
    expect(events).toHaveLength(1);
    const [event] = events;
    expect(Object.keys(event).sort()).toEqual([
      'account',
      'detail',
      'detail-type',
      'id',
      'region',
      'resources',
      'source',
      'time',
      'version',
    ]);
    expect(event).toMatchObject({
      version: '0',
      source: 'aws.redshift-data',
      'detail-type': 'Redshift Data Statement Status Change',
      account: '111122223333',
      region: 'eu-west-1',
      resources: ['arn:aws:redshift:eu-west-1:111122223333:cluster:local-cluster'],
    });
    expect(event.time).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    expect(Object.keys(event.detail).sort()).toEqual([
      'expireAt',
      'principal',
      'redshiftQueryId',
      'rows',
      'state',
      'statementId',
      'statementName',
    ]);
    expect(event.detail).toEqual({
      principal: 'arn:aws:sts::111122223333:assumed-role/tasker/fn',
      statementName: 'sfnrs-abc:1',
      statementId: loud.Id,
      redshiftQueryId: loud.RedshiftQueryId,
      state: 'FINISHED',
      rows: 3,
      expireAt: Math.floor(Date.parse(event.time) / 1000) + 86_400,
    });
    expect(events.some((e) => e.detail.statementId === quiet.Id)).toBe(false);
  });

  it('emits FAILED with rows -1 and names the workgroup for serverless targets', async () => {
    const { client, events } = await start();
    const failed = await run(client, 'select 1/0', {
      ClusterIdentifier: undefined,
      DbUser: undefined,
      WorkgroupName: 'wg',
      WithEvent: true,
    });
    await nextTick();
    expect(failed.Error).toBe('ERROR: division by zero');
    expect(events).toHaveLength(1);
    expect(events[0].detail).toMatchObject({ state: 'FAILED', rows: -1, statementName: '', statementId: failed.Id });
    expect(events[0].resources).toEqual(['arn:aws:redshift-serverless:us-east-1:123456789012:workgroup/wg']);
  });

  it('stops calling a listener once unsubscribed', async () => {
    const { api, client } = await start();
    const seen: string[] = [];
    const unsubscribe = api.onEvent((e) => seen.push(e.detail.statementId));
    const first = await run(client, 'select 1', { WithEvent: true });
    await nextTick();
    unsubscribe();
    await run(client, 'select 2', { WithEvent: true });
    await nextTick();
    expect(seen).toEqual([first.Id]);
  });
});

describe('GetStatementResult', () => {
  it('returns typed records and column metadata, paged by NextToken', async () => {
    const { client } = await start({ resultPageSize: 2 });
    const select = await run(
      client,
      `select g as n, g * 1.5::float8 as f, (g % 2 = 0) as even, (g * 10)::numeric(10,2) as amount,
              case when g = 3 then null else 'row ' || g end as label, date '2024-01-01' + g as day
         from generate_series(1, 5) g order by g`,
    );
    expect(select).toMatchObject({ Status: 'FINISHED', ResultRows: 5, HasResultSet: true });
    const pages = [];
    let NextToken: string | undefined;
    do {
      const page = await client.send(new GetStatementResultCommand({ Id: select.Id, NextToken }));
      pages.push(page);
      NextToken = page.NextToken;
    } while (NextToken);
    expect(pages.map((p) => p.Records!.length)).toEqual([2, 2, 1]);
    expect(pages.every((p) => p.TotalNumRows === 5)).toBe(true);
    const records = pages.flatMap((p) => p.Records!);
    expect(records[2]).toEqual([
      { longValue: 3 },
      { doubleValue: 4.5 },
      { booleanValue: false },
      { stringValue: '30.00' },
      { isNull: true },
      { stringValue: '2024-01-04' },
    ]);
    expect(pages[0].ColumnMetadata!.map((c) => [c.name, c.typeName])).toEqual([
      ['n', 'int4'],
      ['f', 'float8'],
      ['even', 'bool'],
      ['amount', 'numeric'],
      ['label', 'text'],
      ['day', 'date'],
    ]);
  });

  it('refuses a NextToken that does not belong to the statement', async () => {
    const { client } = await start({ resultPageSize: 1 });
    const a = await run(client, 'select generate_series(1, 3)');
    const b = await run(client, 'select generate_series(1, 3)');
    const page = await client.send(new GetStatementResultCommand({ Id: a.Id }));
    await expect(client.send(new GetStatementResultCommand({ Id: b.Id, NextToken: page.NextToken }))).rejects.toMatchObject({
      name: 'ValidationException',
    });
    await expect(client.send(new GetStatementResultCommand({ Id: b.Id, NextToken: 'garbage' }))).rejects.toMatchObject({
      name: 'ValidationException',
    });
  });
});

describe('BatchExecuteStatement', () => {
  it('runs the statements in one transaction and describes each sub-statement', async () => {
    const { client, api, events } = await start();
    const table = uniqueTable();
    const { Id } = await client.send(
      new BatchExecuteStatementCommand({
        ...CLUSTER,
        Sqls: [
          `create table ${table} (n int)`,
          `insert into ${table} select generate_series(1, 4)`,
          `select sum(n) as total from ${table}`,
        ],
        WithEvent: true,
      }),
    );
    const done = await finished(client, Id!);
    expect(done.Status).toBe('FINISHED');
    expect(done.SubStatements!.map((s) => [s.Id, s.Status, s.ResultRows, s.HasResultSet])).toEqual([
      [`${Id}:1`, 'FINISHED', 0, false],
      [`${Id}:2`, 'FINISHED', 4, false],
      [`${Id}:3`, 'FINISHED', 1, true],
    ]);
    const sub = await client.send(new DescribeStatementCommand({ Id: `${Id}:3` }));
    expect(sub).toMatchObject({ Id: `${Id}:3`, Status: 'FINISHED', QueryString: `select sum(n) as total from ${table}` });
    const result = await client.send(new GetStatementResultCommand({ Id: `${Id}:3` }));
    expect(result.Records).toEqual([[{ longValue: 10 }]]);
    await expect(client.send(new GetStatementResultCommand({ Id }))).rejects.toMatchObject({
      name: 'ValidationException',
      message: 'BatchExecuteStatement result can only be retrieved with sub-statement id.',
    });
    await nextTick();
    expect(events.map((e) => [e.detail.statementId, e.detail.state])).toEqual([[Id, 'FINISHED']]);
    expect(await api.query(`select count(*)::int as c from ${table}`)).toEqual([{ c: 4 }]);
  });

  it('rolls the whole transaction back when a statement fails', async () => {
    const { client, api } = await start();
    const table = uniqueTable();
    const { Id } = await client.send(
      new BatchExecuteStatementCommand({ ...CLUSTER, Sqls: [`create table ${table} (n int)`, 'select * from missing_table', 'select 1'] }),
    );
    const done = await finished(client, Id!);
    expect(done.Status).toBe('FAILED');
    expect(done.Error).toBe('ERROR: relation "missing_table" does not exist');
    expect(done.SubStatements!.map((s) => s.Status)).toEqual(['FINISHED', 'FAILED', 'ABORTED']);
    expect(await api.query(`select to_regclass('${table}') as t`)).toEqual([{ t: null }]);
  });

  it('keeps earlier statements with ExecutionMode AUTO_COMMIT', async () => {
    const { client, api } = await start();
    const table = uniqueTable();
    const { Id } = await client.send(
      new BatchExecuteStatementCommand({
        ...CLUSTER,
        ExecutionMode: 'AUTO_COMMIT',
        Sqls: [`create table ${table} (n int)`, 'select * from missing_table'],
      }),
    );
    expect((await finished(client, Id!)).Status).toBe('FAILED');
    expect(await api.query(`select to_regclass('${table}')::text as t`)).toEqual([{ t: table }]);
  });
});

describe('ClientToken', () => {
  it('returns the first statement for a repeated request and runs it once', async () => {
    const { client, api } = await start();
    const table = uniqueTable();
    await run(client, `create table ${table} (n int)`);
    const request = { ...CLUSTER, Sql: `insert into ${table} values (1)`, ClientToken: 'token-1' };
    const first = await client.send(new ExecuteStatementCommand(request));
    const second = await client.send(new ExecuteStatementCommand(request));
    expect(second.Id).toBe(first.Id);
    expect(second.CreatedAt).toEqual(first.CreatedAt);
    await finished(client, first.Id!);
    expect(await api.query(`select count(*)::int as c from ${table}`)).toEqual([{ c: 1 }]);
    await expect(client.send(new ExecuteStatementCommand({ ...request, Sql: 'select 1' }))).rejects.toMatchObject({
      name: 'ValidationException',
    });
  });
});

describe('CancelStatement', () => {
  it('aborts a STARTED statement: nothing runs, ABORTED is described and emitted', async () => {
    const { client, api, events } = await start({ statementDelayMs: ({ sqls }) => (sqls[0].includes('slow') ? 5_000 : 0) });
    const table = uniqueTable();
    await run(client, `create table ${table} (n int)`);
    const { Id } = await client.send(
      new ExecuteStatementCommand({ ...CLUSTER, Sql: `insert into ${table} values (1) -- slow`, WithEvent: true }),
    );
    await new Promise((r) => setTimeout(r, 20));
    expect((await client.send(new DescribeStatementCommand({ Id }))).Status).toBe('STARTED');
    expect(await client.send(new CancelStatementCommand({ Id }))).toMatchObject({ Status: true });
    const done = await client.send(new DescribeStatementCommand({ Id }));
    expect(done.Status).toBe('ABORTED');
    await nextTick();
    expect(events.map((e) => e.detail)).toEqual([expect.objectContaining({ statementId: Id, state: 'ABORTED', rows: -1 })]);
    expect(await api.query(`select count(*)::int as c from ${table}`)).toEqual([{ c: 0 }]);
    await expect(client.send(new CancelStatementCommand({ Id }))).rejects.toMatchObject({
      name: 'ValidationException',
      message: 'Could not cancel a query that is already in ABORTED state.',
    });
  });
});

describe('CancelStatement while queued or running', () => {
  it('aborts a SUBMITTED statement', async () => {
    const { client } = await start({ submittedMs: 5_000 });
    const { Id } = await client.send(new ExecuteStatementCommand({ ...CLUSTER, Sql: 'select 1' }));
    await client.send(new CancelStatementCommand({ Id }));
    expect(await client.send(new DescribeStatementCommand({ Id }))).toMatchObject({ Status: 'ABORTED', HasResultSet: false });
  });

  it('keeps answering while PostgreSQL is busy, and aborts the running statement', async () => {
    const { client } = await start();
    const { Id } = await client.send(new ExecuteStatementCommand({ ...CLUSTER, Sql: 'select pg_sleep(3)' }));
    await new Promise((r) => setTimeout(r, 200));
    const t0 = Date.now();
    expect((await client.send(new DescribeStatementCommand({ Id }))).Status).toBe('STARTED');
    await client.send(new CancelStatementCommand({ Id }));
    // Answered long before the 3 s statement could have ended (loose bound: a loaded machine cannot fail it).
    expect(Date.now() - t0).toBeLessThan(2_000);
    expect((await client.send(new DescribeStatementCommand({ Id }))).Status).toBe('ABORTED');
    await expect(client.send(new GetStatementResultCommand({ Id }))).rejects.toMatchObject({ name: 'ResourceNotFoundException' });
  });
});

describe('ListStatements', () => {
  it('lists newest first, filters by name prefix and status, and pages', async () => {
    const { client } = await start();
    const a = await run(client, 'select 1', { StatementName: 'sfnrs-a-1' });
    const b = await run(client, 'select * from nope', { StatementName: 'sfnrs-a-2' });
    const c = await run(client, 'select 3', { StatementName: 'other-1' });
    const all = await client.send(new ListStatementsCommand({}));
    expect(all.Statements!.map((s) => s.Id)).toEqual([c.Id, b.Id, a.Id]);
    expect(all.Statements![0]).toMatchObject({
      StatementName: 'other-1',
      Status: 'FINISHED',
      QueryString: 'select 3',
      IsBatchStatement: false,
    });
    const prefixed = await client.send(new ListStatementsCommand({ StatementName: 'sfnrs-a' }));
    expect(prefixed.Statements!.map((s) => s.Id)).toEqual([b.Id, a.Id]);
    const failed = await client.send(new ListStatementsCommand({ StatementName: 'sfnrs-', Status: 'FAILED' }));
    expect(failed.Statements!.map((s) => s.Id)).toEqual([b.Id]);
    const page1 = await client.send(new ListStatementsCommand({ MaxResults: 2 }));
    expect(page1.Statements!.map((s) => s.Id)).toEqual([c.Id, b.Id]);
    const page2 = await client.send(new ListStatementsCommand({ MaxResults: 2, NextToken: page1.NextToken }));
    expect(page2.Statements!.map((s) => s.Id)).toEqual([a.Id]);
    expect(page2.NextToken).toBeUndefined();
  });
});

describe('limits and errors', () => {
  it('answers ActiveStatementsExceededException beyond the active-statement limit', async () => {
    const { client, api } = await start({ maxActiveStatements: 2, statementDelayMs: 2_000 });
    await client.send(new ExecuteStatementCommand({ ...CLUSTER, Sql: 'select 1' }));
    await client.send(new ExecuteStatementCommand({ ...CLUSTER, Sql: 'select 2' }));
    await expect(client.send(new ExecuteStatementCommand({ ...CLUSTER, Sql: 'select 3' }))).rejects.toMatchObject({
      name: 'ActiveStatementsExceededException',
      $metadata: { httpStatusCode: 400 },
    });
    expect(api.activeStatements()).toBe(2);
  });

  it.each([
    ['no target', { Database: 'dev', Sql: 'select 1' }, /exactly one of ClusterIdentifier and WorkgroupName/],
    ['two targets', { ...CLUSTER, WorkgroupName: 'wg', Sql: 'select 1' }, /exactly one/],
    ['no database', { ClusterIdentifier: 'c', Sql: 'select 1' }, /Database must be specified/],
    ['empty SQL', { ...CLUSTER, Sql: '  ' }, /non-empty SQL/],
    ['too long SQL', { ...CLUSTER, Sql: `select '${'x'.repeat(100_001)}'` }, /100000-byte/],
    ['bad parameter', { ...CLUSTER, Sql: 'select :a', Parameters: [{ name: 'a-b', value: '1' }] }, /must match/],
    ['user and secret', { ...CLUSTER, SecretArn: 'arn:aws:secretsmanager:us-east-1:1:secret:x', Sql: 'select 1' }, /DbUser or SecretArn/],
  ])('refuses %s with ValidationException and starts nothing', async (_label, input, message) => {
    const { client } = await start();
    await expect(client.send(new ExecuteStatementCommand(input as never))).rejects.toMatchObject({
      name: 'ValidationException',
      message: expect.stringMatching(message),
      $metadata: { httpStatusCode: 400 },
    });
    expect((await client.send(new ListStatementsCommand({}))).Statements).toEqual([]);
  });

  it('answers ResourceNotFoundException for an unknown id and ValidationException for a malformed one', async () => {
    const { client } = await start();
    const unknown = '00000000-1111-2222-3333-444444444444';
    await expect(client.send(new DescribeStatementCommand({ Id: unknown }))).rejects.toMatchObject({
      name: 'ResourceNotFoundException',
      ResourceId: unknown,
    });
    await expect(client.send(new CancelStatementCommand({ Id: `${unknown}:2` }))).rejects.toMatchObject({
      name: 'ResourceNotFoundException',
    });
    await expect(client.send(new DescribeStatementCommand({ Id: 'not-an-id' }))).rejects.toMatchObject({ name: 'ValidationException' });
  });

  it('answers unknown operations and malformed bodies in the JSON 1.1 error shape', async () => {
    const { api } = await start();
    const post = (target: string | undefined, body: string) =>
      fetch(api.endpoint, {
        method: 'POST',
        headers: { 'content-type': 'application/x-amz-json-1.1', ...(target ? { 'x-amz-target': target } : {}) },
        body,
      });
    const unknown = await post('RedshiftData.DropCluster', '{}');
    expect(unknown.status).toBe(400);
    expect(unknown.headers.get('content-type')).toBe('application/x-amz-json-1.1');
    expect(await unknown.json()).toEqual({ __type: 'UnknownOperationException', message: expect.stringContaining('DropCluster') });
    const noTarget = await post(undefined, '{}');
    expect(((await noTarget.json()) as { __type: string }).__type).toBe('UnknownOperationException');
    const badJson = await post('RedshiftData.ExecuteStatement', '{"Sql":');
    expect(badJson.status).toBe(400);
    expect(((await badJson.json()) as { __type: string }).__type).toBe('SerializationException');
  });

  it('injects errors: the SDK retries a throttled call, and sees it when it does not retry', async () => {
    const { api } = await start();
    const retrying = new RedshiftDataClient({
      endpoint: api.endpoint,
      region: 'us-east-1',
      credentials,
      maxAttempts: 3,
      retryStrategy: undefined,
    });
    api.injectError('ExecuteStatement', { name: 'ThrottlingException', message: 'Rate exceeded' }, 1);
    const out = await retrying.send(new ExecuteStatementCommand({ ...CLUSTER, Sql: 'select 1' }));
    expect(out.Id).toBeDefined();
    expect(api.calls.filter((c) => c.operation === 'ExecuteStatement').map((c) => c.error?.name)).toEqual([
      'ThrottlingException',
      undefined,
    ]);

    const once = new RedshiftDataClient({ endpoint: api.endpoint, region: 'us-east-1', credentials, maxAttempts: 1 });
    api.injectError('DescribeStatement', { name: 'InternalServerException', message: 'boom', status: 500 }, 1);
    await expect(once.send(new DescribeStatementCommand({ Id: out.Id }))).rejects.toMatchObject({
      name: 'InternalServerException',
      message: 'boom',
      $metadata: { httpStatusCode: 500 },
    });
    await expect(once.send(new DescribeStatementCommand({ Id: out.Id }))).resolves.toMatchObject({ Id: out.Id });
  });
});

describe('stop', () => {
  it('aborts running statements and closes the endpoint', async () => {
    const api = await startLocalRedshiftData({ engine, statementDelayMs: 10_000 });
    const client = new RedshiftDataClient({ endpoint: api.endpoint, region: 'us-east-1', credentials, maxAttempts: 1 });
    await client.send(new ExecuteStatementCommand({ ...CLUSTER, Sql: 'select 1' }));
    expect(api.activeStatements()).toBe(1);
    const t0 = Date.now();
    await api.stop();
    expect(Date.now() - t0).toBeLessThan(5_000); // the statement would hold for 10 s
    expect(api.activeStatements()).toBe(0);
    await expect(client.send(new ListStatementsCommand({}))).rejects.toThrow();
  });
});
