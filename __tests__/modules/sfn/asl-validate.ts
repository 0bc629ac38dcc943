/**
 * Test helper: validates a definition with `asl-validator` (v4, which ships no type declarations).
 * The validator writes defaults into what it checks, so it gets a copy.
 */
interface AslValidationResult {
  isValid: boolean;
  errors: Array<{ message?: string; 'Error code'?: string }>;
  errorsText: (separator?: string) => string;
}
type AslValidator = (definition: unknown, options?: { checkPaths: boolean; checkArn: boolean }) => AslValidationResult;

const aslValidator = require('asl-validator') as AslValidator;

/** The validator's verdict on a copy of `definition`. */
export function validateAsl(definition: unknown): AslValidationResult {
  return aslValidator(structuredClone(definition), { checkPaths: true, checkArn: true });
}

/** Throws with the validator's messages when `definition` is not valid ASL. */
export function expectValidAsl(definition: unknown): void {
  const result = validateAsl(definition);
  if (!result.isValid) throw new Error(`invalid ASL:\n${result.errorsText('\n')}\n${JSON.stringify(definition, null, 2)}`);
}

/** A tasker ARN for tests. */
export const TASKER_ARN = 'arn:aws:lambda:eu-west-1:123456789012:function:tasker';
