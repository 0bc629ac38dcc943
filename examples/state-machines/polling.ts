import {
  choice,
  definition,
  describeTask,
  fail,
  LAMBDA_INVOKE_RESOURCE,
  LAMBDA_SERVICE_ERRORS_RETRY,
  LAMBDA_THROTTLING_RETRY,
  RETRYABLE_START_RETRY,
  succeed,
  TASKER_ACTIONS,
  wait,
  type NamedState,
  type StateMachineDefinition,
  type TaskState,
} from '../../modules/sfn';

/** Options of {@link polling}. */
export interface PollingOptions {
  /**
   * The statement to run.
   * @default - a one-row query
   */
  readonly sql?: string;
  /**
   * Seconds between two status checks.
   * @default 10
   */
  readonly pollSeconds?: number;
}

/** Where the start state puts the ExecuteStatement response: `$.executionDetails.Id` is the statement id, as in the original. */
export const POLLING_DETAILS_PATH = '$.executionDetails';
/** Where the describe state puts the DescribeStatement response (under `Payload`). */
export const POLLING_STATUS_PATH = '$.status';

/**
 * The original library's polling pattern, without a task token: a plain invoke starts the statement and
 * returns the Data API's ExecuteStatement response at `$.executionDetails`; the machine then waits,
 * describes the statement by its id and loops until it reaches an end state (FINISHED, FAILED or ABORTED).
 * The callback pattern (`sqlTask`) needs no loop; this one exists for state machines written that way.
 */
export function polling(taskerArn: string, options: PollingOptions = {}): StateMachineDefinition {
  const status = `${POLLING_STATUS_PATH}.Payload.Status`;
  return definition({
    comment: 'Start a statement without a task token and poll its status until it ends',
    timeoutSeconds: 900,
    states: [
      startStatement(taskerArn, 'Start statement', options.sql ?? 'SELECT 1 AS polled', 'Wait before check'),
      wait('Wait before check', { seconds: options.pollSeconds ?? 10, next: 'Describe statement' }),
      describeTask(taskerArn, 'Describe statement', {
        statementIdPath: `${POLLING_DETAILS_PATH}.Id`,
        resultPath: POLLING_STATUS_PATH,
        next: 'Statement ended?',
      }),
      choice('Statement ended?', {
        choices: [
          { when: { Variable: status, StringEquals: 'FINISHED' }, next: 'Statement finished' },
          {
            // ABORTED (cancelled) is an end state too: a loop that only looks for FAILED would never leave.
            when: {
              Or: [
                { Variable: status, StringEquals: 'FAILED' },
                { Variable: status, StringEquals: 'ABORTED' },
              ],
            },
            next: 'Statement failed',
          },
        ],
        otherwise: 'Wait before check',
      }),
      succeed('Statement finished'),
      fail('Statement failed', {
        error: 'StatementFailed',
        cause: 'The statement ended FAILED or ABORTED; its error is in the last DescribeStatement response.',
      }),
    ],
  });
}

/**
 * A plain invoke (no `taskToken`): the tasker starts the statement and answers at once with the
 * ExecuteStatement response. The state name and entry time let the handler recognise a Lambda retry
 * of the same state entry, so a retry never starts the SQL twice.
 */
function startStatement(taskerArn: string, name: string, sql: string, next: string): NamedState<TaskState> {
  const state: TaskState = {
    Type: 'Task',
    Resource: LAMBDA_INVOKE_RESOURCE,
    Parameters: {
      FunctionName: taskerArn,
      Payload: {
        action: TASKER_ACTIONS.EXECUTE,
        sqlStatement: sql,
        'executionArn.$': '$$.Execution.Id',
        'stateName.$': '$$.State.Name',
        'stateEnteredTime.$': '$$.State.EnteredTime',
      },
    },
    // The function's answer without the invoke metadata, so `$.executionDetails.Id` holds the statement id.
    ResultSelector: { 'Id.$': '$.Payload.Id', 'CreatedAt.$': '$.Payload.CreatedAt' },
    ResultPath: POLLING_DETAILS_PATH,
    Retry: [LAMBDA_SERVICE_ERRORS_RETRY, LAMBDA_THROTTLING_RETRY, RETRYABLE_START_RETRY].map((r) => ({
      ...r,
      ErrorEquals: [...r.ErrorEquals],
    })),
    Next: next,
  };
  return { name, state };
}
