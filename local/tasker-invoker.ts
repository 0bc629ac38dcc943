/**
 * Invokes the local tasker's handler as Lambda would (lambda/invoke.ts), on the kit's clock for its time budget,
 * and keeps the record of every invocation (`LocalTasker.invocations`) and of those still running (`drain`).
 */
import type { KitClock } from './clock';
import type { LambdaHandler } from './lambda/handler-bundle';
import { invokeLambda, type InvocationResult } from './lambda/invoke';

/** One handler invocation, timed. */
export interface HandlerInvocation {
  kind: 'direct' | 'sqs' | 'schedule';
  durationMs: number;
  /** Records in the batch (sqs) or 1 (direct, schedule). */
  records: number;
  ok: boolean;
}

export interface TaskerInvoker {
  invoke(payload: unknown, kind: HandlerInvocation['kind'], records: number): Promise<InvocationResult>;
  readonly invocations: readonly HandlerInvocation[];
  /** Resolves when the invocations running now have ended. */
  drain(): Promise<void>;
}

export function createTaskerInvoker(
  handler: LambdaHandler,
  names: { functionName: string; region: string; account: string; clock: KitClock },
): TaskerInvoker {
  const invocations: HandlerInvocation[] = [];
  const inFlight = new Set<Promise<InvocationResult>>();
  const { clock, ...identity } = names;
  return {
    invocations,
    async invoke(payload, kind, records) {
      const running = invokeLambda(handler, payload, { ...identity, now: () => clock.now() });
      inFlight.add(running);
      try {
        const result = await running;
        invocations.push({ kind, durationMs: result.durationMs, records, ok: result.ok });
        return result;
      } finally {
        inFlight.delete(running);
      }
    },
    drain: async () => void (await Promise.allSettled([...inFlight])),
  };
}

/** What Lambda answers for a function that does not exist. */
export function functionNotFound(functionName: string): InvocationResult {
  return {
    ok: false,
    errorType: 'Lambda.ResourceNotFoundException',
    errorMessage: `Function not found: ${functionName}`,
    trace: [],
    durationMs: 0,
  };
}
