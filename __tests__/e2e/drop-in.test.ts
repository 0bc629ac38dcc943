/**
 * What a user of `cdk-stepfunctions-redshift` does, run on the local flow with the handler zip as shipped:
 * the original's README invocations (any caller ARN, `LATEST`), a singleton blocked by a plain statement
 * of the same SQL, a CloudFormation custom resource reading the original's `Data` keys, and a payload that
 * mixes actions. Statements run on PostgreSQL; completion events travel the rule → queue → handler path.
 */
import { startCloudFormationReceiver, type CloudFormationReceiver } from '../support/handler/cloudformation-receiver';
import { startLocalTasker, type LocalTasker } from '../../local/stack';
import type { InvocationResult } from '../../local/lambda/invoke';
import { definition, parallel, pass, serializeDefinition, sqlTask, wait } from '../../modules/sfn';

/** SQL carrying `/* hold <n> ms *\/` stays STARTED that long before it runs. */
const hold = (ms: number): string => `/* hold ${ms} ms */`;
const HOLD_PATTERN = /\/\* hold (\d+) ms \*\//;
/** A caller that is not a state machine, as in the original's README (`executionArn` = the invoker's ARN). */
const CALLER_ARN = 'arn:aws:lambda:us-east-1:123456789012:function:nightly-loader';

let tasker: LocalTasker;
let cfn: CloudFormationReceiver;

beforeAll(async () => {
  tasker = await startLocalTasker({
    dataApi: { statementDelayMs: ({ sqls }) => Math.max(0, ...sqls.map((sql) => Number(HOLD_PATTERN.exec(sql)?.[1] ?? 0))) },
    delivery: { visibilityTimeoutMs: 50, maxReceiveCount: 3 },
  });
  cfn = await startCloudFormationReceiver();
});
afterAll(async () => {
  await cfn?.stop();
  await tasker?.stop();
});
afterEach(async () => {
  await tasker.delivery.idle();
  expect(tasker.delivery.deadLetters).toEqual([]);
});

/** The payload of a successful invocation (fails the test with the error otherwise). */
function payloadOf(result: InvocationResult): any {
  if (!result.ok) throw new Error(`invocation failed: ${result.errorType}: ${result.errorMessage}`);
  return result.payload;
}
const startCalls = () => tasker.dataApi.calls.filter((c) => c.operation === 'ExecuteStatement' || c.operation === 'BatchExecuteStatement');
const until = async (check: () => Promise<boolean>, what: string): Promise<void> => {
  for (let waited = 0; waited < 10_000; waited += 25) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error(`timed out waiting for ${what}`);
};

describe('executionArn: any caller ARN without a task token, and LATEST for it', () => {
  it('starts with a Lambda ARN, then describes and reads the result through LATEST with the same ARN', async () => {
    const started = payloadOf(await tasker.invoke({ executionArn: CALLER_ARN, sqlStatement: `SELECT 41 + 1 AS answer ${hold(300)}` }));
    expect(started).toMatchObject({ Id: expect.any(String), ClusterIdentifier: 'local-cluster', Database: 'dev' });

    // Its status depends on timing (a loaded machine may have run it already); the id is what LATEST promises.
    const described = payloadOf(await tasker.invoke({ action: 'describeStatement', statementId: 'LATEST', executionArn: CALLER_ARN }));
    expect(described).toMatchObject({ Id: started.Id, QueryString: expect.stringContaining('SELECT 41 + 1') });

    await until(
      async () =>
        payloadOf(await tasker.invoke({ action: 'describeStatement', statementId: 'LATEST', executionArn: CALLER_ARN })).Status ===
        'FINISHED',
      'the statement to finish',
    );
    const result = payloadOf(await tasker.invoke({ action: 'getStatementResult', statementId: 'LATEST', executionArn: CALLER_ARN }));
    expect(result).toMatchObject({ TotalNumRows: 1, Records: [[{ longValue: 42 }]] });
  });

  it('cancels the latest statement of a caller by its ARN', async () => {
    const caller = `${CALLER_ARN}-cancel`;
    const started = payloadOf(await tasker.invoke({ executionArn: caller, sqlStatement: `SELECT 1 ${hold(5_000)}` }));
    expect(payloadOf(await tasker.invoke({ action: 'cancelStatement', statementId: 'LATEST', executionArn: caller }))).toEqual({
      Status: true,
    });
    expect(payloadOf(await tasker.invoke({ action: 'describeStatement', statementId: started.Id }))).toMatchObject({ Status: 'ABORTED' });
  });

  it('still requires an execution ARN together with taskToken: InvalidInput, nothing started', async () => {
    const before = startCalls().length;
    const refused = await tasker.invoke({ taskToken: 'token-1', executionArn: CALLER_ARN, sqlStatement: 'SELECT 1' });
    expect(refused).toMatchObject({
      ok: false,
      errorType: 'InvalidInput',
      errorMessage: expect.stringMatching(/^executionArn: must be a Step Functions execution ARN/),
    });
    expect(startCalls()).toHaveLength(before);
  });
});

describe('executeSingletonStatement is refused while a plain statement of the same SQL runs', () => {
  const sql = `SELECT COUNT(*) AS refreshed FROM generate_series(1, 100) ${hold(3_000)}`;

  it('a state machine: the plain statement runs, the singleton started meanwhile is caught as ConcurrentExecution', async () => {
    const machine = definition({
      comment: 'A plain run and, a second later, a singleton run of the same SQL',
      states: [
        parallel('Both', {
          branches: [
            [sqlTask(tasker.functionArn, 'Plain run', { sql })],
            [
              wait('Let the plain run start', { seconds: 1, next: 'Singleton run' }),
              sqlTask(tasker.functionArn, 'Singleton run', { sql, singleton: true, catchConcurrent: 'Refused' }),
              pass('Refused'),
            ],
          ],
        }),
      ],
    });
    const startsBefore = startCalls().length;
    const result = await tasker.run(serializeDefinition(machine));
    expect(result.status).toBe('SUCCEEDED');
    const [plain, singleton] = result.output as [{ detail: { state: string } }, { error: { Error: string; Cause: string } }];
    expect(plain.detail.state).toBe('FINISHED');
    expect(singleton.error.Error).toBe('ConcurrentExecution');
    expect(JSON.parse(singleton.error.Cause).errorMessage).toMatch(/same SQL text .* is already running: [0-9a-f-]{36}$/);
    // Only the plain statement reached the Data API.
    expect(
      startCalls()
        .slice(startsBefore)
        .map((c) => c.operation),
    ).toEqual(['ExecuteStatement']);
  });

  it('once the plain statement has finished (its event handled), the singleton runs', async () => {
    const plain = payloadOf(await tasker.invoke({ sqlStatement: `SELECT 2 ${hold(10)}` }));
    await until(
      async () => payloadOf(await tasker.invoke({ action: 'describeStatement', statementId: plain.Id })).Status === 'FINISHED',
      'the plain statement',
    );
    await tasker.delivery.idle();
    const single = await tasker.invoke({ action: 'executeSingletonStatement', sqlStatement: `SELECT 2 ${hold(10)}` });
    expect(single.ok).toBe(true);
  });
});

describe('CloudFormation custom resources get the original response keys plus ours', () => {
  const request = (requestId: string, sql: string) => ({
    RequestType: 'Create',
    ServiceToken: tasker.functionArn,
    ResponseURL: cfn.urlFor(requestId),
    StackId: 'arn:aws:cloudformation:us-east-1:123456789012:stack/users/1',
    RequestId: requestId,
    LogicalResourceId: 'ReportingUser',
    ResourceType: 'Custom::RedshiftSql',
    ResourceProperties: { ServiceToken: tasker.functionArn, sqlStatement: sql },
  });
  const responseFor = async (requestId: string) => {
    await until(async () => cfn.responses.some((r) => r.path.startsWith(`/${requestId}?`)), `the response to ${requestId}`);
    return cfn.responses.find((r) => r.path.startsWith(`/${requestId}?`))!.body as Record<string, any>;
  };
  const ORIGINAL_DATA_KEYS = ['version', 'id', 'detail-type', 'source', 'account', 'time', 'region', 'resources', 'detail'];
  /** Data holds the original's keys and ours; a statement done within the fast path also says `fastPath`. */
  const expectDataKeys = (data: Record<string, unknown>) => {
    const ours = [...ORIGINAL_DATA_KEYS, 'Rows', 'StatementId'];
    expect(Object.keys(data)).toEqual(expect.arrayContaining(ours));
    expect(Object.keys(data).filter((key) => !ours.includes(key))).toEqual(data.fastPath === true ? ['fastPath'] : []);
  };

  it(
    'SUCCESS: Data is the status-change event (Fn::GetAtt detail.statementId works) plus StatementId and Rows; Reason; NoEcho ' + 'false',
    async () => {
      const started = payloadOf(await tasker.invoke(request('create-ok', 'CREATE TABLE IF NOT EXISTS reporting_users (name text)')));
      expect(started).toMatchObject({ outcome: 'started' });
      const body = await responseFor('create-ok');
      expect(body).toMatchObject({
        Status: 'SUCCESS',
        NoEcho: false,
        PhysicalResourceId: started.physicalResourceId,
        Reason: expect.stringContaining('FINISHED'),
      });
      expectDataKeys(body.Data);
      expect(body.Data).toMatchObject({
        source: 'aws.redshift-data',
        'detail-type': 'Redshift Data Statement Status Change',
        detail: { statementId: started.statementId, state: 'FINISHED' },
        StatementId: started.statementId,
      });
      expect(Buffer.byteLength(JSON.stringify(body))).toBeLessThanOrEqual(4_096);
    },
  );

  it('FAILED with a long PostgreSQL error: detail.error holds its start, the body fits 4,096 bytes, Reason says it was cut', async () => {
    const sql = `SELECT CAST('${'x'.repeat(6_000)}' AS integer)`;
    const postgresMessage = await tasker.dataApi.query(sql).then(
      () => '',
      (error: Error) => error.message,
    );
    expect(postgresMessage).toMatch(/invalid input syntax for type integer/);
    payloadOf(await tasker.invoke(request('create-failing', sql)));
    const body = await responseFor('create-failing');
    expect(Buffer.byteLength(JSON.stringify(body))).toBeLessThanOrEqual(4_096);
    expect(body).toMatchObject({
      Status: 'FAILED',
      NoEcho: false,
      Reason: expect.stringMatching(
        /^statement FAILED: .*invalid input syntax.*\(Data detail\.error truncated to fit CloudFormation's 4096-byte response limit\)$/,
      ),
    });
    expect(body.Data.detail).toMatchObject({
      state: 'FAILED',
      error: expect.stringMatching(/invalid input syntax for type integer.*…\[truncated\]$/),
    });
    expectDataKeys(body.Data);
  });
});

describe('a payload that mixes actions', () => {
  it.each([
    ['describeStatement', 'sqlStatement', { sqlStatement: 'DROP TABLE reporting_users' }],
    ['cancelStatement', 'sqlStatements', { sqlStatements: ['DROP TABLE reporting_users'] }],
    ['getStatementResult', 'sqlStatement', { sqlStatement: 'SELECT 1' }],
  ])('%s with %s → InvalidInput naming both, nothing started', async (action, field, sqlFields) => {
    payloadOf(await tasker.invoke({ executionArn: `${CALLER_ARN}-mixed`, sqlStatement: 'SELECT 1' }));
    const before = tasker.dataApi.calls.length;
    const refused = await tasker.invoke({ action, statementId: 'LATEST', executionArn: `${CALLER_ARN}-mixed`, ...sqlFields });
    expect(refused).toMatchObject({ ok: false, errorType: 'InvalidInput' });
    const message = (refused as { errorMessage: string }).errorMessage;
    expect(message.startsWith(`${field}: cannot be combined with action ${action}`)).toBe(true);
    // No Data API call at all: neither the SQL nor the describe/cancel/result ran.
    expect(tasker.dataApi.calls.slice(before)).toEqual([]);
  });
});
