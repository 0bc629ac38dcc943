/**
 * The integration test of the AWS CDK library `cdk-stepfunctions-redshift`, run on the local kit: six state
 * machines written against its handler API, chained by a parent that starts each with
 * `states:startExecution.sync:2` and succeeds only if all six do. They exercise, in order:
 * - a statement whose task is failed by `HeartbeatSeconds` (10 s on a 10-minute statement), caught as
 *   `States.Timeout`, then cancelled with `statementId: LATEST` and described as ABORTED;
 * - polling: a start without a task token, Wait states and `describeStatement` until FINISHED;
 * - a success then a failing SQL caught as `FAILED`;
 * - ten `executeSingletonStatement` branches in a Parallel state: one runs, nine get `ConcurrentExecution`;
 * - a single success, and a single failure caught and described.
 *
 * Written for this repository in the shape of the original (same states, errors and timings); the SQL is
 * PostgreSQL's (the local Data API runs PostgreSQL), with `public.f_slow(text, seconds)` made slow by the kit's
 * statement delay (`originalStatementDelayMs`) instead of Python's `time.sleep`.
 */
import type { LocalTasker } from '../../local';

/** Functions the original's SQL calls, for PostgreSQL: Redshift's `getdate()` and the slow UDF (its delay comes from the kit). */
export const ORIGINAL_SEED_SQL: readonly string[] = [
  'CREATE OR REPLACE FUNCTION getdate() RETURNS timestamp LANGUAGE sql STABLE AS $$ SELECT now()::timestamp $$',
];

const CREATE_SLOW_UDF =
  'CREATE OR REPLACE FUNCTION public.f_slow(str_in varchar(50), int_in int) RETURNS varchar(50) LANGUAGE sql STABLE AS $$ SELECT str_in $$';

/** The kit's statement delay for the original's SQL: `f_slow(..., <seconds>)` runs that many seconds (kit time). */
export function originalStatementDelayMs(statement: { sqls: readonly string[] }): number {
  const match = /f_slow\([^,]+,\s*(\d+)\)/.exec(statement.sqls.join(' '));
  return match ? Number(match[1]) * 1000 : 0;
}

type State = Record<string, unknown>;

/** The original's `RetryableLambdaInvoke` retries. */
const LAMBDA_RETRIES = [
  {
    ErrorEquals: ['Lambda.ServiceException', 'Lambda.AWSLambdaException', 'Lambda.SdkClientException'],
    IntervalSeconds: 2,
    MaxAttempts: 6,
    BackoffRate: 2,
  },
  { ErrorEquals: ['Lambda.TooManyRequestsException'], IntervalSeconds: 1, MaxAttempts: 10, BackoffRate: 1.5 },
];

/** A `waitForTaskToken` statement task. */
function callbackTask(fn: string, sql: string, heartbeatSeconds: number, extra: State = {}, action?: string): State {
  const payload: State = { 'taskToken.$': '$$.Task.Token', 'executionArn.$': '$$.Execution.Id', sqlStatement: sql };
  if (action) payload.action = action;
  return {
    Type: 'Task',
    Resource: 'arn:aws:states:::lambda:invoke.waitForTaskToken',
    Parameters: { FunctionName: fn, Payload: payload },
    HeartbeatSeconds: heartbeatSeconds,
    Retry: LAMBDA_RETRIES,
    ...extra,
  };
}

/** A plain invocation (`payloadResponseOnly`: the function ARN as the resource). */
function invokeTask(fn: string, payload: State, extra: State = {}): State {
  return { Type: 'Task', Resource: fn, Parameters: payload, Retry: LAMBDA_RETRIES, ...extra };
}

export function cancellingMachine(fn: string): object {
  const latest = (action: string): State => ({ statementId: 'LATEST', 'executionArn.$': '$$.Execution.Id', action });
  return {
    StartAt: 'provideUdfSlowExecution',
    States: {
      provideUdfSlowExecution: callbackTask(fn, CREATE_SLOW_UDF, 3600, {
        ResultPath: '$.executionDetails',
        Catch: [{ ErrorEquals: ['States.ALL'], Next: 'cancelingFailed' }],
        Next: 'startSlowQuery',
      }),
      startSlowQuery: callbackTask(fn, 'select public.f_slow(getdate()::varchar(50), 600)', 10, {
        ResultPath: '$.executionDetails',
        Catch: [
          { ErrorEquals: ['States.Timeout'], Next: 'cancelSlowQuery' },
          { ErrorEquals: ['States.ALL'], Next: 'cancelingFailed' },
        ],
        // Reaching the next state would mean the heartbeat did not time the task out.
        Next: 'cancelingFailed',
      }),
      cancelSlowQuery: invokeTask(fn, latest('cancelStatement'), {
        ResultPath: '$.executionCancelDetails',
        Catch: [{ ErrorEquals: ['States.ALL'], Next: 'cancelingFailed' }],
        Next: 'describeCanceledSlowQuery',
      }),
      describeCanceledSlowQuery: invokeTask(fn, latest('describeStatement'), {
        ResultPath: '$.executionDetails',
        Catch: [{ ErrorEquals: ['States.ALL'], Next: 'cancelingFailed' }],
        Next: 'verifyCancelledQuery',
      }),
      verifyCancelledQuery: {
        Type: 'Choice',
        Choices: [
          { Variable: '$.executionCancelDetails.Status', BooleanEquals: false, Next: 'cancelingFailed' },
          { Variable: '$.executionDetails.Status', StringEquals: 'STARTED', Next: 'describeCanceledSlowQuery' },
          { Not: { Variable: '$.executionDetails.Status', StringEquals: 'ABORTED' }, Next: 'cancelingFailed' },
        ],
        Default: 'cancelingSucceeded',
      },
      cancelingSucceeded: { Type: 'Succeed' },
      cancelingFailed: { Type: 'Fail' },
    },
  };
}

export function pollingMachine(fn: string): object {
  return {
    StartAt: 'executeBeforePolling',
    States: {
      executeBeforePolling: invokeTask(
        fn,
        { sqlStatement: 'select public.f_slow(getdate()::varchar(50), 60)' },
        {
          ResultPath: '$.executionDetails',
          Catch: [{ ErrorEquals: ['States.ALL'], Next: 'StatementFailed_' }],
          Next: 'WaitBetweenPolls',
        },
      ),
      WaitBetweenPolls: { Type: 'Wait', Seconds: 10, Next: 'checkExecutionStateRSTask' },
      checkExecutionStateRSTask: invokeTask(
        fn,
        { 'statementId.$': '$.executionDetails.Id', action: 'describeStatement' },
        {
          ResultPath: '$.executionDetails',
          Next: 'choiceExecutionResult',
        },
      ),
      choiceExecutionResult: {
        Type: 'Choice',
        Choices: [
          { Variable: '$.executionDetails.Status', StringEquals: 'FINISHED', Next: 'StatementSucceeded_' },
          { Variable: '$.executionDetails.Status', StringEquals: 'ABORTED', Next: 'StatementFailed_' },
          { Variable: '$.executionDetails.Status', StringEquals: 'FAILED', Next: 'StatementFailed_' },
        ],
        Default: 'WaitBetweenPolls',
      },
      StatementSucceeded_: { Type: 'Succeed' },
      StatementFailed_: { Type: 'Fail' },
    },
  };
}

export function successAndFailMachine(fn: string): object {
  return {
    StartAt: 'StartRedshiftStatementAndWaitForCallback',
    States: {
      StartRedshiftStatementAndWaitForCallback: callbackTask(fn, 'select getdate()', 3600, {
        Catch: [{ ErrorEquals: ['States.ALL'], Next: 'Failure' }],
        Next: 'StartInvalidRedshiftStatementAndWaitForCallback',
      }),
      StartInvalidRedshiftStatementAndWaitForCallback: callbackTask(fn, 'select get_date()', 3600, {
        Catch: [{ ErrorEquals: ['FAILED'], Next: 'Succeed' }],
        // Completing would be a bug: the SQL is invalid.
        Next: 'Failure',
      }),
      Succeed: { Type: 'Succeed' },
      Failure: { Type: 'Fail' },
    },
  };
}

export function parallelNoConcurrencyMachine(fn: string): object {
  const branch = (i: number): object => ({
    StartAt: `startSlowQuery${i}`,
    States: {
      [`startSlowQuery${i}`]: callbackTask(
        fn,
        'select public.f_slow(getdate()::varchar(50), 59)',
        300,
        {
          ResultPath: '$.executionDetails',
          Catch: [
            { ErrorEquals: ['ConcurrentExecution'], Next: `successAlreadyRunning${i}` },
            { ErrorEquals: ['States.Timeout'], Next: `testFail${i}` },
            { ErrorEquals: ['States.ALL'], Next: `testFail${i}` },
          ],
          Next: `successParallel${i}`,
        },
        'executeSingletonStatement',
      ),
      [`successParallel${i}`]: { Type: 'Succeed' },
      [`successAlreadyRunning${i}`]: { Type: 'Succeed' },
      [`testFail${i}`]: { Type: 'Fail' },
    },
  });
  return {
    StartAt: 'parallelExecutions',
    States: {
      parallelExecutions: {
        Type: 'Parallel',
        Branches: Array.from({ length: 10 }, (_, i) => branch(i)),
        ResultPath: '$.results',
        End: true,
      },
    },
  };
}

export function singleSuccessMachine(fn: string): object {
  return {
    StartAt: 'SimpleSuccessRsTaskProcedure',
    States: {
      SimpleSuccessRsTaskProcedure: callbackTask(fn, 'select 1', 3600, {
        Catch: [{ ErrorEquals: ['States.ALL'], Next: 'testFailed' }],
        Next: 'testSucceeded',
      }),
      testSucceeded: { Type: 'Succeed' },
      testFailed: { Type: 'Fail' },
    },
  };
}

export function singleFailureMachine(fn: string): object {
  return {
    StartAt: 'SimpleFailureRsTaskProcedure',
    States: {
      SimpleFailureRsTaskProcedure: callbackTask(fn, 'select get_date()', 3600, {
        Catch: [
          { ErrorEquals: ['FAILED'], Next: 'simpleFailureDescribeTaskProcedure' },
          { ErrorEquals: ['States.ALL'], Next: 'testFailed' },
        ],
        Next: 'testFailed',
      }),
      simpleFailureDescribeTaskProcedure: invokeTask(
        fn,
        { statementId: 'LATEST', 'executionArn.$': '$$.Execution.Id', action: 'describeStatement' },
        { Next: 'testSucceeded' },
      ),
      testSucceeded: { Type: 'Succeed' },
      testFailed: { Type: 'Fail' },
    },
  };
}

/** The six children in the order the original's chain runs them. */
export const ORIGINAL_CHILDREN: readonly { name: string; build: (fn: string) => object }[] = [
  { name: 'cancelling', build: cancellingMachine },
  { name: 'polling', build: pollingMachine },
  { name: 'successAndFail', build: successAndFailMachine },
  { name: 'parallelNoConcurrency', build: parallelNoConcurrencyMachine },
  { name: 'singleSuccess', build: singleSuccessMachine },
  { name: 'singleFailure', build: singleFailureMachine },
];

/** The parent: each child started with `startExecution.sync:2`, one after another, then `chainedTestSuccess`. */
export function chainedMachine(childArns: readonly { name: string; arn: string }[]): object {
  const states: Record<string, State> = {};
  childArns.forEach(({ name, arn }, i) => {
    states[name] = {
      Type: 'Task',
      Resource: 'arn:aws:states:::states:startExecution.sync:2',
      Parameters: { StateMachineArn: arn, Input: {} },
      Next: childArns[i + 1]?.name ?? 'chainedTestSuccess',
    };
  });
  states.chainedTestSuccess = { Type: 'Succeed' };
  return { StartAt: childArns[0].name, States: states };
}

/**
 * Seeds the database and registers the six children and the chain with `tasker`; returns the chain's name
 * for `tasker.run`. Start the tasker with `dataApi: { statementDelayMs: originalStatementDelayMs }`.
 */
export async function registerOriginalChainedMachines(tasker: LocalTasker): Promise<string> {
  await tasker.seed(ORIGINAL_SEED_SQL);
  const children = ORIGINAL_CHILDREN.map(({ name, build }) => ({
    name,
    arn: tasker.registerStateMachine(name, build(tasker.functionArn)),
  }));
  tasker.registerStateMachine('chainedMachines', chainedMachine(children));
  return 'chainedMachines';
}
