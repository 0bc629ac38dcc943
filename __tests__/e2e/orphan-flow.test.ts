/**
 * End to end with the shipped handler bundle: a task whose TimeoutSeconds ends before its long statement
 * gets heartbeats while it waits, and once it has timed out the next sweep finds the task closed and
 * cancels the statement — once — so it ends ABORTED through the tasker, with no cancel state in the machine.
 */
import { definition, serializeDefinition, sqlTask } from '../../modules/sfn';
import { startLocalTasker, type LocalTasker } from '../../local/stack';
import { SLOW, SLOW_STATEMENT_TASKER_OPTIONS } from '../support/slow-statements';

const scheduledEvent = { source: 'aws.events', 'detail-type': 'Scheduled Event', detail: {} };
let tasker: LocalTasker;

/** Runs the sweep as its schedule would; returns its summary. */
async function sweep(): Promise<Record<string, number>> {
  const result = await tasker.invoke(scheduledEvent);
  if (!result.ok) throw new Error(`sweep failed: ${result.errorType}: ${result.errorMessage}`);
  return result.payload as Record<string, number>;
}

beforeAll(async () => {
  tasker = await startLocalTasker(SLOW_STATEMENT_TASKER_OPTIONS);
});
afterAll(async () => {
  await tasker?.stop();
});

it('a timed-out task: heartbeats while it waits, then its statement is cancelled once by the sweep and ends ABORTED', async () => {
  const machine = definition({ states: [sqlTask(tasker.functionArn, 'Long statement', { sql: `SELECT 42 ${SLOW}`, timeoutSeconds: 2 })] });
  const execution = tasker.run(serializeDefinition(machine));

  // While the task waits, the sweep's heartbeat is accepted and nothing is cancelled.
  await new Promise((resolve) => setTimeout(resolve, 700));
  expect(await sweep()).toMatchObject({ heartbeats: 1, orphansCancelled: 0 });

  const result = await execution;
  expect(result).toMatchObject({ status: 'FAILED', error: 'States.Timeout' });
  const start = tasker.dataApi.calls.find((c) => c.operation === 'ExecuteStatement' && String(c.input.Sql).includes(SLOW));
  expect(start).toBeDefined();
  expect(tasker.dataApi.activeStatements()).toBe(1); // the statement outlived its task

  // Two sweeps after the timeout: the first finds the token closed and cancels; the second does nothing.
  expect(await sweep()).toMatchObject({ heartbeats: 0, orphansCancelled: 1 });
  expect(await sweep()).toMatchObject({ orphansCancelled: 0 });
  const cancels = tasker.dataApi.calls.filter((c) => c.operation === 'CancelStatement');
  expect(cancels).toHaveLength(1);
  expect(cancels[0].error).toBeUndefined();

  // The ABORTED event reaches the tasker; its callback finds the token closed, is recorded, and nothing dead-letters.
  await tasker.delivery.idle();
  expect(tasker.dataApi.activeStatements()).toBe(0);
  expect(tasker.delivery.deadLetters).toEqual([]);
  const heartbeats = tasker.callbacks.calls.filter((c) => c.action === 'SendTaskHeartbeat').map((c) => c.answeredWith);
  expect(heartbeats).toEqual([undefined, 'TaskTimedOut']);
  const refused = tasker.callbacks.calls.filter((c) => c.action === 'SendTaskFailure');
  expect(refused.map((c) => [c.answeredWith, JSON.parse(c.cause ?? '{}').detail?.state])).toEqual([['TaskTimedOut', 'ABORTED']]);
});
