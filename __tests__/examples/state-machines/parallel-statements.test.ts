import type { ParallelState } from '../../../modules/sfn';
import { parallelStatements } from '../../../examples/state-machines';
import { expectValidAsl, sqlStates, TASKER_ARN } from './support';

describe('parallelStatements', () => {
  it('runs three single-task branches in one Parallel state', () => {
    const machine = parallelStatements(TASKER_ARN);
    expectValidAsl(machine);
    const state = machine.States['Run in parallel'] as ParallelState;
    expect(state).toMatchObject({ Type: 'Parallel', End: true });
    expect(state.Branches.map((item) => Object.keys(item.States))).toEqual([['Count tables'], ['Read current date'], ['Add numbers']]);
    expect(sqlStates(machine).every((task) => task.state.End === true && task.payload.action === 'executeStatement')).toBe(true);
  });
});
