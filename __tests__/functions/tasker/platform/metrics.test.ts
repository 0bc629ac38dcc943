/**
 * The handler's CloudWatch metrics, read back from the EMF lines it writes: names, namespace, units and
 * dimensions from the contract, low cardinality, and never any SQL text or parameter.
 */
import { METRICS } from '../../../../functions/shared/contract';
import { taskPayload } from '../../../support/handler/harness';
import { useHandlerHarness } from '../../../support/handler/hooks';

const SECRET_SQL = "select 'hunter2-secret-literal' as x";

describe('metrics', () => {
  const h = useHandlerHarness({ env: { POWERTOOLS_METRICS_NAMESPACE: 'Team/Tasker', SWEEP_GRACE_SECONDS: '1' } });
  const points = (name: string) => h.metrics().filter((doc) => doc[name] !== undefined);

  it('counts starts, completions by outcome, callback latency and refused callbacks, with contract names and dimensions', async () => {
    const ok = taskPayload({ sqlStatement: SECRET_SQL, parameters: [{ name: 'p', value: 'secret-param' }] });
    const { Id: okId } = await h.invoke(ok);
    await h.deliver([h.data.finish(okId, 'FINISHED', { rows: 1 })]);
    const closed = taskPayload({ stateName: 'Closed' });
    const { Id: closedId } = await h.invoke(closed);
    h.sfn.expireToken(closed.taskToken as string);
    await h.deliver([h.data.finish(closedId, 'FAILED', { error: 'boom' })]);

    for (const doc of h.metrics()) {
      expect(doc._aws.CloudWatchMetrics[0].Namespace).toBe('Team/Tasker');
      // service + at most one more dimension, each from the contract.
      const [dimensions] = doc._aws.CloudWatchMetrics[0].Dimensions;
      expect(dimensions[0]).toBe(METRICS.DIMENSIONS.TASKER);
      expect(dimensions.length).toBeLessThanOrEqual(2);
      for (const name of dimensions) expect(Object.values(METRICS.DIMENSIONS)).toContain(name);
      expect(JSON.stringify(doc)).not.toMatch(/hunter2|secret-param|token-/);
      expect(doc.service).toBe('test');
    }
    expect(points(METRICS.NAMES.STATEMENTS_STARTED).map((d) => [d.action, d.StatementsStarted])).toEqual([
      ['executeStatement', 1],
      ['executeStatement', 1],
    ]);
    expect(points(METRICS.NAMES.STATEMENTS_COMPLETED).map((d) => d.outcome)).toEqual(['FINISHED', 'FAILED']);
    const [latency] = points(METRICS.NAMES.CALLBACK_LATENCY);
    expect(latency._aws.CloudWatchMetrics[0].Metrics).toEqual([{ Name: 'CallbackLatency', Unit: 'Milliseconds' }]);
    expect(latency.CallbackLatency).toBeGreaterThanOrEqual(0);
    expect(latency.CallbackLatency).toBeLessThan(5_000);
    expect(points(METRICS.NAMES.CALLBACKS_REFUSED)).toEqual([expect.objectContaining({ outcome: 'TaskTimedOut', CallbacksRefused: 1 })]);
  });

  it('counts start errors by error name, sweep repairs and heartbeats', async () => {
    h.data.injectError('ExecuteStatement', { name: 'ActiveStatementsExceededException', message: 'too many' });
    await expect(h.invoke(taskPayload())).rejects.toMatchObject({ name: 'RedshiftDataRetryable' });
    h.data.clearErrors();
    expect(points(METRICS.NAMES.START_ERRORS)).toEqual([
      expect.objectContaining({ error: 'ActiveStatementsExceededException', StartErrors: 1 }),
    ]);

    const lost = await h.invoke(taskPayload({ stateName: 'Lost' }));
    await h.invoke(taskPayload({ stateName: 'Running' }));
    h.data.finish(lost.Id, 'FINISHED');
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    await h.invoke({ source: 'aws.events', 'detail-type': 'Scheduled Event', detail: {} });
    expect(points(METRICS.NAMES.SWEEP_REPAIRS).map((d) => d.SweepRepairs)).toEqual([1]);
    expect(points(METRICS.NAMES.HEARTBEATS_SENT).map((d) => d.HeartbeatsSent)).toEqual([1]);
  });

  it('writes nothing with POWERTOOLS_METRICS_DISABLED=true', async () => {
    h.setEnv({ POWERTOOLS_METRICS_DISABLED: 'true' });
    const { Id } = await h.invoke(taskPayload());
    await h.deliver([h.data.finish(Id, 'FINISHED')]);
    expect(h.metrics()).toEqual([]);
  });
});
