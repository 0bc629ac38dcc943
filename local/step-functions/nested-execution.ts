/**
 * `arn:aws:states:::states:startExecution.sync` and `.sync:2` run locally: the Task starts an execution of
 * a state machine registered with the local runner (by ARN), waits for it, and answers as Step Functions does:
 * the child's DescribeExecution response, with `Input`/`Output` as JSON text (`.sync`) or parsed (`.sync:2`).
 * A child that does not succeed fails the Task with `States.TaskFailed`, the same response as the cause.
 */
import { randomUUID } from 'node:crypto';

export const START_EXECUTION_SYNC = 'arn:aws:states:::states:startExecution.sync';
export const START_EXECUTION_SYNC_2 = 'arn:aws:states:::states:startExecution.sync:2';

/** A state machine the runner can start by ARN. */
export interface RegisteredStateMachine {
  readonly name: string;
  readonly arn: string;
  readonly definition: object;
}

/** What a finished child execution reports (a subset of the runner's result). */
export interface ChildExecution {
  status: 'SUCCEEDED' | 'FAILED' | 'TIMED_OUT';
  executionArn: string;
  output?: unknown;
  error?: string;
  cause?: string;
  startDate: Date;
  stopDate: Date;
}

export interface StartChildRequest {
  machine: RegisteredStateMachine;
  input: unknown;
  executionName: string;
}

/** Runs a child execution to its end. */
export type StartChild = (request: StartChildRequest) => Promise<ChildExecution>;

/** The DescribeExecution fields Step Functions returns for a finished `.sync` child. */
export interface DescribeExecutionOutput {
  ExecutionArn: string;
  StateMachineArn: string;
  Name: string;
  Status: ChildExecution['status'];
  /** Milliseconds since the epoch, as service integrations render timestamps. */
  StartDate: number;
  StopDate: number;
  /** JSON text with `.sync`, the parsed value with `.sync:2`. */
  Input: unknown;
  InputDetails: { Included: true };
  Output?: unknown;
  OutputDetails?: { Included: true };
  Error?: string;
  Cause?: string;
}

/** Thrown by the Task (a Step Functions error: `name` is the error a Catch matches, `message` its cause). */
export class NestedExecutionError extends Error {
  constructor(errorName: string, cause: string) {
    super(cause);
    this.name = errorName;
  }
}

/** The Task handler for a `startExecution.sync` / `.sync:2` state (`resource` says which). */
export function nestedExecutionHandler(
  resource: string,
  stateName: string,
  findStateMachine: (arn: string) => RegisteredStateMachine | undefined,
  startChild: StartChild,
): (parameters: unknown) => Promise<DescribeExecutionOutput> {
  const parsed = resource === START_EXECUTION_SYNC_2;
  return async (parameters) => {
    const { StateMachineArn, Input, Name } = (parameters ?? {}) as { StateMachineArn?: unknown; Input?: unknown; Name?: unknown };
    if (typeof StateMachineArn !== 'string') {
      throw new NestedExecutionError('States.Runtime', `state ${stateName}: Parameters.StateMachineArn must be a string`);
    }
    const machine = findStateMachine(StateMachineArn);
    if (!machine) {
      throw new NestedExecutionError(
        'StepFunctions.StateMachineDoesNotExistException',
        `State Machine Does Not Exist: '${StateMachineArn}' (register it with the local tasker first)`,
      );
    }
    const input = childInput(Input, stateName);
    const executionName = typeof Name === 'string' ? Name : randomUUID();
    const child = await startChild({ machine, input, executionName });
    const response = describe(machine, executionName, input, child, parsed);
    if (child.status !== 'SUCCEEDED') throw new NestedExecutionError('States.TaskFailed', JSON.stringify(response));
    return response;
  };
}

/** `Input` may be a JSON value (the usual `"Input": {...}` / `"Input.$": "$"`) or JSON text, as StartExecution takes it. */
function childInput(input: unknown, stateName: string): unknown {
  if (input === undefined) return {};
  if (typeof input !== 'string') return input;
  try {
    return JSON.parse(input) as unknown;
  } catch {
    throw new NestedExecutionError('StepFunctions.InvalidExecutionInputException', `state ${stateName}: Input is not valid JSON`);
  }
}

function describe(
  machine: RegisteredStateMachine,
  name: string,
  input: unknown,
  child: ChildExecution,
  parsed: boolean,
): DescribeExecutionOutput {
  const data = (value: unknown): unknown => (parsed ? value : JSON.stringify(value));
  const response: DescribeExecutionOutput = {
    ExecutionArn: child.executionArn,
    StateMachineArn: machine.arn,
    Name: name,
    Status: child.status,
    StartDate: child.startDate.getTime(),
    StopDate: child.stopDate.getTime(),
    Input: data(input),
    InputDetails: { Included: true },
  };
  if (child.status === 'SUCCEEDED') {
    response.Output = data(child.output ?? null);
    response.OutputDetails = { Included: true };
  } else {
    if (child.error !== undefined) response.Error = child.error;
    if (child.cause !== undefined) response.Cause = child.cause;
  }
  return response;
}
