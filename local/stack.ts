/**
 * The whole callback flow on one machine, wired as the construct deploys it:
 *
 *   state machine (aws-local-stepfunctions) → tasker bundle (dist/tasker-handler.zip, in process)
 *     → local Data API (PostgreSQL) → status-change event → rule pattern → SQS-shaped batches
 *     → tasker bundle → SendTaskSuccess/Failure → local callback endpoint → the waiting state resumes.
 *
 * The tracking table lives in dynalite. The handler reaches every service through the real SDK clients
 * and `AWS_ENDPOINT_URL_*`, which this sets in `process.env` (so one stack per process at a time;
 * `stop()` restores the environment).
 */
import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { DEFAULTS, ENV } from '../functions/shared/contract';
import { statementStatusEventPattern } from '../modules/event-pattern';
import { createTrackingTable, startLocalDynamoDb, type LocalDynamoDb } from './dynamodb';
import { startEventDelivery, type EventDeliveryOptions, type LocalEventDelivery } from './event-delivery';
import { loadHandlerBundle } from './lambda/handler-bundle';
import { invokeLambda, type InvocationResult } from './lambda/invoke';
import { startLocalRedshiftData, type LocalRedshiftData, type LocalRedshiftDataOptions, type StatusChangeEvent } from './redshift-data';
import { startLocalStepFunctionsCallbacks, type LocalStepFunctionsCallbacks } from './step-functions/callback-server';
import { runStateMachine, type ExecutionResult, type RunStateMachineOptions } from './step-functions/run-state-machine';

export interface LocalTaskerOptions {
  /** Options of the local Data API (share an `engine` between stacks of one test file; add statement delays). @default {} */
  dataApi?: LocalRedshiftDataOptions;
  /** Options of the event → queue → handler path. @default batch size 10, visibility 100 ms, maxReceiveCount 15 */
  delivery?: Partial<Omit<EventDeliveryOptions, 'pattern' | 'handler'>>;
  /**
   * How a Data API event reaches the rule: by default published once. Tests replace it to duplicate,
   * delay or drop events (EventBridge delivery is at least once and best effort).
   * @default (event, publish) => publish(event)
   */
  routeEvent?: (event: StatusChangeEvent, publish: (event: unknown) => boolean) => void;
  /** Statement name prefix the tasker uses and the rule matches. @default 'sfnrs-local-' */
  statementNamePrefix?: string;
  /** Handler log level (POWERTOOLS_LOG_LEVEL). @default 'SILENT' */
  logLevel?: 'DEBUG' | 'INFO' | 'WARN' | 'ERROR' | 'SILENT';
  /** More environment variables for the handler (e.g. ABORTED_ERROR_NAME). @default {} */
  env?: Record<string, string>;
  /** The handler zip. @default dist/tasker-handler.zip (built if missing) */
  zipPath?: string;
}

/** One handler invocation, timed. */
export interface HandlerInvocation {
  kind: 'direct' | 'sqs';
  durationMs: number;
  /** Records in the batch (sqs) or 1 (direct). */
  records: number;
  ok: boolean;
}

export interface LocalTasker {
  readonly functionArn: string;
  readonly dataApi: LocalRedshiftData;
  readonly dynamoDb: LocalDynamoDb;
  readonly callbacks: LocalStepFunctionsCallbacks;
  readonly delivery: LocalEventDelivery;
  readonly tableName: string;
  /** Every handler invocation with its duration. */
  readonly invocations: readonly HandlerInvocation[];
  /** Invokes the tasker directly (as a `lambda:invoke` state or a test would). */
  invoke(payload: unknown): Promise<InvocationResult>;
  /** Runs a state machine whose Task states call this tasker. */
  run(definition: object | string, input?: unknown, options?: Partial<RunStateMachineOptions>): Promise<ExecutionResult>;
  /** Stops everything it started and restores the environment. */
  stop(): Promise<void>;
}

const REGION = 'us-east-1';
const ACCOUNT = '123456789012';
const FUNCTION_NAME = 'local-tasker';
export const LOCAL_TASKER_ARN = `arn:aws:lambda:${REGION}:${ACCOUNT}:function:${FUNCTION_NAME}`;

export async function startLocalTasker(options: LocalTaskerOptions = {}): Promise<LocalTasker> {
  const started: { stop(): Promise<void> }[] = [];
  const savedEnv = new Map<string, string | undefined>();
  const setEnv = (name: string, value: string): void => {
    if (!savedEnv.has(name)) savedEnv.set(name, process.env[name]);
    process.env[name] = value;
  };
  const restoreEnv = (): void => {
    for (const [name, value] of savedEnv) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  };
  const stopAll = async (): Promise<void> => {
    for (const service of started.reverse()) await service.stop();
    restoreEnv();
  };

  try {
    const dataApi = await startLocalRedshiftData({ region: REGION, account: ACCOUNT, ...options.dataApi });
    started.push(dataApi);
    const dynamoDb = await startLocalDynamoDb();
    started.push(dynamoDb);
    const callbacks = await startLocalStepFunctionsCallbacks();
    started.push(callbacks);
    const tableName = 'local-tasker-tracking';
    await createTrackingTable(dynamoDb.client, tableName);

    const prefix = options.statementNamePrefix ?? `${DEFAULTS.STATEMENT_NAME_PREFIX}local-`;
    setEnv('AWS_REGION', REGION);
    setEnv('AWS_ACCESS_KEY_ID', 'local');
    setEnv('AWS_SECRET_ACCESS_KEY', 'local');
    setEnv('AWS_ENDPOINT_URL_DYNAMODB', dynamoDb.endpoint);
    setEnv('AWS_ENDPOINT_URL_REDSHIFT_DATA', dataApi.endpoint);
    setEnv('AWS_ENDPOINT_URL_SFN', callbacks.endpoint);
    setEnv(ENV.TABLE_NAME, tableName);
    setEnv(ENV.CLUSTER_IDENTIFIER, 'local-cluster');
    setEnv(ENV.DATABASE, 'dev');
    setEnv(ENV.DB_USER, 'etl');
    setEnv(ENV.STATEMENT_NAME_PREFIX, prefix);
    setEnv(ENV.LOG_LEVEL, options.logLevel ?? 'SILENT');
    setEnv(ENV.SERVICE_NAME, FUNCTION_NAME);
    setEnv(ENV.TASKER_NAME, FUNCTION_NAME);
    // EMF metric lines would only clutter a local run's output; `env` can turn them back on.
    setEnv(ENV.METRICS_DISABLED, 'true');
    for (const [name, value] of Object.entries(options.env ?? {})) setEnv(name, value);

    // Loaded after the environment is set: the bundle reads its log level when it loads.
    const handler = loadHandlerBundle({ zipPath: options.zipPath });
    const invocations: HandlerInvocation[] = [];
    const invoke = async (payload: unknown, kind: 'direct' | 'sqs', records: number): Promise<InvocationResult> => {
      const result = await invokeLambda(handler, payload, { functionName: FUNCTION_NAME, region: REGION, account: ACCOUNT });
      invocations.push({ kind, durationMs: result.durationMs, records, ok: result.ok });
      return result;
    };

    const delivery = startEventDelivery({
      ...options.delivery,
      pattern: statementStatusEventPattern(prefix),
      queueArn: `arn:aws:sqs:${REGION}:${ACCOUNT}:local-tasker-status-events`,
      handler: async (event: SQSEvent) => {
        const result = await invoke(event, 'sqs', event.Records.length);
        // A function error fails the whole batch, as with a real event source mapping.
        if (!result.ok) throw new Error(`${result.errorType}: ${result.errorMessage}`);
        return result.payload as SQSBatchResponse;
      },
    });
    started.push(delivery);
    const publish = (event: unknown): boolean => delivery.publish(event);
    const route = options.routeEvent ?? ((event, send) => void send(event));
    dataApi.onEvent((event) => route(event, publish));

    return {
      functionArn: LOCAL_TASKER_ARN,
      dataApi,
      dynamoDb,
      callbacks,
      delivery,
      tableName,
      invocations,
      invoke: (payload) => invoke(payload, 'direct', 1),
      run: (definition, input, runOptions = {}) =>
        runStateMachine({
          definition,
          input,
          callbacks,
          region: REGION,
          account: ACCOUNT,
          ...runOptions,
          invoke: (functionName, payload) => {
            if (functionName !== LOCAL_TASKER_ARN && functionName !== FUNCTION_NAME) {
              return Promise.resolve({
                ok: false,
                errorType: 'Lambda.ResourceNotFoundException',
                errorMessage: `Function not found: ${functionName}`,
                trace: [],
                durationMs: 0,
              });
            }
            return invoke(payload, 'direct', 1);
          },
        }),
      stop: stopAll,
    };
  } catch (err) {
    await stopAll();
    throw err;
  }
}
