/**
 * The sweep's heartbeats and the orphan cancel: SendTaskHeartbeat for running tasks, and a statement whose
 * task is closed (every closed-token kind, or its execution ended) cancelled exactly once, recorded on the item.
 */
import type { TokenErrorName } from '../../../../local/step-functions/callback-server';
import { EXECUTION_ARN, taskPayload } from '../../../support/handler/harness';
import { useHandlerHarness } from '../../../support/handler/hooks';

const scheduledEvent = { source: 'aws.events', 'detail-type': 'Scheduled Event', detail: {} };
const executionEnded = (executionArn: string, status: string) => ({
  version: '0',
  source: 'aws.states',
  'detail-type': 'Step Functions Execution Status Change',
  detail: { executionArn, stateMachineArn: 'arn:aws:states:us-east-1:123456789012:stateMachine:sm-test', status },
});

describe('sweep heartbeats and orphaned statements', () => {
  const h = useHandlerHarness();
  const cancels = () => h.data.calls.filter((c) => c.operation === 'CancelStatement').map((c) => c.body.Id);
  const startTask = async (overrides: Record<string, unknown> = {}) => {
    const payload = taskPayload(overrides);
    const started = await h.invoke(payload);
    return { token: payload.taskToken as string, id: started.Id as string };
  };
  const keyOf = async (statementId: string) => (await h.items()).find((item) => item.statementId === statementId)!.pk as string;

  it.each<TokenErrorName>(['TaskTimedOut', 'TaskDoesNotExist', 'InvalidToken'])(
    'a heartbeat answered %s cancels the statement once, records why, and the ABORTED event is then refused and recorded',
    async (closedKind) => {
      const { token, id } = await startTask();
      h.sfn.expireToken(token, closedKind);
      expect(await h.invoke(scheduledEvent)).toMatchObject({ heartbeats: 0, heartbeatsFailed: 0, orphansCancelled: 1 });
      expect(cancels()).toEqual([id]);
      const key = await keyOf(id);
      expect(await h.item(key)).toMatchObject({ status: 'RUNNING', orphanReason: closedKind, orphanedAt: expect.any(String) });

      // Later sweeps neither heartbeat nor cancel again.
      expect(await h.invoke(scheduledEvent)).toMatchObject({ orphansCancelled: 0 });
      expect(cancels()).toEqual([id]);
      expect(h.sfn.calls.filter((c) => c.action === 'SendTaskHeartbeat')).toHaveLength(1);

      expect((await h.deliver([h.data.finish(id, 'ABORTED')])).batchItemFailures).toEqual([]);
      expect(await h.item(key)).toMatchObject({ status: 'ABORTED', orphanReason: closedKind, callbackState: closedKind });
      const orphanMetric = h.metrics().find((doc) => doc.OrphansCancelled !== undefined);
      expect(orphanMetric).toMatchObject({ service: 'test', outcome: closedKind, OrphansCancelled: 1 });
    },
  );

  it('a throttled heartbeat is not taken as closed: nothing is cancelled, and the next sweep heartbeats again', async () => {
    const { id } = await startTask();
    h.sfn.failNext('SendTaskHeartbeat', 'ThrottlingException');
    expect(await h.invoke(scheduledEvent)).toMatchObject({ heartbeats: 0, heartbeatsFailed: 1, orphansCancelled: 0, failed: 0 });
    expect(cancels()).toEqual([]);
    expect((await h.item(await keyOf(id)))?.orphanReason).toBeUndefined();
    expect(await h.invoke(scheduledEvent)).toMatchObject({ heartbeats: 1, heartbeatsFailed: 0 });
    expect(h.sfn.calls.filter((c) => c.action === 'SendTaskHeartbeat').map((c) => c.answeredWith)).toEqual([
      'ThrottlingException',
      undefined,
    ]);
  });

  it('with the SDK retrying (3 attempts), a throttled heartbeat is retried within the same sweep', async () => {
    // setEnv rebuilds the handler's clients, so they take the new retry setting.
    h.setEnv({ AWS_MAX_ATTEMPTS: '3' });
    await startTask();
    h.sfn.failNext('SendTaskHeartbeat', 'ThrottlingException');
    expect(await h.invoke(scheduledEvent)).toMatchObject({ heartbeats: 1, heartbeatsFailed: 0, orphansCancelled: 0 });
    expect(h.sfn.calls.map((c) => c.answeredWith)).toEqual(['ThrottlingException', undefined]);
    expect(cancels()).toEqual([]);
  });

  it('with CANCEL_ORPHANED_STATEMENTS=false a closed task leaves its statement running', async () => {
    h.setEnv({ CANCEL_ORPHANED_STATEMENTS: 'false' });
    const { token, id } = await startTask();
    h.sfn.expireToken(token);
    expect(await h.invoke(scheduledEvent)).toMatchObject({ orphansCancelled: 0 });
    expect(cancels()).toEqual([]);
    expect((await h.item(await keyOf(id)))?.orphanReason).toBeUndefined();
  });

  it('two sweeps at once cancel an orphan once', async () => {
    const { token, id } = await startTask();
    h.sfn.expireToken(token);
    const summaries = await Promise.all([h.invoke(scheduledEvent), h.invoke(scheduledEvent)]);
    expect(summaries.map((s) => s.orphansCancelled).sort()).toEqual([0, 1]);
    expect(cancels()).toEqual([id]);
  });

  it('a cancel refused for good is recorded; one that failed for a passing fault is retried by the next sweep', async () => {
    const first = await startTask();
    h.sfn.expireToken(first.token);
    h.data.injectError('CancelStatement', {
      name: 'ValidationException',
      message: 'Could not cancel a query that is already in FINISHED state',
    });
    await h.invoke(scheduledEvent);
    expect(await h.item(await keyOf(first.id))).toMatchObject({
      orphanReason: 'TaskTimedOut',
      orphanCancelError: expect.stringContaining('ValidationException'),
    });
    h.data.clearErrors();
    h.data.finish(first.id, 'FINISHED');

    const second = await startTask({ stateName: 'Second' });
    h.sfn.expireToken(second.token);
    h.data.injectError('CancelStatement', { name: 'InternalServerException', message: 'try later', status: 500 });
    await h.invoke(scheduledEvent);
    expect((await h.item(await keyOf(second.id)))?.orphanReason).toBeUndefined();
    h.data.clearErrors();
    expect(await h.invoke(scheduledEvent)).toMatchObject({ orphansCancelled: 1 });
    expect(h.data.statements.get(second.id)?.Status).toBe('ABORTED');
  });

  it(
    'an execution that ended (ABORTED) gets its running statements cancelled at once, once; finished ones and other executions are ' +
      'left alone',
    async () => {
      const running = await startTask();
      const done = await startTask({ stateName: 'Done' });
      await h.deliver([h.data.finish(done.id, 'FINISHED')]);
      const otherArn = EXECUTION_ARN.replace('run-1', 'run-2');
      const other = await startTask({ executionArn: otherArn });

      expect(await h.invoke(executionEnded(EXECUTION_ARN, 'ABORTED'))).toEqual({
        executionArn: EXECUTION_ARN,
        status: 'ABORTED',
        calls: 2,
        cancelled: 1,
      });
      expect(cancels()).toEqual([running.id]);
      expect(await h.item(await keyOf(running.id))).toMatchObject({ orphanReason: 'execution:ABORTED' });
      expect(await h.invoke(executionEnded(EXECUTION_ARN, 'ABORTED'))).toMatchObject({ cancelled: 0 });
      expect(await h.invoke(executionEnded(otherArn, 'SUCCEEDED'))).toMatchObject({ calls: 0, cancelled: 0 });
      expect(cancels()).toEqual([running.id]);
      expect(h.data.statements.get(other.id)?.Status).toBe('STARTED');
    },
  );

  it('an execution event without executionArn is refused as InvalidInput, with nothing cancelled', async () => {
    await startTask();
    await expect(h.invoke({ ...executionEnded(EXECUTION_ARN, 'FAILED'), detail: { status: 'FAILED' } })).rejects.toMatchObject({
      name: 'InvalidInput',
    });
    expect(cancels()).toEqual([]);
  });
});
