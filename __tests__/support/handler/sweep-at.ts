/**
 * Runs the sweep as the schedule would, but at a chosen time: the retry backoff, claim leases and the
 * maximum age are all measured against the sweep's clock, so a test moves time forward without waiting.
 * Built from the harness's environment as it is now (like the handler's own context).
 */
import { sweep, type SweepSummary } from '../../../functions/tasker/routes/sweep';
import { createTaskerContext } from '../../../functions/tasker/platform/tasker-context';

export async function sweepAt(now: Date): Promise<SweepSummary> {
  const ctx = createTaskerContext();
  try {
    return await sweep(ctx, undefined, now);
  } finally {
    ctx.destroy();
  }
}

/** `seconds` from now. */
export const secondsFromNow = (seconds: number): Date => new Date(Date.now() + seconds * 1000);
