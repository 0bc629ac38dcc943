/**
 * A local stand-in for the three Step Functions task-callback operations
 * (`SendTaskSuccess`, `SendTaskFailure`, `SendTaskHeartbeat`), speaking the service's JSON 1.0
 * protocol so the real `@aws-sdk/client-sfn` reaches it through `AWS_ENDPOINT_URL_SFN`.
 *
 * It records every request (accepted or rejected) and behaves like the service where it matters to
 * the tasker: a token answered once with success or failure is closed, so a second answer gets
 * `TaskTimedOut`; `expireToken` lets a test make a token look timed out, unknown or malformed, and
 * `failNext` (the next calls) or `failDuring` (a span of kit time) makes the service itself fail (access denied,
 * outage) whatever the token.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createKitClock, type KitClock } from '../clock';
import { checkFaultWindow, isInWindow, type FaultWindow } from '../fault-window';

/** One callback request as the server received it. */
export interface TaskCallback {
  action: 'SendTaskSuccess' | 'SendTaskFailure' | 'SendTaskHeartbeat';
  taskToken: string;
  /** `SendTaskSuccess` output (a JSON string). */
  output?: string;
  /** `SendTaskFailure` error name. */
  error?: string;
  /** `SendTaskFailure` cause. */
  cause?: string;
  /** Kit time (clock.ts; wall time unless the tasker is scaled) when the request arrived, in ms since the epoch. */
  receivedAt: number;
  /** The error name the server answered with when it rejected the call; absent when accepted. */
  answeredWith?: string;
}

/** Error names the server can answer for a token, as the real service does. */
export type TokenErrorName = 'TaskTimedOut' | 'TaskDoesNotExist' | 'InvalidToken';

export interface LocalStepFunctionsCallbacks {
  /** Base URL to put in `AWS_ENDPOINT_URL_SFN`: `http://127.0.0.1:<port>`. */
  readonly endpoint: string;
  /** Every request received, accepted or not, in arrival order. */
  readonly calls: readonly TaskCallback[];
  /** Makes later calls for `token` fail with `errorName` (@default 'TaskTimedOut'). */
  expireToken(token: string, errorName?: TokenErrorName): void;
  /**
   * Makes the next `times` calls of `action` fail with `errorName` before any token check (HTTP 503/500
   * for outage names, 400 otherwise: see `serviceErrorStatus`); the token stays open. Such calls are
   * recorded with `answeredWith`.
   * @default times 1
   */
  failNext(action: TaskCallback['action'], errorName: string, times?: number): void;
  /**
   * Makes every call of `action` fail with `errorName` while `window` covers the kit's clock (`{ fromMs, untilMs }`
   * in kit milliseconds since start, or a function of them), before any token check, as `failNext` does; the
   * token stays open. Returns a function that removes the injection.
   */
  failDuring(action: TaskCallback['action'], errorName: string, window: FaultWindow): () => void;
  /** Resolves with the first accepted success/failure for `token` (already received or future). @default timeoutMs 5000 */
  waitForCallback(token: string, timeoutMs?: number): Promise<TaskCallback>;
  /** Calls `listener` for every request after it was answered; returns an unsubscribe function. */
  onCallback(listener: (call: TaskCallback) => void): () => void;
  /** Closes the server (and open connections). */
  stop(): Promise<void>;
}

const TARGET_PREFIX = 'AWSStepFunctions.';
const ACTIONS = new Set(['SendTaskSuccess', 'SendTaskFailure', 'SendTaskHeartbeat']);

export interface CallbackServerOptions {
  /** The clock `receivedAt` and fault windows read (the local tasker's). @default wall time */
  clock?: KitClock;
}

/** Starts the server on 127.0.0.1 with a free port. */
export async function startLocalStepFunctionsCallbacks(options: CallbackServerOptions = {}): Promise<LocalStepFunctionsCallbacks> {
  const clock = options.clock ?? createKitClock();
  /** Service failures injected for a span of kit time. */
  const windows = new Set<{ action: string; errorName: string; window: FaultWindow }>();
  const injectedFailure = (action: string): string | undefined => {
    const elapsed = clock.elapsed();
    for (const entry of windows) if (entry.action === action && isInWindow(entry.window, elapsed)) return entry.errorName;
    return injectedFailures.get(action)?.shift();
  };
  const calls: TaskCallback[] = [];
  /** Tokens that were answered with success/failure, or expired by the test, with the error they now get. */
  const closedTokens = new Map<string, TokenErrorName>();
  const listeners = new Set<(call: TaskCallback) => void>();
  /** Injected service failures still to answer, per action, in order. */
  const injectedFailures = new Map<string, string[]>();

  const sendJson = (res: ServerResponse, status: number, body: unknown): void => {
    const text = JSON.stringify(body);
    res.writeHead(status, { 'content-type': 'application/x-amz-json-1.0', 'content-length': Buffer.byteLength(text) });
    res.end(text);
  };
  const sendError = (res: ServerResponse, name: string, message: string, status = 400): void =>
    sendJson(res, status, { __type: name, message });

  const handle = (req: IncomingMessage, body: string, res: ServerResponse): void => {
    const target = String(req.headers['x-amz-target'] ?? '');
    const action = target.startsWith(TARGET_PREFIX) ? target.slice(TARGET_PREFIX.length) : '';
    if (req.method !== 'POST' || !ACTIONS.has(action)) {
      sendError(res, 'UnknownOperationException', `unsupported operation: ${target || '(no X-Amz-Target)'}`);
      return;
    }
    let input: Record<string, unknown>;
    try {
      input = JSON.parse(body || '{}') as Record<string, unknown>;
    } catch {
      sendError(res, 'SerializationException', 'request body is not JSON');
      return;
    }
    const call: TaskCallback = {
      action: action as TaskCallback['action'],
      taskToken: typeof input.taskToken === 'string' ? input.taskToken : '',
      receivedAt: clock.now(),
    };
    if (typeof input.output === 'string') call.output = input.output;
    if (typeof input.error === 'string') call.error = input.error;
    if (typeof input.cause === 'string') call.cause = input.cause;
    calls.push(call);

    const injected = injectedFailure(call.action);
    if (injected) {
      call.answeredWith = injected;
      sendError(res, injected, `injected failure: ${injected}`, serviceErrorStatus(injected));
      for (const listener of [...listeners]) listener(call);
      return;
    }
    const rejection = validate(call, closedTokens);
    if (rejection) {
      call.answeredWith = rejection.name;
      sendError(res, rejection.name, rejection.message);
    } else {
      if (call.action !== 'SendTaskHeartbeat') closedTokens.set(call.taskToken, 'TaskTimedOut');
      sendJson(res, 200, {});
    }
    for (const listener of [...listeners]) listener(call);
  };

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => handle(req, Buffer.concat(chunks).toString('utf8'), res));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;

  const isAcceptedResult = (call: TaskCallback, token: string): boolean =>
    call.taskToken === token && call.action !== 'SendTaskHeartbeat' && call.answeredWith === undefined;

  return {
    endpoint: `http://127.0.0.1:${port}`,
    calls,
    expireToken(token, errorName = 'TaskTimedOut') {
      closedTokens.set(token, errorName);
    },
    failNext(action, errorName, times = 1) {
      if (!ACTIONS.has(action)) throw new Error(`failNext: unknown action ${action}`);
      if (!Number.isInteger(times) || times < 1) throw new Error(`failNext: times must be a positive integer, got ${times}`);
      const queue = injectedFailures.get(action) ?? [];
      queue.push(...Array<string>(times).fill(errorName));
      injectedFailures.set(action, queue);
    },
    failDuring(action, errorName, window) {
      if (!ACTIONS.has(action)) throw new Error(`failDuring: unknown action ${action}`);
      checkFaultWindow(window, 'failDuring');
      const entry = { action, errorName, window };
      windows.add(entry);
      return () => void windows.delete(entry);
    },
    waitForCallback(token, timeoutMs = 5_000) {
      const seen = calls.find((call) => isAcceptedResult(call, token));
      if (seen) return Promise.resolve(seen);
      return new Promise<TaskCallback>((resolve, reject) => {
        const timer = setTimeout(() => {
          listeners.delete(listener);
          reject(new Error(`no callback for task token ${token.slice(0, 40)} within ${timeoutMs} ms`));
        }, timeoutMs);
        const listener = (call: TaskCallback): void => {
          if (!isAcceptedResult(call, token)) return;
          clearTimeout(timer);
          listeners.delete(listener);
          resolve(call);
        };
        listeners.add(listener);
      });
    },
    onCallback(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    stop() {
      return new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      });
    },
  };
}

/** The HTTP status the service uses for an error name: 5xx for outages and internal faults, 400 otherwise. */
function serviceErrorStatus(errorName: string): number {
  if (errorName === 'ServiceUnavailable' || errorName === 'ServiceUnavailableException') return 503;
  if (errorName === 'InternalFailure' || errorName === 'InternalServerError') return 500;
  return 400;
}

/** The service's input checks that matter to a caller, then the token's state. */
function validate(call: TaskCallback, closedTokens: Map<string, TokenErrorName>): { name: string; message: string } | undefined {
  if (call.taskToken.length < 1 || call.taskToken.length > 2_048) {
    return { name: 'InvalidToken', message: 'taskToken must be 1 to 2048 characters' };
  }
  if (call.error !== undefined && call.error.length > 256) {
    return { name: 'ValidationException', message: 'error must be at most 256 characters' };
  }
  if (call.cause !== undefined && call.cause.length > 32_768) {
    return { name: 'ValidationException', message: 'cause must be at most 32768 characters' };
  }
  if (call.output !== undefined && Buffer.byteLength(call.output) > 262_144) {
    return { name: 'InvalidOutput', message: 'output must be at most 262144 bytes' };
  }
  if (call.action === 'SendTaskSuccess') {
    if (call.output === undefined) return { name: 'InvalidOutput', message: 'output is required' };
    try {
      JSON.parse(call.output);
    } catch {
      return { name: 'InvalidOutput', message: 'output is not valid JSON' };
    }
  }
  const closed = closedTokens.get(call.taskToken);
  if (closed) return { name: closed, message: `Task Timed Out: '${call.taskToken.slice(0, 40)}'` };
  return undefined;
}
