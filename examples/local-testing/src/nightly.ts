/**
 * The app's state machine and its tasker props, shared by the stack (src/main.ts) and the local test
 * (test/nightly.test.ts): the test runs exactly what the stack deploys.
 */
import { definition, fail, sqlTask, succeed, type SfnRedshiftTaskerProps, type StateMachineDefinition } from 'cdktf-stepfunctions-redshift';

/** The props given to `SfnRedshiftTasker` (and to `startLocalTasker` in the test). */
export const taskerProps: SfnRedshiftTaskerProps = {
  redshiftTarget: { clusterIdentifier: 'analytics', database: 'dev', dbUser: 'etl' },
  namePrefix: 'nightly',
  abortedErrorName: 'ABORTED',
};

/** Load a day of orders, then aggregate it; a failed statement is caught and ends the execution with `NightlyFailed`. */
export function nightlyDefinition(taskerArn: string): StateMachineDefinition {
  return definition({
    timeoutSeconds: 3600,
    states: [
      sqlTask(taskerArn, 'Load orders', {
        sql: 'INSERT INTO orders (day, region, amount) SELECT CAST(:day AS date), region, amount FROM staged_orders',
        parameters: { 'day.$': '$.day' },
        resultPath: '$.load',
        catchFailed: 'Nightly failed',
        next: 'Aggregate',
      }),
      sqlTask(taskerArn, 'Aggregate', {
        sql:
          'INSERT INTO daily_totals (day, region, total) SELECT day, region, sum(amount) FROM orders WHERE day = CAST(:day AS date) ' +
          'GROUP BY day, region',
        parameters: { 'day.$': '$.day' },
        resultPath: '$.aggregate',
        catchFailed: 'Nightly failed',
        next: 'Done',
      }),
      succeed('Done'),
      fail('Nightly failed', { error: 'NightlyFailed', cause: 'a statement of the nightly load failed' }),
    ],
  });
}
