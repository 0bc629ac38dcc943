/**
 * Resource names derived from the tasker's name prefix. Deterministic, so a renamed construct
 * path never renames AWS resources, and each name stays within its service's length limit
 * (the prefix is at most 40 characters, see `NAME_PREFIX_MAX`).
 */
export interface TaskerNames {
  readonly function: string;
  readonly completerFunction: string;
  readonly role: string;
  readonly table: string;
  readonly queue: string;
  readonly deadLetterQueue: string;
  readonly eventRule: string;
  readonly sweepRule: string;
  readonly executionEndRule: string;
  readonly keyAlias: string;
  /** The log group Lambda writes to for a function of this name. */
  logGroup(functionName: string): string;
}

export function taskerNames(prefix: string): TaskerNames {
  return {
    function: `${prefix}-tasker`,
    completerFunction: `${prefix}-completer`,
    role: `${prefix}-tasker-role`,
    table: `${prefix}-tracking`,
    queue: `${prefix}-statement-events`,
    deadLetterQueue: `${prefix}-statement-events-dlq`,
    eventRule: `${prefix}-statement-status`,
    sweepRule: `${prefix}-sweep`,
    executionEndRule: `${prefix}-execution-ended`,
    keyAlias: `alias/${prefix}`,
    logGroup: (functionName: string) => `/aws/lambda/${functionName}`,
  };
}
