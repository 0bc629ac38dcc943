/**
 * Named errors the handler throws. Lambda reports `errorType` = the error's `name`, which is what a
 * Step Functions `Retry`/`Catch` matches, so the names are part of the public API (see contract ERRORS).
 */
import { ERRORS } from '../shared/contract';

/** Base class: sets `name` so Lambda and Step Functions see the stable error name. */
export class TaskerError extends Error {
  constructor(name: string, message: string) {
    super(message);
    this.name = name;
  }
}

/** The payload is malformed; the message names the field and why. Thrown before any side effect. */
export class InvalidInput extends TaskerError {
  constructor(message: string) {
    super(ERRORS.INVALID_INPUT, message);
  }
}

/** `executeSingletonStatement` while a statement with the same SQL text runs for this tasker. */
export class ConcurrentExecution extends TaskerError {
  constructor(message: string) {
    super(ERRORS.CONCURRENT_EXECUTION, message);
  }
}

/** `statementId: LATEST` and no statement was started for the execution. */
export class PreviousExecutionNotFound extends TaskerError {
  constructor(message: string) {
    super(ERRORS.PREVIOUS_EXECUTION_NOT_FOUND, message);
  }
}

/** The Data API refused to start the statement for a reason worth retrying (throttling, 200 active statements, 5xx). */
export class RetryableStartError extends TaskerError {
  constructor(message: string) {
    super(ERRORS.RETRYABLE_START, message);
  }
}

/** The Data API refused to start the statement for good (validation, missing cluster, permissions). */
export class StartFailedError extends TaskerError {
  constructor(message: string) {
    super(ERRORS.START_FAILED, message);
  }
}

/** The statement's session is busy, or a Data API session limit was reached: retry later. */
export class SessionBusyError extends TaskerError {
  constructor(message: string) {
    super(ERRORS.SESSION_BUSY, message);
  }
}

/** `sessionId: LATEST` found no session to run in. */
export class SessionNotFoundError extends TaskerError {
  constructor(message: string) {
    super(ERRORS.SESSION_NOT_FOUND, message);
  }
}

/** The handler's configuration (environment) is incomplete or inconsistent: a deployment error. */
export class ConfigurationError extends TaskerError {
  constructor(message: string) {
    super('ConfigurationError', message);
  }
}

/** The AWS error name of an SDK exception (or any thrown value), for matching and logging. */
export const errorName = (error: unknown): string =>
  error instanceof Error ? error.name : typeof error === 'string' ? error : 'UnknownError';

/** The message of an error (or a string form of a thrown value). */
export const errorMessage = (error: unknown): string => (error instanceof Error ? error.message : String(error));
