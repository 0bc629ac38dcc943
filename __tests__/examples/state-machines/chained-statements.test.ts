import { chainedStatements } from '../../../examples/state-machines';
import { expectValidAsl, sqlStates, TASKER_ARN } from './support';

describe('chainedStatements', () => {
  it('runs create, insert, count one after another', () => {
    const machine = chainedStatements(TASKER_ARN);
    expectValidAsl(machine);
    expect(machine.StartAt).toBe('Create table');
    expect(machine.States['Create table']).toMatchObject({ Next: 'Insert row' });
    expect(machine.States['Insert row']).toMatchObject({ Next: 'Count rows' });
    expect(machine.States['Count rows']).toMatchObject({ End: true });
    expect(sqlStates(machine).map((task) => task.payload.action)).toEqual(['executeStatement', 'executeStatement', 'executeStatement']);
  });

  it('binds the insert values as named parameters, one from the execution name', () => {
    const insert = sqlStates(chainedStatements(TASKER_ARN)).find((task) => task.name === 'Insert row');
    expect(insert?.payload.sqlStatement).toBe('INSERT INTO sfn_example_runs (id, label) VALUES (:id, :label)');
    expect(insert?.payload.parameters).toEqual([
      { name: 'id', value: '1' },
      { name: 'label', 'value.$': '$$.Execution.Name' },
    ]);
  });
});
