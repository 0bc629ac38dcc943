import { cancelTask, definition, fail, sqlTask, type StateMachineDefinition } from '../../modules/sfn';

/** Options of {@link cancelOnTimeout}. */
export interface CancelOnTimeoutOptions {
  /**
   * The slow statement.
   * @default - a count over a hundred million generated rows
   */
  readonly sql?: string;
  /**
   * Seconds the statement may run before it is cancelled.
   * @default 30
   */
  readonly timeoutSeconds?: number;
}

/**
 * A slow statement with a timeout: on `States.Timeout` the statement is cancelled (`LATEST` = the last
 * statement this execution started) and the execution fails with `StatementTimedOut`.
 */
export function cancelOnTimeout(taskerArn: string, options: CancelOnTimeoutOptions = {}): StateMachineDefinition {
  return definition({
    comment: 'Cancel a statement that runs too long',
    timeoutSeconds: 900,
    states: [
      sqlTask(taskerArn, 'Run slow statement', {
        sql: options.sql ?? 'SELECT COUNT(*) AS generated FROM generate_series(1, 100000000) AS g',
        timeoutSeconds: options.timeoutSeconds ?? 30,
        catchTimeout: 'Cancel statement',
      }),
      cancelTask(taskerArn, 'Cancel statement', { resultPath: '$.cancel', next: 'Timed out' }),
      fail('Timed out', { error: 'StatementTimedOut', cause: 'The statement ran longer than its timeout and was cancelled.' }),
    ],
  });
}
