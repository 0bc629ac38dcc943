/**
 * Errors the local Data API answers with, in the shapes the real service uses.
 *
 * The JSON 1.1 protocol carries the error name in `__type` and the text in `message`;
 * some errors carry extra members (`ResourceId`, `StatementId`) that the SDK copies onto the exception.
 */
export class DataApiError extends Error {
  constructor(
    /** The AWS error code, e.g. `ValidationException`; the SDK turns it into the exception's `name`. */
    readonly code: string,
    message: string,
    /** HTTP status; the Data API answers client errors with 400 and server faults with 500. */
    readonly status = 400,
    /** Extra members of the error body (for example `ResourceId`). */
    readonly members: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = code;
  }

  toBody(): Record<string, unknown> {
    return { __type: this.code, message: this.message, ...this.members };
  }
}

export const validationError = (message: string): DataApiError => new DataApiError('ValidationException', message);

export const statementNotFound = (id: string): DataApiError =>
  new DataApiError('ResourceNotFoundException', 'Query does not exist.', 400, { ResourceId: id });
