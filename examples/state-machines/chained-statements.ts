import { definition, sqlTask, type StateMachineDefinition } from '../../modules/sfn';

/**
 * Statements one after another; each starts when the previous one has finished. The insert uses named
 * parameters, one of them taken from the execution's name (a JSONPath on the context object).
 */
export function chainedStatements(taskerArn: string): StateMachineDefinition {
  return definition({
    comment: 'Create a table, insert a row, count the rows',
    timeoutSeconds: 900,
    states: [
      sqlTask(taskerArn, 'Create table', {
        sql: 'CREATE TABLE IF NOT EXISTS sfn_example_runs (id integer, label varchar(100))',
        next: 'Insert row',
      }),
      sqlTask(taskerArn, 'Insert row', {
        sql: 'INSERT INTO sfn_example_runs (id, label) VALUES (:id, :label)',
        parameters: { id: '1', 'label.$': '$$.Execution.Name' },
        next: 'Count rows',
      }),
      sqlTask(taskerArn, 'Count rows', { sql: 'SELECT COUNT(*) AS row_count FROM sfn_example_runs' }),
    ],
  });
}
