import { definition, sqlTask, type StateMachineDefinition } from '../../modules/sfn';

/**
 * A temporary table built in one state and read in the next: the first statement starts a Data API
 * session (kept open 5 minutes after it ends), its output carries the `sessionId`, and the second state
 * runs in that session, where the temporary table still exists. Outside the session it does not.
 */
export function sessionTempTable(taskerArn: string): StateMachineDefinition {
  return definition({
    comment: 'Stage rows in a temporary table, then read them in the same Data API session',
    timeoutSeconds: 900,
    states: [
      sqlTask(taskerArn, 'Stage rows', {
        sql: 'CREATE TEMP TABLE staged_numbers AS SELECT n FROM generate_series(1, 5) AS n',
        session: { keepAliveSeconds: 300 },
        resultPath: '$.staged',
        next: 'Sum staged rows',
      }),
      sqlTask(taskerArn, 'Sum staged rows', {
        sql: 'SELECT SUM(n) AS total FROM staged_numbers',
        sessionIdPath: '$.staged.sessionId',
        resultPath: '$.summed',
      }),
    ],
  });
}
