/**
 * The original library's integration test (six machines chained by `startExecution.sync:2`) runs green on the
 * local kit: the first child's 10 s HeartbeatSeconds times out its 10-minute statement, which is then cancelled;
 * no Task hits a 60 s cap (the polling child runs a 60 s statement, the Parallel one 59 s statements).
 * A scaled clock (timeScale 60) keeps it to a few seconds of wall time.
 */
import {
  registerOriginalChainedMachines,
  originalStatementDelayMs,
  ORIGINAL_CHILDREN,
} from '../../../examples/local-kit/original-chained-machines';
import { startLocalTasker, type LocalTasker } from '../../../local';

jest.setTimeout(120_000);

let tasker: LocalTasker;
beforeAll(async () => {
  tasker = await startLocalTasker({ timeScale: 60, dataApi: { statementDelayMs: originalStatementDelayMs } });
});
afterAll(() => tasker?.stop());

it('runs the six chained machines to their end, the first one through a heartbeat timeout and a cancel', async () => {
  const name = await registerOriginalChainedMachines(tasker);
  const result = await tasker.run(name, {});
  expect({ status: result.status, error: result.error, cause: result.cause }).toEqual({
    status: 'SUCCEEDED',
    error: undefined,
    cause: undefined,
  });
  expect(result.statesVisited).toEqual([...ORIGINAL_CHILDREN.map((c) => c.name), 'chainedTestSuccess']);
  expect(result.nestedExecutions.map((child) => child.status)).toEqual(Array(6).fill('SUCCEEDED'));

  const [cancelling, polling, , parallel] = result.nestedExecutions;
  // The heartbeat timeout is caught as States.Timeout and the statement is cancelled (ABORTED).
  const timedOut = cancelling.events.find((e) => e.type === 'StateCaught' || (e.type === 'StateFailed' && e.name === 'startSlowQuery'));
  expect(timedOut?.error).toBe('States.HeartbeatTimeout');
  expect(cancelling.statesVisited).toEqual([
    'provideUdfSlowExecution',
    'startSlowQuery',
    'cancelSlowQuery',
    'describeCanceledSlowQuery',
    'verifyCancelledQuery',
    'cancelingSucceeded',
  ]);
  // The 60 s statement was polled past the old 60 s cap, through scaled Wait states.
  expect(polling.statesVisited.filter((s) => s === 'WaitBetweenPolls').length).toBeGreaterThanOrEqual(6);
  // One singleton ran; the nine others were refused with ConcurrentExecution.
  const outcomes = parallel.statesVisited.filter((s) => s.startsWith('success'));
  expect(outcomes.filter((s) => s.startsWith('successParallel'))).toHaveLength(1);
  expect(outcomes.filter((s) => s.startsWith('successAlreadyRunning'))).toHaveLength(9);
  // About 15 minutes of AWS time in a few seconds.
  expect(result.durationMs).toBeGreaterThan(2 * 60_000);
});
