/**
 * The sweep on its schedule, as the construct's EventBridge schedule invokes it in AWS: every interval of kit
 * time (clock.ts), the tasker gets a "Scheduled Event". A sweep still running when the next is due is not
 * doubled: that tick is skipped. Tests switch it off (`sweep: false`) or step it (`sweepNow()`).
 */
import { randomUUID } from 'node:crypto';
import { eventBridgeTime } from '../functions/shared/contract';
import type { KitClock } from './clock';

/** Seconds between sweeps for an EventBridge `rate(...)` expression; undefined for `cron(...)` (not modelled locally). */
export function rateSeconds(expression: string): number | undefined {
  const match = /^rate\(\s*(\d+)\s+(minute|minutes|hour|hours|day|days)\s*\)$/.exec(expression.trim());
  if (!match) return undefined;
  const unit = match[2].replace(/s$/, '') as 'minute' | 'hour' | 'day';
  return Number(match[1]) * { minute: 60, hour: 3600, day: 86_400 }[unit];
}

/** The event the schedule's rule sends the function (the handler routes it to the sweep). */
export function scheduledEvent(options: { account: string; region: string; ruleArn: string; time: Date }): Record<string, unknown> {
  return {
    version: '0',
    id: randomUUID(),
    'detail-type': 'Scheduled Event',
    source: 'aws.events',
    account: options.account,
    time: eventBridgeTime(options.time),
    region: options.region,
    resources: [options.ruleArn],
    detail: {},
  };
}

export interface SweepSchedule {
  /** Stops the schedule (a sweep in progress finishes). */
  stop(): void;
}

/** Calls `sweep` every `intervalSeconds` of kit time (a fixed rate, as EventBridge's) until stopped. */
export function startSweepSchedule(intervalSeconds: number, clock: KitClock, sweep: () => Promise<unknown>): SweepSchedule {
  const intervalMs = intervalSeconds * 1000;
  let next = clock.now() + intervalMs;
  let running: Promise<unknown> | undefined;
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  const tick = (): void => {
    // The next slot in the future: a late tick (a busy event loop) is not followed by a burst of catch-up sweeps.
    while (next <= clock.now()) next += intervalMs;
    running ??= sweep().finally(() => (running = undefined));
    arm();
  };
  const arm = (): void => {
    if (stopped) return;
    // Wall time; unref'd: a schedule alone does not keep a test process alive.
    timer = setTimeout(tick, clock.toWallMs(next - clock.now()));
    timer.unref();
  };
  arm();
  return {
    stop() {
      stopped = true;
      clearTimeout(timer);
    },
  };
}
