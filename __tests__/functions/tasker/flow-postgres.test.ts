/**
 * The handler against the PostgreSQL-backed local Data API (`local/redshift-data/`): real SQL, real
 * status-change events, real ClientToken handling — delivered to the handler as SQS batches.
 */
import { EXECUTION_ARN, taskPayload } from '../../support/handler/harness';
import { useHandlerHarness, usePostgresDataApi } from '../../support/handler/hooks';

describe('tasker against the PostgreSQL-backed Data API', () => {
  const { api, events, eventFor } = usePostgresDataApi();
  const h = useHandlerHarness({ env: () => ({ AWS_ENDPOINT_URL_REDSHIFT_DATA: api.endpoint }) });

  it('runs real SQL and calls back once with the event, in 5 AWS calls', async () => {
    await api.query('create table if not exists items (id int, label text)');
    const dataCallsBefore = api.calls.length;
    const payload = taskPayload({
      sqlStatement: 'insert into items values (:id, :label)',
      parameters: [
        { name: 'id', value: 1 },
        { name: 'label', value: 'one' },
      ],
    });
    const { Id } = await h.invoke(payload);
    const event = await eventFor(Id);
    expect(event.detail).toMatchObject({ state: 'FINISHED', rows: 1, statementName: expect.stringMatching(/^sfnrs-test-/) });
    expect((await h.deliver([event])).batchItemFailures).toEqual([]);
    const output = JSON.parse((await h.sfn.waitForCallback(payload.taskToken as string)).output!);
    expect(output).toMatchObject({ detail: { statementId: Id, state: 'FINISHED' }, rowsAffected: 1 });
    expect(await api.query('select id, label from items')).toEqual([{ id: 1, label: 'one' }]);
    const calls = h.awsCalls();
    const dataCalls = api.calls.slice(dataCallsBefore).map((call) => call.operation);
    expect(dataCalls).toEqual(['ExecuteStatement']);
    // Register, claim, record the answer.
    expect(calls.dynamodb).toEqual(['PutItem', 'UpdateItem', 'UpdateItem']);
    expect(calls.dynamodb.length + dataCalls.length + calls.sfn.length).toBe(5);
    // A redelivered event changes nothing.
    expect((await h.deliver([event])).batchItemFailures).toEqual([]);
    expect(h.sfn.calls).toHaveLength(1);
  });

  it('a SQL error → FAILED with the PostgreSQL error text in the cause', async () => {
    const payload = taskPayload({ sqlStatement: 'select * from no_such_table' });
    const { Id } = await h.invoke(payload);
    await h.deliver([await eventFor(Id)]);
    const callback = await h.sfn.waitForCallback(payload.taskToken as string);
    expect(callback.error).toBe('FAILED');
    expect(JSON.parse(callback.cause!).detail.error).toMatch(/no_such_table/);
  });

  it('the same task invoked twice starts one statement (ClientToken)', async () => {
    const payload = taskPayload({ sqlStatement: 'select 1' });
    const before = api.calls.length;
    const first = await h.invoke(payload);
    const second = await h.invoke(payload);
    expect(second.Id).toBe(first.Id);
    expect(api.calls.slice(before).filter((call) => call.operation === 'ExecuteStatement')).toHaveLength(2);
    await eventFor(first.Id);
    expect(events.filter((event) => event.detail.statementId === first.Id)).toHaveLength(1);
  });

  it('polling without a token: describe LATEST until done, then read the result', async () => {
    const started = await h.invoke({ sqlStatement: 'select 41 + 1 as answer', executionArn: EXECUTION_ARN });
    await eventFor(started.Id);
    const described = await h.invoke({ action: 'describeStatement', statementId: 'LATEST', executionArn: EXECUTION_ARN });
    expect(described).toMatchObject({ Id: started.Id, Status: 'FINISHED', HasResultSet: true });
    const result = await h.invoke({ action: 'getStatementResult', statementId: 'LATEST', executionArn: EXECUTION_ARN });
    expect(result.Records).toEqual([[{ longValue: 42 }]]);
  });
});
