import type { ParallelState } from '../../../modules/sfn';
import { singletonStatements } from '../../../examples/state-machines';
import { expectValidAsl, sqlStates, TASKER_ARN } from './support';

describe('singletonStatements', () => {
  it('runs the same singleton SQL from three branches, each catching ConcurrentExecution', () => {
    const machine = singletonStatements(TASKER_ARN);
    expectValidAsl(machine);
    const tasks = sqlStates(machine);
    expect(tasks).toHaveLength(3);
    expect(new Set(tasks.map((task) => task.payload.sqlStatement)).size).toBe(1);
    tasks.forEach((task, index) => {
      expect(task.payload.action).toBe('executeSingletonStatement');
      expect(task.state.Catch).toEqual([
        { ErrorEquals: ['ConcurrentExecution'], Next: `Already running (${index + 1})`, ResultPath: '$.error' },
      ]);
    });
    expect((machine.States['Run the report once'] as ParallelState).Branches).toHaveLength(3);
  });

  it('takes the SQL and the number of branches', () => {
    const machine = singletonStatements(TASKER_ARN, { sql: 'SELECT pg_sleep(1)', branches: 2 });
    expectValidAsl(machine);
    expect(sqlStates(machine).map((task) => task.payload.sqlStatement)).toEqual(['SELECT pg_sleep(1)', 'SELECT pg_sleep(1)']);
  });
});
