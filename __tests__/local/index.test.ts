/**
 * The local kit's public entry point (`cdktf-stepfunctions-redshift/local`) as a user's jest test uses it:
 * taskers started from construct props, state machines registered and chained with `startExecution.sync`,
 * seeded SQL, results with status/output/error/cause/states visited; the shipped handler zip in process.
 * Two taskers run side by side in this one worker and must not see each other.
 */
import { definition, fail, serializeDefinition, sqlTask, succeed } from '../../modules/sfn';
import {
  createPgliteEngine,
  LocalStateMachineError,
  LocalTaskerConfigurationError,
  startLocalTasker,
  type LocalTasker,
  type SqlEngine,
} from '../../local';
import { TaskerConfigurationError } from '../../modules';
import { Token } from 'cdktf';

let engine: SqlEngine;
let etl: LocalTasker;
let strict: LocalTasker;
const envBefore = { ...process.env };

beforeAll(async () => {
  // One PostgreSQL (PGlite) for both taskers: each still has its own Data API, DynamoDB, queue and callbacks.
  engine = await createPgliteEngine();
  [etl, strict] = await Promise.all([
    startLocalTasker({
      dataApi: { engine },
      props: { redshiftTarget: { clusterIdentifier: 'etl', database: 'dev', dbUser: 'etl' }, namePrefix: 'etl' },
    }),
    startLocalTasker({
      dataApi: { engine, statementDelayMs: ({ sqls }) => (sqls.some((sql) => sql.includes('/* slow */')) ? 3_000 : 0) },
      props: {
        redshiftTargetProps: { clusterIdentifier: 'c', dbName: 'dev', dbUser: 'u' },
        namePrefix: 'strict',
        abortedErrorName: 'ABORTED',
        describeOnSuccess: true,
      },
    }),
  ]);
  await etl.seed(['DROP TABLE IF EXISTS kit_orders', 'CREATE TABLE kit_orders (id int, region text, amount int)']);
});
afterAll(async () => {
  await Promise.all([etl?.stop(), strict?.stop()]);
  await engine?.close();
});

/** A child loading a day of orders; fails with FAILED when the SQL fails. */
const loadMachine = (arn: string) =>
  serializeDefinition(
    definition({
      states: [
        sqlTask(arn, 'Load', {
          sql: 'INSERT INTO kit_orders SELECT g, :region, g * 10 FROM generate_series(1, :n) g',
          parameters: { 'region.$': '$.region', 'n.$': '$.orders' },
          catchFailed: 'Load failed',
          next: 'Loaded',
        }),
        succeed('Loaded'),
        fail('Load failed', { error: 'LoadFailed' }),
      ],
    }),
  );
/** A child counting what was loaded for a region. */
const countMachine = (arn: string) =>
  serializeDefinition(
    definition({
      states: [
        sqlTask(arn, 'Count', {
          sql: 'SELECT count(*) FROM kit_orders WHERE region = :region',
          parameters: { 'region.$': '$.region' },
          end: true,
        }),
      ],
    }),
  );
/** The parent: Load (.sync:2, parsed output) then Count (.sync, JSON text), as the original's examples chain machines. */
const nightly = (region: string) => ({
  StartAt: 'Run load',
  States: {
    'Run load': {
      Type: 'Task',
      Resource: 'arn:aws:states:::states:startExecution.sync:2',
      Parameters: {
        StateMachineArn: etl.registerStateMachine('load', loadMachine(etl.functionArn)),
        'Input.$': '$',
        'Name.$': "States.Format('load-{}', $.region)",
      },
      ResultPath: '$.load',
      Catch: [{ ErrorEquals: ['States.TaskFailed'], ResultPath: '$.error', Next: 'Load did not finish' }],
      Next: 'Run count',
    },
    'Run count': {
      Type: 'Task',
      Resource: 'arn:aws:states:::states:startExecution.sync',
      Parameters: { StateMachineArn: etl.registerStateMachine('count', countMachine(etl.functionArn)), Input: { region } },
      ResultSelector: { 'status.$': '$.Status', 'output.$': 'States.StringToJson($.Output)' },
      ResultPath: '$.count',
      End: true,
    },
    'Load did not finish': { Type: 'Pass', End: true },
  },
});

describe('cdktf-stepfunctions-redshift/local', () => {
  it('chains two registered state machines with startExecution.sync:2 and .sync through the shipped handler', async () => {
    etl.registerStateMachine('nightly', nightly('north'));
    const result = await etl.run('nightly', { region: 'north', orders: 3 });
    expect(result.status).toBe('SUCCEEDED');
    expect(result.statesVisited).toEqual(['Run load', 'Run count']);
    expect(result.stateMachineArn).toBe('arn:aws:states:us-east-1:123456789012:stateMachine:nightly');
    const output = result.output as {
      load: Record<string, unknown>;
      count: { status: string; output: { detail: { state: string; rows: number } } };
    };
    expect(output.load).toMatchObject({
      Name: 'load-north',
      StateMachineArn: etl.registerStateMachine('load', loadMachine(etl.functionArn)),
      Status: 'SUCCEEDED',
      Input: { region: 'north', orders: 3 },
    });
    expect(output.count).toMatchObject({ status: 'SUCCEEDED', output: { detail: { state: 'FINISHED', rows: 1 } } });
    expect(result.nestedExecutions.map((e) => [e.name.startsWith('load-') ? 'load' : 'count', e.statesVisited])).toEqual([
      ['load', ['Load', 'Loaded']],
      ['count', ['Count']],
    ]);
    expect(await etl.query("SELECT count(*)::int AS n FROM kit_orders WHERE region = 'north'")).toEqual([{ n: 3 }]);
  });

  it('a child whose SQL fails fails the parent task with States.TaskFailed, which the parent catches', async () => {
    await etl.seed("ALTER TABLE kit_orders ADD CONSTRAINT no_south CHECK (region <> 'south')");
    try {
      const result = await etl.run(nightly('south'), { region: 'south', orders: 5 });
      expect(result.status).toBe('SUCCEEDED');
      expect(result.statesVisited).toEqual(['Run load', 'Load did not finish']);
      const error = (result.output as { error: { Error: string; Cause: string } }).error;
      expect(error.Error).toBe('States.TaskFailed');
      const cause = JSON.parse(error.Cause) as { Status: string; Error: string; Name: string };
      expect(cause).toMatchObject({ Status: 'FAILED', Error: 'LoadFailed', Name: 'load-south' });
      expect(result.nestedExecutions[0].statesVisited).toEqual(['Load', 'Load failed']);
      expect(await etl.query("SELECT count(*)::int AS n FROM kit_orders WHERE region = 'south'")).toEqual([{ n: 0 }]);
    } finally {
      await etl.seed('ALTER TABLE kit_orders DROP CONSTRAINT no_south');
    }
  });

  it('each tasker follows its own props: statement prefix, describeOnSuccess, abortedErrorName', async () => {
    const select = (arn: string) => serializeDefinition(definition({ states: [sqlTask(arn, 'Query', { sql: 'SELECT 1', end: true })] }));
    const [plain, described] = await Promise.all([etl.run(select(etl.functionArn)), strict.run(select(strict.functionArn))]);
    expect([plain.status, described.status]).toEqual(['SUCCEEDED', 'SUCCEEDED']);
    // describeOnSuccess adds the DescribeStatement fields to the output; the default keeps them out.
    expect(described.output).toMatchObject({ hasResultSet: true });
    expect(plain.output).not.toHaveProperty('hasResultSet');
    expect([etl.statementNamePrefix, strict.statementNamePrefix]).toEqual(['sfnrs-etl-', 'sfnrs-strict-']);
    const names = (tasker: LocalTasker) =>
      tasker.dataApi.calls.filter((c) => c.operation === 'ExecuteStatement').map((c) => String(c.input.StatementName));
    expect(names(etl).length).toBeGreaterThan(0);
    expect(names(etl).every((name) => name.startsWith('sfnrs-etl-'))).toBe(true);
    expect(names(strict).length).toBeGreaterThan(0);
    expect(names(strict).every((name) => name.startsWith('sfnrs-strict-'))).toBe(true);

    // A cancelled statement fails its waiting task with the tasker's abortedErrorName (ABORTED here, FAILED by default).
    const taskToken = 'local-kit-abort-token';
    const executionArn = 'arn:aws:states:us-east-1:123456789012:execution:kit:abort';
    const started = await strict.invoke({
      action: 'executeStatement',
      sqlStatement: 'SELECT 2 /* slow */',
      taskToken,
      executionArn,
      stateName: 'Slow',
    });
    expect(started.ok).toBe(true);
    expect((await strict.invoke({ action: 'cancelStatement', executionArn, statementId: 'LATEST' })).ok).toBe(true);
    expect(await strict.callbacks.waitForCallback(taskToken, 10_000)).toMatchObject({ action: 'SendTaskFailure', error: 'ABORTED' });
  });

  it('leaves process.env alone and keeps each tasker on its own services', async () => {
    expect(process.env).toEqual(envBefore);
    expect(new Set([etl.dataApi.endpoint, strict.dataApi.endpoint]).size).toBe(2);
    expect(new Set([etl.dynamoDb.endpoint, strict.dynamoDb.endpoint]).size).toBe(2);
    expect(new Set([etl.callbacks.endpoint, strict.callbacks.endpoint]).size).toBe(2);
    // Every callback went to the tasker whose state machine waited for it.
    expect(etl.callbacks.calls.length).toBeGreaterThan(0);
    expect(strict.callbacks.calls.every((call) => call.answeredWith === undefined)).toBe(true);
    // A third tasker stops twice without error (afterAll hooks often call stop again).
    const third = await startLocalTasker({ dataApi: { engine } });
    await Promise.all([third.stop(), third.stop()]);
    await expect(third.stop()).resolves.toBeUndefined();
  });

  it('names bad input: state machine names, unknown machines, invalid ASL, references in behaviour settings, bad props', async () => {
    expect(() => etl.registerStateMachine('bad name', nightly('x'))).toThrow(LocalStateMachineError);
    expect(() => etl.registerStateMachine('broken', { StartAt: 'Nowhere', States: {} })).toThrow(/state machine "broken"/);
    await expect(etl.run('missing', {})).rejects.toThrow(/no state machine "missing" is registered/);
    await expect(
      startLocalTasker({
        dataApi: { engine },
        props: {
          redshiftTarget: { clusterIdentifier: 'c', database: 'd', dbUser: 'u' },
          describeOnSuccess: Token.asAny('${var.x}') as unknown as boolean,
        },
      }),
    ).rejects.toThrow(LocalTaskerConfigurationError);
    await expect(
      startLocalTasker({ dataApi: { engine }, props: { redshiftTarget: { clusterIdentifier: 'c', database: 'd' } } as never }),
    ).rejects.toThrow(TaskerConfigurationError);
  });
});
