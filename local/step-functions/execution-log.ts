/**
 * Turns aws-local-stepfunctions' event log into the runner's `StateEvent`s, as they happen, and notes the
 * execution's failure (`ExecutionFailed`). It also ends a state's visit in its context slot, so the next
 * visit gets a new `$$.State.EnteredTime` (a retry keeps it, as in AWS).
 */
import type { StateSlot } from './context-paths';

/** What one state did, for progress views and assertions. */
export interface StateEvent {
  type: 'StateEntered' | 'StateExited' | 'StateFailed' | 'StateRetried' | 'StateCaught';
  name: string;
  stateType: string;
  /** `Date.now()` when it happened (wall time). */
  at: number;
  /** For StateExited: milliseconds since the matching StateEntered. */
  durationMs?: number;
  input?: unknown;
  output?: unknown;
  error?: string;
  cause?: string;
}

type LogEntry = {
  type: string;
  timestamp: number;
  state?: { name: string; type: string; input?: unknown; output?: unknown };
  Error?: string;
  Cause?: unknown;
};

export interface ExecutionLog {
  events: StateEvent[];
  /** Set from ExecutionFailed. */
  failure: { error?: string; cause?: string };
  /** Resolves when the library closes the log. */
  done: Promise<void>;
}

export function collectExecutionLog(
  logs: AsyncIterable<unknown>,
  slots: Map<string, StateSlot>,
  onStateEvent?: (event: StateEvent) => void,
): ExecutionLog {
  const log: ExecutionLog = { events: [], failure: {}, done: Promise.resolve() };
  const enteredAt = new Map<string, number>();
  log.done = (async () => {
    for await (const raw of logs) {
      const entry = raw as LogEntry;
      if (entry.type === 'ExecutionFailed') log.failure = { error: entry.Error, cause: stringify(entry.Cause) };
      if (!entry.state) continue;
      const event: StateEvent = {
        type: entry.type as StateEvent['type'],
        name: entry.state.name,
        stateType: entry.state.type,
        at: entry.timestamp,
      };
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
      if (entry.type === 'StateExited' || entry.type === 'StateCaught') {
        const slot = slots.get(event.name);
        if (slot) slot.enteredTime = undefined; // the next visit gets a new EnteredTime
      }
      log.events.push(event);
      onStateEvent?.(event);
    }
  })();
  return log;
}

export function stringify(value: unknown): string | undefined {
  if (value === undefined) return undefined;
  return typeof value === 'string' ? value : JSON.stringify(value);
}
