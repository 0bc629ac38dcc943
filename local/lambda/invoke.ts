/**
 * Invokes a Lambda handler in process the way the Lambda service does for the parts the tasker
 * depends on: the event and the result cross a JSON boundary, and a thrown error becomes
 * `{ errorType, errorMessage, trace }` (what Step Functions shows as `Error` and `Cause`).
 */
import { randomUUID } from 'node:crypto';
import type { LambdaHandler } from './handler-bundle';

export type InvocationResult =
  | { ok: true; payload: unknown; durationMs: number }
  | { ok: false; errorType: string; errorMessage: string; trace: string[]; durationMs: number };

export interface InvokeOptions {
  /** @default 'local-tasker' */
  functionName?: string;
  /** @default 'us-east-1' */
  region?: string;
  /** @default '123456789012' */
  account?: string;
  /** Milliseconds the fake context reports as remaining. @default 900000 (the Lambda maximum) */
  timeoutMs?: number;
  /** The clock the remaining time is counted on, in ms (the local tasker's kit clock). @default Date.now */
  now?: () => number;
}

export async function invokeLambda(handler: LambdaHandler, event: unknown, options: InvokeOptions = {}): Promise<InvocationResult> {
  const functionName = options.functionName ?? 'local-tasker';
  const started = Date.now();
  const now = options.now ?? Date.now;
  const deadline = now() + (options.timeoutMs ?? 900_000);
  const context = {
    functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:${options.region ?? 'us-east-1'}:${options.account ?? '123456789012'}:function:${functionName}`,
    memoryLimitInMB: '256',
    awsRequestId: randomUUID(),
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: 'local',
    callbackWaitsForEmptyEventLoop: true,
    getRemainingTimeInMillis: () => Math.max(0, Math.floor(deadline - now())),
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
  try {
    const result = await handler(roundTrip(event), context);
    return { ok: true, payload: result === undefined ? null : roundTrip(result), durationMs: Date.now() - started };
  } catch (err) {
    const error = err instanceof Error ? err : new Error(String(err));
    return {
      ok: false,
      errorType: error.name || 'Error',
      errorMessage: error.message,
      trace: (error.stack ?? '').split('\n'),
      durationMs: Date.now() - started,
    };
  }
}

function roundTrip(value: unknown): unknown {
  return JSON.parse(JSON.stringify(value)) as unknown;
}
