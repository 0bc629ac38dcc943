import { ERRORS } from '../../../functions/shared/contract';
import {
  cancelTask,
  definition,
  describeTask,
  InvalidStateOptionsError,
  LAMBDA_INVOKE_RESOURCE,
  resultTask,
  SESSION_BUSY_RETRY,
  sqlTask,
  WAIT_FOR_TASK_TOKEN_RESOURCE,
  type NamedState,
  type TaskState,
} from '../../../modules/sfn';
import { expectValidAsl, TASKER_ARN, validateAsl } from './asl-validate';

const STATEMENT_ID = '8f0c2d4e-1b3a-4c5d-9e6f-0a1b2c3d4e5f';

/** A one-state definition around `named`, plus the pass states its catches point at, so it can be validated. */
function wrap(named: NamedState, catchTargets: string[] = []) {
  return definition({
    states: [named, ...catchTargets.map((name) => ({ name, state: { Type: 'Succeed' as const } }))],
  });
}

function payloadOf(state: TaskState): Record<string, unknown> {
  return (state.Parameters as { Payload: Record<string, unknown> }).Payload;
}

describe('sqlTask', () => {
  it('builds the waitForTaskToken state with the full payload, in a fixed key order', () => {
    const { name, state } = sqlTask(TASKER_ARN, 'Run', { sql: 'SELECT 1' });
    expect(name).toBe('Run');
    expect(state.Type).toBe('Task');
    expect(state.Resource).toBe(WAIT_FOR_TASK_TOKEN_RESOURCE);
    expect(state.Resource).toBe('arn:aws:states:::lambda:invoke.waitForTaskToken');
    expect(state.Parameters?.FunctionName).toBe(TASKER_ARN);
    expect(payloadOf(state)).toEqual({
      action: 'executeStatement',
      sqlStatement: 'SELECT 1',
      'taskToken.$': '$$.Task.Token',
      'executionArn.$': '$$.Execution.Id',
      'stateName.$': '$$.State.Name',
      'stateEnteredTime.$': '$$.State.EnteredTime',
    });
    expect(Object.keys(payloadOf(state))).toEqual([
      'action',
      'sqlStatement',
      'taskToken.$',
      'executionArn.$',
      'stateName.$',
      'stateEnteredTime.$',
    ]);
    expect(state.End).toBe(true);
    expect(state.Next).toBeUndefined();
    expect(state.Catch).toBeUndefined();
    expect(state.ResultSelector).toBeUndefined();
    expectValidAsl(wrap({ name, state }));
  });

  it('adds the recommended retries, Lambda errors first and the handler start error last', () => {
    const { state } = sqlTask(TASKER_ARN, 'Run', { sql: 'SELECT 1' });
    expect(state.Retry).toEqual([
      {
        ErrorEquals: ['Lambda.ServiceException', 'Lambda.AWSLambdaException', 'Lambda.SdkClientException'],
        IntervalSeconds: 2,
        MaxAttempts: 6,
        BackoffRate: 2,
      },
      { ErrorEquals: ['Lambda.TooManyRequestsException'], IntervalSeconds: 1, MaxAttempts: 10, BackoffRate: 1.5 },
      { ErrorEquals: ['RedshiftDataRetryable'], IntervalSeconds: 5, MaxAttempts: 8, BackoffRate: 2, MaxDelaySeconds: 60 },
    ]);
    expect(state.Retry?.[2].ErrorEquals).toEqual([ERRORS.RETRYABLE_START]);
  });

  it('gives every state its own Retry arrays (editing one never changes another)', () => {
    const first = sqlTask(TASKER_ARN, 'A', { sql: 'SELECT 1' }).state;
    const second = sqlTask(TASKER_ARN, 'B', { sql: 'SELECT 1' }).state;
    (first.Retry![0].ErrorEquals as string[]).push('Mutated');
    expect(second.Retry?.[0].ErrorEquals).not.toContain('Mutated');
    expect(sqlTask(TASKER_ARN, 'C', { sql: 'SELECT 1' }).state.Retry?.[0].ErrorEquals).not.toContain('Mutated');
  });

  it('leaves the retries out with retry: false', () => {
    expect(sqlTask(TASKER_ARN, 'Run', { sql: 'SELECT 1', retry: false }).state.Retry).toBeUndefined();
  });

  it('wires catches specific first, States.ALL last, keeping the input with the error at $.error', () => {
    const named = sqlTask(TASKER_ARN, 'Run', {
      sql: 'SELECT 1',
      singleton: true,
      catchAll: 'Any',
      catchTimeout: 'Timeout',
      catchFailed: 'Failed',
      catchConcurrent: 'Busy',
    });
    expect(named.state.Catch).toEqual([
      { ErrorEquals: ['ConcurrentExecution'], Next: 'Busy', ResultPath: '$.error' },
      { ErrorEquals: ['FAILED'], Next: 'Failed', ResultPath: '$.error' },
      { ErrorEquals: ['States.Timeout', 'States.HeartbeatTimeout'], Next: 'Timeout', ResultPath: '$.error' },
      { ErrorEquals: ['States.ALL'], Next: 'Any', ResultPath: '$.error' },
    ]);
    expectValidAsl(wrap(named, ['Busy', 'Failed', 'Timeout', 'Any']));
  });

  it('catches ABORTED with FAILED when the tasker sends ABORTED for cancelled statements', () => {
    const { state } = sqlTask(TASKER_ARN, 'Run', { sql: 'SELECT 1', catchFailed: 'Failed', abortedErrorName: 'ABORTED' });
    expect(state.Catch).toEqual([{ ErrorEquals: ['FAILED', 'ABORTED'], Next: 'Failed', ResultPath: '$.error' }]);
    const byDefault = sqlTask(TASKER_ARN, 'Run', { sql: 'SELECT 1', catchFailed: 'Failed', abortedErrorName: 'FAILED' }).state;
    expect(byDefault.Catch?.[0].ErrorEquals).toEqual(['FAILED']);
  });

  it('honours catchResultPath, including null (discard the error)', () => {
    expect(sqlTask(TASKER_ARN, 'R', { sql: 'SELECT 1', catchFailed: 'F', catchResultPath: '$.sqlError' }).state.Catch?.[0].ResultPath).toBe(
      '$.sqlError',
    );
    const discarded = sqlTask(TASKER_ARN, 'R', { sql: 'SELECT 1', catchFailed: 'F', catchResultPath: null });
    expect(discarded.state.Catch?.[0].ResultPath).toBeNull();
    expectValidAsl(wrap(discarded, ['F']));
  });

  it('uses executeSingletonStatement for singleton statements', () => {
    expect(payloadOf(sqlTask(TASKER_ARN, 'R', { sql: 'SELECT 1', singleton: true }).state).action).toBe('executeSingletonStatement');
    expect(payloadOf(sqlTask(TASKER_ARN, 'R', { sql: 'SELECT 1', singleton: false }).state).action).toBe('executeStatement');
  });

  it('sends sqls with the execution mode, and leaves the mode to the handler when not given', () => {
    const batch = sqlTask(TASKER_ARN, 'R', { sqls: ['SELECT 1', 'SELECT 2'], executionMode: 'AUTO_COMMIT' });
    expect(payloadOf(batch.state)).toMatchObject({ sqlStatements: ['SELECT 1', 'SELECT 2'], executionMode: 'AUTO_COMMIT' });
    expect(payloadOf(batch.state)).not.toHaveProperty('sqlStatement');
    expect(payloadOf(sqlTask(TASKER_ARN, 'R', { sqls: ['SELECT 1'] }).state)).not.toHaveProperty('executionMode');
    expectValidAsl(wrap(batch));
  });

  it('copies sqls, so changing the caller array later does not change the state', () => {
    const sqls = ['SELECT 1'];
    const { state } = sqlTask(TASKER_ARN, 'R', { sqls });
    sqls.push('SELECT 2');
    expect(payloadOf(state).sqlStatements).toEqual(['SELECT 1']);
  });

  it('turns parameters into the handler shape, JSONPath keys into value.$', () => {
    const named = sqlTask(TASKER_ARN, 'R', {
      sql: 'SELECT * FROM t WHERE day = :day AND id = :id',
      parameters: { id: '7', 'day.$': '$.day' },
    });
    expect(payloadOf(named.state).parameters).toEqual([
      { name: 'id', value: '7' },
      { name: 'day', 'value.$': '$.day' },
    ]);
    expectValidAsl(wrap(named));
  });

  it('sets timeout, heartbeat, result path and comment when given', () => {
    const named = sqlTask(TASKER_ARN, 'R', {
      sql: 'SELECT 1',
      timeoutSeconds: 600,
      heartbeatSeconds: 300,
      resultPath: '$.sql',
      comment: 'hello',
      next: 'After',
    });
    expect(named.state).toMatchObject({ TimeoutSeconds: 600, HeartbeatSeconds: 300, ResultPath: '$.sql', Comment: 'hello', Next: 'After' });
    expect(named.state.End).toBeUndefined();
    expectValidAsl(definition({ states: [named, { name: 'After', state: { Type: 'Succeed' } }] }));
    expect(sqlTask(TASKER_ARN, 'R', { sql: 'SELECT 1', resultPath: null }).state.ResultPath).toBeNull();
  });

  it('keeps a Terraform token as the function name', () => {
    const token = '${TfToken[TOKEN.42]}';
    expect(sqlTask(token, 'R', { sql: 'SELECT 1' }).state.Parameters?.FunctionName).toBe(token);
  });

  it.each([
    ['both sql and sqls', { sql: 'SELECT 1', sqls: ['SELECT 2'] }, /not both/],
    ['neither sql nor sqls', {}, /give `sql`/],
    ['an empty sql', { sql: '  ' }, /must not be empty/],
    ['an empty sqls', { sqls: [] }, /at least one statement/],
    ['an empty statement in sqls', { sqls: ['SELECT 1', ''] }, /none of them empty/],
    ['more than 40 statements', { sqls: Array.from({ length: 41 }, () => 'SELECT 1') }, /at most 40/],
    ['executionMode with sql', { sql: 'SELECT 1', executionMode: 'AUTO_COMMIT' as const }, /`sqls` only/],
    ['singleton with sqls', { sqls: ['SELECT 1'], singleton: true }, /`sql` only/],
    ['parameters with sqls', { sqls: ['SELECT 1'], parameters: { a: '1' } }, /BatchExecuteStatement/],
    ['empty parameters', { sql: 'SELECT 1', parameters: {} }, /must not be empty/],
    ['a bad parameter name', { sql: 'SELECT 1', parameters: { 'a-b': '1' } }, /letters, digits/],
    ['a parameter given twice', { sql: 'SELECT 1', parameters: { a: '1', 'a.$': '$.a' } }, /twice/],
    ['a JSONPath parameter not starting with $', { sql: 'SELECT 1', parameters: { 'a.$': 'a' } }, /JSONPath/],
    ['catchConcurrent without singleton', { sql: 'SELECT 1', catchConcurrent: 'X' }, /singleton: true/],
    ['a fractional timeout', { sql: 'SELECT 1', timeoutSeconds: 1.5 }, /whole number/],
    ['a zero heartbeat', { sql: 'SELECT 1', heartbeatSeconds: 0 }, /whole number/],
    ['a heartbeat not below the timeout', { sql: 'SELECT 1', timeoutSeconds: 60, heartbeatSeconds: 60 }, /below/],
    ['both next and end', { sql: 'SELECT 1', next: 'X', end: true }, /not both/],
    ['end: false without next', { sql: 'SELECT 1', end: false }, /needs `next`/],
    ['an empty next', { sql: 'SELECT 1', next: ' ' }, /must name a state/],
    ['both sessionId and sessionIdPath', { sql: 'SELECT 1', sessionId: 'LATEST', sessionIdPath: '$.s' }, /not both/],
    ['a sessionIdPath not starting with $', { sql: 'SELECT 1', sessionIdPath: 's' }, /JSONPath/],
    ['a malformed sessionId', { sql: 'SELECT 1', sessionId: 'abc' }, /session id/],
    ['a keep-alive over 24 h', { sql: 'SELECT 1', session: { keepAliveSeconds: 86_401 } }, /1 to 86400/],
    ['a zero keep-alive', { sql: 'SELECT 1', session: { keepAliveSeconds: 0 } }, /1 to 86400/],
  ])('refuses %s with InvalidStateOptionsError', (_label, options, message) => {
    const build = () => sqlTask(TASKER_ARN, 'Bad', options);
    expect(build).toThrow(InvalidStateOptionsError);
    expect(build).toThrow(message);
    expect(build).toThrow(/^State "Bad": /);
  });

  it('sends the session fields and the result format, and retries a busy session only in a session', () => {
    const started = sqlTask(TASKER_ARN, 'Stage', {
      sql: 'CREATE TEMP TABLE t AS SELECT 1',
      session: { keepAliveSeconds: 300 },
      resultFormat: 'CSV',
    });
    expect(started.state.Parameters?.Payload).toMatchObject({ sessionKeepAliveSeconds: 300, resultFormat: 'CSV' });
    expect(started.state.Retry?.map((r) => r.ErrorEquals[0])).toContain('RedshiftSessionBusy');
    const inSession = sqlTask(TASKER_ARN, 'Read', { sql: 'SELECT * FROM t', sessionIdPath: '$.staged.sessionId' });
    expect(inSession.state.Parameters?.Payload).toMatchObject({ 'sessionId.$': '$.staged.sessionId' });
    expect(inSession.state.Retry?.at(-1)).toEqual(SESSION_BUSY_RETRY);
    expect(sqlTask(TASKER_ARN, 'Latest', { sql: 'SELECT 1', sessionId: 'LATEST' }).state.Parameters?.Payload).toMatchObject({
      sessionId: 'LATEST',
    });
    expect(sqlTask(TASKER_ARN, 'Plain', { sql: 'SELECT 1' }).state.Retry?.map((r) => r.ErrorEquals[0])).not.toContain(
      'RedshiftSessionBusy',
    );
  });

  it('refuses an empty function ARN', () => {
    expect(() => sqlTask('', 'R', { sql: 'SELECT 1' })).toThrow(InvalidStateOptionsError);
  });
});

describe('cancelTask, describeTask, resultTask', () => {
  it.each([
    ['cancelTask', cancelTask, 'cancelStatement'],
    ['describeTask', describeTask, 'describeStatement'],
    ['resultTask', resultTask, 'getStatementResult'],
  ] as const)('%s invokes the function with statementId LATEST and keeps only the Payload', (_label, build, action) => {
    const named = build(TASKER_ARN, 'Call');
    const { state } = named;
    expect(state.Resource).toBe(LAMBDA_INVOKE_RESOURCE);
    expect(state.Resource).toBe('arn:aws:states:::lambda:invoke');
    expect(state.Parameters).toEqual({
      FunctionName: TASKER_ARN,
      Payload: { action, statementId: 'LATEST', 'executionArn.$': '$$.Execution.Id' },
    });
    expect(state.ResultSelector).toEqual({ 'Payload.$': '$.Payload' });
    expect(state.Retry?.map((retrier) => retrier.ErrorEquals[0])).toEqual(['Lambda.ServiceException', 'Lambda.TooManyRequestsException']);
    expect(state.TimeoutSeconds).toBeUndefined();
    expect(state.End).toBe(true);
    expectValidAsl(wrap(named));
  });

  it('takes a statement id, or a path to one', () => {
    expect(payloadOf(describeTask(TASKER_ARN, 'D', { statementId: STATEMENT_ID }).state).statementId).toBe(STATEMENT_ID);
    expect(payloadOf(describeTask(TASKER_ARN, 'D', { statementId: `${STATEMENT_ID}:2` }).state).statementId).toBe(`${STATEMENT_ID}:2`);
    const byPath = payloadOf(cancelTask(TASKER_ARN, 'C', { statementIdPath: '$.detail.statementId' }).state);
    expect(byPath['statementId.$']).toBe('$.detail.statementId');
    expect(byPath).not.toHaveProperty('statementId');
  });

  it('passes nextToken or a path to it to getStatementResult', () => {
    expect(payloadOf(resultTask(TASKER_ARN, 'R', { nextToken: 'abc' }).state)).toMatchObject({ nextToken: 'abc' });
    const byPath = resultTask(TASKER_ARN, 'R', { nextTokenPath: '$.result.Payload.NextToken', resultPath: '$.page' });
    expect(payloadOf(byPath.state)).toMatchObject({ 'nextToken.$': '$.result.Payload.NextToken' });
    expect(byPath.state.ResultPath).toBe('$.page');
    expectValidAsl(wrap(byPath));
    expect(payloadOf(resultTask(TASKER_ARN, 'R').state)).not.toHaveProperty('nextToken');
  });

  it('asks for CSV results only when told', () => {
    expect(payloadOf(resultTask(TASKER_ARN, 'R', { resultFormat: 'CSV' }).state)).toMatchObject({ resultFormat: 'CSV' });
    expect(payloadOf(resultTask(TASKER_ARN, 'R', { resultFormat: 'JSON' }).state)).not.toHaveProperty('resultFormat');
  });

  it('wires catchAll and leaves retries out on request', () => {
    const { state } = cancelTask(TASKER_ARN, 'C', { catchAll: 'Oops', retry: false, next: 'Done' });
    expect(state.Catch).toEqual([{ ErrorEquals: ['States.ALL'], Next: 'Oops', ResultPath: '$.error' }]);
    expect(state.Retry).toBeUndefined();
    expect(state.Next).toBe('Done');
  });

  it.each([
    ['both statementId and statementIdPath', () => describeTask(TASKER_ARN, 'X', { statementId: 'LATEST', statementIdPath: '$.id' })],
    ['a statement id that is neither a UUID nor LATEST', () => cancelTask(TASKER_ARN, 'X', { statementId: 'latest-one' })],
    ['both nextToken and nextTokenPath', () => resultTask(TASKER_ARN, 'X', { nextToken: 'a', nextTokenPath: '$.a' })],
    ['an empty function ARN', () => describeTask(' ', 'X')],
  ])('refuses %s', (_label, build) => {
    expect(build).toThrow(InvalidStateOptionsError);
  });
});

describe('asl-validator', () => {
  it('is not a no-op: it rejects a task state without a Resource', () => {
    const { state } = sqlTask(TASKER_ARN, 'R', { sql: 'SELECT 1' });
    const { Resource: _omitted, ...withoutResource } = state;
    expect(validateAsl({ StartAt: 'R', States: { R: withoutResource } }).isValid).toBe(false);
  });
});
