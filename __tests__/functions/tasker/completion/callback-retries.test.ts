/**
 * The sweep's retries of claimed-but-unanswered callbacks (callback-retries.ts), on dynalite with the local
 * Step Functions callback endpoint: whichever path claimed a completion (the start's fast path, an event, the
 * sweep), a Step Functions outage strands no task, a closed token or the maximum age ends the retries, the
 * backoff holds, and no task ever gets two accepted answers.
 */
import { DynamoDBDocumentClient, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { METRICS } from '../../../../functions/shared/contract';
import {
  CallbackRecords,
  CLAIM_LEASE_SECONDS,
  retryDelaySeconds,
  RETRY_BASE_SECONDS,
} from '../../../../functions/tasker/table/callback-records';
import { PROBE_AFTER_SECONDS, RETRY_PAGE_SIZE } from '../../../../functions/tasker/completion/callback-retries';
import { completeOnFastPath, START_CLAIMER } from '../../../../functions/tasker/completion/fast-path';
import { createTaskerContext } from '../../../../functions/tasker/platform/tasker-context';
import type { HandlerHarness } from '../../../support/handler/harness';
import { startTrackedTask, taskPayload } from '../../../support/handler/harness';
import { useHandlerHarness } from '../../../support/handler/hooks';
import { secondsFromNow, sweepAt } from '../../../support/handler/sweep-at';

/** Callbacks Step Functions accepted for `token` (success or failure). */
const accepted = (h: HandlerHarness, token: string) =>
  h.sfn.calls.filter((call) => call.taskToken === token && call.action !== 'SendTaskHeartbeat' && call.answeredWith === undefined);
const attemptsFor = (h: HandlerHarness, token: string) =>
  h.sfn.calls.filter((call) => call.taskToken === token && call.action !== 'SendTaskHeartbeat');
/** The last value of a metric the handler emitted (EMF). */
const lastMetric = (h: HandlerHarness, name: string): number | undefined =>
  h
    .metrics()
    .filter((doc) => name in doc)
    .map((doc) => doc[name] as number)
    .pop();

describe('callback retries: a Step Functions outage strands no task', () => {
  const h = useHandlerHarness();

  const startTask = () => startTrackedTask(h);

  it(
    'regression (issue 25): fast path claims, its callback keeps failing, the event arrives as a duplicate, the fast path records the ' +
      'failure; once Step Functions recovers the next sweep delivers one success',
    async () => {
      const { id, key, token } = await startTask();
      const event = h.data.finish(id, 'FINISHED', { rows: 3 });
      // The outage: the fast path's callback and the first retry fail (each is one SDK attempt in the harness).
      h.sfn.failNext('SendTaskSuccess', 'ServiceUnavailable', 2);

      // The event arrives while the fast path's callback is failing: after the claim, before the failure is recorded.
      let eventDelivery: Awaited<ReturnType<HandlerHarness['deliver']>> | undefined;
      const original = CallbackRecords.prototype.recordSendFailed;
      const record = jest.spyOn(CallbackRecords.prototype, 'recordSendFailed').mockImplementation(async function (
        this: CallbackRecords,
        args,
      ) {
        eventDelivery = await h.deliver([event], { messageIds: ['the-event'] });
        return original.call(this, args);
      });
      const ctx = createTaskerContext();
      try {
        await completeOnFastPath(ctx, { key, statementName: event.detail.statementName!, statementId: id, waitSeconds: 1, logContext: {} });
      } finally {
        ctx.destroy();
        record.mockRestore();
      }
      // The event lost the claim and was acknowledged as a duplicate, sending nothing.
      expect(eventDelivery?.batchItemFailures).toEqual([]);
      expect(attemptsFor(h, token)).toHaveLength(1);
      expect(await h.item(key)).toMatchObject({
        claimedBy: START_CLAIMER,
        callbackState: 'SEND_FAILED',
        pendingCallback: 'PENDING',
        callbackAttempts: 1,
      });

      // Sweeps during the outage retry it (when due) and fail again; nothing is lost.
      expect((await sweepAt(secondsFromNow(RETRY_BASE_SECONDS + 1))).callbacks).toMatchObject({ due: 1, failedAgain: 1, pending: 1 });
      expect(lastMetric(h, METRICS.NAMES.CALLBACKS_PENDING)).toBe(1);
      expect(lastMetric(h, METRICS.NAMES.OLDEST_PENDING_CALLBACK_AGE)).toBeGreaterThanOrEqual(RETRY_BASE_SECONDS);

      // Step Functions recovers: the next due sweep delivers exactly one success.
      const recovered = h.sfn.calls.length;
      const { callbacks } = await sweepAt(secondsFromNow(RETRY_BASE_SECONDS + 1 + retryDelaySeconds(2) + 1));
      expect(callbacks).toMatchObject({ due: 1, delivered: 1, pending: 0 });
      expect(h.sfn.calls.length).toBe(recovered + 1);
      const [success] = accepted(h, token);
      expect(success.action).toBe('SendTaskSuccess');
      expect(JSON.parse(success.output!)).toMatchObject({ sweep: true, detail: { statementId: id, state: 'FINISHED' } });
      expect(await h.item(key)).toMatchObject({ claimedBy: 'sweep', callbackState: 'SENT', callbackAttempts: 2 });
      expect(lastMetric(h, METRICS.NAMES.CALLBACKS_RETRIED)).toBe(1);
      expect(lastMetric(h, METRICS.NAMES.CALLBACKS_PENDING)).toBe(0);

      // Later sweeps and a redelivered event change nothing: one accepted answer, ever.
      await sweepAt(secondsFromNow(86_400));
      expect((await h.deliver([event], { messageIds: ['the-event'], receiveCount: 2 })).batchItemFailures).toEqual([]);
      expect(accepted(h, token)).toHaveLength(1);
    },
  );

  it(
    'event path: a callback failing on every receive is acknowledged at once (never dead-lettered), and the sweep delivers it once ' +
      'Step Functions recovers',
    async () => {
      const { id, key, token } = await startTask();
      const event = h.data.finish(id, 'FAILED', { error: 'ERROR: boom' });
      h.sfn.failNext('SendTaskFailure', 'ServiceUnavailable');
      // Every receive up to maxReceiveCount (15 by default) is acknowledged: nothing would move to the DLQ.
      for (let receive = 1; receive <= 15; receive++) {
        expect((await h.deliver([event], { messageIds: ['m'], receiveCount: receive })).batchItemFailures).toEqual([]);
      }
      // Only the first receive tried the callback; the others found it pending and not due.
      expect(attemptsFor(h, token)).toHaveLength(1);
      expect(await h.item(key)).toMatchObject({ claimedBy: 'sqs#m', callbackState: 'SEND_FAILED', pendingCallback: 'PENDING' });

      // Step Functions is back: the first due sweep delivers it.
      expect((await sweepAt(secondsFromNow(RETRY_BASE_SECONDS + 1))).callbacks).toMatchObject({ delivered: 1 });
      const [failure] = accepted(h, token);
      expect(failure).toMatchObject({ action: 'SendTaskFailure', error: 'FAILED' });
      expect(JSON.parse(failure.cause!).detail.error).toBe('ERROR: boom');
      await sweepAt(secondsFromNow(3_600));
      expect(accepted(h, token)).toHaveLength(1);
    },
  );

  it('a closed token (TaskTimedOut) ends the retries: recorded, out of the pending index, never tried again', async () => {
    const { id, key, token } = await startTask();
    h.sfn.failNext('SendTaskSuccess', 'ServiceUnavailable');
    await h.deliver([h.data.finish(id, 'FINISHED')]);
    h.sfn.expireToken(token, 'TaskTimedOut');
    expect((await sweepAt(secondsFromNow(RETRY_BASE_SECONDS + 1))).callbacks).toMatchObject({ due: 1, refused: 1, pending: 0 });
    const item = await h.item(key);
    expect(item).toMatchObject({ callbackState: 'TaskTimedOut', claimedBy: 'sweep', expiresAt: expect.any(Number) });
    expect(item).not.toHaveProperty('pendingCallback');
    await sweepAt(secondsFromNow(86_400));
    expect(attemptsFor(h, token).map((call) => call.answeredWith)).toEqual(['ServiceUnavailable', 'TaskTimedOut']);
  });

  it(
    'the maximum age (CALLBACK_MAX_AGE_SECONDS) ends the retries: MAX_AGE_REACHED recorded, logged and counted, nothing ' + 'sent',
    async () => {
      h.setEnv({ CALLBACK_MAX_AGE_SECONDS: '120' });
      const { id, key, token } = await startTask();
      h.sfn.failNext('SendTaskSuccess', 'AccessDeniedException', 2);
      await h.deliver([h.data.finish(id, 'FINISHED')]);
      // Younger than the maximum age: retried (and failing again).
      expect((await sweepAt(secondsFromNow(RETRY_BASE_SECONDS + 1))).callbacks).toMatchObject({ failedAgain: 1, abandoned: 0 });
      // Older, and due: given up.
      expect((await sweepAt(secondsFromNow(121 + retryDelaySeconds(2)))).callbacks).toMatchObject({ due: 1, abandoned: 1, pending: 0 });
      const item = await h.item(key);
      expect(item).toMatchObject({
        callbackState: 'MAX_AGE_REACHED',
        callbackError: 'AccessDeniedException',
        expiresAt: expect.any(Number),
      });
      expect(item).not.toHaveProperty('pendingCallback');
      expect(lastMetric(h, METRICS.NAMES.CALLBACKS_ABANDONED)).toBe(1);
      expect(attemptsFor(h, token)).toHaveLength(2);
      await sweepAt(secondsFromNow(86_400));
      expect(attemptsFor(h, token)).toHaveLength(2);
      expect(accepted(h, token)).toHaveLength(0);
    },
  );

  it(
    'backoff: a failed callback waits for its next attempt, each failure doubles the wait; with nothing due, one 30 s past its ' +
      'last attempt is probed',
    async () => {
      const { id, key, token } = await startTask();
      h.sfn.failNext('SendTaskSuccess', 'ServiceUnavailable', 2);
      await h.deliver([h.data.finish(id, 'FINISHED')]);
      // Not due, and its last attempt too recent to probe with.
      expect((await sweepAt(secondsFromNow(RETRY_BASE_SECONDS - 2))).callbacks).toMatchObject({ due: 0, expedited: 0, pending: 1 });
      expect(attemptsFor(h, token)).toHaveLength(1);
      // Due: retried, fails again; the next attempt waits twice as long.
      const second = RETRY_BASE_SECONDS + 1;
      expect((await sweepAt(secondsFromNow(second))).callbacks).toMatchObject({ due: 1, failedAgain: 1 });
      const item = await h.item(key);
      expect(item).toMatchObject({ callbackAttempts: 2 });
      expect(Date.parse(item!.nextAttemptAt) - Date.parse(item!.callbackFailedAt)).toBe(retryDelaySeconds(2) * 1000);
      expect((await sweepAt(secondsFromNow(second + PROBE_AFTER_SECONDS - 2))).callbacks).toMatchObject({ due: 0, pending: 1 });
      expect(attemptsFor(h, token)).toHaveLength(2);
      // Nothing due, its last attempt 30 s old: tried early as the probe, and Step Functions answers.
      const probe = (await sweepAt(secondsFromNow(second + PROBE_AFTER_SECONDS + 1))).callbacks;
      expect(probe).toMatchObject({ due: 1, expedited: 1, delivered: 1, pending: 0 });
      expect(second + PROBE_AFTER_SECONDS + 1).toBeLessThan(second + retryDelaySeconds(2));
      expect(attemptsFor(h, token).map((call) => call.answeredWith)).toEqual(['ServiceUnavailable', 'ServiceUnavailable', undefined]);
    },
  );

  it('overlapping sweeps retry a due callback once: the re-claim takes a lease, so one sends and the other finds it taken', async () => {
    const tasks = [await startTask(), await startTask(), await startTask()];
    h.sfn.failNext('SendTaskSuccess', 'ServiceUnavailable', tasks.length);
    await h.deliver(tasks.map((task) => h.data.finish(task.id, 'FINISHED')));
    const at = secondsFromNow(RETRY_BASE_SECONDS + 1);
    const [a, b] = await Promise.all([sweepAt(at), sweepAt(at)]);
    expect(a.callbacks.delivered + b.callbacks.delivered).toBe(tasks.length);
    for (const task of tasks) expect(accepted(h, task.token)).toHaveLength(1);
    expect(h.sfn.calls).toHaveLength(2 * tasks.length);
  });

  it(
    'an accepted callback whose answer could not be recorded is settled by a later retry: Step Functions answers TaskTimedOut, no ' +
      'second success',
    async () => {
      const { id, key, token } = await startTask();
      const record = jest
        .spyOn(CallbackRecords.prototype, 'recordAnswered')
        .mockRejectedValueOnce(Object.assign(new Error('down'), { name: 'InternalServerError' }));
      try {
        expect((await h.deliver([h.data.finish(id, 'FINISHED')])).batchItemFailures).toEqual([]);
      } finally {
        record.mockRestore();
      }
      expect(await h.item(key)).toMatchObject({ callbackState: 'CLAIMED', pendingCallback: 'PENDING' });
      // Within the claimer's lease nothing happens; after it, the retry is refused as closed and recorded.
      expect((await sweepAt(secondsFromNow(60))).callbacks).toMatchObject({ due: 0, pending: 1 });
      expect((await sweepAt(secondsFromNow(CLAIM_LEASE_SECONDS + 1))).callbacks).toMatchObject({ due: 1, refused: 1, pending: 0 });
      expect(accepted(h, token)).toHaveLength(1);
      expect(await h.item(key)).toMatchObject({ callbackState: 'TaskTimedOut' });
    },
  );
});

describe('callback retries: more pending callbacks than one page of the index', () => {
  const h = useHandlerHarness();

  it('retries each due callback once per sweep, page after page, and counts each still pending once', async () => {
    const count = RETRY_PAGE_SIZE + 5;
    const tokens: string[] = [];
    for (let i = 0; i < count; i++) {
      const payload = taskPayload({ stateName: `State ${i}` });
      const { Id } = await h.invoke(payload);
      tokens.push(payload.taskToken as string);
      h.data.finish(Id, 'FINISHED');
    }
    const events = [...h.data.statements.values()].map((statement) => h.data.finish(statement.Id, 'FINISHED'));
    h.sfn.failNext('SendTaskSuccess', 'ServiceUnavailable', 2 * count);
    for (let i = 0; i < events.length; i += 10) expect((await h.deliver(events.slice(i, i + 10))).batchItemFailures).toEqual([]);

    // Still failing: each is retried once (re-claimed entries move down the index and are not taken again).
    const first = (await sweepAt(secondsFromNow(RETRY_BASE_SECONDS + 1))).callbacks;
    expect(first).toMatchObject({ due: count, failedAgain: count, pending: count, errors: 0 });
    expect(h.sfn.calls).toHaveLength(2 * count);
    // Recovered: every task gets exactly one accepted callback.
    const second = (await sweepAt(secondsFromNow(RETRY_BASE_SECONDS + 1 + retryDelaySeconds(2) + 1))).callbacks;
    expect(second).toMatchObject({ due: count, delivered: count, pending: 0 });
    for (const token of tokens) expect(accepted(h, token)).toHaveLength(1);
  });
});

describe('callback retries: once Step Functions answers again, the failed callbacks still backing off go at once (expedited)', () => {
  const h = useHandlerHarness();
  const startTask = () => startTrackedTask(h);
  /** Two callbacks refused once by the event path: SEND_FAILED, the second backing off for 10 minutes. */
  const twoFailedCallbacks = async () => {
    const first = await startTask();
    const second = await startTask();
    h.sfn.failNext('SendTaskSuccess', 'ServiceUnavailable', 2);
    await h.deliver([h.data.finish(first.id, 'FINISHED'), h.data.finish(second.id, 'FINISHED')]);
    // As if the second had failed more often: its next attempt is 10 minutes away.
    await setNextAttemptAt(h, second.key, secondsFromNow(600));
    return { first, second };
  };

  it('a due retry that is accepted makes the others due: all delivered in the same sweep, each once', async () => {
    const { first, second } = await twoFailedCallbacks();
    const callbacks = (await sweepAt(secondsFromNow(RETRY_BASE_SECONDS + 1))).callbacks;
    expect(callbacks).toMatchObject({ due: 2, delivered: 2, expedited: 1, failedAgain: 0, pending: 0 });
    expect(accepted(h, first.token)).toHaveLength(1);
    expect(accepted(h, second.token)).toHaveLength(1);
    expect(await h.item(second.key)).toMatchObject({ callbackState: 'SENT', claimedBy: 'sweep' });
    await sweepAt(secondsFromNow(3_600));
    expect(accepted(h, second.token)).toHaveLength(1);
  });

  it('while the due retries fail again, nothing is expedited: the others keep their backoff', async () => {
    const { second } = await twoFailedCallbacks();
    const before = (await h.item(second.key))!.nextAttemptAt;
    h.sfn.failNext('SendTaskSuccess', 'ServiceUnavailable');
    const callbacks = (await sweepAt(secondsFromNow(RETRY_BASE_SECONDS + 1))).callbacks;
    expect(callbacks).toMatchObject({ due: 1, failedAgain: 1, expedited: 0, pending: 2 });
    expect((await h.item(second.key))!.nextAttemptAt).toBe(before);
    expect(attemptsFor(h, second.token)).toHaveLength(1);
  });

  it('with nothing due, one probe: refused, the others keep their backoff; accepted, they go in the same sweep', async () => {
    const { first, second } = await twoFailedCallbacks();
    await setNextAttemptAt(h, first.key, secondsFromNow(300));
    const at = secondsFromNow(PROBE_AFTER_SECONDS + 1);
    h.sfn.failNext('SendTaskSuccess', 'ServiceUnavailable');
    expect((await sweepAt(at)).callbacks).toMatchObject({ expedited: 1, failedAgain: 1, delivered: 0, pending: 2 });
    // One probe only: of the two, one was tried.
    expect(attemptsFor(h, first.token).length + attemptsFor(h, second.token).length).toBe(3);
    // Its last attempt is recent now; the other, 30 s past its own, probes next, and this time Step Functions answers.
    expect((await sweepAt(at)).callbacks).toMatchObject({ expedited: 2, delivered: 2, pending: 0 });
    expect(accepted(h, first.token)).toHaveLength(1);
    expect(accepted(h, second.token)).toHaveLength(1);
  });

  it("a claim's lease is never cut short: a claimer that may still be sending keeps it", async () => {
    const { first, second } = await twoFailedCallbacks();
    // The second is claimed again and its claimer has not answered yet: CLAIMED, lease running.
    const lease = secondsFromNow(CLAIM_LEASE_SECONDS).toISOString();
    await DynamoDBDocumentClient.from(h.dynamo.client).send(
      new UpdateCommand({
        TableName: h.tableName,
        Key: { pk: second.key },
        UpdateExpression: 'SET callbackState = :claimed, claimedBy = :claimer, nextAttemptAt = :lease',
        ExpressionAttributeValues: { ':claimed': 'CLAIMED', ':claimer': 'sqs#in-flight', ':lease': lease },
      }),
    );
    const callbacks = (await sweepAt(secondsFromNow(RETRY_BASE_SECONDS + 1))).callbacks;
    expect(callbacks).toMatchObject({ delivered: 1, expedited: 0, pending: 1 });
    expect(accepted(h, first.token)).toHaveLength(1);
    expect(await h.item(second.key)).toMatchObject({ callbackState: 'CLAIMED', claimedBy: 'sqs#in-flight', nextAttemptAt: lease });
    expect(attemptsFor(h, second.token)).toHaveLength(1);
  });
});

/** Moves a pending callback's next attempt (its backoff) to `at`. */
async function setNextAttemptAt(h: HandlerHarness, key: string, at: Date): Promise<void> {
  await DynamoDBDocumentClient.from(h.dynamo.client).send(
    new UpdateCommand({
      TableName: h.tableName,
      Key: { pk: key },
      UpdateExpression: 'SET nextAttemptAt = :at',
      ExpressionAttributeValues: { ':at': at.toISOString() },
    }),
  );
}
