import { singleSuccess } from '../../../examples/state-machines';
import { expectValidAsl, sqlStates, TASKER_ARN } from './support';

describe('singleSuccess', () => {
  it('is one waitForTaskToken task that ends the execution, with no catches', () => {
    const machine = singleSuccess(TASKER_ARN);
    expectValidAsl(machine);
    expect(Object.keys(machine.States)).toEqual(['Run statement']);
    const [task] = sqlStates(machine);
    expect(task.state).toMatchObject({ Resource: 'arn:aws:states:::lambda:invoke.waitForTaskToken', End: true });
    expect(task.state.Catch).toBeUndefined();
    expect(task.payload).toMatchObject({ action: 'executeStatement', sqlStatement: 'SELECT 1 AS ok' });
  });
});
