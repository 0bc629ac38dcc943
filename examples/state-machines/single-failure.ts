import { definition, pass, sqlTask, type StateMachineDefinition } from '../../modules/sfn';

/**
 * One statement that fails (the table does not exist). The task fails with `FAILED`; the catch keeps
 * the input and puts `{ Error, Cause }` at `$.error`, where `Cause` holds the Redshift error text.
 */
export function singleFailure(taskerArn: string): StateMachineDefinition {
  return definition({
    comment: 'Run a failing SQL statement and catch the failure',
    timeoutSeconds: 900,
    states: [
      sqlTask(taskerArn, 'Run failing statement', {
        sql: 'SELECT * FROM sfn_example_table_that_does_not_exist',
        catchFailed: 'Handle SQL failure',
      }),
      pass('Handle SQL failure', { comment: 'The failure is in $.error; a real state machine would alert or clean up here.' }),
    ],
  });
}
