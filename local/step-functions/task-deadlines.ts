/**
 * A Task attempt's two clocks, as Step Functions keeps them: `TimeoutSeconds` (the whole attempt) and
 * `HeartbeatSeconds` (the longest gap between heartbeats of a callback task, reset by each SendTaskHeartbeat).
 * Both run on the kit's clock. A Task without `TimeoutSeconds` has no limit (AWS waits up to a year) unless
 * the kit sets a default (`taskTimeoutSeconds`).
 *
 * When one expires, the attempt fails with `States.Timeout` or `States.HeartbeatTimeout` through the library's
 * own timeout (library-task-timer.ts); `onExpired` lets the caller close the task's token first.
 */
import type { KitClock, KitTimer } from '../clock';
import { captureLibraryTaskTimer, type LibraryTaskTimer } from './library-task-timer';

export const STATES_TIMEOUT = 'States.Timeout';
export const STATES_HEARTBEAT_TIMEOUT = 'States.HeartbeatTimeout';

export interface TaskLimits {
  /** Whether the state sets TimeoutSeconds or TimeoutSecondsPath (the library then computes the value). */
  hasOwnTimeout: boolean;
  /** The state's static TimeoutSeconds, used if the library's value cannot be read. */
  timeoutSeconds?: number;
  /** The kit-wide default for Tasks without a timeout of their own. @default none */
  defaultTimeoutSeconds?: number;
  heartbeatSeconds?: number;
}

export interface TaskAttempt {
  /** The attempt's outcome or its timeout, whichever comes first. */
  readonly result: Promise<unknown>;
  /** Restarts the heartbeat window (a SendTaskHeartbeat was accepted). */
  heartbeat(): void;
}

/**
 * Runs one attempt of a Task state. `work` is started at once; call this as the Task handler's last synchronous
 * step (the library's timer is captured right after it returns).
 */
export function runTaskAttempt(options: {
  stateName: string;
  limits: TaskLimits;
  clock: KitClock;
  work: Promise<unknown>;
  onExpired: (errorName: string) => void;
}): TaskAttempt {
  const { stateName, limits, clock } = options;
  let timeoutTimer: KitTimer | undefined;
  let heartbeatTimer: KitTimer | undefined;
  let settled = false;
  let rejectOwn: (error: Error) => void = () => undefined;
  const own = new Promise<never>((_, reject) => (rejectOwn = reject));
  let libraryTimer: LibraryTaskTimer | undefined;

  const clear = (): void => {
    settled = true;
    timeoutTimer?.clear();
    heartbeatTimer?.clear();
  };
  const expire = (errorName: string, message: string): void => {
    if (settled) return;
    clear();
    options.onExpired(errorName);
    // Through the library when its timer was captured, else as a named error (matched by name only).
    if (!libraryTimer?.fire(errorName, message)) rejectOwn(namedError(errorName, message));
  };
  const armHeartbeat = (): void => {
    if (limits.heartbeatSeconds === undefined || settled) return;
    heartbeatTimer?.clear();
    heartbeatTimer = clock.setTimeout(
      () => expire(STATES_HEARTBEAT_TIMEOUT, `state ${stateName}: no heartbeat within HeartbeatSeconds (${limits.heartbeatSeconds} s)`),
      limits.heartbeatSeconds * 1000,
    );
  };

  armHeartbeat();
  own.catch(() => undefined);
  const result = Promise.race([options.work, own]).finally(clear);
  result.catch(() => undefined); // the library may have moved on after a timeout
  // Last: the library sets its timer right after this handler returns (nothing may call setTimeout in between).
  libraryTimer = captureLibraryTaskTimer((libraryMs) => {
    if (settled) return;
    const ms = limits.hasOwnTimeout
      ? (libraryMs ?? (limits.timeoutSeconds ?? 60) * 1000)
      : limits.defaultTimeoutSeconds === undefined
        ? undefined
        : limits.defaultTimeoutSeconds * 1000;
    if (ms !== undefined)
      timeoutTimer = clock.setTimeout(() => expire(STATES_TIMEOUT, `state ${stateName} timed out after ${ms / 1000} s`), ms);
  });
  return { result, heartbeat: armHeartbeat };
}

export function namedError(name: string, message: string): Error {
  const error = new Error(message);
  error.name = name;
  return error;
}
