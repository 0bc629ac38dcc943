import { startHandlerHarness, taskPayload, type HandlerHarness } from '../../support/handler/harness';

describe('tasker flow: start → event → callback', () => {
  let h: HandlerHarness;
  beforeEach(async () => {
    h = await startHandlerHarness();
  });
  afterEach(async () => {
    await h.stop();
  });

  it('happy path: one statement, one success callback with the event and added fields, in 4 AWS calls', async () => {
    const payload = taskPayload();
    const started = await h.invoke(payload);
    expect(started.Id).toMatch(/^[0-9a-f-]{36}$/);
    expect(typeof started.CreatedAt).toBe('string');
    const statement = h.data.last();
    expect(statement).toMatchObject({ Sql: 'select 1', WithEvent: true, ClusterIdentifier: 'test-cluster', DbUser: 'tasker', Database: 'dev' });
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
      dynamodb: ['PutItem', 'UpdateItem'],
      redshiftData: ['ExecuteStatement'],
      sfn: ['SendTaskSuccess'],
    });
    expect(calls.dynamodb.length + calls.redshiftData.length + calls.sfn.length).toBe(4);
  });
});
