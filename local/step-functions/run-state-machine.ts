/**
 * Runs an ASL state machine locally with aws-local-stepfunctions, its Lambda Task states routed to an
 * in-process invoker (the tasker bundle) and `.waitForTaskToken` states resumed by the local callback
 * endpoint (`callback-server.ts`), as Step Functions would be by SendTaskSuccess / SendTaskFailure.
 *
 * What the library does not do is filled in here: `$$.Task.Token` (a fresh token per attempt),
 * `$$.State.Name` / `EnteredTime` (see context-paths.ts), the wait for the callback, and closing the
 * token when the state times out (a late callback then gets `TaskTimedOut`, as in AWS).
 * A `states:startExecution.sync` / `.sync:2` Task runs a state machine of `stateMachines` as a nested
 * execution (nested-execution.ts).
 * Limits: `HeartbeatSeconds` is not enforced; a Task without `TimeoutSeconds` times out after 60 s
 * (the library's default; AWS waits up to a year).
 */
import './promise-with-resolvers';
import { StateMachine, type StateMachineDefinition } from 'aws-local-stepfunctions';
import type { InvocationResult } from '../lambda/invoke';
import type { LocalStepFunctionsCallbacks, TaskCallback } from './callback-server';
import { findToken, rewriteContextPaths } from './context-paths';
import { nestedExecutionHandler, START_EXECUTION_SYNC, START_EXECUTION_SYNC_2, type RegisteredStateMachine } from './nested-execution';

const WAIT_FOR_TOKEN = 'arn:aws:states:::lambda:invoke.waitForTaskToken';
const INVOKE = 'arn:aws:states:::lambda:invoke';
const LAMBDA_ARN = /^arn:aws:lambda:[^:]*:[^:]*:function:/;
const LIBRARY_TASK_TIMEOUT_SECONDS = 60;

/** What one state did, for progress views and assertions. */
export interface StateEvent {
  type: 'StateEntered' | 'StateExited' | 'StateFailed' | 'StateRetried' | 'StateCaught';
  name: string;
  stateType: string;
  /** `Date.now()` when it happened. */
  at: number;
  /** For StateExited: milliseconds since the matching StateEntered. */
  durationMs?: number;
  input?: unknown;
  output?: unknown;
  error?: string;
  cause?: string;
}

export interface RunStateMachineOptions {
  /** The ASL definition (object or JSON text). */
  definition: object | string;
  /** The execution input. @default {} */
  input?: unknown;
  /** Invokes a Lambda function by the `FunctionName` (or ARN) of the Task state. */
  invoke: (functionName: string, payload: unknown) => Promise<InvocationResult>;
  /** The local callback endpoint the handler sends SendTaskSuccess/Failure to. */
  callbacks: LocalStepFunctionsCallbacks;
  /** The execution's name (`$$.Execution.Name`). @default 'local-<random>' */
  executionName?: string;
  /** @default 'local-state-machine' */
  stateMachineName?: string;
  /** @default 'us-east-1' */
  region?: string;
  /** @default '123456789012' */
  account?: string;
  /** Milliseconds every `Retry` waits instead of its IntervalSeconds/BackoffRate (keeps tests fast). @default - the definition's own intervals */
  retryIntervalMs?: number;
  /** Called for every state event, as it happens (this execution's own states, not those of nested ones). */
  onStateEvent?: (event: StateEvent) => void;
  /** The state machines a `startExecution.sync` Task may start, by ARN. @default none (such a Task fails with StateMachineDoesNotExist) */
  stateMachines?: (arn: string) => RegisteredStateMachine | undefined;
}

export interface ExecutionResult {
  status: 'SUCCEEDED' | 'FAILED' | 'TIMED_OUT';
  executionArn: string;
  /** `$$.Execution.Name`. */
  name: string;
  stateMachineArn: string;
  input: unknown;
  output?: unknown;
  error?: string;
  cause?: string;
  /** Every state event in order. */
  events: StateEvent[];
  /** The names of the states entered, in order (a state entered twice, e.g. by a loop, appears twice). */
  statesVisited: string[];
  /** Executions started by `startExecution.sync` Tasks, in the order they finished. */
  nestedExecutions: ExecutionResult[];
  startDate: Date;
  stopDate: Date;
  durationMs: number;
}

/** Thrown for a Task whose resource cannot run locally (only Lambda invocations and nested `startExecution.sync` can). */
export class UnsupportedTaskResource extends Error {
  constructor(stateName: string, resource: string) {
    super(`state "${stateName}": resource ${resource} cannot run locally (only Lambda invocations and states:startExecution.sync/.sync:2 can)`);
    this.name = 'UnsupportedTaskResource';
  }
}

export async function runStateMachine(options: RunStateMachineOptions): Promise<ExecutionResult> {
  const region = options.region ?? 'us-east-1';
  const account = options.account ?? '123456789012';
  const machineName = options.stateMachineName ?? 'local-state-machine';
  const executionName = options.executionName ?? `local-${Math.random().toString(36).slice(2, 10)}`;
  const executionArn = `arn:aws:states:${region}:${account}:execution:${machineName}:${executionName}`;
  const stateMachineArn = `arn:aws:states:${region}:${account}:stateMachine:${machineName}`;
  const input = options.input ?? {};
  const nestedExecutions: ExecutionResult[] = [];
  const source = typeof options.definition === 'string' ? (JSON.parse(options.definition) as object) : options.definition;
  const { definition, contextSlots, slots, tokenOwners } = rewriteContextPaths(source as Record<string, never>, executionName);

  const tasks = collectTaskStates(definition);
  const waiters = new Map<string, (call: TaskCallback) => void>();
  /** Open waits by token: calling one stops the wait. */
  const cancels = new Map<string, () => void>();
  const unsubscribe = options.callbacks.onCallback((call) => {
    if (call.action === 'SendTaskHeartbeat' || call.answeredWith !== undefined) return;
    waiters.get(call.taskToken)?.(call);
  });

  const invokeOrThrow = async (functionName: string, payload: unknown): Promise<unknown> => {
    const result = await options.invoke(functionName, payload);
    if (result.ok) return result.payload;
    // Step Functions shows a function error as Error = errorType, Cause = the error object as JSON.
    throw namedError(
      result.errorType,
      JSON.stringify({ errorMessage: result.errorMessage, errorType: result.errorType, trace: result.trace }),
    );
  };

  /** Waits for the callback of `token`; `cancel()` stops waiting (and its timer) without settling. */
  const waitForCallback = (stateName: string, token: string, timeoutSeconds: number) => {
    let cancel = (): void => undefined;
    const promise = new Promise<unknown>((resolve, reject) => {
      const finish = (): void => {
        clearTimeout(timer);
        waiters.delete(token);
        cancels.delete(token);
      };
      const timer = setTimeout(() => {
        // The library has already failed the state with States.Timeout; close the token like AWS does.
        finish();
        options.callbacks.expireToken(token);
        reject(namedError('States.Timeout', `state ${stateName} timed out`));
      }, timeoutSeconds * 1000);
      cancel = finish;
      cancels.set(token, finish);
      waiters.set(token, (call) => {
        finish();
        if (call.action === 'SendTaskSuccess') resolve(JSON.parse(call.output ?? 'null'));
        else reject(namedError(call.error ?? 'States.TaskFailed', call.cause ?? ''));
      });
    });
    promise.catch(() => undefined); // a timeout after the library moved on must not be unhandled
    return { promise, cancel };
  };

  const handlers: Record<string, (input: unknown) => Promise<unknown>> = {};
  for (const [name, state] of tasks) {
    const resource = String(state.Resource);
    const timeoutSeconds = typeof state.TimeoutSeconds === 'number' ? state.TimeoutSeconds : LIBRARY_TASK_TIMEOUT_SECONDS;
    if (resource === WAIT_FOR_TOKEN) {
      handlers[name] = async (input) => {
        const { FunctionName, Payload } = input as { FunctionName: string; Payload: unknown };
        const token = findToken(Payload, tokenOwners);
        if (!token) throw namedError('States.Runtime', `state ${name}: the payload carries no $$.Task.Token`);
        // Listen before invoking: the callback can arrive before the invocation returns.
        const callback = waitForCallback(name, token, timeoutSeconds);
        try {
          await invokeOrThrow(FunctionName, Payload);
        } catch (err) {
          // The task failed without a callback: close its token and stop waiting.
          callback.cancel();
          options.callbacks.expireToken(token);
          throw err;
        }
        return callback.promise;
      };
    } else if (resource === INVOKE) {
      handlers[name] = async (input) => {
        const { FunctionName, Payload } = input as { FunctionName: string; Payload: unknown };
        return { ExecutedVersion: '$LATEST', Payload: await invokeOrThrow(FunctionName, Payload), StatusCode: 200 };
      };
    } else if (resource === START_EXECUTION_SYNC || resource === START_EXECUTION_SYNC_2) {
      handlers[name] = nestedExecutionHandler(resource, name, options.stateMachines ?? (() => undefined), async (child) => {
        const result = await runStateMachine({
          ...options,
          definition: child.machine.definition,
          input: child.input,
          executionName: child.executionName,
          stateMachineName: child.machine.name,
          onStateEvent: undefined,
        });
        nestedExecutions.push(result);
        return result;
      });
    } else if (LAMBDA_ARN.test(resource)) {
      handlers[name] = (input) => invokeOrThrow(resource, input);
    } else {
      throw new UnsupportedTaskResource(name, resource);
    }
  }

  const machine = validateDefinition(definition);
  const retryIntervalOverrides =
    options.retryIntervalMs === undefined ? undefined : Object.fromEntries(allStateNames(definition).map((n) => [n, options.retryIntervalMs as number]));
  const startDate = new Date();
  const started = startDate.getTime();
  const execution = machine.run(input as never, {
    overrides: { taskResourceLocalHandlers: handlers as never, retryIntervalOverrides },
    context: {
      Execution: { Id: executionArn, Name: executionName, RoleArn: `arn:aws:iam::${account}:role/local-state-machine` },
      StateMachine: { Id: stateMachineArn, Name: machineName },
      ...contextSlots,
    },
  });

  const events: StateEvent[] = [];
  let failure: { error?: string; cause?: string } = {};
  const enteredAt = new Map<string, number>();
  const logs = (async () => {
    for await (const log of execution.eventLogs) {
      const entry = log as unknown as { type: string; timestamp: number; state?: { name: string; type: string; input?: unknown; output?: unknown }; Error?: string; Cause?: unknown };
      if (entry.type === 'ExecutionFailed') failure = { error: entry.Error, cause: stringify(entry.Cause) };
      if (!entry.state) continue;
      const event: StateEvent = { type: entry.type as StateEvent['type'], name: entry.state.name, stateType: entry.state.type, at: entry.timestamp };
      if (entry.type === 'StateEntered') {
        enteredAt.set(event.name, event.at);
        event.input = entry.state.input;
      }
      if (entry.type === 'StateExited') {
        event.durationMs = event.at - (enteredAt.get(event.name) ?? event.at);
        event.output = entry.state.output;
      }
      if (entry.Error !== undefined) {
        event.error = entry.Error;
        event.cause = stringify(entry.Cause);
      }
      // A retry keeps the EnteredTime (as in AWS); leaving the state ends the visit.
      if (entry.type === 'StateExited' || entry.type === 'StateCaught') {
        const slot = slots.get(event.name);
        if (slot) slot.enteredTime = undefined; // the next visit gets a new EnteredTime
      }
      events.push(event);
      options.onStateEvent?.(event);
    }
  })();

  let result: ExecutionResult;
  const finished = (outcome: Pick<ExecutionResult, 'status' | 'output' | 'error' | 'cause'>): ExecutionResult => {
    const stopDate = new Date();
    const statesVisited = events.filter((event) => event.type === 'StateEntered').map((event) => event.name);
    const identity = { executionArn, name: executionName, stateMachineArn, input };
    return { ...outcome, ...identity, events, statesVisited, nestedExecutions, startDate, stopDate, durationMs: stopDate.getTime() - started };
  };
  try {
    const output = await execution.result;
    await logs;
    result = finished({ status: 'SUCCEEDED', output });
  } catch (err) {
    await logs.catch(() => undefined);
    const timedOut = (err as Error).name === 'ExecutionTimeoutError';
    result = finished({
      status: timedOut ? 'TIMED_OUT' : 'FAILED',
      error: timedOut ? 'States.Timeout' : failure.error,
      cause: timedOut ? undefined : failure.cause,
    });
  } finally {
    unsubscribe();
    // Tokens still open belong to states that can no longer be resumed (a timed-out or cancelled branch).
    for (const [token, cancel] of [...cancels]) {
      cancel();
      options.callbacks.expireToken(token);
    }
  }
  return result;
}

/** Checks an ASL definition the way the runner will (aws-local-stepfunctions' validation); throws with the problems. */
export function validateDefinition(definition: object): StateMachine {
  return new StateMachine(definition as unknown as StateMachineDefinition, { validationOptions: { checkArn: false } });
}

function namedError(name: string, message: string): Error {
  const error = new Error(message);
  error.name = name;
  return error;
}

function stringify(value: unknown): string | undefined {
  if (value === undefined) return undefined;
  return typeof value === 'string' ? value : JSON.stringify(value);
}

type StateJson = Record<string, unknown>;

/** Every Task state by name, nested Parallel branches and Map processors included. */
function collectTaskStates(machine: StateJson, into = new Map<string, StateJson>()): Map<string, StateJson> {
  for (const [name, state] of Object.entries((machine.States ?? {}) as Record<string, StateJson>)) {
    if (state.Type === 'Task') into.set(name, state);
    for (const branch of (state.Branches as StateJson[] | undefined) ?? []) collectTaskStates(branch, into);
    if (state.Iterator) collectTaskStates(state.Iterator as StateJson, into);
    if (state.ItemProcessor) collectTaskStates(state.ItemProcessor as StateJson, into);
  }
  return into;
}

function allStateNames(machine: StateJson, into: string[] = []): string[] {
  for (const [name, state] of Object.entries((machine.States ?? {}) as Record<string, StateJson>)) {
    into.push(name);
    for (const branch of (state.Branches as StateJson[] | undefined) ?? []) allStateNames(branch, into);
    if (state.Iterator) allStateNames(state.Iterator as StateJson, into);
    if (state.ItemProcessor) allStateNames(state.ItemProcessor as StateJson, into);
  }
  return into;
}
