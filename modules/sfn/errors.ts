/** Named errors of the Step Functions authoring helpers. Thrown before anything is built or synthesised. */

/** Options of a state helper (`sqlTask`, `parallel`, ...) that contradict each other or are out of range. */
export class InvalidStateOptionsError extends Error {
  constructor(
    /** The state the options were given for. */
    readonly stateName: string,
    message: string,
  ) {
    super(`State "${stateName}": ${message}`);
    this.name = 'InvalidStateOptionsError';
  }
}

/** What is wrong with a definition (see {@link InvalidDefinitionError.code}). */
export type InvalidDefinitionCode =
  | 'EMPTY'
  | 'DUPLICATE_STATE_NAME'
  | 'UNKNOWN_START_STATE'
  | 'UNKNOWN_TRANSITION_TARGET'
  | 'UNREACHABLE_STATE'
  | 'INVALID_STATE_NAME';

/** A definition that Step Functions would refuse: a dangling `Next`, a duplicate state name, ... */
export class InvalidDefinitionError extends Error {
  constructor(
    readonly code: InvalidDefinitionCode,
    message: string,
  ) {
    super(message);
    this.name = 'InvalidDefinitionError';
  }
}

/** Props of `TaskerStateMachine` that cannot work. */
export class InvalidStateMachinePropsError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InvalidStateMachinePropsError';
  }
}
