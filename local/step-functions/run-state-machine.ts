/**
 * Runs an ASL state machine locally with aws-local-stepfunctions, its Lambda Task states routed to an
 * in-process invoker (the tasker bundle) and `.waitForTaskToken` states resumed by the local callback
 * endpoint (`callback-server.ts`), as Step Functions would be by SendTaskSuccess / SendTaskFailure.
 *
 * What the library does not do is filled in here: `$$.Task.Token` (a fresh token per attempt),
 * `$$.State.Name` / `EnteredTime` (context-paths.ts), the wait for the callback (task-handlers.ts),
 * `TimeoutSeconds` without the library's 60 s default and `HeartbeatSeconds` enforced (task-deadlines.ts),
 * all on the kit's clock (clock.ts, kit-timing.ts), and closing a token whose state timed out (a late callback
 * then gets `TaskTimedOut`, as in AWS). A `states:startExecution.sync` / `.sync:2` Task runs a state machine of
 * `stateMachines` as a nested execution (nested-execution.ts).
 */
import './promise-with-resolvers';
import { createKitClock, type KitClock } from '../clock';
import type { InvocationResult } from '../lambda/invoke';
import type { LocalStepFunctionsCallbacks } from './callback-server';
import { rewriteContextPaths } from './context-paths';
import { validateDefinition } from './definition-cache';
import { collectExecutionLog, type StateEvent } from './execution-log';
import { allStates, retryIntervals, scaledWaits, takeExecutionTimeout } from './kit-timing';
import type { RegisteredStateMachine } from './nested-execution';
import { buildTaskHandlers, CallbackWaits, type TaskHandlerContext } from './task-handlers';

export { validateDefinition } from './definition-cache';
export { UnsupportedTaskResource } from './task-handlers';
export type { StateEvent } from './execution-log';

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
  /**
   * Milliseconds every `Retry` waits instead of its IntervalSeconds/BackoffRate (keeps tests fast). @default - the definition's own
   * intervals
   */
  retryIntervalMs?: number;
  /** Called for every state event, as it happens (this execution's own states, not those of nested ones). */
  onStateEvent?: (event: StateEvent) => void;
  /** The state machines a `startExecution.sync` Task may start, by ARN. @default none (such a Task fails with StateMachineDoesNotExist) */
  stateMachines?: (arn: string) => RegisteredStateMachine | undefined;
  /** The clock Task timeouts, heartbeats, Wait states and retries run on (clock.ts). @default wall time */
  clock?: KitClock;
  /**
   * TimeoutSeconds for Task states that set none. As in AWS, such a Task has no limit by default (AWS waits up
   * to a year); set this to make a forgotten timeout fail fast in tests.
   * @default undefined (no limit)
   */
  taskTimeoutSeconds?: number;
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
  /** Kit time (wall time unless the tasker is scaled). */
  startDate: Date;
  stopDate: Date;
  /** Kit milliseconds from start to stop. */
  durationMs: number;
}

export async function runStateMachine(options: RunStateMachineOptions): Promise<ExecutionResult> {
  const region = options.region ?? 'us-east-1';
  const account = options.account ?? '123456789012';
  const clock = options.clock ?? createKitClock();
  const machineName = options.stateMachineName ?? 'local-state-machine';
  const executionName = options.executionName ?? `local-${Math.random().toString(36).slice(2, 10)}`;
  const executionArn = `arn:aws:states:${region}:${account}:execution:${machineName}:${executionName}`;
  const stateMachineArn = `arn:aws:states:${region}:${account}:stateMachine:${machineName}`;
  const input = options.input ?? {};
  const nestedExecutions: ExecutionResult[] = [];
  const source = typeof options.definition === 'string' ? (JSON.parse(options.definition) as object) : options.definition;
  const { definition, contextSlots, slots, tokenOwners } = rewriteContextPaths(source as Record<string, never>, executionName);
  const executionTimeoutSeconds = takeExecutionTimeout(definition);

  // Checked before anything listens: an invalid definition throws with nothing to clean up.
  const machine = validateDefinition(definition);
  const tasks = new Map([...allStates(definition)].filter(([, state]) => state.Type === 'Task'));
  const waits = new CallbackWaits(options.callbacks);
  let handlers: ReturnType<typeof buildTaskHandlers>;
  try {
    handlers = buildTaskHandlers(tasks, taskContext(options, clock, tokenOwners, nestedExecutions), waits);
  } catch (err) {
    waits.closeAll();
    throw err;
  }

  const startDate = new Date(clock.now());
  const execution = machine.run(input as never, {
    overrides: {
      taskResourceLocalHandlers: handlers as never,
      retryIntervalOverrides: retryIntervals(definition, clock, options.retryIntervalMs),
      waitTimeOverrides: scaledWaits(definition, clock),
    },
    context: {
      Execution: {
        Id: executionArn,
        Name: executionName,
        RoleArn: `arn:aws:iam::${account}:role/local-state-machine`,
        StartTime: startDate.toISOString(),
      },
      StateMachine: { Id: stateMachineArn, Name: machineName },
      ...contextSlots,
    },
  });
  let timedOut = false;
  const executionTimer =
    executionTimeoutSeconds === undefined
      ? undefined
      : clock.setTimeout(() => {
          timedOut = true;
          execution.abort();
        }, executionTimeoutSeconds * 1000);
  const log = collectExecutionLog(execution.eventLogs, slots, options.onStateEvent);

  const finished = (outcome: Pick<ExecutionResult, 'status' | 'output' | 'error' | 'cause'>): ExecutionResult => {
    const stopDate = new Date(clock.now());
    const statesVisited = log.events.filter((event) => event.type === 'StateEntered').map((event) => event.name);
    const identity = { executionArn, name: executionName, stateMachineArn, input };
    const times = { startDate, stopDate, durationMs: stopDate.getTime() - startDate.getTime() };
    return { ...outcome, ...identity, events: log.events, statesVisited, nestedExecutions, ...times };
  };
  try {
    const output = await execution.result;
    await log.done;
    return finished({ status: 'SUCCEEDED', output });
  } catch (err) {
    await log.done.catch(() => undefined);
    if (timedOut || (err as Error).name === 'ExecutionTimeoutError') return finished({ status: 'TIMED_OUT', error: 'States.Timeout' });
    return finished({ status: 'FAILED', error: log.failure.error, cause: log.failure.cause });
  } finally {
    executionTimer?.clear();
    // Tokens still open belong to states that can no longer be resumed (a timed-out or cancelled branch).
    waits.closeAll();
  }
}

/** What the Task handlers of one execution need; a nested execution runs with the same options and clock. */
function taskContext(
  options: RunStateMachineOptions,
  clock: KitClock,
  tokenOwners: ReadonlyMap<string, string>,
  nestedExecutions: ExecutionResult[],
): TaskHandlerContext {
  return {
    invoke: options.invoke,
    callbacks: options.callbacks,
    clock,
    defaultTimeoutSeconds: options.taskTimeoutSeconds,
    tokenOwners,
    stateMachines: options.stateMachines ?? (() => undefined),
    startChild: async (child) => {
      const result = await runStateMachine({
        ...options,
        clock,
        definition: child.machine.definition,
        input: child.input,
        executionName: child.executionName,
        stateMachineName: child.machine.name,
        onStateEvent: undefined,
      });
      nestedExecutions.push(result);
      return result;
    },
  };
}
