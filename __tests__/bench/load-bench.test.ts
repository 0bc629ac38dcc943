/**
 * Issue 25's guarantee under load, in the suite: the load benchmark's own code (bench/load-run.ts,
 * load-faults.ts, load-analysis.ts) on 50 executions with the same faults (counted ones scaled to the load:
 * faultsFor) and a 30 s Step Functions outage (SendTaskSuccess, SendTaskFailure and SendTaskHeartbeat), fast path
 * on and off. Any stranded, lost or duplicated task fails it. The kit runs at timeScale 4 (the outage, the 30 s
 * and 60 s callback backoffs, the 5 s sweep and its 15 s grace keep their kit-time lengths) so each side takes
 * about 30 s of wall time.
 *
 * The exact sequence of issue 25 (fast-path claim, callback failing, event acknowledged as a duplicate, sweep
 * retry) has its own regression test: __tests__/functions/tasker/completion/callback-retries.test.ts.
 */
import { analyzeLoad } from '../../bench/load-analysis';
import { keptEveryTask, loadRows, parseLoadArgs } from '../../bench/load-bench';
import { faultsFor } from '../../bench/load-faults';
import { runLoad } from '../../bench/load-run';

jest.setTimeout(180_000);

const EXECUTIONS = 50;

describe.each([
  ['on', 1],
  ['off', 0],
])('%s the fast path: 50 executions under the faults and a 30 s outage', (_side, fastPathSeconds) => {
  it('strands, loses and duplicates nothing; every callback refused in the outage is delivered later by the sweep', async () => {
    const faults = faultsFor(EXECUTIONS);
    const figures = analyzeLoad(await runLoad({ executions: EXECUTIONS, fastPathSeconds, faults, timeScale: 4, taskTimeoutSeconds: 600 }));

    expect({
      stranded: figures.stranded,
      lost: figures.lost,
      duplicateCallbacks: figures.duplicateCallbacks,
      duplicateStarts: figures.duplicateStarts,
    }).toEqual({
      stranded: 0,
      lost: 0,
      duplicateCallbacks: 0,
      duplicateStarts: 0,
    });
    expect(keptEveryTask(figures)).toBe(true);
    // Every 25th statement fails and is reported FAILED; the rest succeed.
    expect(figures.byStatus).toEqual({ SUCCEEDED: 48, 'FAILED (FAILED)': 2 });
    // The faults happened: throttles absorbed by Retry, callbacks refused, and the sweep delivered the refused ones.
    expect(figures.throttled).toBe(faults.throttles);
    expect(figures.refusedCallbacks).toBeGreaterThan(0);
    expect(figures.paths.sweep.retried).toBeGreaterThan(0);
    const delivered = Object.values(figures.paths).reduce((sum, p) => sum + p.firstTry + p.retried, 0);
    expect(delivered).toBe(EXECUTIONS);
    if (fastPathSeconds === 0) expect(figures.paths.fast).toEqual({ firstTry: 0, retried: 0 });
    // Nothing behind: no dead letter, no statement still tracked as running, no callback still pending.
    expect([figures.deadLetters, figures.itemsRunning, figures.itemsPendingCallback]).toEqual([0, 0, 0]);
    expect(figures.peakActiveStatements).toBeGreaterThan(0);
    expect(loadRows([figures]).every((row) => row.length === 2)).toBe(true);
  });
});

describe('parseLoadArgs', () => {
  it('defaults to 500 executions, both sides, AWS clock; flags change them', () => {
    expect(parseLoadArgs([])).toEqual({ executions: 500, fastPath: ['on', 'off'], timeScale: 1 });
    expect(parseLoadArgs(['--executions', '40', '--fast-path', 'off', '--time-scale', '4'])).toEqual({
      executions: 40,
      fastPath: ['off'],
      timeScale: 4,
    });
  });

  it('refuses bad values by name', () => {
    expect(() => parseLoadArgs(['--executions', '0'])).toThrow(/--executions/);
    expect(() => parseLoadArgs(['--fast-path', 'maybe'])).toThrow(/--fast-path/);
    expect(() => parseLoadArgs(['--time-scale', '-1'])).toThrow(/--time-scale/);
  });
});
