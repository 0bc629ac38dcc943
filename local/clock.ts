/**
 * The local kit's clock ("kit time"): wall time sped up `timeScale` times from the moment the kit started.
 *
 * Every duration the kit models as AWS would (statement delays, Wait states, TimeoutSeconds and
 * HeartbeatSeconds, the sweep's schedule, SQS visibility timeouts, the Lambda time budget) is given in kit
 * milliseconds and waited for `1 / timeScale` of that in wall time. The handler bundle sees the same clock
 * as its `Date` (handler-bundle.ts), so the ages it computes (the sweep's grace period, `startedAt`) agree
 * with the kit's timers. With `timeScale: 1` (the default) kit time is wall time.
 */

export interface KitClock {
  /** How many kit milliseconds pass per wall millisecond. */
  readonly timeScale: number;
  /** Kit time now, in milliseconds since the epoch (what `Date.now()` is to the handler). */
  now(): number;
  /** Kit milliseconds since the kit started: the time fault-injection windows are written in. */
  elapsed(): number;
  /** `setTimeout` for a delay in kit milliseconds. */
  setTimeout(callback: () => void, kitMs: number): KitTimer;
  /** Sleeps `kitMs`; resolves false (early) if `signal` aborts. */
  sleep(kitMs: number, signal?: AbortSignal): Promise<boolean>;
  /** Wall milliseconds a kit delay takes. */
  toWallMs(kitMs: number): number;
  /**
   * Moves kit time forward at once by `kitMs` (a test stepping past a retry backoff or a grace period, as a
   * later sweep would see it). Timers already waiting keep their wall deadlines.
   */
  advance(kitMs: number): void;
}

/** A pending kit timer. */
export interface KitTimer {
  clear(): void;
}

/** Thrown for a `timeScale` that is not a positive finite number. */
export class KitClockError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'KitClockError';
  }
}

/** The longest delay one Node timer takes (about 24.8 days). */
const MAX_TIMER_MS = 2_147_483_647;

export function createKitClock(timeScale = 1, wallNow: () => number = Date.now): KitClock {
  if (typeof timeScale !== 'number' || !Number.isFinite(timeScale) || timeScale <= 0) {
    throw new KitClockError(`timeScale must be a positive number, got ${String(timeScale)}`);
  }
  const startedAt = wallNow();
  let advancedMs = 0;
  const toWallMs = (kitMs: number): number => Math.max(0, kitMs) / timeScale;
  const clock: KitClock = {
    timeScale,
    now: () => startedAt + advancedMs + (wallNow() - startedAt) * timeScale,
    elapsed: () => advancedMs + (wallNow() - startedAt) * timeScale,
    toWallMs,
    advance(kitMs) {
      if (!Number.isFinite(kitMs) || kitMs < 0)
        throw new KitClockError(`advance takes a non-negative number of kit milliseconds, got ${String(kitMs)}`);
      advancedMs += kitMs;
    },
    setTimeout(callback, kitMs) {
      // Node caps one timer at MAX_TIMER_MS: a longer wait (a year-long Task is valid ASL) is chained.
      const deadline = wallNow() + toWallMs(kitMs);
      let timer: NodeJS.Timeout | undefined;
      const arm = (): void => {
        const left = deadline - wallNow();
        if (left > MAX_TIMER_MS) timer = setTimeout(arm, MAX_TIMER_MS);
        else timer = setTimeout(callback, Math.max(0, left));
      };
      arm();
      return { clear: () => clearTimeout(timer) };
    },
    sleep(kitMs, signal) {
      return new Promise((resolve) => {
        if (signal?.aborted) return resolve(false);
        const onAbort = (): void => {
          timer.clear();
          resolve(false);
        };
        const timer = clock.setTimeout(() => {
          signal?.removeEventListener('abort', onAbort);
          resolve(true);
        }, kitMs);
        signal?.addEventListener('abort', onAbort, { once: true });
      });
    },
  };
  return clock;
}

/**
 * A `Date` whose clock is `clock`: `new Date()` and `Date.now()` read kit time; everything else (parsing,
 * `new Date(ms)`, statics, `instanceof`) is the real `Date`. Given to the handler bundle as its `Date`.
 */
export function kitDate(clock: KitClock): DateConstructor {
  // Always a proxy, even at timeScale 1: `advance` moves kit time away from wall time.
  return new Proxy(Date, {
    // The proxy is `newTarget`: its `prototype` is Date's, so instances are real Dates.
    construct: (target, args: unknown[], newTarget) =>
      Reflect.construct(target, args.length === 0 ? [clock.now()] : args, newTarget) as object,
    apply: () => new Date(clock.now()).toString(),
    get: (target, key, receiver) => (key === 'now' ? () => Math.floor(clock.now()) : Reflect.get(target, key, receiver)),
  });
}
