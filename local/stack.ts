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
import { kitDate, type KitClock } from './clock';
import { statementStatusEventPattern } from '../modules/event-pattern';
import type { SfnRedshiftTaskerProps } from '../modules/tasker-props';
import { createTrackingTable, startLocalDynamoDb, type LocalDynamoDb } from './dynamodb';
import {
  startEventDelivery,
  type EventDeliveryOptions,
  type LocalEventDelivery,
  type SqsBatchResponse,
  type SqsEvent,
} from './event-delivery';
import { loadHandlerBundle } from './lambda/handler-bundle';
import type { InvocationResult } from './lambda/invoke';
import { checkTaskTimeout, kitClockFor, sweepInterval } from './kit-options';
import { startLocalRedshiftData, type LocalRedshiftData, type LocalRedshiftDataOptions, type StatusChangeEvent } from './redshift-data';
import { startLocalStepFunctionsCallbacks, type LocalStepFunctionsCallbacks } from './step-functions/callback-server';
import { StateMachineRegistry } from './state-machine-registry';
import { runStateMachine, type ExecutionResult, type RunStateMachineOptions } from './step-functions/run-state-machine';
import { scheduledEvent, startSweepSchedule } from './sweep-schedule';
import { createTaskerInvoker, functionNotFound, type HandlerInvocation } from './tasker-invoker';
import { PGLITE_PACKAGE, requirePeers } from './peer-dependencies';
import { contractEnvironment, DEFAULT_LOCAL_PROPS, resolveLocalConfig, taskerEnvironment } from './tasker-environment';

export { LocalStateMachineError } from './state-machine-registry';
export type { HandlerInvocation } from './tasker-invoker';

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
  /**
   * Kit milliseconds per wall millisecond: how much faster than AWS's clock the kit runs. Statement delays
   * (`dataApi.statementDelayMs`), Wait states, TimeoutSeconds/HeartbeatSeconds, Retry intervals, the sweep's
   * schedule, SQS visibility timeouts and the handler's own clock (`Date`, its time budget) all run on it, so
   * with `timeScale: 600` a 20-minute statement takes 2 s and the ordering stays AWS's. Durations you give the
   * kit are kit time. @default 1
   */
  timeScale?: number;
  /**
   * TimeoutSeconds for Task states that set none. AWS waits up to a year, and so does the kit by default; set
   * this to make a forgotten timeout fail fast. @default undefined (no limit)
   */
  taskTimeoutSeconds?: number;
  /**
   * The sweep's schedule: by default the props' `sweepSchedule` (a `rate(...)`; give `intervalSeconds` for a
   * `cron(...)`), in kit time, as the EventBridge schedule invokes it. `false` switches it off; `sweepNow()`
   * steps it either way.
   * @default { intervalSeconds: <props.sweepSchedule> }
   */
  sweep?: false | { intervalSeconds?: number };
  /**
   * The identity statements run as: `detail.principal` of the status events and of the fast path's output (as
   * the deployed function's assumed role). `dataApi.principal`, when given, wins for the events.
   * @default 'arn:aws:sts::123456789012:assumed-role/local-tasker-role/local-tasker'
   */
  principal?: string;
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
  /** The kit's clock (`timeScale`): `now()`, `elapsed()` (what fault windows are written in). */
  readonly clock: KitClock;
  /** Every handler invocation with its duration. */
  readonly invocations: readonly HandlerInvocation[];
  /**
   * Runs one sweep now, as the schedule would (its "Scheduled Event"); resolves with the invocation, whose
   * payload is the sweep's summary (`completed`, `heartbeats`, `orphansCancelled`, ...).
   */
  sweepNow(): Promise<InvocationResult>;
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

const REGION = 'us-east-1';
const ACCOUNT = '123456789012';
const FUNCTION_NAME = 'local-tasker';
export const LOCAL_TASKER_ARN = `arn:aws:lambda:${REGION}:${ACCOUNT}:function:${FUNCTION_NAME}`;
const SWEEP_RULE_ARN = `arn:aws:events:${REGION}:${ACCOUNT}:rule/${FUNCTION_NAME}-sweep`;

/** What the Data API reports for a statement run by a Lambda function: its role's session. */
const DEFAULT_PRINCIPAL = `arn:aws:sts::${ACCOUNT}:assumed-role/${FUNCTION_NAME}-role/${FUNCTION_NAME}`;

export async function startLocalTasker(options: LocalTaskerOptions = {}): Promise<LocalTasker> {
  // Props are checked before anything starts: a bad value throws with nothing to clean up.
  const props = options.props ?? DEFAULT_LOCAL_PROPS;
  const config = resolveLocalConfig(props);
  const clock = kitClockFor(options.timeScale);
  const sweepIntervalSeconds = sweepInterval(options.sweep, config.sweepSchedule);
  checkTaskTimeout(options.taskTimeoutSeconds);
  const principal = options.principal ?? DEFAULT_PRINCIPAL;
  const tableName = 'local-tasker-tracking';
  const contract = contractEnvironment(config, { tableName, functionName: FUNCTION_NAME });
  const dataApiOptions = dataApiOptionsFor(options);
  const started: { stop(): Promise<void> }[] = [];
  const stopAll = stopInReverse(started);

  try {
    const { dataApi, dynamoDb, callbacks } = await startServices(
      { ...dataApiOptions, principal: dataApiOptions?.principal ?? principal, clock },
      tableName,
      started,
    );

    const env = taskerEnvironment({
      contract,
      endpoints: { region: REGION, dynamoDb: dynamoDb.endpoint, redshiftData: dataApi.endpoint, sfn: callbacks.endpoint },
      logLevel: options.logLevel ?? 'SILENT',
      // EMF metric lines would only clutter a local run's output; `env` can turn them back on.
      extra: { [ENV.METRICS_DISABLED]: 'true', [ENV.PRINCIPAL]: principal, ...options.env },
    });
    const handler = loadHandlerBundle({ zipPath: options.zipPath, env, date: kitDate(clock) });
    const invoker = createTaskerInvoker(handler, { functionName: FUNCTION_NAME, region: REGION, account: ACCOUNT, clock });
    // Invocations still running when stop() is called (a fast-path wait, a late event's completion) finish
    // before the services they call stop: stopping runs newest first, so this drain comes after the delivery.
    started.push({ stop: () => invoker.drain() });
    const invoke = invoker.invoke;

    const delivery = startDelivery(options, config.statementNamePrefix, clock, dataApi, invoke);
    started.push(delivery);

    const sweepNow = (): Promise<InvocationResult> =>
      invoke(scheduledEvent({ account: ACCOUNT, region: REGION, ruleArn: SWEEP_RULE_ARN, time: new Date(clock.now()) }), 'schedule', 1);
    if (sweepIntervalSeconds !== undefined) {
      const schedule = startSweepSchedule(sweepIntervalSeconds, clock, sweepNow);
      started.push({ stop: async () => schedule.stop() });
    }

    const stateMachines = new StateMachineRegistry(REGION, ACCOUNT);
    // A Task calling another function fails as Lambda would: the local kit has the tasker only.
    const invokeTasker = (functionName: string, payload: unknown): Promise<InvocationResult> =>
      functionName === LOCAL_TASKER_ARN || functionName === FUNCTION_NAME
        ? invoke(payload, 'direct', 1)
        : Promise.resolve(functionNotFound(functionName));

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
      clock,
      invocations: invoker.invocations,
      sweepNow,
      invoke: (payload) => invoke(payload, 'direct', 1),
      registerStateMachine: (name, definition) => stateMachines.register(name, definition),
      async run(stateMachine, input, runOptions = {}) {
        const named =
          typeof stateMachine === 'string' && !stateMachine.trimStart().startsWith('{') ? stateMachines.resolve(stateMachine) : undefined;
        return runStateMachine({
          definition: named?.definition ?? stateMachine,
          stateMachineName: named?.name,
          input,
          callbacks,
          region: REGION,
          account: ACCOUNT,
          stateMachines: (arn) => stateMachines.get(arn),
          taskTimeoutSeconds: options.taskTimeoutSeconds,
          ...runOptions,
          clock,
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

/** The local AWS services a tasker calls, each added to `started` as soon as it runs (so a failure stops the others). */
async function startServices(
  dataApiOptions: LocalRedshiftDataOptions,
  tableName: string,
  started: { stop(): Promise<void> }[],
): Promise<{ dataApi: LocalRedshiftData; dynamoDb: LocalDynamoDb; callbacks: LocalStepFunctionsCallbacks }> {
  const dataApi = await startLocalRedshiftData({ region: REGION, account: ACCOUNT, ...dataApiOptions });
  started.push(dataApi);
  const dynamoDb = await startLocalDynamoDb();
  started.push(dynamoDb);
  const callbacks = await startLocalStepFunctionsCallbacks({ clock: dataApiOptions.clock });
  started.push(callbacks);
  await createTrackingTable(dynamoDb.client, tableName);
  return { dataApi, dynamoDb, callbacks };
}

/** The event path: the Data API's events → the rule (`routeEvent` in between) → the queue → the handler. */
function startDelivery(
  options: LocalTaskerOptions,
  statementNamePrefix: string,
  clock: KitClock,
  dataApi: LocalRedshiftData,
  invoke: (payload: unknown, kind: 'sqs', records: number) => Promise<InvocationResult>,
): LocalEventDelivery {
  const delivery = startEventDelivery({
    clock,
    ...options.delivery,
    pattern: statementStatusEventPattern(statementNamePrefix),
    queueArn: `arn:aws:sqs:${REGION}:${ACCOUNT}:local-tasker-status-events`,
    handler: async (event: SqsEvent) => {
      const result = await invoke(event, 'sqs', event.Records.length);
      // A function error fails the whole batch, as with a real event source mapping.
      if (!result.ok) throw new Error(`${result.errorType}: ${result.errorMessage}`);
      return result.payload as SqsBatchResponse;
    },
  });
  const publish = (event: unknown): boolean => delivery.publish(event);
  const route = options.routeEvent ?? ((event, send) => void send(event));
  dataApi.onEvent((event) => route(event, publish));
  return delivery;
}

/** The Data API's options: `connectionString` folded in; PGlite required when neither an engine nor a server is given. */
function dataApiOptionsFor(options: LocalTaskerOptions): LocalRedshiftDataOptions | undefined {
  const dataApiOptions =
    options.connectionString === undefined ? options.dataApi : { ...options.dataApi, connectionString: options.connectionString };
  if (dataApiOptions?.engine === undefined && dataApiOptions?.connectionString === undefined) {
    requirePeers([PGLITE_PACKAGE], ' (embedded PostgreSQL; or give connectionString to use a PostgreSQL server)');
  }
  return dataApiOptions;
}

/** Stops `started` once, newest first; a second call gets the same promise. */
function stopInReverse(started: readonly { stop(): Promise<void> }[]): () => Promise<void> {
  let stopping: Promise<void> | undefined;
  return () =>
    (stopping ??= (async () => {
      for (const service of [...started].reverse()) await service.stop();
    })());
}
