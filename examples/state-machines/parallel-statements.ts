import { definition, parallel, sqlTask, type StateMachineDefinition } from '../../modules/sfn';

/** Independent statements at the same time; the Parallel state waits for all of them. */
export function parallelStatements(taskerArn: string): StateMachineDefinition {
  return definition({
    comment: 'Run three independent statements at the same time',
    timeoutSeconds: 900,
    states: [
      parallel('Run in parallel', {
        branches: [
          [sqlTask(taskerArn, 'Count tables', { sql: 'SELECT COUNT(*) AS table_count FROM pg_catalog.pg_tables' })],
          [sqlTask(taskerArn, 'Read current date', { sql: 'SELECT CURRENT_DATE AS today' })],
          [sqlTask(taskerArn, 'Add numbers', { sql: 'SELECT 40 + 2 AS answer' })],
        ],
      }),
    ],
  });
}
