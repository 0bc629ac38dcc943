import { singleFailure } from '../../../examples/state-machines';
import { expectValidAsl, sqlStates, TASKER_ARN } from './support';

describe('singleFailure', () => {
  it('catches FAILED into a handler state that keeps the input and ends the execution', () => {
    const machine = singleFailure(TASKER_ARN);
    expectValidAsl(machine);
    const [task] = sqlStates(machine);
    expect(task.state.Catch).toEqual([{ ErrorEquals: ['FAILED'], Next: 'Handle SQL failure', ResultPath: '$.error' }]);
    expect(task.payload.sqlStatement).toMatch(/FROM sfn_example_table_that_does_not_exist/);
    expect(machine.States['Handle SQL failure']).toMatchObject({ Type: 'Pass', End: true });
  });
});
