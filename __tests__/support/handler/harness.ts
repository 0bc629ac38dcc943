/**
 * Everything a handler test needs, real where it matters: dynalite (behind a counting proxy) with the
 * contract's table, the local Step Functions callback endpoint, a recording Data API, and a CloudFormation
 * response receiver — all on 127.0.0.1:0 and reached by the handler's own SDK clients through
 * `AWS_ENDPOINT_URL_*`. `stop()` stops them all and restores the environment.
 */
import type { Context, SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { GetCommand, ScanCommand, DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { randomUUID } from 'node:crypto';
import { handler, resetTaskerContext } from '../../../functions/tasker/index';
import { LEGACY_CALLBACK_MARKER_KEY } from '../../../functions/tasker/table/legacy-callbacks';
import { logger } from '../../../functions/tasker/platform/logger';
import { resetMetrics } from '../../../functions/tasker/platform/metrics';
import { sqsRecord } from '../../../local/event-delivery';
import { startLocalStepFunctionsCallbacks, type LocalStepFunctionsCallbacks } from '../../../local/step-functions/callback-server';
import { createTrackingTable } from '../../../local/dynamodb';
import { startCountingLocalDynamoDb, type CountingLocalDynamoDb } from '../../../local/dynamodb/counting-proxy';
import { assignProcessEnv, inProcessTaskerEnvironment, saveProcessEnv } from '../../../local/tasker-environment';
import { startCloudFormationReceiver, type CloudFormationReceiver } from './cloudformation-receiver';
import { startFakeRedshiftData, type FakeRedshiftData } from './fake-redshift-data';

export const EXECUTION_ARN = 'arn:aws:states:us-east-1:123456789012:execution:sm-test:run-1';
export const PREFIX = 'sfnrs-test-';

export interface HandlerHarness {
  dynamo: CountingLocalDynamoDb;
  sfn: LocalStepFunctionsCallbacks;
  data: FakeRedshiftData;
  cfn: CloudFormationReceiver;
  tableName: string;
  /** Invokes the handler as Lambda would (`context`: the Lambda context, e.g. to bound a sweep's time). */
  invoke(event: unknown, context?: Context): Promise<any>;
  /** Delivers events as one SQS batch; returns the batch response. */
  deliver(events: unknown[], options?: { messageIds?: string[]; receiveCount?: number; rawBodies?: string[] }): Promise<SQSBatchResponse>;
  /** The tracking item with this key (consistent read). */
  item(pk: string): Promise<Record<string, any> | undefined>;
  /** Every item in the table but the marker of the sweep's one-off upgrade pass (read it with `item`). */
  items(): Promise<Record<string, any>[]>;
  /** Changes environment settings for the next invocations (the handler's context is rebuilt: config and clients). */
  setEnv(values: Record<string, string | undefined>): void;
  /** The embedded-metric-format documents the handler wrote to stdout so far (kept off the test output). */
  metrics(): EmfDocument[];
  /** Operation names of every AWS call so far, by service. */
  awsCalls(): { dynamodb: string[]; redshiftData: string[]; sfn: string[] };
  stop(): Promise<void>;
}

/** One EMF log line: `_aws` says which keys are metrics and dimensions; the rest are their values. */
export type EmfDocument = Record<string, any> & {
  _aws: { CloudWatchMetrics: { Namespace: string; Dimensions: string[][]; Metrics: { Name: string; Unit: string }[] }[] };
};

/** Takes EMF lines off stdout into `into`; returns the function that puts stdout back. */
function captureEmf(into: EmfDocument[]): () => void {
  const write = process.stdout.write;
  process.stdout.write = function (this: NodeJS.WriteStream, chunk: unknown, ...rest: unknown[]): boolean {
    const text = typeof chunk === 'string' ? chunk : Buffer.isBuffer(chunk) ? chunk.toString('utf8') : '';
    if (!text.startsWith('{"_aws"')) return (write as (...args: unknown[]) => boolean).call(this, chunk, ...rest);
    for (const line of text.split('\n')) if (line.trim() !== '') into.push(JSON.parse(line) as EmfDocument);
    return true;
  } as typeof process.stdout.write;
  return () => {
    process.stdout.write = write;
  };
}

export interface HandlerHarnessOptions {
  /** Environment settings added to (or overriding) the harness's own. @default {} */
  env?: Record<string, string>;
  /** Powertools log level of the handler's logger. @default 'SILENT' */
  logLevel?: string;
}

export async function startHandlerHarness(options: HandlerHarnessOptions = {}): Promise<HandlerHarness> {
  const restoreEnv = saveProcessEnv();
  const [dynamo, sfn, data, cfn] = await Promise.all([
    startCountingLocalDynamoDb(),
    startLocalStepFunctionsCallbacks(),
    startFakeRedshiftData(),
    startCloudFormationReceiver(),
  ]);
  const tableName = `tracking-${randomUUID().slice(0, 8)}`;
  await createTrackingTable(dynamo.client, tableName);
  const documents = DynamoDBDocumentClient.from(dynamo.client);

  const setEnv = (values: Record<string, string | undefined>): void => {
    assignProcessEnv(values);
    resetTaskerContext();
    resetMetrics();
  };
  setEnv({
    // The environment the construct gives a tasker named `test`, wired to the local services.
    ...inProcessTaskerEnvironment(
      {
        redshiftTarget: { clusterIdentifier: 'test-cluster', database: 'dev', dbUser: 'tasker' },
        namePrefix: 'test',
        statementNamePrefix: PREFIX,
        // The harness drives the event path call by call; the fast path is tested end to end (fast-path-and-sessions).
        fastPathSeconds: 0,
      },
      { tableName, functionName: 'test-tasker' },
      { region: 'us-east-1', dynamoDb: dynamo.endpoint, redshiftData: data.endpoint, sfn: sfn.endpoint },
    ),
    // One attempt: injected errors reach the handler at once, and call counts stay exact.
    AWS_MAX_ATTEMPTS: '1',
    ...options.env,
  });
  logger.setLogLevel((options.logLevel ?? 'SILENT') as 'SILENT');
  const emf: EmfDocument[] = [];
  const restoreStdout = captureEmf(emf);

  let messageCounter = 0;
  return {
    dynamo,
    sfn,
    data,
    cfn,
    tableName,
    invoke: (event, context) => handler(event, context),
    async deliver(events, deliverOptions = {}) {
      const bodies = deliverOptions.rawBodies ?? events.map((event) => JSON.stringify(event));
      const sqsEvent: SQSEvent = {
        Records: bodies.map((body, index) =>
          sqsRecord({
            body,
            queueArn: 'arn:aws:sqs:us-east-1:123456789012:tasker-events',
            messageId: deliverOptions.messageIds?.[index] ?? `message-${++messageCounter}`,
            receiveCount: deliverOptions.receiveCount ?? 1,
          }),
        ),
      };
      return (await handler(sqsEvent)) as SQSBatchResponse;
    },
    async item(pk) {
      return (await documents.send(new GetCommand({ TableName: tableName, Key: { pk }, ConsistentRead: true }))).Item;
    },
    async items() {
      const all = (await documents.send(new ScanCommand({ TableName: tableName }))).Items ?? [];
      return all.filter((item) => item.pk !== LEGACY_CALLBACK_MARKER_KEY);
    },
    setEnv,
    metrics: () => [...emf],
    awsCalls: () => ({
      dynamodb: [...dynamo.calls],
      redshiftData: data.calls.map((call) => call.operation),
      sfn: sfn.calls.map((call) => call.action),
    }),
    async stop() {
      restoreStdout();
      resetTaskerContext();
      resetMetrics();
      await Promise.all([dynamo.stop(), sfn.stop(), data.stop(), cfn.stop()]);
      restoreEnv();
    },
  };
}

/** A waitForTaskToken payload as a Step Functions task state sends it. */
export function taskPayload(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    taskToken: `token-${randomUUID()}`,
    executionArn: EXECUTION_ARN,
    stateName: 'Run SQL',
    stateEnteredTime: '2026-11-24T10:00:00.000Z',
    sqlStatement: 'select 1',
    ...overrides,
  };
}

/** Starts one task through the handler and returns its statement id, tracking key and task token. */
export async function startTrackedTask(h: HandlerHarness): Promise<{ id: string; key: string; token: string }> {
  const payload = taskPayload();
  const { Id } = await h.invoke(payload);
  const item = (await h.items()).find((candidate) => candidate.statementId === Id);
  if (!item) throw new Error(`no tracking item for statement ${String(Id)}`);
  return { id: Id as string, key: item.pk as string, token: payload.taskToken as string };
}
