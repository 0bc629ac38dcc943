import { definition, sqlTask, type StateMachineDefinition } from '../../modules/sfn';

/** One statement that succeeds: the task's output is the statement's completion event. */
export function singleSuccess(taskerArn: string): StateMachineDefinition {
  return definition({
    comment: 'Run one SQL statement and wait for it to finish',
    timeoutSeconds: 900,
    states: [sqlTask(taskerArn, 'Run statement', { sql: 'SELECT 1 AS ok' })],
  });
}
