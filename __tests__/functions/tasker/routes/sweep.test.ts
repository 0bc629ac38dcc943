import type { Context } from 'aws-lambda';
import { SWEEP_PAGE_SIZE, SWEEP_RESERVE_MS } from '../../../../functions/tasker/routes/sweep';
import { CallbackRecords, CLAIM_LEASE_SECONDS } from '../../../../functions/tasker/table/callback-records';
import { taskPayload } from '../../../support/handler/harness';
import { secondsFromNow, sweepAt } from '../../../support/handler/sweep-at';
import { useHandlerHarness } from '../../../support/handler/hooks';

const scheduledEvent = {
  version: '0',
  id: 'schedule-1',
  'detail-type': 'Scheduled Event',
  source: 'aws.events',
  account: '123456789012',
  time: '2026-11-24T10:00:00Z',
  region: 'us-east-1',
  resources: ['arn:aws:events:us-east-1:123456789012:rule/sweep'],
  detail: {},
};

describe('sweep: lost events', () => {
  // A 1-second grace period keeps the test short; items older than that are examined.
  const h = useHandlerHarness({ env: { SWEEP_GRACE_SECONDS: '1' } });
  const pastGrace = () => new Promise((resolve) => setTimeout(resolve, 1_100));

  it('completes a finished statement whose event was lost, and the late event then does nothing', async () => {
    const payload = taskPayload();
    const { Id } = await h.invoke(payload);
    const event = h.data.finish(Id, 'FINISHED', { rows: 5 }); // the event is "lost": not delivered
    await pastGrace();
    expect(await h.invoke(scheduledEvent)).toEqual({
      examined: 1,
      completed: 1,
      stillRunning: 0,
      failed: 0,
      heartbeats: 0,
      heartbeatsFailed: 0,
      orphansCancelled: 0,
      callbacks: {
        due: 0,
        delivered: 0,
        refused: 0,
        failedAgain: 0,
        abandoned: 0,
        errors: 0,
        expedited: 0,
        pending: 0,
        oldestPendingAgeSeconds: 0,
        capped: false,
      },
      legacyCallbacksIndexed: 0,
    });
    const callback = await h.sfn.waitForCallback(payload.taskToken as string);
    const output = JSON.parse(callback.output!);
    expect(output).toMatchObject({ source: 'aws.redshift-data', sweep: true, detail: { statementId: Id, state: 'FINISHED', rows: 5 } });
    // The same envelope as the event (and the fast path's): state machines and templates read these keys.
    expect(Object.keys(output)).toEqual(
      expect.arrayContaining(['version', 'id', 'detail-type', 'source', 'account', 'time', 'region', 'resources', 'detail']),
    );
    expect(output.time).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    expect(output.detail.expireAt).toBeGreaterThan(Date.now() / 1000);
    const [item] = await h.items();
    expect(item).toMatchObject({ status: 'FINISHED', claimedBy: 'sweep', callbackState: 'SENT' });
    expect(item.runningPartition).toBeUndefined();

    expect((await h.deliver([event])).batchItemFailures).toEqual([]);
    expect(h.sfn.calls).toHaveLength(1);
    // A second sweep finds nothing running.
    expect(await h.invoke(scheduledEvent)).toMatchObject({ examined: 0 });
  });

  it('a context made by hand (no getRemainingTimeInMillis) sweeps unbounded instead of failing', async () => {
    const { Id } = await h.invoke(taskPayload());
    h.sfn.failNext('SendTaskSuccess', 'ServiceUnavailable');
    await h.deliver([h.data.finish(Id, 'FINISHED')]);
    // A callback backing off and nothing due: the pass reaches its end-of-pass time check.
    await expect(h.invoke(scheduledEvent, {} as Context)).resolves.toMatchObject({ failed: 0, callbacks: { pending: 1, errors: 0 } });
  });

  it('describes only calls past the grace period, and heartbeats every running task from the running index and one read each', async () => {
    await h.invoke(scheduledEvent); // the table's one-off upgrade pass (legacy-callbacks.test.ts); counted below: a steady sweep
    const oldPayload = taskPayload();
    const old = await h.invoke(oldPayload);
    await pastGrace();
    const recentPayload = taskPayload({ stateName: 'Recent' });
    await h.invoke(recentPayload);
    const before = h.awsCalls().dynamodb.length;
    expect(await h.invoke(scheduledEvent)).toMatchObject({
      examined: 1,
      completed: 0,
      stillRunning: 1,
      failed: 0,
      heartbeats: 2,
      heartbeatsFailed: 0,
      orphansCancelled: 0,
    });
    // One Query of the (empty) pending-callback index, one of the running index, one read per heartbeat.
    expect(h.awsCalls().dynamodb.slice(before)).toEqual(['Query', 'Query', 'GetItem', 'GetItem']);
    expect(h.data.calls.filter((c) => c.operation === 'DescribeStatement').map((c) => c.body.Id)).toEqual([old.Id]);
    // Calls are swept a few at a time, so the heartbeats may arrive in either order.
    expect(h.sfn.calls.map((c) => [c.action, c.taskToken, c.answeredWith]).sort()).toEqual(
      [
        ['SendTaskHeartbeat', oldPayload.taskToken, undefined],
        ['SendTaskHeartbeat', recentPayload.taskToken, undefined],
      ].sort(),
    );
  });

  describe('more running calls than one page of the running index', () => {
    const startCalls = async (count: number): Promise<void> => {
      for (let i = 0; i < count; i++) await h.invoke(taskPayload({ stateName: `State ${i}` }));
    };
    const heartbeats = () => h.sfn.calls.filter((call) => call.action === 'SendTaskHeartbeat');

    it('sweeps them all, page after page (one Query per page of SWEEP_PAGE_SIZE)', async () => {
      await h.invoke(scheduledEvent); // the table's one-off upgrade pass; counted below: a steady sweep
      await startCalls(SWEEP_PAGE_SIZE + 20);
      const before = h.awsCalls().dynamodb.length;
      expect(await h.invoke(scheduledEvent)).toMatchObject({ heartbeats: SWEEP_PAGE_SIZE + 20, failed: 0 });
      // Two pages of the running index, after one Query of the (empty) pending-callback index.
      expect(
        h
          .awsCalls()
          .dynamodb.slice(before)
          .filter((operation) => operation === 'Query'),
      ).toHaveLength(3);
      expect(new Set(heartbeats().map((call) => call.taskToken)).size).toBe(SWEEP_PAGE_SIZE + 20);
    });

    it('short of time, it sweeps the oldest page and leaves the rest to the next sweep', async () => {
      await startCalls(SWEEP_PAGE_SIZE + 20);
      const shortOfTime = { getRemainingTimeInMillis: () => SWEEP_RESERVE_MS - 1 } as Context;
      expect(await h.invoke(scheduledEvent, shortOfTime)).toMatchObject({ heartbeats: SWEEP_PAGE_SIZE });
      // With time to spare, the next sweep reaches every call.
      const plenty = { getRemainingTimeInMillis: () => 60_000 } as Context;
      expect(await h.invoke(scheduledEvent, plenty)).toMatchObject({ heartbeats: SWEEP_PAGE_SIZE + 20 });
    });
  });

  it('sends no heartbeat with SEND_HEARTBEATS=false, and none for a call without a task token', async () => {
    h.setEnv({ SEND_HEARTBEATS: 'false' });
    await h.invoke(taskPayload());
    expect(await h.invoke(scheduledEvent)).toMatchObject({ heartbeats: 0 });
    h.setEnv({ SEND_HEARTBEATS: undefined });
    const { taskToken: _none, ...polling } = taskPayload({ stateName: 'Polling' });
    await h.invoke(polling);
    expect(await h.invoke(scheduledEvent)).toMatchObject({ heartbeats: 1 });
    expect(h.sfn.calls.filter((c) => c.action === 'SendTaskHeartbeat')).toHaveLength(1);
  });

  it('a failed statement found by the sweep gets FAILED with the Redshift error, from one DescribeStatement', async () => {
    const payload = taskPayload();
    const { Id } = await h.invoke(payload);
    h.data.finish(Id, 'FAILED', { error: 'ERROR: division by zero' });
    await pastGrace();
    await h.invoke(scheduledEvent);
    const callback = await h.sfn.waitForCallback(payload.taskToken as string);
    expect(callback.error).toBe('FAILED');
    expect(JSON.parse(callback.cause!).detail.error).toBe('ERROR: division by zero');
    expect(h.awsCalls().redshiftData.filter((op) => op === 'DescribeStatement')).toHaveLength(1);
  });

  it('a statement the Data API no longer knows is failed rather than left hanging', async () => {
    const payload = taskPayload();
    const { Id } = await h.invoke(payload);
    h.data.statements.delete(Id);
    await pastGrace();
    await h.invoke(scheduledEvent);
    const callback = await h.sfn.waitForCallback(payload.taskToken as string);
    expect(JSON.parse(callback.cause!).detail.error).toMatch(/no longer knows/);
  });

  it('a sweep whose callback failed records SEND_FAILED as a pending callback, and a later sweep sends it', async () => {
    const payload = taskPayload();
    const { Id } = await h.invoke(payload);
    h.data.finish(Id, 'FINISHED');
    await pastGrace();
    const sfnEndpoint = process.env.AWS_ENDPOINT_URL_SFN;
    h.setEnv({ AWS_ENDPOINT_URL_SFN: 'http://127.0.0.1:9' });
    expect(await h.invoke(scheduledEvent)).toMatchObject({ examined: 1, completed: 1, failed: 0 });
    const [claimed] = await h.items();
    expect(claimed).toMatchObject({ status: 'FINISHED', claimedBy: 'sweep', callbackState: 'SEND_FAILED', pendingCallback: 'PENDING' });
    // The statement has ended: it leaves the running index and no longer blocks a singleton of the same SQL.
    expect(claimed.runningPartition).toBeUndefined();
    expect(claimed.runningSql).toBeUndefined();
    h.setEnv({ AWS_ENDPOINT_URL_SFN: sfnEndpoint });
    // Not due yet: the next sweep leaves it, and counts it as pending.
    expect((await h.invoke(scheduledEvent)).callbacks).toMatchObject({ due: 0, pending: 1 });
    expect((await sweepAt(secondsFromNow(60))).callbacks).toMatchObject({ due: 1, delivered: 1, pending: 0 });
    expect((await h.sfn.waitForCallback(payload.taskToken as string)).action).toBe('SendTaskSuccess');
    expect((await h.items())[0]).toMatchObject({ claimedBy: 'sweep', callbackState: 'SENT' });
  });

  it('a sweep that crashed after claiming (claim left CLAIMED) is re-driven once its lease ends', async () => {
    const payload = taskPayload();
    const { Id } = await h.invoke(payload);
    h.data.finish(Id, 'FINISHED');
    await pastGrace();
    // The crash: the callback fails and nothing else is written (as if the process died after the claim).
    h.sfn.failNext('SendTaskSuccess', 'ServiceUnavailable');
    const write = jest.spyOn(CallbackRecords.prototype, 'recordSendFailed').mockResolvedValueOnce(false);
    try {
      expect(await h.invoke(scheduledEvent)).toMatchObject({ examined: 1, completed: 1 });
    } finally {
      write.mockRestore();
    }
    expect((await h.items())[0]).toMatchObject({ claimedBy: 'sweep', callbackState: 'CLAIMED', pendingCallback: 'PENDING' });
    // Within the lease, another sweep does not take it over (the claimer may still be sending).
    expect((await h.invoke(scheduledEvent)).callbacks).toMatchObject({ due: 0, pending: 1 });
    expect(h.sfn.calls).toHaveLength(1);
    expect((await sweepAt(secondsFromNow(CLAIM_LEASE_SECONDS + 1))).callbacks).toMatchObject({ due: 1, delivered: 1 });
    expect((await h.sfn.waitForCallback(payload.taskToken as string)).action).toBe('SendTaskSuccess');
  });
});
