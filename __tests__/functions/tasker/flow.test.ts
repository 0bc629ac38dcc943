import { CallbackRecords, RETRY_BASE_SECONDS } from '../../../functions/tasker/table/callback-records';
import { taskPayload } from '../../support/handler/harness';
import { secondsFromNow, sweepAt } from '../../support/handler/sweep-at';
import { useHandlerHarness } from '../../support/handler/hooks';

describe('tasker flow: start → event → callback', () => {
  const h = useHandlerHarness();

  it('happy path: one statement, one success callback with the event and added fields, in 5 AWS calls', async () => {
    const payload = taskPayload();
    const started = await h.invoke(payload);
    expect(started.Id).toMatch(/^[0-9a-f-]{36}$/);
    expect(typeof started.CreatedAt).toBe('string');
    const statement = h.data.last();
    expect(statement).toMatchObject({
      Sql: 'select 1',
      WithEvent: true,
      ClusterIdentifier: 'test-cluster',
      DbUser: 'tasker',
      Database: 'dev',
    });
    expect(statement.StatementName).toMatch(/^sfnrs-test-[0-9a-f]{64}$/);
    expect(statement.ClientToken).toHaveLength(64);

    const event = h.data.finish(started.Id, 'FINISHED', { rows: 7 });
    const response = await h.deliver([event]);
    expect(response.batchItemFailures).toEqual([]);

    const callback = await h.sfn.waitForCallback(payload.taskToken as string);
    expect(callback.action).toBe('SendTaskSuccess');
    const output = JSON.parse(callback.output!);
    expect(output.detail).toEqual(event.detail);
    expect(output.source).toBe('aws.redshift-data');
    expect(output.rowsAffected).toBe(7);
    expect(output.durationMs).toBeGreaterThanOrEqual(0);

    const calls = h.awsCalls();
    expect(calls).toEqual({
      // Register; claim; record the answer (the claim stays repairable until Step Functions answered).
      dynamodb: ['PutItem', 'UpdateItem', 'UpdateItem'],
      redshiftData: ['ExecuteStatement'],
      sfn: ['SendTaskSuccess'],
    });
    expect(calls.dynamodb.length + calls.redshiftData.length + calls.sfn.length).toBe(5);
  });
});

describe('tasker flow: failures, duplicates and odd records', () => {
  const h = useHandlerHarness();

  const startTask = async (overrides: Record<string, unknown> = {}) => {
    const payload = taskPayload(overrides);
    const started = await h.invoke(payload);
    return { token: payload.taskToken as string, id: started.Id as string };
  };

  it('FAILED → SendTaskFailure error FAILED, cause = event JSON with detail.error from DescribeStatement', async () => {
    const { token, id } = await startTask();
    const event = h.data.finish(id, 'FAILED', { error: 'ERROR: relation "nope" does not exist' });
    expect((await h.deliver([event])).batchItemFailures).toEqual([]);
    const callback = await h.sfn.waitForCallback(token);
    expect(callback).toMatchObject({ action: 'SendTaskFailure', error: 'FAILED' });
    const cause = JSON.parse(callback.cause!);
    expect(cause.detail).toEqual({ ...event.detail, error: 'ERROR: relation "nope" does not exist' });
    expect(h.awsCalls().redshiftData).toEqual(['ExecuteStatement', 'DescribeStatement']);
  });

  it('ABORTED → error FAILED by default, cause says ABORTED', async () => {
    const { token, id } = await startTask();
    await h.deliver([h.data.finish(id, 'ABORTED')]);
    const callback = await h.sfn.waitForCallback(token);
    expect(callback.error).toBe('FAILED');
    expect(JSON.parse(callback.cause!).detail).toMatchObject({ state: 'ABORTED', error: expect.stringContaining('ABORTED') });
  });

  it('ABORTED → error ABORTED when ABORTED_ERROR_NAME=ABORTED', async () => {
    h.setEnv({ ABORTED_ERROR_NAME: 'ABORTED' });
    const { token, id } = await startTask();
    await h.deliver([h.data.finish(id, 'ABORTED')]);
    expect((await h.sfn.waitForCallback(token)).error).toBe('ABORTED');
  });

  it('the same event delivered 3 times (one batch, then again) → exactly one callback', async () => {
    const { token, id } = await startTask();
    const event = h.data.finish(id, 'FINISHED', { rows: 1 });
    expect((await h.deliver([event, event])).batchItemFailures).toEqual([]);
    expect((await h.deliver([event])).batchItemFailures).toEqual([]);
    expect(h.sfn.calls.filter((call) => call.taskToken === token)).toHaveLength(1);
  });

  it('the same task invoked twice → one statement, the same id answered, one item', async () => {
    const payload = taskPayload();
    const first = await h.invoke(payload);
    const second = await h.invoke(payload);
    expect(second.Id).toBe(first.Id);
    expect(h.data.statements.size).toBe(1);
    expect(await h.items()).toHaveLength(1);
  });

  it('records the item while running and completes it with a TTL, leaving the running index', async () => {
    const { id } = await startTask();
    const [running] = await h.items();
    expect(running).toMatchObject({
      status: 'RUNNING',
      statementId: id,
      runningPartition: 'RUNNING',
      runningSql: expect.stringMatching(/^[0-9a-f]{64}$/),
      executionArn: expect.any(String),
    });
    expect(running.expiresAt).toBeUndefined();
    await h.deliver([h.data.finish(id, 'FINISHED')]);
    const done = await h.item(running.pk);
    expect(done).toMatchObject({ status: 'FINISHED', callbackState: 'SENT', claimedBy: expect.stringMatching(/^sqs#/) });
    expect(done!.runningPartition).toBeUndefined();
    expect(done!.pendingCallback).toBeUndefined();
    expect(done!.runningSql).toBeUndefined();
    expect(done!.expiresAt).toBeGreaterThan(Date.now() / 1000 + 86_000);
  });

  it('events for statements this tasker did not start are acknowledged without any call', async () => {
    await startTask();
    const foreign = h.data.finish(h.data.last().Id, 'FINISHED');
    const before = h.awsCalls().dynamodb.length;
    const response = await h.deliver([
      { ...foreign, detail: { ...foreign.detail, statementName: 'other-tool-statement' } },
      { ...foreign, detail: { ...foreign.detail, statementName: undefined } },
    ]);
    expect(response.batchItemFailures).toEqual([]);
    expect(h.awsCalls().dynamodb.length).toBe(before);
    expect(h.sfn.calls).toHaveLength(0);
  });

  it('an expired token is recorded on the item and the record acknowledged', async () => {
    const { token, id } = await startTask();
    h.sfn.expireToken(token, 'TaskTimedOut');
    expect((await h.deliver([h.data.finish(id, 'FINISHED')])).batchItemFailures).toEqual([]);
    const [item] = await h.items();
    expect(item).toMatchObject({ status: 'FINISHED', callbackState: 'TaskTimedOut' });
    expect(h.sfn.calls[0].answeredWith).toBe('TaskTimedOut');
  });

  it('TaskDoesNotExist is treated the same way', async () => {
    const { token, id } = await startTask();
    h.sfn.expireToken(token, 'TaskDoesNotExist');
    expect((await h.deliver([h.data.finish(id, 'FAILED', { error: 'x' })])).batchItemFailures).toEqual([]);
    expect((await h.items())[0].callbackState).toBe('TaskDoesNotExist');
  });

  it('a poisoned record among good ones → only it in batchItemFailures', async () => {
    const a = await startTask();
    const b = await startTask({ stateName: 'Other' });
    const response = await h.deliver([h.data.finish(a.id, 'FINISHED'), {}, h.data.finish(b.id, 'FINISHED')], {
      messageIds: ['good-1', 'poison', 'good-2'],
      rawBodies: [JSON.stringify(h.data.finish(a.id, 'FINISHED')), 'not json {', JSON.stringify(h.data.finish(b.id, 'FINISHED'))],
    });
    expect(response.batchItemFailures).toEqual([{ itemIdentifier: 'poison' }]);
    await h.sfn.waitForCallback(a.token);
    await h.sfn.waitForCallback(b.token);
  });

  it('a callback that fails for another reason is recorded as pending and acknowledged; the sweep sends it once due', async () => {
    const { token, id } = await startTask();
    const event = h.data.finish(id, 'FINISHED');
    const sfnEndpoint = process.env.AWS_ENDPOINT_URL_SFN;
    // Step Functions unreachable: the claim is made, the callback fails, the pending retry is recorded.
    h.setEnv({ AWS_ENDPOINT_URL_SFN: 'http://127.0.0.1:9' });
    expect((await h.deliver([event], { messageIds: ['m-1'] })).batchItemFailures).toEqual([]);
    expect((await h.items())[0]).toMatchObject({
      claimedBy: 'sqs#m-1',
      callbackState: 'SEND_FAILED',
      pendingCallback: 'PENDING',
      callbackAttempts: 1,
    });
    h.setEnv({ AWS_ENDPOINT_URL_SFN: sfnEndpoint });
    expect(h.sfn.calls).toHaveLength(0);
    // A duplicate of the event before the retry is due sends nothing: the backoff holds.
    expect((await h.deliver([event], { messageIds: ['m-2'] })).batchItemFailures).toEqual([]);
    expect(h.sfn.calls).toHaveLength(0);
    expect((await sweepAt(secondsFromNow(RETRY_BASE_SECONDS + 1))).callbacks).toMatchObject({ due: 1, delivered: 1, pending: 0 });
    expect((await h.sfn.waitForCallback(token)).action).toBe('SendTaskSuccess');
    expect((await h.items())[0]).toMatchObject({ claimedBy: 'sweep', callbackState: 'SENT' });
    // Duplicates after that success do not send it again.
    expect((await h.deliver([event], { messageIds: ['m-3'] })).batchItemFailures).toEqual([]);
    expect(h.sfn.calls).toHaveLength(1);
  });

  it.each(['AccessDeniedException', 'ServiceUnavailable'])(
    'callback refused with %s on every try → the record is acknowledged (never dead-lettered); the sweep retries until it is accepted, ' +
      'once',
    async (errorName) => {
      const { token, id } = await startTask();
      const event = h.data.finish(id, 'FINISHED', { rows: 4 });
      h.sfn.failNext('SendTaskSuccess', errorName, 3);
      // The first receive acknowledges the record: no receive count, no DLQ decides the callback's fate.
      expect((await h.deliver([event], { messageIds: ['original'] })).batchItemFailures).toEqual([]);
      const failed = (await h.items())[0];
      expect(failed).toMatchObject({
        status: 'FINISHED',
        claimedBy: 'sqs#original',
        callbackState: 'SEND_FAILED',
        callbackError: errorName,
        callbackFailedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
        pendingCallback: 'PENDING',
      });
      expect(failed.runningPartition).toBeUndefined();
      expect(failed.expiresAt).toBeUndefined();

      // Two more sweeps, each after the backoff, fail again; the third retry is accepted.
      let at = 0;
      for (const attempt of [2, 3, 4]) {
        at += 2 ** (attempt - 2) * RETRY_BASE_SECONDS + 1;
        const { callbacks } = await sweepAt(secondsFromNow(at));
        expect(callbacks).toMatchObject(attempt < 4 ? { due: 1, failedAgain: 1, pending: 1 } : { due: 1, delivered: 1, pending: 0 });
      }
      const callback = await h.sfn.waitForCallback(token);
      expect(JSON.parse(callback.output!).detail).toMatchObject({ statementId: id, state: 'FINISHED' });
      expect((await h.items())[0]).toMatchObject({ claimedBy: 'sweep', callbackState: 'SENT', callbackAttempts: 3 });

      // Further duplicates and sweeps are ignored: one accepted callback.
      expect((await h.deliver([event, event], { messageIds: ['original', 'another'] })).batchItemFailures).toEqual([]);
      await sweepAt(secondsFromNow(at + 3_600));
      const accepted = h.sfn.calls.filter((call) => call.taskToken === token && call.answeredWith === undefined);
      expect(accepted).toHaveLength(1);
      expect(h.sfn.calls.map((call) => call.answeredWith)).toEqual([errorName, errorName, errorName, undefined]);
    },
  );

  it('a duplicate with a new message id for a statement whose callback succeeded is ignored', async () => {
    const { token, id } = await startTask();
    const event = h.data.finish(id, 'FAILED', { error: 'ERROR: x' });
    expect((await h.deliver([event], { messageIds: ['first'] })).batchItemFailures).toEqual([]);
    await h.sfn.waitForCallback(token);
    const before = h.awsCalls();
    expect((await h.deliver([event], { messageIds: ['second'] })).batchItemFailures).toEqual([]);
    expect(h.sfn.calls).toHaveLength(1);
    // Claim lost, then one read to tell a duplicate from an unknown key; no callback.
    expect(h.awsCalls().dynamodb.slice(before.dynamodb.length)).toEqual(['UpdateItem', 'GetItem']);
    expect((await h.items())[0]).toMatchObject({ claimedBy: 'sqs#first', callbackState: 'SENT' });
  });

  it('if recording SEND_FAILED fails too, the callback error is still the one reported and the record retried', async () => {
    const { id } = await startTask();
    h.sfn.failNext('SendTaskSuccess', 'AccessDeniedException');
    // A narrow edge: the second write failing is simulated on the table method.
    const write = jest
      .spyOn(CallbackRecords.prototype, 'recordSendFailed')
      .mockRejectedValueOnce(Object.assign(new Error('throttled'), { name: 'ProvisionedThroughputExceededException' }));
    try {
      expect((await h.deliver([h.data.finish(id, 'FINISHED')], { messageIds: ['m'] })).batchItemFailures).toEqual([
        { itemIdentifier: 'm' },
      ]);
      expect(write).toHaveBeenCalledTimes(1);
    } finally {
      write.mockRestore();
    }
    expect(h.sfn.calls.map((call) => call.answeredWith)).toEqual(['AccessDeniedException']);
    // Nothing recorded: the claim stays the original claimer's, so its own redelivery still sends it.
    expect((await h.items())[0]).toMatchObject({ claimedBy: 'sqs#m', callbackState: 'CLAIMED' });
    expect((await h.deliver([h.data.finish(id, 'FINISHED')], { messageIds: ['m'], receiveCount: 2 })).batchItemFailures).toEqual([]);
    expect(h.sfn.calls.filter((call) => call.answeredWith === undefined)).toHaveLength(1);
  });

  it('an event for our prefix with no item is retried on early receives, then acknowledged', async () => {
    const { id } = await startTask();
    const event = h.data.finish(id, 'FINISHED');
    const orphan = { ...event, detail: { ...event.detail, statementName: `sfnrs-test-${'a'.repeat(64)}` } };
    expect((await h.deliver([orphan], { messageIds: ['o'], receiveCount: 1 })).batchItemFailures).toEqual([{ itemIdentifier: 'o' }]);
    expect((await h.deliver([orphan], { messageIds: ['o'], receiveCount: 3 })).batchItemFailures).toEqual([]);
    expect(h.sfn.calls).toHaveLength(0);
  });

  it('a call without taskToken returns the ExecuteStatement shape, is recorded, and completes without callback', async () => {
    const result = await h.invoke({ sqlStatement: 'select 2', executionArn: taskPayload().executionArn });
    expect(Object.keys(result).sort()).toEqual(['ClusterIdentifier', 'CreatedAt', 'Database', 'DbUser', 'Id']);
    expect(result.CreatedAt).toMatch(/^\d{4}-\d\d-\d\dT/);
    const latest = await h.invoke({ action: 'describeStatement', statementId: 'LATEST', executionArn: taskPayload().executionArn });
    expect(latest.Id).toBe(result.Id);
    expect((await h.deliver([h.data.finish(result.Id, 'FINISHED')])).batchItemFailures).toEqual([]);
    expect((await h.items())[0]).toMatchObject({ status: 'FINISHED' });
    expect(h.sfn.calls).toHaveLength(0);
  });

  it('sqlStatements run as one BatchExecuteStatement (TRANSACTION by default, AUTO_COMMIT on request)', async () => {
    await h.invoke({ sqlStatements: ['insert into t values (1)', 'insert into t values (2)'] });
    expect(h.data.last()).toMatchObject({ Sqls: ['insert into t values (1)', 'insert into t values (2)'], ExecutionMode: 'TRANSACTION' });
    await h.invoke({ sqlStatements: ['vacuum t'], executionMode: 'AUTO_COMMIT' });
    expect(h.data.last()).toMatchObject({ ExecutionMode: 'AUTO_COMMIT', WithEvent: true });
    expect(h.awsCalls().redshiftData).toEqual(['BatchExecuteStatement', 'BatchExecuteStatement']);
  });

  it('named parameters go to the Data API apart from the SQL', async () => {
    await h.invoke({ sqlStatement: 'select * from t where id = :id', parameters: [{ name: 'id', value: 42 }] });
    expect(h.data.last()).toMatchObject({ Sql: 'select * from t where id = :id', Parameters: [{ name: 'id', value: '42' }] });
  });

  it('DESCRIBE_ON_SUCCESS=true adds hasResultSet and the exact duration (a 5th call)', async () => {
    h.setEnv({ DESCRIBE_ON_SUCCESS: 'true' });
    const { token, id } = await startTask();
    await h.deliver([h.data.finish(id, 'FINISHED', { rows: 3, hasResultSet: true })]);
    const output = JSON.parse((await h.sfn.waitForCallback(token)).output!);
    expect(output).toMatchObject({ hasResultSet: true, resultRows: 3, rowsAffected: 3, durationMs: expect.any(Number) });
    expect(h.awsCalls().redshiftData).toEqual(['ExecuteStatement', 'DescribeStatement']);
  });
});

describe('tasker flow: a FAILED statement whose error text cannot be read', () => {
  const h = useHandlerHarness();

  const startTask = async () => {
    const payload = taskPayload();
    const started = await h.invoke(payload);
    return { token: payload.taskToken as string, id: started.Id as string };
  };

  it('DescribeStatement refused for good → the FAILED callback is still sent, the cause says why the text is missing', async () => {
    const { token, id } = await startTask();
    h.data.injectError('DescribeStatement', { name: 'AccessDeniedException', message: 'not the statement owner', status: 400 });
    const event = h.data.finish(id, 'FAILED', { error: 'ERROR: never read' });
    expect((await h.deliver([event])).batchItemFailures).toEqual([]);
    const callback = await h.sfn.waitForCallback(token);
    expect(callback).toMatchObject({ action: 'SendTaskFailure', error: 'FAILED' });
    const cause = JSON.parse(callback.cause!);
    expect(cause.detail.statementId).toBe(event.detail.statementId);
    expect(cause.detail.error).toContain('AccessDeniedException');
    expect(cause.detail.error).not.toContain('never read');
  });

  it('DescribeStatement throttled → the claim is recorded as pending, the record acknowledged, no callback sent yet', async () => {
    const { token, id } = await startTask();
    h.data.injectError('DescribeStatement', { name: 'ThrottlingException', message: 'slow down', status: 400 });
    const event = h.data.finish(id, 'FAILED', { error: 'ERROR: later' });
    const response = await h.deliver([event]);
    expect(response.batchItemFailures).toEqual([]);
    expect(h.sfn.calls.filter((call) => call.taskToken === token)).toEqual([]);
    expect((await h.items())[0]).toMatchObject({
      callbackState: 'SEND_FAILED',
      callbackError: 'ThrottlingException',
      pendingCallback: 'PENDING',
    });
  });

  it(
    'a failure before the callback (reading the error text) is retried by the sweep, which answers the task with the error ' + 'text',
    async () => {
      const { token, id } = await startTask();
      h.data.injectError('DescribeStatement', { name: 'ThrottlingException', message: 'slow down', status: 400 });
      const event = h.data.finish(id, 'FAILED', { error: 'ERROR: read by the retry' });
      expect((await h.deliver([event], { messageIds: ['original'] })).batchItemFailures).toEqual([]);

      // The throttling is over; the next sweep after the backoff retries the callback.
      h.data.clearErrors();
      expect((await sweepAt(secondsFromNow(RETRY_BASE_SECONDS + 1))).callbacks).toMatchObject({ due: 1, delivered: 1 });
      const callbacks = h.sfn.calls.filter((call) => call.taskToken === token);
      expect(callbacks).toHaveLength(1);
      expect(callbacks[0]).toMatchObject({ action: 'SendTaskFailure', error: 'FAILED' });
      expect(JSON.parse(callbacks[0].cause!).detail.error).toBe('ERROR: read by the retry');
    },
  );
});
