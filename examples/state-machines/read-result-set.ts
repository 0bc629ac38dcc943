import { definition, resultTask, sqlTask, type StateMachineDefinition } from '../../modules/sfn';

/**
 * A query, then its result set: the SQL task keeps the completion event at `$.statement`, the result
 * task reads the rows of the last statement (`LATEST`) into `$.result.Payload.Records`.
 */
export function readResultSet(taskerArn: string): StateMachineDefinition {
  return definition({
    comment: 'Run a query and read its (small) result set',
    timeoutSeconds: 900,
    states: [
      sqlTask(taskerArn, 'Run query', {
        sql: "SELECT 1 AS id, 'one' AS label UNION ALL SELECT 2, 'two' UNION ALL SELECT 3, 'three' ORDER BY id",
        resultPath: '$.statement',
        next: 'Read result',
      }),
      resultTask(taskerArn, 'Read result', { resultPath: '$.result' }),
    ],
  });
}
