/**
 * What the runner changes so a definition keeps Step Functions' clock on the kit's (clock.ts):
 * - the execution's own `TimeoutSeconds` is taken out of the definition and enforced by the runner;
 * - a Catch or Retry for `States.Timeout` on a Task with `HeartbeatSeconds` also names `States.HeartbeatTimeout`
 *   (in AWS a heartbeat timeout is a timeout: `States.Timeout` catches it; the library matches names exactly);
 * - with a scaled clock, Wait states (`Seconds`, `Timestamp`) and Retry intervals wait scaled wall time.
 * Wait states with `SecondsPath`/`TimestampPath` wait their own (unscaled) time: their value is only known inside the library.
 */
import type { KitClock } from '../clock';
import { STATES_HEARTBEAT_TIMEOUT, STATES_TIMEOUT } from './task-deadlines';

type StateJson = Record<string, unknown>;

/** Every state by name, nested Parallel branches and Map processors included. */
export function allStates(machine: StateJson, into = new Map<string, StateJson>()): Map<string, StateJson> {
  for (const [name, state] of Object.entries((machine.States ?? {}) as Record<string, StateJson>)) {
    into.set(name, state);
    for (const branch of (state.Branches as StateJson[] | undefined) ?? []) allStates(branch, into);
    if (state.Iterator) allStates(state.Iterator as StateJson, into);
    if (state.ItemProcessor) allStates(state.ItemProcessor as StateJson, into);
  }
  return into;
}

/** Rewrites `definition` in place; returns the execution's TimeoutSeconds it removed. */
export function takeExecutionTimeout(definition: StateJson): number | undefined {
  const seconds = definition.TimeoutSeconds;
  delete definition.TimeoutSeconds;
  for (const state of allStates(definition).values()) {
    if (state.Type !== 'Task' || state.HeartbeatSeconds === undefined) continue;
    for (const rule of [...((state.Catch as StateJson[] | undefined) ?? []), ...((state.Retry as StateJson[] | undefined) ?? [])]) {
      const errors = rule.ErrorEquals as string[];
      if (errors.includes(STATES_TIMEOUT) && !errors.includes(STATES_HEARTBEAT_TIMEOUT)) errors.push(STATES_HEARTBEAT_TIMEOUT);
    }
  }
  return typeof seconds === 'number' ? seconds : undefined;
}

/** The library's `waitTimeOverrides` for a scaled clock: read when each Wait state starts. */
export function scaledWaits(definition: StateJson, clock: KitClock): Record<string, number> | undefined {
  if (clock.timeScale === 1) return undefined;
  const overrides: Record<string, number> = {};
  for (const [name, state] of allStates(definition)) {
    if (state.Type !== 'Wait') continue;
    if (typeof state.Seconds === 'number') {
      const seconds = state.Seconds;
      Object.defineProperty(overrides, name, { enumerable: true, get: () => clock.toWallMs(seconds * 1000) });
    } else if (typeof state.Timestamp === 'string') {
      const at = Date.parse(state.Timestamp);
      Object.defineProperty(overrides, name, { enumerable: true, get: () => clock.toWallMs(at - clock.now()) });
    }
  }
  return overrides;
}

/**
 * The library's `retryIntervalOverrides`: `fixedMs` for every retry when given, else (scaled clock only) each
 * retrier's IntervalSeconds scaled. The library applies no BackoffRate or jitter to an override.
 */
export function retryIntervals(definition: StateJson, clock: KitClock, fixedMs?: number): Record<string, number | number[]> | undefined {
  const states = [...allStates(definition)];
  if (fixedMs !== undefined) return Object.fromEntries(states.map(([name]) => [name, fixedMs]));
  if (clock.timeScale === 1) return undefined;
  const overrides: Record<string, number[]> = {};
  for (const [name, state] of states) {
    const retry = state.Retry as { IntervalSeconds?: number }[] | undefined;
    if (retry) overrides[name] = retry.map((rule) => clock.toWallMs((rule.IntervalSeconds ?? 1) * 1000));
  }
  return overrides;
}
