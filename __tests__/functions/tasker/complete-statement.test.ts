/**
 * completeStatement's claim transitions on the real tracking table (dynalite, contract schema) with the
 * local Step Functions callback endpoint: who wins the claim, what the item records, and how many callbacks
 * the task gets. Each row is a sequence of completions of one started task, as claimers would run them.
 */
import type { DescribeStatementResponse } from '@aws-sdk/client-redshift-data';
import { LIMITS } from '../../../functions/shared/contract';
import { completeStatement, failureCause, SWEEP_CLAIMER, type CompleteArgs, type CompletionResult } from '../../../functions/tasker/complete-statement';
import { parseStatusEvent } from '../../../functions/tasker/status-event';
import { createTaskerContext } from '../../../functions/tasker/tasker-context';
import type { HandlerHarness } from '../../support/handler/harness';
import { taskPayload } from '../../support/handler/harness';
import { useHandlerHarness } from '../../support/handler/hooks';

interface Step {
  claimer: string;
  /** Set up the callback endpoint before this completion (a failing service, a closed token). */
  before?: (h: HandlerHarness, token: string) => void;
  /** What a fast-path or sweep claimer already described. */
  description?: DescribeStatementResponse;
  /** The completion's result, or the error name it throws. */
  outcome: CompletionResult | { throws: string };
}

interface Row {
  name: string;
  state?: 'FINISHED' | 'FAILED' | 'ABORTED';
  steps: Step[];
  /** What the tracking item holds after the last step. */
  item: Record<string, unknown>;
  /** Every callback request the endpoint received, in order (action, and the error it answered with). */
  callbacks: Array<[string, string?]>;
}

const sqs = (messageId: string): string => `sqs#${messageId}`;

/** completeStatement with a context built from the harness's environment as it is now (a test may change it). */
async function complete(args: CompleteArgs): Promise<CompletionResult> {
  const ctx = createTaskerContext();
  try {
    return await completeStatement(ctx, args);
  } finally {
    ctx.destroy();
  }
}

const rows: Row[] = [
  {
    name: 'RUNNING → FINISHED is claimed once by the first event claimer, which calls back',
    steps: [{ claimer: sqs('m1'), outcome: 'completed' }],
    item: { status: 'FINISHED', claimedBy: sqs('m1'), callbackState: 'CLAIMED', completedAt: expect.any(String) },
    callbacks: [['SendTaskSuccess']],
  },
  {
    name: 'RUNNING → FAILED: the claimer sends the failure callback',
    state: 'FAILED',
    steps: [{ claimer: sqs('m1'), outcome: 'completed' }],
    item: { status: 'FAILED', claimedBy: sqs('m1'), callbackState: 'CLAIMED' },
    callbacks: [['SendTaskFailure']],
  },
  {
    name: 'a second claimer (a duplicate event) is refused, acknowledged as duplicate, and sends nothing',
    steps: [
      { claimer: sqs('m1'), outcome: 'completed' },
      { claimer: sqs('m2'), outcome: 'duplicate' },
    ],
    item: { status: 'FINISHED', claimedBy: sqs('m1'), callbackState: 'CLAIMED' },
    callbacks: [['SendTaskSuccess']],
  },
  {
    name: 'the same claimer again (its message redelivered) re-sends; the closed token answers TaskTimedOut, recorded',
    steps: [
      { claimer: sqs('m1'), outcome: 'completed' },
      { claimer: sqs('m1'), outcome: 'callback-refused' },
    ],
    item: { status: 'FINISHED', claimedBy: sqs('m1'), callbackState: 'TaskTimedOut', callbackError: expect.any(String) },
    callbacks: [['SendTaskSuccess'], ['SendTaskSuccess', 'TaskTimedOut']],
  },
  {
    name: 'a callback failure after the claim marks the item SEND_FAILED (by that claimer) and rethrows, so the message is retried',
    steps: [{ claimer: sqs('m1'), before: (h) => h.sfn.failNext('SendTaskSuccess', 'AccessDeniedException'), outcome: { throws: 'AccessDeniedException' } }],
    item: { status: 'FINISHED', claimedBy: sqs('m1'), callbackState: 'SEND_FAILED', callbackError: expect.stringContaining('AccessDeniedException'), callbackFailedAt: expect.any(String) },
    callbacks: [['SendTaskSuccess', 'AccessDeniedException']],
  },
  {
    name: 'a SEND_FAILED item is re-claimed by a new claimer (the event redriven from the DLQ), which calls back',
    steps: [
      { claimer: sqs('m1'), before: (h) => h.sfn.failNext('SendTaskSuccess', 'AccessDeniedException'), outcome: { throws: 'AccessDeniedException' } },
      { claimer: sqs('redriven'), outcome: 'completed' },
      { claimer: sqs('m3'), outcome: 'duplicate' },
    ],
    item: { status: 'FINISHED', claimedBy: sqs('redriven'), callbackState: 'CLAIMED' },
    callbacks: [['SendTaskSuccess', 'AccessDeniedException'], ['SendTaskSuccess']],
  },
  ...(['TaskTimedOut', 'TaskDoesNotExist', 'InvalidToken'] as const).map(
    (closed): Row => ({
      name: `a closed task token (${closed}) is recorded on the item and the completion acknowledged`,
      steps: [{ claimer: sqs('m1'), before: (h, token) => h.sfn.expireToken(token, closed), outcome: 'callback-refused' }],
      item: { status: 'FINISHED', claimedBy: sqs('m1'), callbackState: closed, callbackError: expect.any(String) },
      callbacks: [['SendTaskSuccess', closed]],
    }),
  ),
  {
    name: 'the fast-path claimer `start` wins before the event; the event claimer is then a duplicate',
    steps: [
      { claimer: 'start', description: { Id: 'x', HasResultSet: true, ResultRows: 3 } as DescribeStatementResponse, outcome: 'completed' },
      { claimer: sqs('m1'), outcome: 'duplicate' },
    ],
    item: { status: 'FINISHED', claimedBy: 'start', callbackState: 'CLAIMED' },
    callbacks: [['SendTaskSuccess']],
  },
  {
    name: 'an event claimer wins before the fast path; `start` is then a duplicate',
    steps: [
      { claimer: sqs('m1'), outcome: 'completed' },
      { claimer: 'start', outcome: 'duplicate' },
    ],
    item: { status: 'FINISHED', claimedBy: sqs('m1'), callbackState: 'CLAIMED' },
    callbacks: [['SendTaskSuccess']],
  },
  {
    name: 'the sweep claims, keeps the item in the running index until the callback is confirmed, then marks it SENT',
    steps: [
      { claimer: SWEEP_CLAIMER, outcome: 'completed' },
      { claimer: sqs('m1'), outcome: 'duplicate' },
    ],
    item: { status: 'FINISHED', claimedBy: SWEEP_CLAIMER, callbackState: 'SENT' },
    callbacks: [['SendTaskSuccess']],
  },
];

describe('completeStatement: claim transitions', () => {
  const h = useHandlerHarness();

  const startTask = async () => {
    const payload = taskPayload();
    const { Id } = await h.invoke(payload);
    const item = (await h.items()).find((candidate) => candidate.statementId === Id)!;
    return { id: Id as string, key: item.pk as string, token: payload.taskToken as string };
  };

  it.each(rows.map((row) => [row.name, row] as const))('%s', async (_name, row) => {
    const { id, key, token } = await startTask();
    const change = parseStatusEvent(JSON.stringify(h.data.finish(id, row.state ?? 'FINISHED', { rows: 3, error: 'ERROR: boom' })));
    for (const step of row.steps) {
      step.before?.(h, token);
      const completion = complete({ key, change, claimer: step.claimer, description: step.description });
      if (typeof step.outcome === 'string') await expect(completion).resolves.toBe(step.outcome);
      else await expect(completion).rejects.toMatchObject({ name: step.outcome.throws });
    }
    expect(await h.item(key)).toMatchObject(row.item);
    expect(h.sfn.calls.map((call) => (call.answeredWith ? [call.action, call.answeredWith] : [call.action]))).toEqual(row.callbacks);
    expect(h.sfn.calls.every((call) => call.taskToken === token)).toBe(true);
  });

  it('the running index keeps an unconfirmed sweep claim but not an event claim (the next sweep re-drives the former)', async () => {
    const viaEvent = await startTask();
    const viaSweep = await startTask();
    // A sweep whose callback failed: its claim must stay findable by the next sweep.
    h.sfn.failNext('SendTaskSuccess', 'ServiceUnavailable');
    const sweepChange = parseStatusEvent(JSON.stringify(h.data.finish(viaSweep.id, 'FINISHED')));
    await expect(complete({ key: viaSweep.key, change: sweepChange, claimer: SWEEP_CLAIMER })).rejects.toMatchObject({ name: 'ServiceUnavailable' });
    const eventChange = parseStatusEvent(JSON.stringify(h.data.finish(viaEvent.id, 'FINISHED')));
    await expect(complete({ key: viaEvent.key, change: eventChange, claimer: sqs('m1') })).resolves.toBe('completed');
    expect((await h.item(viaSweep.key))?.runningPartition).toBeDefined();
    expect((await h.item(viaEvent.key))?.runningPartition).toBeUndefined();
    expect((await h.item(viaEvent.key))?.runningSql).toBeUndefined();
  });

  it('the fast path’s description is reused: no DescribeStatement, and its figures reach the callback output', async () => {
    h.setEnv({ DESCRIBE_ON_SUCCESS: 'true' });
    const { id, key, token } = await startTask();
    const change = parseStatusEvent(JSON.stringify(h.data.finish(id, 'FINISHED', { rows: 3 })));
    const description = { Id: id, HasResultSet: true, ResultRows: 3, Duration: 2_000_000 } as DescribeStatementResponse;
    await expect(complete({ key, change, claimer: 'start', description })).resolves.toBe('completed');
    expect(h.data.calls.filter((call) => call.operation === 'DescribeStatement')).toEqual([]);
    expect(JSON.parse((await h.sfn.waitForCallback(token)).output!)).toMatchObject({ rowsAffected: 3, hasResultSet: true, resultRows: 3, durationMs: 2 });
  });

  it('a key with no tracking item is unknown, with nothing written and no callback', async () => {
    const { id } = await startTask();
    const change = parseStatusEvent(JSON.stringify(h.data.finish(id, 'FINISHED')));
    await expect(complete({ key: 'no-such-key', change, claimer: sqs('m1') })).resolves.toBe('unknown');
    expect(await h.item('no-such-key')).toBeUndefined();
    expect(h.sfn.calls).toEqual([]);
  });
});

describe('failure cause', () => {
  it('a huge Redshift error keeps the cause valid JSON within 32,768 characters', () => {
    const cause = failureCause({ source: 's', detail: { statementId: 'id' } }, 'e"'.repeat(40_000));
    expect(cause.length).toBeLessThanOrEqual(LIMITS.SEND_TASK_FAILURE_CAUSE_MAX);
    expect(JSON.parse(cause).detail.statementId).toBe('id');
  });
});
