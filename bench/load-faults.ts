/**
 * The faults of the load benchmark (issue 25), as a plan the kit applies: Data API throttles, duplicated and
 * dropped status events, bursts of refused SendTaskSuccess calls, failing statements and a Step Functions outage
 * (a window of kit time). One place decides them, so the benchmark and its test in the suite run the same faults.
 */
import type { StatusChangeEvent } from '../local/redshift-data';
import type { LocalTasker } from '../local/stack';

export interface LoadFaults {
  /** ExecuteStatement calls answered `ThrottlingException` (the first ones). */
  readonly throttles: number;
  /** Every n-th status event is delivered three times. */
  readonly tripleEvery: number;
  /** Every n-th status event is dropped (it wins over `tripleEvery`). */
  readonly dropEvery: number;
  /**
   * Bursts of SendTaskSuccess calls answered `ServiceUnavailable`: when (kit ms after launch) and how many. A burst
   * ends after its calls or BURST_SPAN_MS, whichever comes first.
   */
  readonly successBursts: readonly { readonly atMs: number; readonly calls: number }[];
  /** Every n-th execution runs SQL that fails. */
  readonly failEvery: number;
  /** SendTaskSuccess, SendTaskFailure and SendTaskHeartbeat all answer `ServiceUnavailable` in this window (kit ms after launch). */
  readonly outage: { readonly fromMs: number; readonly durationMs: number };
}

/** Issue 25's faults plus a 30 s Step Functions outage starting 5 s after launch. */
export const ISSUE_25_FAULTS: LoadFaults = {
  throttles: 50,
  tripleEvery: 10,
  dropEvery: 20,
  successBursts: [
    { atMs: 1_000, calls: 40 },
    { atMs: 3_000, calls: 40 },
    { atMs: 40_000, calls: 40 },
    { atMs: 50_000, calls: 40 },
  ],
  failEvery: 25,
  outage: { fromMs: 5_000, durationMs: 30_000 },
};

/**
 * The longest a burst lasts (kit ms). Without it, the answers of a burst that few calls meet (late in a run, when
 * most tasks are resumed) would wait for the next calls, minutes later, and fail the last callbacks' every retry:
 * a targeted outage of several minutes, not a burst, and one that outlasts the run's TimeoutSeconds.
 */
export const BURST_SPAN_MS = 10_000;

/** The load the counted faults are sized for. */
export const FAULTS_SIZED_FOR = 500;

/**
 * The faults for a smaller (or larger) run: counted ones (throttles, burst sizes) in proportion to `executions`,
 * at least 1, so a 50-execution test is not answered by a 500-execution run's bursts for minutes on end. Rates
 * (every n-th event or statement) and the outage window stay as they are.
 */
export function faultsFor(executions: number, faults: LoadFaults = ISSUE_25_FAULTS): LoadFaults {
  const scale = (count: number): number => Math.max(1, Math.round((count * executions) / FAULTS_SIZED_FOR));
  return {
    ...faults,
    throttles: scale(faults.throttles),
    successBursts: faults.successBursts.map((burst) => ({ ...burst, calls: scale(burst.calls) })),
  };
}

const CALLBACK_ACTIONS = ['SendTaskSuccess', 'SendTaskFailure', 'SendTaskHeartbeat'] as const;

/**
 * The kit's `routeEvent`: counts status events in emission order, drops every `dropEvery`-th and publishes every
 * `tripleEvery`-th three times. `onEvent` sees every event (dropped ones too): the statement's end.
 */
export function faultyRoute(
  faults: LoadFaults,
  onEvent: (event: StatusChangeEvent) => void,
): (event: StatusChangeEvent, publish: (event: unknown) => boolean) => void {
  let count = 0;
  return (event, publish) => {
    count += 1;
    onEvent(event);
    if (count % faults.dropEvery === 0) return;
    const copies = count % faults.tripleEvery === 0 ? 3 : 1;
    for (let i = 0; i < copies; i++) publish(event);
  };
}

/** Whether execution `index` (0-based) runs a failing statement. */
export const failsOnPurpose = (faults: LoadFaults, index: number): boolean => (index + 1) % faults.failEvery === 0;

/**
 * A burst as a fault window: the first `calls` calls from `fromMs` (kit elapsed ms) on, within BURST_SPAN_MS. The
 * server asks the window once per call it does not already fail (the outage window is added first), so each
 * answer it gives uses one of the burst's calls.
 */
export function burstWindow(fromMs: number, calls: number): (elapsedMs: number) => boolean {
  let left = calls;
  return (elapsedMs) => {
    if (left === 0 || elapsedMs < fromMs || elapsedMs >= fromMs + BURST_SPAN_MS) return false;
    left -= 1;
    return true;
  };
}

/**
 * Applies the time-based and counted faults, `launchedAtMs` being the kit's elapsed time at launch. Returns a
 * function that removes the bursts.
 */
export function applyFaults(tasker: LocalTasker, faults: LoadFaults, launchedAtMs: number): () => void {
  tasker.dataApi.injectError('ExecuteStatement', { name: 'ThrottlingException', message: 'Rate exceeded' }, faults.throttles);
  const fromMs = launchedAtMs + faults.outage.fromMs;
  for (const action of CALLBACK_ACTIONS) {
    tasker.callbacks.failDuring(action, 'ServiceUnavailable', { fromMs, untilMs: fromMs + faults.outage.durationMs });
  }
  const removeBursts = faults.successBursts.map((burst) =>
    tasker.callbacks.failDuring('SendTaskSuccess', 'ServiceUnavailable', burstWindow(launchedAtMs + burst.atMs, burst.calls)),
  );
  return () => {
    for (const remove of removeBursts) remove();
  };
}
