import { polling } from '../../../examples/state-machines';
import {
  LAMBDA_SERVICE_ERRORS_RETRY,
  LAMBDA_THROTTLING_RETRY,
  RETRYABLE_START_RETRY,
  type ChoiceState,
  type WaitState,
} from '../../../modules/sfn';
import { expectValidAsl, payloadOf, sqlStates, TASKER_ARN } from './support';

describe('polling', () => {
  const machine = polling(TASKER_ARN);

  it('starts the statement with a plain invoke (no task token) and keeps the ExecuteStatement response at $.executionDetails', () => {
    expectValidAsl(machine);
    expect(machine.StartAt).toBe('Start statement');
    const [start] = sqlStates(machine);
    expect(start.name).toBe('Start statement');
    expect(start.state).toMatchObject({
      Resource: 'arn:aws:states:::lambda:invoke',
      ResultSelector: { 'Id.$': '$.Payload.Id', 'CreatedAt.$': '$.Payload.CreatedAt' },
      ResultPath: '$.executionDetails',
      Next: 'Wait before check',
    });
    expect(start.payload).toMatchObject({
      action: 'executeStatement',
      sqlStatement: 'SELECT 1 AS polled',
      'executionArn.$': '$$.Execution.Id',
    });
    expect(start.payload).not.toHaveProperty('taskToken.$');
    // The same retries as the callback SQL tasks: a Lambda retry is safe, the state entry identifies the call.
    expect(start.state.Retry).toEqual([LAMBDA_SERVICE_ERRORS_RETRY, LAMBDA_THROTTLING_RETRY, RETRYABLE_START_RETRY]);
    expect(start.payload).toMatchObject({ 'stateName.$': '$$.State.Name', 'stateEnteredTime.$': '$$.State.EnteredTime' });
  });

  it('describes the statement by $.executionDetails.Id after each wait', () => {
    expect(machine.States['Wait before check']).toMatchObject({ Type: 'Wait', Seconds: 10, Next: 'Describe statement' });
    const describe = machine.States['Describe statement'];
    expect(describe).toMatchObject({
      Type: 'Task',
      Resource: 'arn:aws:states:::lambda:invoke',
      ResultPath: '$.status',
      Next: 'Statement ended?',
    });
    expect(payloadOf(describe)).toEqual({
      action: 'describeStatement',
      'statementId.$': '$.executionDetails.Id',
      'executionArn.$': '$$.Execution.Id',
    });
  });

  it('leaves the loop on every end state: FINISHED succeeds, FAILED and ABORTED fail, anything else waits again', () => {
    const check = machine.States['Statement ended?'] as ChoiceState;
    expect(check.Default).toBe('Wait before check');
    const targetOf = (status: string): string => {
      const matches = (rule: Record<string, unknown>): boolean =>
        Array.isArray(rule.Or)
          ? (rule.Or as Array<Record<string, unknown>>).some(matches)
          : rule.Variable === '$.status.Payload.Status' && rule.StringEquals === status;
      return check.Choices.find((rule) => matches(rule as Record<string, unknown>))?.Next ?? (check.Default as string);
    };
    expect(targetOf('FINISHED')).toBe('Statement finished');
    expect(targetOf('FAILED')).toBe('Statement failed');
    expect(targetOf('ABORTED')).toBe('Statement failed');
    for (const running of ['SUBMITTED', 'PICKED', 'STARTED']) expect(targetOf(running)).toBe('Wait before check');
    expect(machine.States['Statement finished']).toEqual({ Type: 'Succeed' });
    expect(machine.States['Statement failed']).toMatchObject({ Type: 'Fail', Error: 'StatementFailed' });
  });

  it('takes the SQL and the polling interval', () => {
    const custom = polling(TASKER_ARN, { sql: 'SELECT 2', pollSeconds: 3 });
    expectValidAsl(custom);
    expect(sqlStates(custom)[0].payload.sqlStatement).toBe('SELECT 2');
    expect((custom.States['Wait before check'] as WaitState).Seconds).toBe(3);
  });
});
