import { transaction } from '../../../examples/state-machines';
import { expectValidAsl, sqlStates, TASKER_ARN } from './support';

describe('transaction', () => {
  it('sends the statements as one TRANSACTION batch and catches FAILED', () => {
    const machine = transaction(TASKER_ARN);
    expectValidAsl(machine);
    const [task] = sqlStates(machine);
    expect(task.payload).toMatchObject({ action: 'executeStatement', executionMode: 'TRANSACTION' });
    expect(task.payload).not.toHaveProperty('sqlStatement');
    expect(task.payload.sqlStatements).toHaveLength(5);
    expect(task.state.Catch).toEqual([{ ErrorEquals: ['FAILED'], Next: 'Transfer rolled back', ResultPath: '$.error' }]);
    expect(machine.States['Transfer rolled back']).toMatchObject({ Type: 'Fail', Error: 'TransferFailed' });
  });
});
