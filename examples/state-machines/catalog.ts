/**
 * The example state machines, in README order. Each builds its definition from the tasker function's
 * ARN; `addExampleStateMachines` deploys them and `generate-docs.ts` draws them in the README.
 */
import type { StateMachineDefinition } from '../../modules/sfn';
import { cancelOnTimeout } from './cancel-on-timeout';
import { chainedStatements } from './chained-statements';
import { parallelStatements } from './parallel-statements';
import { polling } from './polling';
import { readResultSet } from './read-result-set';
import { sessionTempTable } from './session-temp-table';
import { singleFailure } from './single-failure';
import { singleSuccess } from './single-success';
import { singletonStatements } from './singleton-statements';
import { transaction } from './transaction';

export interface ExampleStateMachine {
  /** Short kebab-case id: part of the deployed state machine's name and of the README anchor. */
  readonly id: string;
  /** README heading. */
  readonly title: string;
  /** One or two sentences for the README. */
  readonly summary: string;
  /** Source file under `examples/state-machines/`. */
  readonly file: string;
  /** Builds the definition for a tasker function ARN. */
  readonly build: (taskerArn: string) => StateMachineDefinition;
}

export const EXAMPLE_STATE_MACHINES: readonly ExampleStateMachine[] = [
  {
    id: 'single-success',
    title: 'Single statement',
    summary: "One statement; the state's output is the statement's completion event (`$.detail.statementId`, `$.detail.state`, ...).",
    file: 'single-success.ts',
    build: singleSuccess,
  },
  {
    id: 'single-failure',
    title: 'Single statement that fails',
    summary:
      'The SQL fails, the task fails with `FAILED`, and `catchFailed` routes to a handler state with the error (Redshift message in ' +
      '`Cause`) at `$.error`.',
    file: 'single-failure.ts',
    build: singleFailure,
  },
  {
    id: 'chained-statements',
    title: 'Chained statements',
    summary:
      'Statements one after another, each waiting for the previous one; the insert binds named parameters, one from the execution name.',
    file: 'chained-statements.ts',
    build: chainedStatements,
  },
  {
    id: 'parallel-statements',
    title: 'Parallel statements',
    summary: 'Independent statements at the same time in a Parallel state, which waits for all of them.',
    file: 'parallel-statements.ts',
    build: parallelStatements,
  },
  {
    id: 'singleton-statements',
    title: 'Singleton statements in parallel',
    summary: 'The same `singleton` statement from three branches: one runs, the others are refused with `ConcurrentExecution` and caught.',
    file: 'singleton-statements.ts',
    build: (taskerArn) => singletonStatements(taskerArn),
  },
  {
    id: 'cancel-on-timeout',
    title: 'Cancel on timeout',
    summary:
      'A slow statement with `timeoutSeconds`; on `States.Timeout` a cancel state cancels the `LATEST` statement, then the execution ' +
      'fails.',
    file: 'cancel-on-timeout.ts',
    build: (taskerArn) => cancelOnTimeout(taskerArn),
  },
  {
    id: 'read-result-set',
    title: 'Read a small result set',
    summary: 'A query, then `resultTask` reads its rows (`getStatementResult` on `LATEST`) into `$.result.Payload.Records`.',
    file: 'read-result-set.ts',
    build: readResultSet,
  },
  {
    id: 'transaction',
    title: 'A transaction of several statements',
    summary: '`sqls` run as one transaction (BatchExecuteStatement): all apply or none does; a failure is caught on `FAILED`.',
    file: 'transaction.ts',
    build: transaction,
  },
  {
    id: 'polling',
    title: 'Polling without a task token',
    summary:
      "The original library's polling pattern: a plain invoke returns the ExecuteStatement response at `$.executionDetails`, then Wait, " +
      '`describeStatement` on `$.executionDetails.Id` and a Choice loop until FINISHED (Succeed) or FAILED/ABORTED (Fail).',
    file: 'polling.ts',
    build: (taskerArn) => polling(taskerArn),
  },
  {
    id: 'session-temp-table',
    title: 'A temporary table across states (Data API session)',
    summary:
      'The first state starts a Data API session (`session: { keepAliveSeconds }`) and builds a temporary table; its output carries ' +
      '`sessionId`, and the next state runs in that session (`sessionIdPath`) and reads the table.',
    file: 'session-temp-table.ts',
    build: sessionTempTable,
  },
];
