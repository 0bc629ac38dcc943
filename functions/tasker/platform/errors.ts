/**
 * Named errors the handler throws. Lambda reports `errorType` = the error's `name`, which is what a
 * Step Functions `Retry`/`Catch` matches, so the names are part of the public API (see contract ERRORS).
 */
import { ERRORS } from '../../shared/contract';

/** Base class: sets `name` so Lambda and Step Functions see the stable error name. */
export class TaskerError extends Error {
  constructor(name: string, message: string) {
    super(message);
    this.name = name;
  }
}

/** A TaskerError class for one stable name: each named error below is one line. */
function namedError(name: string) {
  return class extends TaskerError {
    constructor(message: string) {
      super(name, message);
    }
  };
}

/** The payload is malformed; the message names the field and why. Thrown before any side effect. */
export class InvalidInput extends namedError(ERRORS.INVALID_INPUT) {}

/** `executeSingletonStatement` while a statement with the same SQL text runs for this tasker. */
export class ConcurrentExecution extends namedError(ERRORS.CONCURRENT_EXECUTION) {}

/** `statementId: LATEST` and no statement was started for the execution. */
export class PreviousExecutionNotFound extends namedError(ERRORS.PREVIOUS_EXECUTION_NOT_FOUND) {}

/** The Data API refused to start the statement for a reason worth retrying (throttling, 200 active statements, 5xx). */
export class RetryableStartError extends namedError(ERRORS.RETRYABLE_START) {}

/** The Data API refused to start the statement for good (validation, missing cluster, permissions). */
export class StartFailedError extends namedError(ERRORS.START_FAILED) {}

/** The statement's session is busy, or a Data API session limit was reached: retry later. */
export class SessionBusyError extends namedError(ERRORS.SESSION_BUSY) {}

/** `sessionId: LATEST` found no session to run in. */
export class SessionNotFoundError extends namedError(ERRORS.SESSION_NOT_FOUND) {}

/** The handler's configuration (environment) is incomplete or inconsistent: a deployment error. */
export class ConfigurationError extends namedError('ConfigurationError') {}

/** The statement FAILED or was ABORTED (SQL run to completion); the message carries the Redshift error text. */
export class SqlStatementFailed extends namedError(ERRORS.SQL_STATEMENT_FAILED) {}

/** The statement did not finish within the Lambda's remaining time (minus the safety margin). */
export class StatementExceededLambdaTimeout extends namedError(ERRORS.STATEMENT_EXCEEDED_LAMBDA_TIMEOUT) {}

/** An SQS message that is not a status-change event; its record goes to batchItemFailures (and the DLQ). */
export class MalformedStatusEvent extends namedError('MalformedStatusEvent') {}

/** The AWS error name of an SDK exception (or any thrown value), for matching and logging. */
export const errorName = (error: unknown): string =>
  error instanceof Error ? error.name : typeof error === 'string' ? error : 'UnknownError';

/** The message of an error (or a string form of a thrown value). */
export const errorMessage = (error: unknown): string => (error instanceof Error ? error.message : String(error));
