import { parseInvocation } from '../../../../functions/tasker/input/invocation-schema';
import { EXECUTION_ARN, taskPayload } from '../../../support/handler/harness';
import { useHandlerHarness } from '../../../support/handler/hooks';

/** The ARN of a caller that is not a state machine (the original's README invokes the tasker so). */
const CALLER_ARN = 'arn:aws:lambda:us-east-1:123456789012:function:nightly-loader';

/** [description, payload, field the message must name] */
const INVALID: [string, unknown, string][] = [
  ['a string payload', 'select 1', '(payload)'],
  ['an array payload', [{ sqlStatement: 'select 1' }], '(payload)'],
  ['null', null, '(payload)'],
  ['an unknown action', { action: 'dropEverything', sqlStatement: 'select 1' }, 'action'],
  ['executeStatement without SQL', { action: 'executeStatement' }, 'sqlStatement'],
  ['an empty sqlStatement', { sqlStatement: '   ' }, 'sqlStatement'],
  ['a numeric sqlStatement', { sqlStatement: 42 }, 'sqlStatement'],
  ['SQL over 100 KB', { sqlStatement: `select '${'x'.repeat(100_001)}'` }, 'sqlStatement'],
  ['both sqlStatement and sqlStatements', { sqlStatement: 'select 1', sqlStatements: ['select 2'] }, 'sqlStatements'],
  ['an empty sqlStatements', { sqlStatements: [] }, 'sqlStatements'],
  ['a non-string in sqlStatements', { sqlStatements: ['select 1', 7] }, 'sqlStatements.1'],
  ['41 statements in a batch', { sqlStatements: Array(41).fill('select 1') }, 'sqlStatements'],
  ['an unknown executionMode', { sqlStatements: ['select 1'], executionMode: 'LATER' }, 'executionMode'],
  ['executionMode with a single statement', { sqlStatement: 'select 1', executionMode: 'AUTO_COMMIT' }, 'executionMode'],
  ['taskToken without executionArn', { sqlStatement: 'select 1', taskToken: 'abc' }, 'executionArn'],
  ['an empty taskToken', { sqlStatement: 'select 1', taskToken: '', executionArn: EXECUTION_ARN }, 'taskToken'],
  ['a taskToken over 2048 characters', taskPayload({ taskToken: 't'.repeat(2_049) }), 'taskToken'],
  ['an executionArn that is not an ARN', taskPayload({ executionArn: 'run-1' }), 'executionArn'],
  ['a non-ARN executionArn without taskToken', { sqlStatement: 'select 1', executionArn: 'my-caller' }, 'executionArn'],
  ['taskToken with a Lambda ARN as executionArn', taskPayload({ executionArn: CALLER_ARN }), 'executionArn'],
  [
    'taskToken with a state machine (not execution) ARN',
    taskPayload({ executionArn: 'arn:aws:states:us-east-1:123456789012:stateMachine:sm' }),
    'executionArn',
  ],
  ['a stateEnteredTime that is not a timestamp', taskPayload({ stateEnteredTime: 'yesterday' }), 'stateEnteredTime'],
  ['parameters that are not an array', { sqlStatement: 'select :a', parameters: { a: 1 } }, 'parameters'],
  ['a parameter without a name', { sqlStatement: 'select :a', parameters: [{ value: '1' }] }, 'parameters.0.name'],
  ['a parameter name with SQL in it', { sqlStatement: 'select :a', parameters: [{ name: 'a; drop', value: '1' }] }, 'parameters.0.name'],
  ['an object parameter value', { sqlStatement: 'select :a', parameters: [{ name: 'a', value: { x: 1 } }] }, 'parameters.0.value'],
  [
    'a repeated parameter name',
    {
      sqlStatement: 'select :a',
      parameters: [
        { name: 'a', value: '1' },
        { name: 'a', value: '2' },
      ],
    },
    'parameters',
  ],
  ['parameters with sqlStatements', { sqlStatements: ['select :a'], parameters: [{ name: 'a', value: '1' }] }, 'parameters'],
  ['describeStatement without statementId', { action: 'describeStatement' }, 'statementId'],
  [
    'describeStatement with sqlStatement',
    { action: 'describeStatement', statementId: 'LATEST', executionArn: EXECUTION_ARN, sqlStatement: 'select 1' },
    'sqlStatement',
  ],
  [
    'cancelStatement with sqlStatements',
    { action: 'cancelStatement', statementId: 'LATEST', executionArn: EXECUTION_ARN, sqlStatements: ['select 1'] },
    'sqlStatements',
  ],
  [
    'getStatementResult with parameters',
    { action: 'getStatementResult', statementId: 'LATEST', executionArn: EXECUTION_ARN, parameters: [{ name: 'a', value: 1 }] },
    'parameters',
  ],
  [
    'describeStatement with executionMode',
    { action: 'describeStatement', statementId: 'LATEST', executionArn: EXECUTION_ARN, executionMode: 'AUTO_COMMIT' },
    'executionMode',
  ],
  ['a malformed statementId', { action: 'cancelStatement', statementId: 'abc' }, 'statementId'],
  ['LATEST without executionArn', { action: 'describeStatement', statementId: 'LATEST' }, 'executionArn'],
  [
    'nextToken on describeStatement',
    { action: 'describeStatement', statementId: 'LATEST', executionArn: EXECUTION_ARN, nextToken: 'n' },
    'nextToken',
  ],
  ['a numeric nextToken', { action: 'getStatementResult', statementId: 'LATEST', executionArn: EXECUTION_ARN, nextToken: 5 }, 'nextToken'],
  ['a zero session keep-alive', { sqlStatement: 'select 1', sessionKeepAliveSeconds: 0 }, 'sessionKeepAliveSeconds'],
  ['a keep-alive over 24 h', { sqlStatement: 'select 1', sessionKeepAliveSeconds: 86_401 }, 'sessionKeepAliveSeconds'],
  ['a fractional keep-alive', { sqlStatement: 'select 1', sessionKeepAliveSeconds: 1.5 }, 'sessionKeepAliveSeconds'],
  ['a malformed sessionId', { sqlStatement: 'select 1', sessionId: 'abc' }, 'sessionId'],
  ['sessionId LATEST without executionArn', { sqlStatement: 'select 1', sessionId: 'LATEST' }, 'executionArn'],
  [
    'sessionId on describeStatement',
    { action: 'describeStatement', statementId: 'LATEST', executionArn: EXECUTION_ARN, sessionId: 'LATEST' },
    'sessionId',
  ],
  ['an unknown resultFormat', { sqlStatement: 'select 1', resultFormat: 'XML' }, 'resultFormat'],
  [
    'resultFormat on cancelStatement',
    { action: 'cancelStatement', statementId: 'LATEST', executionArn: EXECUTION_ARN, resultFormat: 'CSV' },
    'resultFormat',
  ],
];

describe('invalid payloads → InvalidInput naming the field, before any side effect', () => {
  const h = useHandlerHarness({ per: 'all' });

  it.each(INVALID)('%s', async (_description, payload, field) => {
    const error = await h.invoke(payload).then(
      () => undefined,
      (thrown: unknown) => thrown as Error,
    );
    expect(error?.name).toBe('InvalidInput');
    expect(error?.message.startsWith(`${field}: `)).toBe(true);
    expect(await h.items()).toEqual([]);
    expect(h.data.calls).toEqual([]);
  });

  it('has more than 10 cases', () => {
    expect(INVALID.length).toBeGreaterThanOrEqual(10);
  });
});

describe('parseInvocation (valid payloads)', () => {
  it('defaults to executeStatement, keeps the caller context, stringifies parameter values', () => {
    expect(
      parseInvocation({
        ...taskPayload({ taskToken: 'tok' }),
        parameters: [
          { name: 'n', value: 1 },
          { name: 'b', value: true },
        ],
      }),
    ).toEqual({
      action: 'executeStatement',
      sql: {
        kind: 'single',
        sqlStatement: 'select 1',
        parameters: [
          { name: 'n', value: '1' },
          { name: 'b', value: 'true' },
        ],
      },
      taskToken: 'tok',
      executionArn: EXECUTION_ARN,
      stateName: 'Run SQL',
      stateEnteredTime: '2026-11-24T10:00:00.000Z',
    });
  });

  it('takes any ARN as executionArn without a task token (start and LATEST)', () => {
    expect(parseInvocation({ sqlStatement: 'select 1', executionArn: CALLER_ARN })).toMatchObject({
      action: 'executeStatement',
      executionArn: CALLER_ARN,
    });
    const bucket = 'arn:aws:s3:::reports-bucket';
    expect(parseInvocation({ sqlStatement: 'select 1', executionArn: bucket })).toMatchObject({ executionArn: bucket });
    expect(parseInvocation({ action: 'describeStatement', statementId: 'LATEST', executionArn: CALLER_ARN })).toEqual({
      action: 'describeStatement',
      statementId: 'LATEST',
      executionArn: CALLER_ARN,
      nextToken: undefined,
    });
    // With a token, Express executions count as executions too.
    const express = 'arn:aws:states:us-east-1:123456789012:express:sm:run-1:0f8e';
    expect(parseInvocation(taskPayload({ executionArn: express }))).toMatchObject({ executionArn: express });
  });

  it('names both fields when describe/cancel/result carries SQL', () => {
    expect(() =>
      parseInvocation({ action: 'describeStatement', statementId: 'LATEST', executionArn: CALLER_ARN, sqlStatement: 'select 1' }),
    ).toThrow('sqlStatement: cannot be combined with action describeStatement');
  });

  it('reads the session and result format fields', () => {
    expect(parseInvocation({ ...taskPayload({ taskToken: 'tok' }), sessionKeepAliveSeconds: 300, resultFormat: 'CSV' })).toMatchObject({
      session: { keepAliveSeconds: 300, sessionId: undefined },
      resultFormat: 'CSV',
    });
    expect(parseInvocation({ ...taskPayload({ taskToken: 'tok' }), sessionId: 'LATEST' })).toMatchObject({
      session: { sessionId: 'LATEST' },
    });
    expect(parseInvocation({ sqlStatement: 'select 1' })).not.toHaveProperty('session');
    expect(
      parseInvocation({ action: 'getStatementResult', statementId: 'LATEST', executionArn: EXECUTION_ARN, resultFormat: 'CSV' }),
    ).toMatchObject({
      resultFormat: 'CSV',
    });
  });

  it('ignores unknown fields, as the original did', () => {
    expect(parseInvocation({ sqlStatement: 'select 1', comment: 'x' })).toMatchObject({ action: 'executeStatement' });
  });

  it('accepts statement ids with a batch sub-statement suffix and LATEST', () => {
    expect(
      parseInvocation({ action: 'getStatementResult', statementId: 'd9b6c0c9-0747-4bf4-b142-e8883122f766:2', nextToken: 'n' }),
    ).toEqual({
      action: 'getStatementResult',
      statementId: 'd9b6c0c9-0747-4bf4-b142-e8883122f766:2',
      executionArn: undefined,
      nextToken: 'n',
    });
    expect(parseInvocation({ action: 'cancelStatement', statementId: 'LATEST', executionArn: EXECUTION_ARN })).toMatchObject({
      statementId: 'LATEST',
    });
  });
});
