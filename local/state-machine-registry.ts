/**
 * The state machines registered with a local tasker, by ARN: `run` starts one by name or ARN, and a
 * `startExecution.sync` Task starts one as a nested execution. A definition is checked as ASL when it is
 * registered, so a mistake shows there, not in the middle of a run.
 */
import type { RegisteredStateMachine } from './step-functions/nested-execution';
import { validateDefinition } from './step-functions/run-state-machine';

/** Thrown by `registerStateMachine` and `run` for a bad name, a definition that is not valid ASL, or an unknown state machine. */
export class LocalStateMachineError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'LocalStateMachineError';
  }
}

const STATE_MACHINE_NAME = /^[A-Za-z0-9_-]{1,80}$/;

export class StateMachineRegistry {
  private readonly machines = new Map<string, RegisteredStateMachine>();

  constructor(
    private readonly region: string,
    private readonly account: string,
  ) {}

  arnOf(name: string): string {
    return `arn:aws:states:${this.region}:${this.account}:stateMachine:${name}`;
  }

  /** Registers (or replaces) `name`; returns its ARN. */
  register(name: string, definition: object | string): string {
    if (!STATE_MACHINE_NAME.test(name)) {
      throw new LocalStateMachineError(`state machine name "${name}" must be 1 to 80 letters, digits, '-' or '_'`);
    }
    const arn = this.arnOf(name);
    this.machines.set(arn, { name, arn, definition: parseDefinition(definition, name) });
    return arn;
  }

  /** The machine registered under this ARN, if any (for nested executions). */
  get(arn: string): RegisteredStateMachine | undefined {
    return this.machines.get(arn);
  }

  /** The machine a name or ARN refers to; throws LocalStateMachineError naming the registered ones. */
  resolve(ref: string): RegisteredStateMachine {
    const machine = this.machines.get(ref.startsWith('arn:') ? ref : this.arnOf(ref));
    if (!machine) {
      const known = [...this.machines.values()].map((m) => m.name).join(', ') || 'none';
      throw new LocalStateMachineError(`no state machine "${ref}" is registered with this local tasker (registered: ${known})`);
    }
    return machine;
  }
}

/** A definition as an object, checked as ASL now (so a mistake shows at registration, not in the middle of a run). */
function parseDefinition(definition: object | string, name: string): object {
  let parsed: object;
  try {
    parsed = typeof definition === 'string' ? (JSON.parse(definition) as object) : definition;
  } catch (err) {
    throw new LocalStateMachineError(`state machine "${name}": the definition is not JSON (${(err as Error).message})`);
  }
  try {
    validateDefinition(parsed);
  } catch (err) {
    throw new LocalStateMachineError(`state machine "${name}": ${(err as Error).message}`);
  }
  return parsed;
}
