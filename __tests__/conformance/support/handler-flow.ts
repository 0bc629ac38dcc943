/**
 * Scenario (d): the shipped handler bundle, run in this process with the environment the apply gave the
 * function, against the target's APIs: the applied table and the applied queue. A start registers a RUNNING
 * call; a status event sent on the bus and received from the applied queue completes it.
 *
 * The Data API is the local kit's (DATA_API_GAP): moto's ExecuteStatement answers `CreatedAt` as a string
 * where the API has a number, so the AWS SDK cannot read its answer. Its statements stay STARTED here, so
 * only the queued event can complete the call.
 */
import { GetItemCommand, QueryCommand } from '@aws-sdk/client-dynamodb';
import { DescribeStatementCommand, RedshiftDataClient } from '@aws-sdk/client-redshift-data';
import { ENV, STATUS_EVENT, TABLE } from '../../../functions/shared/contract';
import { sqsRecord } from '../../../local/event-delivery';
import { invokeLambda } from '../../../local/lambda/invoke';
import { loadHandlerBundle } from '../../../local/lambda/handler-bundle';
import { startLocalRedshiftData, type LocalRedshiftData } from '../../../local/redshift-data';
import { conformanceClients, type ConformanceClients } from './aws-clients';
import { drainQueue, putEvents, withSweepDetached } from './bus-and-queue';
import { sdkEnvironment, type ConformanceTarget } from './conformance-target';
import { statusDetail } from './status-events';
import type { TaskerOutputs } from './routing';

const EXECUTION_ARN = 'arn:aws:states:us-east-1:123456789012:execution:conformance:run-1';

export async function expectHandlerStartsAndCompletes(
  target: ConformanceTarget,
  tasker: TaskerOutputs,
  functionEnv: Record<string, string>,
): Promise<void> {
  const dataApi = await startLocalRedshiftData({ statementDelayMs: 600_000 });
  try {
    await startAndComplete(target, tasker, functionEnv, dataApi);
  } finally {
    await dataApi.stop();
  }
}

async function startAndComplete(
  target: ConformanceTarget,
  tasker: TaskerOutputs,
  functionEnv: Record<string, string>,
  dataApi: LocalRedshiftData,
): Promise<void> {
  const handler = loadHandlerBundle({
    env: {
      ...functionEnv,
      ...sdkEnvironment(target),
      AWS_ENDPOINT_URL_REDSHIFT_DATA: dataApi.endpoint,
      // Quiet output: no EMF lines, errors only.
      [ENV.METRICS_DISABLED]: 'true',
      [ENV.LOG_LEVEL]: 'ERROR',
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    },
  });
  const invoke = (event: unknown) => invokeLambda(handler, event, { functionName: tasker.function_name, region: target.region });
  const clients = conformanceClients(target);
  try {
    const started = await invoke({
      action: 'executeStatement',
      sqlStatement: 'SELECT 1',
      taskToken: 'conformance-token-1',
      executionArn: EXECUTION_ARN,
    });
    // The error, if any, in the failure message.
    expect(started.ok ? 'ok' : `${started.errorType}: ${started.errorMessage}`).toBe('ok');
    const running = await callOf(clients, tasker.table_name);
    expect(running).toMatchObject({ status: 'RUNNING', executionArn: EXECUTION_ARN });
    await expectStatementOnDataApi(target.region, dataApi.endpoint, running.statementId, 'SELECT 1');

    const completed = await completeThroughQueue(target, clients, tasker, running, invoke);
    expect(completed).toMatchObject({ ok: true, payload: { batchItemFailures: [] } });
    expect(await callOf(clients, tasker.table_name)).toMatchObject({ status: 'FINISHED', statementId: running.statementId });
  } finally {
    clients.destroy();
  }
}

/** The status event of the call's statement, sent on the bus, received off the applied queue, handed to the handler. */
async function completeThroughQueue(
  target: ConformanceTarget,
  clients: ConformanceClients,
  tasker: TaskerOutputs,
  running: { pk: string; statementId: string },
  invoke: (event: unknown) => ReturnType<typeof invokeLambda>,
) {
  const statementName = `${tasker.statement_name_prefix}${running.pk}`;
  await withSweepDetached(target, clients, tasker.sweep_rule_name, () =>
    putEvents(clients, [
      {
        label: 'own FINISHED',
        source: STATUS_EVENT.SOURCE,
        detailType: STATUS_EVENT.DETAIL_TYPE,
        detail: statusDetail(statementName, 'FINISHED', running.statementId),
      },
    ]),
  );
  const messages = await drainQueue(clients, tasker.queue_url);
  expect(messages).toHaveLength(1);
  const records = messages.map((m) => sqsRecord({ body: m.Body!, queueArn: tasker.queue_arn, messageId: m.MessageId }));
  return invoke({ Records: records });
}

/** The one call tracked for EXECUTION_ARN (through the table's execution index, as `LATEST` reads it). */
async function callOf(
  clients: ConformanceClients,
  tableName: string,
): Promise<{ pk: string; statementId: string; status: string; executionArn: string }> {
  const { Items: items = [] } = await clients.dynamoDb.send(
    new QueryCommand({
      TableName: tableName,
      IndexName: TABLE.EXECUTION_INDEX.name,
      KeyConditionExpression: '#execution = :execution',
      ExpressionAttributeNames: { '#execution': TABLE.EXECUTION_INDEX.hashKey },
      ExpressionAttributeValues: { ':execution': { S: EXECUTION_ARN } },
    }),
  );
  expect(items).toHaveLength(1);
  // The index projects the keys and statementId; the status is read from the item itself.
  const { Item: item } = await clients.dynamoDb.send(
    new GetItemCommand({ TableName: tableName, Key: { pk: items[0].pk }, ConsistentRead: true }),
  );
  return {
    pk: item!.pk.S!,
    statementId: item!.statementId?.S ?? '',
    status: item!.status.S!,
    executionArn: item!.executionArn?.S ?? '',
  };
}

/** The statement the handler started exists on the Data API, with the SQL it was given. */
async function expectStatementOnDataApi(region: string, endpoint: string, statementId: string, sql: string): Promise<void> {
  const client = new RedshiftDataClient({ region, endpoint, credentials: { accessKeyId: 'conformance', secretAccessKey: 'conformance' } });
  try {
    const statement = await client.send(new DescribeStatementCommand({ Id: statementId }));
    expect(statement.QueryString).toBe(sql);
    expect(statement.Status).toBe('STARTED');
  } finally {
    client.destroy();
  }
}
