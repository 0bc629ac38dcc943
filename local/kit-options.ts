/**
 * The local tasker's own options (`timeScale`, `sweep`, `taskTimeoutSeconds`), checked before anything starts:
 * a bad value throws `LocalTaskerConfigurationError` with nothing to clean up.
 */
import { createKitClock, type KitClock } from './clock';
import { rateSeconds } from './sweep-schedule';
import { LocalTaskerConfigurationError } from './tasker-environment';

/** The kit's clock; a bad `timeScale` is a configuration error, thrown before anything starts. */
export function kitClockFor(timeScale: number | undefined): KitClock {
  try {
    return createKitClock(timeScale ?? 1);
  } catch (err) {
    throw new LocalTaskerConfigurationError((err as Error).message);
  }
}

/** Seconds between sweeps, or undefined when the schedule is off. */
export function sweepInterval(sweep: false | { intervalSeconds?: number } | undefined, schedule: string): number | undefined {
  if (sweep === false) return undefined;
  if (sweep?.intervalSeconds !== undefined) {
    if (!Number.isFinite(sweep.intervalSeconds) || sweep.intervalSeconds <= 0) {
      throw new LocalTaskerConfigurationError(`sweep.intervalSeconds must be a positive number, got ${sweep.intervalSeconds}`);
    }
    return sweep.intervalSeconds;
  }
  const seconds = rateSeconds(schedule);
  if (seconds === undefined) {
    throw new LocalTaskerConfigurationError(
      `the local kit runs the sweep on rate(...) schedules only; sweepSchedule is ${schedule}: give sweep: { intervalSeconds } or ` +
        `sweep: false`,
    );
  }
  return seconds;
}

export function checkTaskTimeout(seconds: number | undefined): void {
  if (seconds !== undefined && (!Number.isInteger(seconds) || seconds < 1)) {
    throw new LocalTaskerConfigurationError(`taskTimeoutSeconds must be a positive integer, got ${seconds}`);
  }
}
