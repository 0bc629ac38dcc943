/**
 * End to end, at-least-once delivery and concurrency, with the shipped handler bundle: singleton
 * statements, duplicated events, and a record the handler cannot process (dead-lettered) in the
 * same batches as good ones.
 */
import type { StatusChangeEvent } from '../../local/redshift-data';
import { parallelStatements } from '../../examples/state-machines/parallel-statements';
import { singletonStatements } from '../../examples/state-machines/singleton-statements';
import { startLocalTasker, type LocalTasker } from '../../local/stack';
import { definition, serializeDefinition, sqlTask } from '../../modules/sfn';

const MAX_RECEIVE_COUNT = 3;
/** SQL containing this marker stays STARTED for 1.5 s, so concurrent twins overlap. */
const SLOW = '/* slow */';

/** How each Data API event is published: set per test. */
let route: (event: StatusChangeEvent, publish: (event: unknown) => boolean) => void;
let tasker: LocalTasker;

beforeAll(async () => {
  tasker = await startLocalTasker({
    dataApi: { statementDelayMs: ({ sqls }) => (sqls.some((sql) => sql.includes(SLOW)) ? 1_500 : 0) },
    delivery: { visibilityTimeoutMs: 30, maxReceiveCount: MAX_RECEIVE_COUNT, batchWindowMs: 20 },
    routeEvent: (event, publish) => route(event, publish),
  });
});
beforeEach(() => {
  route = (event, publish) => void publish(event);
});
afterEach(async () => {
  await tasker.delivery.idle();
});
afterAll(async () => {
  await tasker?.stop();
});

const tokenOf = (callIndex: number) => tasker.callbacks.calls[callIndex]?.taskToken;

it('runs a singleton statement once and refuses its concurrent twins with ConcurrentExecution', async () => {
  const sql = `SELECT 7 AS lucky ${SLOW}`;
  const result = await tasker.run(serializeDefinition(singletonStatements(tasker.functionArn, { sql, branches: 3 })));
  expect(result.status).toBe('SUCCEEDED');
  const branches = result.output as Record<string, unknown>[];
  const ran = branches.filter((b) => (b as { detail?: unknown }).detail !== undefined);
  const refused = branches.filter((b) => (b as { error?: { Error: string } }).error?.Error === 'ConcurrentExecution');
  expect(ran).toHaveLength(1);
  expect(refused).toHaveLength(2);
  expect(ran[0]).toMatchObject({ source: 'aws.redshift-data', detail: { state: 'FINISHED', rows: 1 } });
  // Only one statement reached the Data API.
  expect(tasker.dataApi.calls.filter((c) => c.operation === 'ExecuteStatement' && c.input.Sql === sql)).toHaveLength(1);
});

it('sends one callback when EventBridge delivers the same event twice', async () => {
  route = (event, publish) => {
    publish(event);
    publish(event);
  };
  const firstCall = tasker.callbacks.calls.length;
  const batchesBefore = tasker.delivery.batches.length;
  const result = await tasker.run(
    serializeDefinition(
      definition({ states: [sqlTask(tasker.functionArn, 'Count', { sql: 'SELECT COUNT(*) FROM generate_series(1, 10)' })] }),
    ),
  );
  expect(result.status).toBe('SUCCEEDED');
  await tasker.delivery.idle();
  const delivered = tasker.delivery.batches.slice(batchesBefore).flatMap((b) => b.messageIds);
  expect(delivered).toHaveLength(2);
  const token = tokenOf(firstCall);
  expect(token).toBeDefined();
  const forToken = tasker.callbacks.calls.filter((c) => c.taskToken === token);
  expect(forToken.map((c) => [c.action, c.answeredWith])).toEqual([['SendTaskSuccess', undefined]]);
  expect(tasker.delivery.deadLetters).toEqual([]);
});

it('completes the good records of a batch and dead-letters the one the handler cannot process', async () => {
  const poisoned: string[] = [];
  route = (event, publish) => {
    publish(event);
    // A copy the handler cannot process (no statement id), published beside the real event so they share a batch.
    const poison = { ...event, id: `poison-${event.id}`, detail: { ...event.detail, statementId: '' } };
    poisoned.push(poison.id);
    publish(poison);
  };
  const firstCall = tasker.callbacks.calls.length;
  const batchesBefore = tasker.delivery.batches.length;
  const result = await tasker.run(serializeDefinition(parallelStatements(tasker.functionArn)));
  expect(result.status).toBe('SUCCEEDED');
  await tasker.delivery.idle();

  // Every statement got its callback: the good records were done despite the failing neighbour.
  const accepted = tasker.callbacks.calls.slice(firstCall).filter((c) => c.answeredWith === undefined);
  expect(accepted.map((c) => c.action)).toEqual(['SendTaskSuccess', 'SendTaskSuccess', 'SendTaskSuccess']);
  // Each poisoned copy went to the dead-letter list after exactly maxReceiveCount receives.
  const dead = tasker.delivery.deadLetters.map((d) => ({ id: (JSON.parse(d.record.body) as { id: string }).id, receives: d.receiveCount }));
  expect(dead.map((d) => d.id).sort()).toEqual([...poisoned].sort());
  expect(dead.every((d) => d.receives === MAX_RECEIVE_COUNT)).toBe(true);
  // At least one batch carried a good record and a poisoned one, and only the poisoned one was reported failed.
  const mixed = tasker.delivery.batches
    .slice(batchesBefore)
    .filter((b) => b.messageIds.length > b.failedMessageIds.length && b.failedMessageIds.length > 0);
  expect(mixed.length).toBeGreaterThan(0);
  expect(mixed.every((b) => b.error === undefined)).toBe(true);
});
