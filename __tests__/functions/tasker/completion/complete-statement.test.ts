/**
 * completeStatement's claim transitions on the real tracking table (dynalite, contract schema) with the
 * local Step Functions callback endpoint: who wins the claim, what the item records, and how many callbacks
 * the task gets. Each row is a sequence of completions of one started task, as claimers would run them.
 */
import type { DescribeStatementResponse } from '@aws-sdk/client-redshift-data';
import { LIMITS } from '../../../../functions/shared/contract';
import { DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { TABLE } from '../../../../functions/shared/contract';
import { RETRY_BASE_SECONDS } from '../../../../functions/tasker/table/callback-records';
import {
  completeStatement,
  failureCause,
  SWEEP_CLAIMER,
  type CompleteArgs,
  type CompletionResult,
} from '../../../../functions/tasker/completion/complete-statement';
import { parseStatusEvent } from '../../../../functions/tasker/input/status-event';
import { createTaskerContext } from '../../../../functions/tasker/platform/tasker-context';
import type { HandlerHarness } from '../../../support/handler/harness';
import { startTrackedTask } from '../../../support/handler/harness';
import { useHandlerHarness } from '../../../support/handler/hooks';

interface Step {
  claimer: string;
  /** Set up the callback endpoint before this completion (a failing service, a closed token). */
  before?: (h: HandlerHarness, token: string) => void;
  /** What a fast-path or sweep claimer already described. */
  description?: DescribeStatementResponse;
  /** Seconds after the test's start this completion runs at (the claim compares its clock with `nextAttemptAt`). @default 0 */
  at?: number;
  /** The completion's result, or the error name it throws. */
  outcome: CompletionResult | { throws: string };
}

interface Row {
  name: string;
  state?: 'FINISHED' | 'FAILED' | 'ABORTED';
  steps: Step[];
  /** What the tracking item holds after the last step. */
  item: Record<string, unknown>;
  /** Attributes the item no longer holds after the last step. @default the pending-callback index keys (answered) */
  absent?: string[];
  /** Every callback request the endpoint received, in order (action, and the error it answered with). */
  callbacks: Array<[string, string?]>;
}

const sqs = (messageId: string): string => `sqs#${messageId}`;
const ANSWERED = ['pendingCallback', 'nextAttemptAt', 'runningPartition', 'runningSql'];

/** completeStatement with a context built from the harness's environment as it is now (a test may change it). */
async function complete(args: CompleteArgs): Promise<CompletionResult> {
  const ctx = createTaskerContext();
  try {
    return await completeStatement(ctx, args);
  } finally {
    ctx.destroy();
  }
}

const failingOnce = (h: HandlerHarness): void => h.sfn.failNext('SendTaskSuccess', 'AccessDeniedException');

const rows: Row[] = [
  {
    name: 'RUNNING → FINISHED is claimed once by the first event claimer, which calls back and records SENT',
    steps: [{ claimer: sqs('m1'), outcome: 'completed' }],
    item: {
      status: 'FINISHED',
      claimedBy: sqs('m1'),
      callbackState: 'SENT',
      completedAt: expect.any(String),
      expiresAt: expect.any(Number),
    },
    callbacks: [['SendTaskSuccess']],
  },
  {
    name: 'RUNNING → FAILED: the claimer sends the failure callback',
    state: 'FAILED',
    steps: [{ claimer: sqs('m1'), outcome: 'completed' }],
    item: { status: 'FAILED', claimedBy: sqs('m1'), callbackState: 'SENT' },
    callbacks: [['SendTaskFailure']],
  },
  {
    name: 'a second claimer (a duplicate event) is refused, acknowledged as duplicate, and sends nothing',
    steps: [
      { claimer: sqs('m1'), outcome: 'completed' },
      { claimer: sqs('m2'), outcome: 'duplicate' },
    ],
    item: { status: 'FINISHED', claimedBy: sqs('m1'), callbackState: 'SENT' },
    callbacks: [['SendTaskSuccess']],
  },
  {
    name: 'the same claimer again after its answer was recorded (its message redelivered) is a duplicate: nothing sent',
    steps: [
      { claimer: sqs('m1'), outcome: 'completed' },
      { claimer: sqs('m1'), outcome: 'duplicate' },
    ],
    item: { status: 'FINISHED', claimedBy: sqs('m1'), callbackState: 'SENT' },
    callbacks: [['SendTaskSuccess']],
  },
  {
    name: 'a callback failure after the claim records SEND_FAILED with the attempt and the next attempt time, and stays pending',
    steps: [{ claimer: sqs('m1'), before: failingOnce, outcome: 'callback-pending' }],
    item: {
      status: 'FINISHED',
      claimedBy: sqs('m1'),
      callbackState: 'SEND_FAILED',
      callbackError: 'AccessDeniedException',
      callbackFailedAt: expect.any(String),
      callbackAttempts: 1,
      pendingCallback: 'PENDING',
      nextAttemptAt: expect.any(String),
    },
    absent: ['runningPartition', 'runningSql', 'expiresAt'],
    callbacks: [['SendTaskSuccess', 'AccessDeniedException']],
  },
  {
    name: 'a SEND_FAILED claim is a duplicate for any claimer until its retry is due, then any claimer re-claims it once',
    steps: [
      { claimer: sqs('m1'), before: failingOnce, outcome: 'callback-pending' },
      { claimer: sqs('early'), outcome: 'duplicate' },
      { claimer: SWEEP_CLAIMER, at: RETRY_BASE_SECONDS - 5, outcome: 'duplicate' },
      { claimer: sqs('redriven'), at: RETRY_BASE_SECONDS + 1, outcome: 'completed' },
      { claimer: SWEEP_CLAIMER, at: 3_600, outcome: 'duplicate' },
    ],
    item: { status: 'FINISHED', claimedBy: sqs('redriven'), callbackState: 'SENT', callbackAttempts: 1 },
    callbacks: [['SendTaskSuccess', 'AccessDeniedException'], ['SendTaskSuccess']],
  },
  {
    name: 'a second failed attempt doubles the backoff (attempts 2: due 60 s after it)',
    steps: [
      { claimer: sqs('m1'), before: failingOnce, outcome: 'callback-pending' },
      { claimer: SWEEP_CLAIMER, at: 31, before: failingOnce, outcome: 'callback-pending' },
      { claimer: SWEEP_CLAIMER, at: 31 + 55, outcome: 'duplicate' },
      { claimer: SWEEP_CLAIMER, at: 31 + 61, outcome: 'completed' },
    ],
    item: { status: 'FINISHED', claimedBy: SWEEP_CLAIMER, callbackState: 'SENT', callbackAttempts: 2 },
    callbacks: [['SendTaskSuccess', 'AccessDeniedException'], ['SendTaskSuccess', 'AccessDeniedException'], ['SendTaskSuccess']],
  },
  ...(['TaskTimedOut', 'TaskDoesNotExist', 'InvalidToken'] as const).map(
    (closed): Row => ({
      name: `a closed task token (${closed}) is recorded on the item, ends the pending callback, and the completion is acknowledged`,
      steps: [{ claimer: sqs('m1'), before: (h, token) => h.sfn.expireToken(token, closed), outcome: 'callback-refused' }],
      item: {
        status: 'FINISHED',
        claimedBy: sqs('m1'),
        callbackState: closed,
        callbackError: expect.any(String),
        expiresAt: expect.any(Number),
      },
      callbacks: [['SendTaskSuccess', closed]],
    }),
  ),
  {
    name: 'a retry refused because the token closed meanwhile ends the retries',
    steps: [
      { claimer: 'start', before: failingOnce, outcome: 'callback-pending' },
      { claimer: SWEEP_CLAIMER, at: 31, before: (h, token) => h.sfn.expireToken(token, 'TaskTimedOut'), outcome: 'callback-refused' },
      { claimer: SWEEP_CLAIMER, at: 3_600, outcome: 'duplicate' },
    ],
    item: { status: 'FINISHED', claimedBy: SWEEP_CLAIMER, callbackState: 'TaskTimedOut' },
    callbacks: [
      ['SendTaskSuccess', 'AccessDeniedException'],
      ['SendTaskSuccess', 'TaskTimedOut'],
    ],
  },
  {
    name: 'the fast-path claimer `start` wins before the event; the event claimer is then a duplicate',
    steps: [
      { claimer: 'start', description: { Id: 'x', HasResultSet: true, ResultRows: 3 } as DescribeStatementResponse, outcome: 'completed' },
      { claimer: sqs('m1'), outcome: 'duplicate' },
    ],
    item: { status: 'FINISHED', claimedBy: 'start', callbackState: 'SENT' },
    callbacks: [['SendTaskSuccess']],
  },
  {
    name: 'an event claimer wins before the fast path; `start` is then a duplicate',
    steps: [
      { claimer: sqs('m1'), outcome: 'completed' },
      { claimer: 'start', outcome: 'duplicate' },
    ],
    item: { status: 'FINISHED', claimedBy: sqs('m1'), callbackState: 'SENT' },
    callbacks: [['SendTaskSuccess']],
  },
  {
    name: 'the sweep claims and records SENT; a late event is a duplicate',
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

  const startTask = () => startTrackedTask(h);

  it.each(rows.map((row) => [row.name, row] as const))('%s', async (_name, row) => {
    const { id, key, token } = await startTask();
    const change = parseStatusEvent(JSON.stringify(h.data.finish(id, row.state ?? 'FINISHED', { rows: 3, error: 'ERROR: boom' })));
    const started = Date.now();
    for (const step of row.steps) {
      step.before?.(h, token);
      const now = new Date(started + (step.at ?? 0) * 1000);
      const completion = complete({ key, change, claimer: step.claimer, description: step.description, now });
      if (typeof step.outcome === 'string') await expect(completion).resolves.toBe(step.outcome);
      else await expect(completion).rejects.toMatchObject({ name: step.outcome.throws });
    }
    const item = await h.item(key);
    expect(item).toMatchObject(row.item);
    for (const name of row.absent ?? ANSWERED) expect(item).not.toHaveProperty(name);
    expect(h.sfn.calls.map((call) => (call.answeredWith ? [call.action, call.answeredWith] : [call.action]))).toEqual(row.callbacks);
    expect(h.sfn.calls.every((call) => call.taskToken === token)).toBe(true);
  });

  it('every claimer’s unanswered claim leaves the running index for the pending-callback index, where the sweep finds it', async () => {
    const claims = [{ claimer: 'start' }, { claimer: sqs('m1') }, { claimer: SWEEP_CLAIMER }];
    const tasks = [];
    for (const claim of claims) tasks.push({ ...(await startTask()), ...claim });
    h.sfn.failNext('SendTaskSuccess', 'ServiceUnavailable', claims.length);
    for (const task of tasks) {
      const change = parseStatusEvent(JSON.stringify(h.data.finish(task.id, 'FINISHED')));
      await expect(complete({ key: task.key, change, claimer: task.claimer })).resolves.toBe('callback-pending');
      const item = await h.item(task.key);
      expect(item).toMatchObject({ claimedBy: task.claimer, callbackState: 'SEND_FAILED', pendingCallback: 'PENDING' });
      expect(item).not.toHaveProperty('runningPartition');
      expect(item).not.toHaveProperty('runningSql');
    }
    const pending = await DynamoDBDocumentClient.from(h.dynamo.client).send(
      new QueryCommand({
        TableName: h.tableName,
        IndexName: TABLE.PENDING_CALLBACK_INDEX.name,
        KeyConditionExpression: '#p = :p',
        ExpressionAttributeNames: { '#p': TABLE.PENDING_CALLBACK_INDEX.hashKey },
        ExpressionAttributeValues: { ':p': TABLE.PENDING_CALLBACK_VALUE },
      }),
    );
    expect((pending.Items ?? []).map((entry) => entry.pk).sort()).toEqual(tasks.map((task) => task.key).sort());
    expect(Object.keys(pending.Items![0]).sort()).toEqual(['completedAt', 'nextAttemptAt', 'pendingCallback', 'pk', 'statementId']);
  });

  it('the fast path’s description is reused: no DescribeStatement, and its figures reach the callback output', async () => {
    h.setEnv({ DESCRIBE_ON_SUCCESS: 'true' });
    const { id, key, token } = await startTask();
    const change = parseStatusEvent(JSON.stringify(h.data.finish(id, 'FINISHED', { rows: 3 })));
    const description = { Id: id, HasResultSet: true, ResultRows: 3, Duration: 2_000_000 } as DescribeStatementResponse;
    await expect(complete({ key, change, claimer: 'start', description })).resolves.toBe('completed');
    expect(h.data.calls.filter((call) => call.operation === 'DescribeStatement')).toEqual([]);
    expect(JSON.parse((await h.sfn.waitForCallback(token)).output!)).toMatchObject({
      rowsAffected: 3,
      hasResultSet: true,
      resultRows: 3,
      durationMs: 2,
    });
  });

  it('without DESCRIBE_ON_SUCCESS a description the fast path already has adds nothing: the output has the event path’s keys', async () => {
    h.setEnv({ DESCRIBE_ON_SUCCESS: 'false' });
    const { id, key, token } = await startTask();
    const change = parseStatusEvent(JSON.stringify(h.data.finish(id, 'FINISHED', { rows: 3 })));
    const description = { Id: id, HasResultSet: true, ResultRows: 3, Duration: 2_000_000 } as DescribeStatementResponse;
    await expect(complete({ key, change, claimer: 'start', description })).resolves.toBe('completed');
    const output = JSON.parse((await h.sfn.waitForCallback(token)).output!) as Record<string, unknown>;
    expect(output).toMatchObject({ rowsAffected: 3, durationMs: expect.any(Number) });
    expect(output).not.toHaveProperty('hasResultSet');
    expect(output).not.toHaveProperty('resultRows');
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
