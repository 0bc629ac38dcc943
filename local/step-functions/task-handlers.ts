/**
 * The local handler of each Task state, by resource: `lambda:invoke.waitForTaskToken` (invoke, then wait for
 * the callback of `$$.Task.Token` at the local endpoint), `lambda:invoke`, a Lambda ARN, and
 * `states:startExecution.sync` / `.sync:2` (a nested execution). Each attempt runs under the state's
 * TimeoutSeconds / HeartbeatSeconds on the kit's clock (task-deadlines.ts).
 */
import type { KitClock } from '../clock';
import type { InvocationResult } from '../lambda/invoke';
import type { LocalStepFunctionsCallbacks, TaskCallback } from './callback-server';
import { findToken } from './context-paths';
import {
  nestedExecutionHandler,
  START_EXECUTION_SYNC,
  START_EXECUTION_SYNC_2,
  type StartChild,
  type RegisteredStateMachine,
} from './nested-execution';
import { namedError, runTaskAttempt, type TaskAttempt, type TaskLimits } from './task-deadlines';

const WAIT_FOR_TOKEN = 'arn:aws:states:::lambda:invoke.waitForTaskToken';
const INVOKE = 'arn:aws:states:::lambda:invoke';
const LAMBDA_ARN = /^arn:aws:lambda:[^:]*:[^:]*:function:/;

type StateJson = Record<string, unknown>;
type TaskHandler = (input: unknown) => Promise<unknown>;

/** Thrown for a Task whose resource cannot run locally (only Lambda invocations and nested `startExecution.sync` can). */
export class UnsupportedTaskResource extends Error {
  constructor(stateName: string, resource: string) {
    super(
      `state "${stateName}": resource ${resource} cannot run locally (only Lambda invocations and states:startExecution.sync/.sync:2 can)`,
    );
    this.name = 'UnsupportedTaskResource';
  }
}

export interface TaskHandlerContext {
  invoke: (functionName: string, payload: unknown) => Promise<InvocationResult>;
  callbacks: LocalStepFunctionsCallbacks;
  clock: KitClock;
  /** Kit-wide TimeoutSeconds for Tasks without one. @default none */
  defaultTimeoutSeconds?: number;
  /** Tokens this execution handed out (token → state name). */
  tokenOwners: ReadonlyMap<string, string>;
  stateMachines: (arn: string) => RegisteredStateMachine | undefined;
  startChild: StartChild;
}

/**
 * Open callback waits of one execution, by token: the callback endpoint's listener resumes them, heartbeats
 * reset their window, and the execution's end closes those left.
 */
export class CallbackWaits {
  private readonly waits = new Map<string, { settle: (call: TaskCallback) => void; attempt?: TaskAttempt; cancel: () => void }>();
  private readonly unsubscribe: () => void;

  constructor(private readonly callbacks: LocalStepFunctionsCallbacks) {
    this.unsubscribe = callbacks.onCallback((call) => {
      if (call.answeredWith !== undefined) return;
      const wait = this.waits.get(call.taskToken);
      if (call.action === 'SendTaskHeartbeat') wait?.attempt?.heartbeat();
      else wait?.settle(call);
    });
  }

  /** Waits for the success/failure callback of `token`. */
  open(token: string): { promise: Promise<unknown>; bind(attempt: TaskAttempt): void; close(): void } {
    let entry!: { settle: (call: TaskCallback) => void; attempt?: TaskAttempt; cancel: () => void };
    const promise = new Promise<unknown>((resolve, reject) => {
      entry = {
        settle: (call) => {
          this.waits.delete(token);
          if (call.action === 'SendTaskSuccess') resolve(JSON.parse(call.output ?? 'null'));
          else reject(namedError(call.error ?? 'States.TaskFailed', call.cause ?? ''));
        },
        cancel: () => this.waits.delete(token),
      };
    });
    promise.catch(() => undefined);
    this.waits.set(token, entry);
    return {
      promise,
      bind: (attempt) => {
        entry.attempt = attempt;
      },
      close: () => this.close(token),
    };
  }

  /** Stops waiting for `token` and closes it (a late callback gets TaskTimedOut, as in AWS). */
  close(token: string): void {
    this.waits.get(token)?.cancel();
    this.callbacks.expireToken(token);
  }

  /** Closes every wait still open (states that can no longer be resumed) and stops listening. */
  closeAll(): void {
    this.unsubscribe();
    for (const token of [...this.waits.keys()]) this.close(token);
  }
}

/** The local handler of every Task state of `definition`, by state name. */
export function buildTaskHandlers(
  tasks: Map<string, StateJson>,
  ctx: TaskHandlerContext,
  waits: CallbackWaits,
): Record<string, TaskHandler> {
  const handlers: Record<string, TaskHandler> = {};
  for (const [name, state] of tasks) {
    const resource = String(state.Resource);
    const limits: TaskLimits = {
      hasOwnTimeout: state.TimeoutSeconds !== undefined || state.TimeoutSecondsPath !== undefined,
      timeoutSeconds: typeof state.TimeoutSeconds === 'number' ? state.TimeoutSeconds : undefined,
      defaultTimeoutSeconds: ctx.defaultTimeoutSeconds,
    };
    const attempt = (
      work: Promise<unknown>,
      onExpired: (errorName: string) => void = () => undefined,
      heartbeatSeconds?: number,
    ): TaskAttempt => runTaskAttempt({ stateName: name, limits: { ...limits, heartbeatSeconds }, clock: ctx.clock, work, onExpired });
    if (resource === WAIT_FOR_TOKEN) {
      const heartbeatSeconds = typeof state.HeartbeatSeconds === 'number' ? state.HeartbeatSeconds : undefined;
      handlers[name] = (input) => {
        const { FunctionName, Payload } = input as { FunctionName: string; Payload: unknown };
        const token = findToken(Payload, ctx.tokenOwners);
        if (!token) return Promise.reject(namedError('States.Runtime', `state ${name}: the payload carries no $$.Task.Token`));
        // Listen before invoking: the callback can arrive before the invocation returns.
        const wait = waits.open(token);
        const work = invokeOrThrow(ctx, FunctionName, Payload).then(
          () => wait.promise,
          (err: unknown) => {
            // The task failed without a callback: close its token and stop waiting.
            wait.close();
            throw err;
          },
        );
        const running = attempt(work, () => wait.close(), heartbeatSeconds);
        wait.bind(running);
        return running.result;
      };
    } else if (resource === INVOKE) {
      handlers[name] = (input) => {
        const { FunctionName, Payload } = input as { FunctionName: string; Payload: unknown };
        const work = invokeOrThrow(ctx, FunctionName, Payload).then((payload) => ({
          ExecutedVersion: '$LATEST',
          Payload: payload,
          StatusCode: 200,
        }));
        return attempt(work).result;
      };
    } else if (resource === START_EXECUTION_SYNC || resource === START_EXECUTION_SYNC_2) {
      const start = nestedExecutionHandler(resource, name, ctx.stateMachines, ctx.startChild);
      handlers[name] = (input) => attempt(start(input)).result;
    } else if (LAMBDA_ARN.test(resource)) {
      handlers[name] = (input) => attempt(invokeOrThrow(ctx, resource, input)).result;
    } else {
      throw new UnsupportedTaskResource(name, resource);
    }
  }
  return handlers;
}

async function invokeOrThrow(ctx: TaskHandlerContext, functionName: string, payload: unknown): Promise<unknown> {
  const result = await ctx.invoke(functionName, payload);
  if (result.ok) return result.payload;
  // Step Functions shows a function error as Error = errorType, Cause = the error object as JSON.
  throw namedError(
    result.errorType,
    JSON.stringify({ errorMessage: result.errorMessage, errorType: result.errorType, trace: result.trace }),
  );
}
