/**
 * The tracking table as deployed (contract TABLE_DEFINITION) on dynalite, which returns only projected
 * attributes from an index: what the indexes and the item hold, and that LATEST, the sweep and the
 * callback work from exactly that.
 */
import { QueryCommand } from '@aws-sdk/client-dynamodb';
import { randomBytes } from 'node:crypto';
import { TABLE } from '../../../../functions/shared/contract';
import { itemSize, type DynamoItem } from '../../../../bench/dynamo-capacity';
import { EXECUTION_ARN, PREFIX, taskPayload } from '../../../support/handler/harness';
import { useHandlerHarness } from '../../../support/handler/hooks';

const scheduledEvent = { source: 'aws.events', 'detail-type': 'Scheduled Event', detail: {}, time: '2026-11-24T10:00:00Z' };

describe('tracking table: projections and item contents', () => {
  const h = useHandlerHarness({ env: { SWEEP_GRACE_SECONDS: '1' } });

  const queryIndex = async (index: { name: string; hashKey: string }, value: string) =>
    (
      await h.dynamo.client.send(
        new QueryCommand({
          TableName: h.tableName,
          IndexName: index.name,
          KeyConditionExpression: '#h = :v',
          ExpressionAttributeNames: { '#h': index.hashKey },
          ExpressionAttributeValues: { ':v': { S: value } },
        }),
      )
    ).Items ?? [];

  it('the indexes hold the keys and statementId (byRunning also runningSql), never the task token', async () => {
    const { Id } = await h.invoke(taskPayload({ taskToken: randomBytes(510).toString('base64') }));
    const [byExecution] = await queryIndex(TABLE.EXECUTION_INDEX, EXECUTION_ARN);
    expect(Object.keys(byExecution).sort()).toEqual(['executionArn', 'pk', 'startedAt', 'statementId']);
    expect(byExecution.statementId).toEqual({ S: Id });
    const [byRunning] = await queryIndex(TABLE.RUNNING_INDEX, TABLE.RUNNING_PARTITION_VALUE);
    expect(Object.keys(byRunning).sort()).toEqual(['pk', 'runningPartition', 'runningSql', 'startedAt', 'statementId']);
  });

  it('the item keeps only what is read back; a base64 token is stored as bytes and the callback gets it exactly', async () => {
    const token = randomBytes(510).toString('base64'); // 680 characters
    const payload = taskPayload({ taskToken: token });
    const { Id } = await h.invoke(payload);
    const [running] = await h.items();
    expect(Object.keys(running).sort()).toEqual([
      'executionArn',
      'pk',
      'runningPartition',
      'runningSql',
      'startedAt',
      'statementId',
      'status',
      'taskToken',
    ]);
    expect(running.taskToken).toBeInstanceOf(Uint8Array);
    // Within 1 KB (1 WRU) with a 680-character token, before and after completion.
    expect(itemSize(running as DynamoItem)).toBeLessThanOrEqual(1024);

    await h.deliver([h.data.finish(Id, 'FINISHED', { rows: 1 })]);
    expect((await h.sfn.waitForCallback(token)).action).toBe('SendTaskSuccess');
    const [done] = await h.items();
    expect(done).toMatchObject({ status: 'FINISHED', callbackState: 'SENT' });
    expect(itemSize(done as DynamoItem)).toBeLessThanOrEqual(1024);
  });

  it('a token that is not base64 is stored as text and called back exactly', async () => {
    const token = `not base64: ${'x'.repeat(20)}!`;
    const { Id } = await h.invoke(taskPayload({ taskToken: token }));
    expect((await h.items())[0].taskToken).toBe(token);
    await h.deliver([h.data.finish(Id, 'FAILED', { error: 'ERROR: boom' })]);
    expect((await h.sfn.waitForCallback(token)).action).toBe('SendTaskFailure');
  });

  it('LATEST answers from the index projection alone: one Query, no GetItem', async () => {
    await h.invoke(taskPayload({ stateName: 'One' }));
    await new Promise((resolve) => setTimeout(resolve, 5));
    const second = await h.invoke(taskPayload({ stateName: 'Two' }));
    const before = h.awsCalls().dynamodb.length;
    const described = await h.invoke({ action: 'describeStatement', statementId: 'LATEST', executionArn: EXECUTION_ARN });
    expect(described.Id).toBe(second.Id);
    expect(h.awsCalls().dynamodb.slice(before)).toEqual(['Query']);
  });

  it('the sweep completes from the running index alone; the event names the statement prefix + key', async () => {
    await h.invoke(scheduledEvent); // the table's one-off upgrade pass (legacy-callbacks.test.ts); counted below: a steady sweep
    const payload = taskPayload();
    const { Id } = await h.invoke(payload);
    h.data.finish(Id, 'FINISHED', { rows: 2 });
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    const before = h.awsCalls().dynamodb.length;
    expect(await h.invoke(scheduledEvent)).toMatchObject({ examined: 1, completed: 1 });
    // Query the pending-callback index (empty) and the running index, claim (returns the item with the token), record the answer: no
    // GetItem.
    expect(h.awsCalls().dynamodb.slice(before)).toEqual(['Query', 'Query', 'UpdateItem', 'UpdateItem']);
    const output = JSON.parse((await h.sfn.waitForCallback(payload.taskToken as string)).output!);
    const [item] = await h.items();
    expect(output.detail).toMatchObject({ statementId: Id, statementName: `${PREFIX}${item.pk}`, state: 'FINISHED', rows: 2 });
    expect(h.data.calls.find((c) => c.operation === 'ExecuteStatement')?.body.StatementName).toBe(output.detail.statementName);
  });
});
