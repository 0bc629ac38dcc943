/**
 * SQL resources: the aws_lambda_invocation (lifecycle_scope = "CRUD") path of the handler, against the
 * PostgreSQL-backed local Data API. Events are built the way the AWS provider 5.100 builds them
 * (internal/service/lambda/invocation.go, buildInput): the resource's input plus
 * `tf: { action, prev_input }`, with prev_input null on create, the old input on update and the stored
 * input itself on delete. Invocations go through `invokeLambda`, so errors have the shape Terraform shows.
 */
import { CancelStatementCommand, RedshiftDataClient } from '@aws-sdk/client-redshift-data';
import { ERRORS } from '../../../../functions/shared/contract';
import { handler } from '../../../../functions/tasker/index';
import { parametersUsedBy } from '../../../../functions/tasker/input/terraform-lifecycle-input';
import { safetyMarginMs } from '../../../../functions/tasker/statements/run-to-completion';
import { loadHandlerBundle, type LambdaHandler } from '../../../../local/lambda/handler-bundle';
import { invokeLambda, type InvocationResult } from '../../../../local/lambda/invoke';
import { PREFIX } from '../../../support/handler/harness';
import { useHandlerHarness, usePostgresDataApi } from '../../../support/handler/hooks';

type Input = Record<string, unknown>;

/** The payload the provider sends for `action` (see the file comment). */
function providerEvent(action: 'create' | 'update' | 'delete', input: Input, previous?: Input): Input {
  const prev = action === 'create' ? null : action === 'delete' ? input : (previous ?? null);
  return { ...input, tf: { action, prev_input: prev } };
}

/** Statements containing this marker wait 30 s in the local Data API before they run. */
const SLOW = '/* slow */';

describe('SQL resources (terraform lifecycle) against the PostgreSQL-backed Data API', () => {
  const { api, events } = usePostgresDataApi({
    statementDelayMs: ({ sqls }) => (sqls.some((sql) => sql.includes(SLOW)) ? 30_000 : 0),
  });
  const h = useHandlerHarness({ env: () => ({ AWS_ENDPOINT_URL_REDSHIFT_DATA: api.endpoint }) });

  const invoke = (event: unknown, timeoutMs = 60_000): Promise<InvocationResult> =>
    invokeLambda(handler as LambdaHandler, event, { timeoutMs });
  const dataCallsSince = (index: number) => api.calls.slice(index);
  const ok = (result: InvocationResult): Record<string, unknown> => {
    if (!result.ok) throw new Error(`invocation failed: ${result.errorType}: ${result.errorMessage}`);
    return result.payload as Record<string, unknown>;
  };

  const schemaExists = async (name: string): Promise<boolean> =>
    (await api.query('select 1 from pg_namespace where nspname = $1', [name])).length === 1;
  const roleExists = async (name: string): Promise<boolean> =>
    (await api.query('select 1 from pg_roles where rolname = $1', [name])).length === 1;
  const hasUsage = async (role: string, schema: string): Promise<boolean> =>
    (await api.query(`select has_schema_privilege($1, $2, 'USAGE') as ok`, [role, schema]))[0].ok === true;

  // A schema, a role (PostgreSQL's user) and its grants, as one resource with create / update / destroy SQL.
  const resource = {
    create: [
      'create schema if not exists tf_sales',
      'create role tf_reader',
      'grant usage on schema tf_sales to tf_reader',
      'alter default privileges in schema tf_sales grant select on tables to tf_reader',
    ],
    update: 'grant create on schema tf_sales to tf_reader',
    destroy: [
      'alter default privileges in schema tf_sales revoke select on tables from tf_reader',
      'revoke all on schema tf_sales from tf_reader',
      'drop role if exists tf_reader',
      'drop schema if exists tf_sales',
    ],
  };

  it('create → update → delete runs the matching SQL synchronously, with no tracking and no callback', async () => {
    const before = api.calls.length;
    const created = ok(await invoke(providerEvent('create', resource)));
    expect(created).toEqual({
      action: 'create',
      ran: 'create',
      state: 'FINISHED',
      statementId: expect.stringMatching(/^[0-9a-f-]{36}$/),
      rows: expect.any(Number),
      hasResultSet: false,
      durationMs: expect.any(Number),
    });
    expect(await schemaExists('tf_sales')).toBe(true);
    expect(await roleExists('tf_reader')).toBe(true);
    expect(await hasUsage('tf_reader', 'tf_sales')).toBe(true);

    const start = dataCallsSince(before)[0];
    expect(start.operation).toBe('BatchExecuteStatement');
    expect(start.input).toMatchObject({
      StatementName: `${PREFIX}terraform-create`,
      WithEvent: false,
      ClusterIdentifier: 'test-cluster',
      DbUser: 'tasker',
      Database: 'dev',
      Sqls: resource.create,
    });
    expect(
      dataCallsSince(before)
        .slice(1)
        .every((call) => call.operation === 'DescribeStatement'),
    ).toBe(true);

    const updated = ok(await invoke(providerEvent('update', resource, { ...resource, update: 'select 1' })));
    expect(updated).toMatchObject({ action: 'update', ran: 'update', state: 'FINISHED' });
    expect((await api.query(`select has_schema_privilege('tf_reader', 'tf_sales', 'CREATE') as ok`))[0].ok).toBe(true);

    const deleted = ok(await invoke(providerEvent('delete', resource)));
    expect(deleted).toMatchObject({ action: 'delete', ran: 'destroy', state: 'FINISHED' });
    expect(await schemaExists('tf_sales')).toBe(false);
    expect(await roleExists('tf_reader')).toBe(false);

    // Nothing was tracked or called back, and no status-change event was requested.
    expect(h.awsCalls().dynamodb).toEqual([]);
    expect(h.awsCalls().sfn).toEqual([]);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(events).toEqual([]);
  });

  it('the shipped bundle (dist/tasker-handler.zip, built by npm test) runs the same path', async () => {
    const bundled = loadHandlerBundle();
    const result = await invokeLambda(bundled, providerEvent('create', { create: 'select 1', destroy: 'select 2' }), { timeoutMs: 30_000 });
    expect(result).toMatchObject({ ok: true, payload: { action: 'create', ran: 'create', state: 'FINISHED', hasResultSet: true } });
    const failed = await invokeLambda(bundled, providerEvent('delete', { create: 'select 1', destroy: 'select * from tf_nowhere' }), {
      timeoutMs: 30_000,
    });
    expect(failed).toMatchObject({
      ok: false,
      errorType: ERRORS.SQL_STATEMENT_FAILED,
      errorMessage: expect.stringContaining('tf_nowhere'),
    });
  });

  it('an event carrying our statement name (were one ever emitted) is acknowledged without a callback', async () => {
    const result = ok(await invoke(providerEvent('create', { create: 'select 1' })));
    const batch = await h.deliver([
      {
        version: '0',
        id: 'e-1',
        'detail-type': 'Redshift Data Statement Status Change',
        source: 'aws.redshift-data',
        account: '123456789012',
        time: '2026-11-24T10:00:00Z',
        region: 'us-east-1',
        resources: [],
        detail: { statementName: `${PREFIX}terraform-create`, statementId: result.statementId, state: 'FINISHED', rows: 1 },
      },
    ]);
    expect(batch.batchItemFailures).toEqual([]);
    expect(h.awsCalls().sfn).toEqual([]);
    expect(h.awsCalls().dynamodb).toEqual([]);
  });

  it('update without update SQL runs create again (written to run twice)', async () => {
    const input = { create: 'create table if not exists tf_again (id int)', destroy: 'drop table if exists tf_again' };
    ok(await invoke(providerEvent('create', input)));
    const before = api.calls.length;
    const updated = ok(await invoke(providerEvent('update', input, { create: 'select 1' })));
    expect(updated).toMatchObject({ action: 'update', ran: 'create', state: 'FINISHED' });
    expect(dataCallsSince(before)[0].input).toMatchObject({ Sql: input.create, StatementName: `${PREFIX}terraform-update` });
    ok(await invoke(providerEvent('delete', input)));
    expect(await api.query(`select 1 from pg_tables where tablename = 'tf_again'`)).toEqual([]);
  });

  it('null update/destroy/parameters (jsonencode of unset optional attributes) mean "not given"', async () => {
    const input = { create: 'create table if not exists tf_nulls (id int)', update: null, destroy: null, parameters: null };
    const before = api.calls.length;
    expect(ok(await invoke(providerEvent('update', input, input)))).toMatchObject({ ran: 'create', state: 'FINISHED' });
    expect(ok(await invoke(providerEvent('delete', input)))).toEqual({ action: 'delete', ran: 'none', state: 'SKIPPED' });
    expect(dataCallsSince(before)[0].input.Parameters).toBeUndefined();
    await api.query('drop table tf_nulls');
  });

  it('delete without destroy SQL succeeds at once and calls nothing', async () => {
    const before = api.calls.length;
    const result = ok(await invoke(providerEvent('delete', { create: 'create table tf_kept (id int)' })));
    expect(result).toEqual({ action: 'delete', ran: 'none', state: 'SKIPPED' });
    expect(dataCallsSince(before)).toEqual([]);
  });

  it('parameters bind values for :name and are sent only to statements that use them', async () => {
    await api.query('create table if not exists tf_settings (name text primary key, value text)');
    const input = {
      create: 'insert into tf_settings values (:name, :value)',
      destroy: 'delete from tf_settings where name = :name',
      parameters: { name: 'retention_days', value: 30 },
    };
    const before = api.calls.length;
    const created = ok(await invoke(providerEvent('create', input)));
    expect(created.rows).toBe(1);
    expect(await api.query('select name, value from tf_settings')).toEqual([{ name: 'retention_days', value: '30' }]);
    expect(dataCallsSince(before)[0].input.Parameters).toEqual([
      { name: 'name', value: 'retention_days' },
      { name: 'value', value: '30' },
    ]);
    const beforeDelete = api.calls.length;
    ok(await invoke(providerEvent('delete', input)));
    expect(dataCallsSince(beforeDelete)[0].input.Parameters).toEqual([{ name: 'name', value: 'retention_days' }]);
    expect(await api.query('select * from tf_settings')).toEqual([]);
  });

  it('a failing statement fails the invocation with the PostgreSQL error text', async () => {
    const result = await invoke(providerEvent('create', { create: 'grant usage on schema tf_missing to public' }));
    expect(result).toMatchObject({ ok: false, errorType: ERRORS.SQL_STATEMENT_FAILED });
    expect(result.ok === false && result.errorMessage).toMatch(
      /^create SQL failed \(statement [0-9a-f-]{36}\): ERROR: schema "tf_missing" does not exist$/,
    );
  });

  it('a failing statement in a batch rolls the whole batch back', async () => {
    const result = await invoke(providerEvent('create', { create: ['create schema tf_rolled_back', 'select * from tf_no_table'] }));
    expect(result.ok === false && result.errorMessage).toMatch(/relation "tf_no_table" does not exist/);
    expect(await schemaExists('tf_rolled_back')).toBe(false);
  });

  it('a statement that outlives the time budget is cancelled and fails fast with a named error', async () => {
    const timeoutMs = 2_000;
    const before = api.calls.length;
    const result = await invoke(providerEvent('create', { create: `create table tf_slow (id int) ${SLOW}` }), timeoutMs);
    expect(result).toMatchObject({ ok: false, errorType: ERRORS.STATEMENT_EXCEEDED_LAMBDA_TIMEOUT });
    expect(result.ok === false && result.errorMessage).toMatch(
      /^create SQL \(statement [0-9a-f-]{36}\) was still running after \d+ ms and exceeded the Lambda timeout .*it was cancelled/,
    );
    // It answered before Lambda would have killed it, leaving (most of) the safety margin.
    expect(result.durationMs).toBeLessThan(timeoutMs);
    expect(result.durationMs).toBeGreaterThanOrEqual(timeoutMs - safetyMarginMs(timeoutMs) - 50);
    const operations = dataCallsSince(before).map((call) => call.operation);
    expect(operations[0]).toBe('ExecuteStatement');
    expect(operations.at(-1)).toBe('CancelStatement');
    expect(api.activeStatements()).toBe(0);
    expect(await api.query(`select 1 from pg_tables where tablename = 'tf_slow'`)).toEqual([]);
  });

  it('too little time left to start: fails at once and starts nothing', async () => {
    const before = api.calls.length;
    const result = await invoke(providerEvent('create', { create: 'select 1' }), 300);
    expect(result).toMatchObject({ ok: false, errorType: ERRORS.STATEMENT_EXCEEDED_LAMBDA_TIMEOUT });
    expect(result.ok === false && result.errorMessage).toMatch(/was not started: too little time left/);
    expect(dataCallsSince(before)).toEqual([]);
  });

  it('a statement cancelled by someone else fails as ABORTED', async () => {
    const before = api.calls.length;
    const running = invoke(providerEvent('create', { create: `select 1 ${SLOW}` }), 20_000);
    let id: string | undefined;
    for (let waited = 0; waited < 5_000 && id === undefined; waited += 20) {
      await new Promise((resolve) => setTimeout(resolve, 20));
      id = dataCallsSince(before).find((call) => call.operation === 'DescribeStatement')?.input.Id as string | undefined;
    }
    const client = new RedshiftDataClient({
      endpoint: api.endpoint,
      region: 'us-east-1',
      credentials: { accessKeyId: 'x', secretAccessKey: 'x' },
    });
    await client.send(new CancelStatementCommand({ Id: id }));
    client.destroy();
    const result = await running;
    expect(result).toMatchObject({ ok: false, errorType: ERRORS.SQL_STATEMENT_FAILED });
    expect(result.ok === false && result.errorMessage).toBe(
      `create SQL was ABORTED (statement ${id}): it was cancelled before it finished`,
    );
  });

  it('a throttled poll is retried; a refused start fails with the Data API error name', async () => {
    const before = api.calls.length;
    api.injectError('DescribeStatement', { name: 'ThrottlingException', message: 'Rate exceeded' });
    ok(await invoke(providerEvent('create', { create: 'select 1' })));
    const polls = dataCallsSince(before).filter((call) => call.operation === 'DescribeStatement');
    expect(polls[0].error?.name).toBe('ThrottlingException');
    expect(polls.length).toBeGreaterThanOrEqual(2);

    api.injectError('ExecuteStatement', { name: 'ValidationException', message: 'Cluster not found' });
    const refused = await invoke(providerEvent('create', { create: 'select 1' }));
    expect(refused).toMatchObject({ ok: false, errorType: ERRORS.START_FAILED, errorMessage: 'ValidationException: Cluster not found' });
  });

  it.each([
    [{ tf: { action: 'create', prev_input: null } }, 'create: is required'],
    [{ create: '  ', tf: { action: 'create', prev_input: null } }, 'create: must not be empty'],
    [{ create: [], tf: { action: 'create', prev_input: null } }, 'create: must hold at least one statement'],
    [{ create: 42, tf: { action: 'create', prev_input: null } }, 'create: must be a SQL string or a non-empty array of SQL strings'],
    [
      { create: 'select 1', destory: 'x', tf: { action: 'delete', prev_input: null } },
      'destory: is not a known field (create, update, destroy, parameters)',
    ],
    [{ create: 'select 1', tf: { action: 'read', prev_input: null } }, 'tf.action: must be one of create, update, delete'],
    [{ create: 'select 1', tf: { action: 'update', prev_input: 'x' } }, 'tf.prev_input: must be an object or null'],
    [{ create: 'select 1', parameters: {}, tf: { action: 'create' } }, 'parameters: must not be empty (leave it out instead)'],
    [
      { create: 'select :a', parameters: { 'a-b': 1 }, tf: { action: 'create' } },
      'parameters.a-b: names must be SQL identifiers (letters, digits, underscore)',
    ],
    [
      { create: 'select :a', parameters: { a: null }, tf: { action: 'create' } },
      'parameters.a: values must be strings, numbers or booleans',
    ],
    [
      { create: ['select :a'], parameters: { a: 1 }, tf: { action: 'create' } },
      'parameters: cannot be used when create is an array (BatchExecuteStatement takes no parameters)',
    ],
    [{ create: 'x'.repeat(100_001), tf: { action: 'create' } }, 'create: must be at most 100000 bytes'],
  ])('invalid input %# → InvalidInput, nothing runs', async (event, message) => {
    const before = api.calls.length;
    const result = await invoke(event);
    expect(result).toMatchObject({ ok: false, errorType: ERRORS.INVALID_INPUT, errorMessage: message });
    expect(dataCallsSince(before)).toEqual([]);
  });
});

describe('parametersUsedBy', () => {
  const parameters = [
    { name: 'id', value: '1' },
    { name: 'idx', value: '2' },
    { name: 'name', value: 'n' },
  ];
  it('keeps only the names the SQL uses as :name (not casts, not longer names)', () => {
    expect(parametersUsedBy('select :id, x::name', parameters)).toEqual([{ name: 'id', value: '1' }]);
    expect(parametersUsedBy('select :idx', parameters)).toEqual([{ name: 'idx', value: '2' }]);
    expect(parametersUsedBy(':name', parameters)).toEqual([{ name: 'name', value: 'n' }]);
    expect(parametersUsedBy('select 1', parameters)).toEqual([]);
  });
});
