/**
 * The whole callback flow on one machine, wired as the construct deploys it:
 *
 *   state machine (aws-local-stepfunctions) → tasker bundle (dist/tasker-handler.zip, in process)
 *     → local Data API (PostgreSQL) → status-change event → rule pattern → SQS-shaped batches
 *     → tasker bundle → SendTaskSuccess/Failure → local callback endpoint → the waiting state resumes.
 *
 * The tracking table lives in dynalite. The handler reaches every service through the real SDK clients and
 * `AWS_ENDPOINT_URL_*` in its own private environment (never `process.env`), so several local taskers can run
 * in one process (one jest worker) without seeing each other.
 */
import { ENV } from '../functions/shared/contract';
import { statementStatusEventPattern } from '../modules/event-pattern';
import type { SfnRedshiftTaskerProps } from '../modules/tasker-props';
import { createTrackingTable, startLocalDynamoDb, type LocalDynamoDb } from './dynamodb';
import { startEventDelivery, type EventDeliveryOptions, type LocalEventDelivery, type SqsBatchResponse, type SqsEvent } from './event-delivery';
import { loadHandlerBundle } from './lambda/handler-bundle';
import { invokeLambda, type InvocationResult } from './lambda/invoke';
import { startLocalRedshiftData, type LocalRedshiftData, type LocalRedshiftDataOptions, type StatusChangeEvent } from './redshift-data';
import { startLocalStepFunctionsCallbacks, type LocalStepFunctionsCallbacks } from './step-functions/callback-server';
import type { RegisteredStateMachine } from './step-functions/nested-execution';
import { runStateMachine, validateDefinition, type ExecutionResult, type RunStateMachineOptions } from './step-functions/run-state-machine';
import { PGLITE_PACKAGE, requirePeers } from './peer-dependencies';
import { contractEnvironment, DEFAULT_LOCAL_PROPS, resolveLocalConfig, taskerEnvironment } from './tasker-environment';

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
  /**
   * The props you give `SfnRedshiftTasker`, checked the same way: the handler gets the environment the construct
   * would give the deployed function (`abortedErrorName`, `describeOnSuccess`, `statementNamePrefix`, ...).
   * A Terraform reference in the Redshift target gets a local placeholder; elsewhere it is refused
   * (`LocalTaskerConfigurationError`). Settings that only shape AWS resources (IAM, KMS, queues) do nothing locally.
   * @default { redshiftTarget: { clusterIdentifier: 'local-cluster', database: 'dev', dbUser: 'etl' } }
   */
  props?: SfnRedshiftTaskerProps;
  /**
   * Run the SQL on this PostgreSQL server (`postgres://user:password@host:port/db`) instead of embedded PGlite:
   * the same as `dataApi: { connectionString }`.
   * @default undefined (PGlite in memory, or `dataApi`)
   */
  connectionString?: string;
  /** Handler log level (POWERTOOLS_LOG_LEVEL), overriding `props.logLevel`. @default 'SILENT' */
  logLevel?: 'DEBUG' | 'INFO' | 'WARN' | 'ERROR' | 'SILENT';
  /** More environment variables for the handler, applied last. @default {} */
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

/** A state machine given to `run`: a definition (object or JSON text), or the name or ARN of a registered one. */
export type StateMachineRef = object | string;

export interface LocalTasker {
  /** The tasker function's ARN: put it in your definitions' Task states (`FunctionName`). */
  readonly functionArn: string;
  readonly region: string;
  readonly account: string;
  /** The statement name prefix the handler uses and the rule matches (from the props). */
  readonly statementNamePrefix: string;
  readonly dataApi: LocalRedshiftData;
  readonly dynamoDb: LocalDynamoDb;
  readonly callbacks: LocalStepFunctionsCallbacks;
  readonly delivery: LocalEventDelivery;
  readonly tableName: string;
  /** Every handler invocation with its duration. */
  readonly invocations: readonly HandlerInvocation[];
  /** Invokes the tasker directly (as a `lambda:invoke` state or a test would). */
  invoke(payload: unknown): Promise<InvocationResult>;
  /**
   * Registers a state machine (its ASL definition, object or JSON text) under `name`, so `run` can start it by
   * name or ARN and a `states:startExecution.sync` / `.sync:2` Task can start it as a nested execution.
   * Returns its ARN (`arn:aws:states:<region>:<account>:stateMachine:<name>`). Registering a name again replaces it.
   */
  registerStateMachine(name: string, definition: object | string): string;
  /**
   * Runs a state machine to its end: a definition, or the name or ARN of a registered one. The result has
   * `status`, `output`, `error`/`cause`, `statesVisited`, every state event and the nested executions.
   */
  run(stateMachine: StateMachineRef, input?: unknown, options?: Partial<RunStateMachineOptions>): Promise<ExecutionResult>;
  /** Runs SQL on the database directly (not through the Data API), one statement per string: test data, schemas. */
  seed(sql: string | readonly string[]): Promise<void>;
  /** Runs one SQL query on the database directly and returns its rows as objects. */
  query(sql: string, values?: readonly unknown[]): Promise<Record<string, unknown>[]>;
  /** Stops everything it started (servers, engine, queue). */
  stop(): Promise<void>;
}

/** Thrown by `registerStateMachine` and `run` for a bad name, a definition that is not valid ASL, or an unknown state machine. */
export class LocalStateMachineError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'LocalStateMachineError';
  }
}

const REGION = 'us-east-1';
const ACCOUNT = '123456789012';
const FUNCTION_NAME = 'local-tasker';
export const LOCAL_TASKER_ARN = `arn:aws:lambda:${REGION}:${ACCOUNT}:function:${FUNCTION_NAME}`;

const STATE_MACHINE_NAME = /^[A-Za-z0-9_-]{1,80}$/;

export async function startLocalTasker(options: LocalTaskerOptions = {}): Promise<LocalTasker> {
  // Props are checked before anything starts: a bad value throws with nothing to clean up.
  const props = options.props ?? DEFAULT_LOCAL_PROPS;
  const config = resolveLocalConfig(props);
  const tableName = 'local-tasker-tracking';
  const contract = contractEnvironment(config, { tableName, functionName: FUNCTION_NAME });
  const dataApiOptions = options.connectionString === undefined ? options.dataApi : { ...options.dataApi, connectionString: options.connectionString };
  if (dataApiOptions?.engine === undefined && dataApiOptions?.connectionString === undefined) {
    requirePeers([PGLITE_PACKAGE], ' (embedded PostgreSQL; or give connectionString to use a PostgreSQL server)');
  }
  const started: { stop(): Promise<void> }[] = [];
  let stopping: Promise<void> | undefined;
  // Once, newest first; a second call gets the same promise.
  const stopAll = (): Promise<void> =>
    (stopping ??= (async () => {
      for (const service of [...started].reverse()) await service.stop();
    })());

  try {
    const dataApi = await startLocalRedshiftData({ region: REGION, account: ACCOUNT, ...dataApiOptions });
    started.push(dataApi);
    const dynamoDb = await startLocalDynamoDb();
    started.push(dynamoDb);
    const callbacks = await startLocalStepFunctionsCallbacks();
    started.push(callbacks);
    await createTrackingTable(dynamoDb.client, tableName);

    const env = taskerEnvironment({
      contract,
      endpoints: { region: REGION, dynamoDb: dynamoDb.endpoint, redshiftData: dataApi.endpoint, sfn: callbacks.endpoint },
      logLevel: options.logLevel ?? 'SILENT',
      // EMF metric lines would only clutter a local run's output; `env` can turn them back on.
      extra: { [ENV.METRICS_DISABLED]: 'true', ...options.env },
    });
    const handler = loadHandlerBundle({ zipPath: options.zipPath, env });
    const invocations: HandlerInvocation[] = [];
    // Invocations still running when stop() is called (a fast-path wait, a late event's completion) finish
    // before the services they call stop: stopping runs newest first, so this drain comes after the delivery.
    const inFlight = new Set<Promise<InvocationResult>>();
    started.push({ stop: async () => void (await Promise.allSettled([...inFlight])) });
    const invoke = async (payload: unknown, kind: 'direct' | 'sqs', records: number): Promise<InvocationResult> => {
      const running = invokeLambda(handler, payload, { functionName: FUNCTION_NAME, region: REGION, account: ACCOUNT });
      inFlight.add(running);
      try {
        const result = await running;
        invocations.push({ kind, durationMs: result.durationMs, records, ok: result.ok });
        return result;
      } finally {
        inFlight.delete(running);
      }
    };

    const delivery = startEventDelivery({
      ...options.delivery,
      pattern: statementStatusEventPattern(config.statementNamePrefix),
      queueArn: `arn:aws:sqs:${REGION}:${ACCOUNT}:local-tasker-status-events`,
      handler: async (event: SqsEvent) => {
        const result = await invoke(event, 'sqs', event.Records.length);
        // A function error fails the whole batch, as with a real event source mapping.
        if (!result.ok) throw new Error(`${result.errorType}: ${result.errorMessage}`);
        return result.payload as SqsBatchResponse;
      },
    });
    started.push(delivery);
    const publish = (event: unknown): boolean => delivery.publish(event);
    const route = options.routeEvent ?? ((event, send) => void send(event));
    dataApi.onEvent((event) => route(event, publish));

    const stateMachines = new Map<string, RegisteredStateMachine>();
    const arnOf = (name: string): string => `arn:aws:states:${REGION}:${ACCOUNT}:stateMachine:${name}`;
    const registered = (ref: string): RegisteredStateMachine => {
      const machine = stateMachines.get(ref.startsWith('arn:') ? ref : arnOf(ref));
      if (!machine) {
        const known = [...stateMachines.values()].map((m) => m.name).join(', ') || 'none';
        throw new LocalStateMachineError(`no state machine "${ref}" is registered with this local tasker (registered: ${known})`);
      }
      return machine;
    };
    const invokeTasker = (functionName: string, payload: unknown): Promise<InvocationResult> => {
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
    };

    return {
      functionArn: LOCAL_TASKER_ARN,
      region: REGION,
      account: ACCOUNT,
      statementNamePrefix: config.statementNamePrefix,
      dataApi,
      dynamoDb,
      callbacks,
      delivery,
      tableName,
      invocations,
      invoke: (payload) => invoke(payload, 'direct', 1),
      registerStateMachine(name, definition) {
        if (!STATE_MACHINE_NAME.test(name)) {
          throw new LocalStateMachineError(`state machine name "${name}" must be 1 to 80 letters, digits, '-' or '_'`);
        }
        const parsed = parseDefinition(definition, name);
        const arn = arnOf(name);
        stateMachines.set(arn, { name, arn, definition: parsed });
        return arn;
      },
      async run(stateMachine, input, runOptions = {}) {
        const named = typeof stateMachine === 'string' && !stateMachine.trimStart().startsWith('{') ? registered(stateMachine) : undefined;
        return runStateMachine({
          definition: named?.definition ?? stateMachine,
          stateMachineName: named?.name,
          input,
          callbacks,
          region: REGION,
          account: ACCOUNT,
          stateMachines: (arn) => stateMachines.get(arn),
          ...runOptions,
          invoke: invokeTasker,
        });
      },
      async seed(sql) {
        for (const statement of typeof sql === 'string' ? [sql] : sql) await dataApi.query(statement);
      },
      query: (sql, values) => dataApi.query(sql, values),
      stop: stopAll,
    };
  } catch (err) {
    await stopAll();
    throw err;
  }
}

/** A definition as an object, checked as ASL now (so a mistake shows at registration, not in the middle of a run). */
function parseDefinition(definition: object | string, name: string): object {
  let parsed: object;
  try {
    parsed = typeof definition === 'string' ? (JSON.parse(definition) as object) : definition;
  } catch (err) {
    throw new LocalStateMachineError(`state machine "${name}": the definition is not JSON (${(err as Error).message})`);
  }
  try {
    validateDefinition(parsed);
  } catch (err) {
    throw new LocalStateMachineError(`state machine "${name}": ${(err as Error).message}`);
  }
  return parsed;
}
