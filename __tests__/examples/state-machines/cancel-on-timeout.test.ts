import { cancelOnTimeout } from '../../../examples/state-machines';
import { expectValidAsl, payloadOf, sqlStates, TASKER_ARN } from './support';

describe('cancelOnTimeout', () => {
  it('times the statement out, cancels the LATEST statement, then fails', () => {
    const machine = cancelOnTimeout(TASKER_ARN);
    expectValidAsl(machine);
    const [task] = sqlStates(machine);
    expect(task.state.TimeoutSeconds).toBe(30);
    expect(task.state.Catch).toEqual([
      { ErrorEquals: ['States.Timeout', 'States.HeartbeatTimeout'], Next: 'Cancel statement', ResultPath: '$.error' },
    ]);
    const cancel = machine.States['Cancel statement'];
    expect(cancel).toMatchObject({ Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke', ResultPath: '$.cancel', Next: 'Timed out' });
    expect(payloadOf(cancel)).toEqual({ action: 'cancelStatement', statementId: 'LATEST', 'executionArn.$': '$$.Execution.Id' });
    expect(machine.States['Timed out']).toMatchObject({ Type: 'Fail', Error: 'StatementTimedOut' });
  });

  it('takes the SQL and the timeout', () => {
    const [task] = sqlStates(cancelOnTimeout(TASKER_ARN, { sql: 'SELECT pg_sleep(60)', timeoutSeconds: 2 }));
    expect(task.state.TimeoutSeconds).toBe(2);
    expect(task.payload.sqlStatement).toBe('SELECT pg_sleep(60)');
  });
});
