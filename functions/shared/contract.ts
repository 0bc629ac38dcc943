/**
 * The contract between the infrastructure (`modules/`) and the Lambda handler (`functions/`).
 *
 * Both sides import these constants, so a renamed attribute, index or environment variable
 * cannot drift between what the construct deploys and what the handler expects.
 * Keep this file free of imports: it is bundled into the handler and loaded by the construct.
 */

/** Environment variables the construct sets on the tasker function(s). */
export const ENV = {
  /** Name of the DynamoDB tracking table. */
  TABLE_NAME: 'TRACKING_TABLE_NAME',
  /** Provisioned cluster identifier (cluster targets only). */
  CLUSTER_IDENTIFIER: 'REDSHIFT_CLUSTER_IDENTIFIER',
  /** Redshift Serverless workgroup name (serverless targets only). */
  WORKGROUP_NAME: 'REDSHIFT_WORKGROUP_NAME',
  /** Database the statements run in. */
  DATABASE: 'REDSHIFT_DATABASE',
  /** Database user for temporary credentials (cluster targets without a secret). */
  DB_USER: 'REDSHIFT_DB_USER',
  /** Secrets Manager secret ARN holding the database credentials (instead of a db user). */
  SECRET_ARN: 'REDSHIFT_SECRET_ARN',
  /** Fixed prefix of every Data API statement name this tasker starts; the event rule matches it. */
  STATEMENT_NAME_PREFIX: 'STATEMENT_NAME_PREFIX',
  /** Error name sent to Step Functions for an ABORTED statement: `FAILED` (default, as the original) or `ABORTED`. */
  ABORTED_ERROR_NAME: 'ABORTED_ERROR_NAME',
  /** Seconds a finished item is kept before its TTL expires it (default one day). */
  ITEM_TTL_SECONDS: 'ITEM_TTL_SECONDS',
  /** Seconds a statement may run without an event before the sweep asks DescribeStatement about it. */
  SWEEP_GRACE_SECONDS: 'SWEEP_GRACE_SECONDS',
  /**
   * `true` to call DescribeStatement before a success callback, adding `hasResultSet`, exact `durationMs`
   * and `resultRows` to the output (one more AWS call per statement); `false` (default) keeps the happy
   * path at 4 calls and takes rows from the event.
   */
  DESCRIBE_ON_SUCCESS: 'DESCRIBE_ON_SUCCESS',
  /**
   * Seconds the start asks the Data API to wait for the statement (`WaitTimeSeconds`, 0 to 30). A statement
   * done within it is completed by the start itself (the fast path); `0` turns the fast path off.
   */
  FAST_PATH_SECONDS: 'FAST_PATH_SECONDS',
  /**
   * `true` (default) to send SendTaskHeartbeat from the sweep for every tracked task whose statement still
   * runs, so a task's `HeartbeatSeconds` means "the tasker stopped looking after this statement".
   */
  SEND_HEARTBEATS: 'SEND_HEARTBEATS',
  /**
   * `true` (default) to cancel a statement whose task is closed (a heartbeat answered TaskTimedOut,
   * TaskDoesNotExist or InvalidToken, or its execution ended), once, recording why on the item.
   */
  CANCEL_ORPHANED_STATEMENTS: 'CANCEL_ORPHANED_STATEMENTS',
  /**
   * Seconds after its statement started that the sweep stops retrying a task callback Step Functions has not
   * answered (default one year, the longest a Standard workflow task can live); the item then records
   * `MAX_AGE_REACHED` and the `CallbacksAbandoned` metric counts it.
   */
  CALLBACK_MAX_AGE_SECONDS: 'CALLBACK_MAX_AGE_SECONDS',
  /**
   * The identity the function runs statements as, as the Data API's status event names it in `detail.principal`
   * (`arn:aws:sts::<account>:assumed-role/<role>/<function>`): the fast path's output carries it too, so both
   * paths give the same keys. Set by the local kit; in AWS the fast path builds it from ROLE_NAME instead.
   */
  PRINCIPAL: 'TASKER_PRINCIPAL',
  /**
   * The function's role name, set by the construct: without TASKER_PRINCIPAL the fast path builds the principal
   * from it and the invoked function's ARN (partition, account, function name = Lambda's session name), which
   * keeps the environment known at plan time (the account is known only once the role exists).
   */
  ROLE_NAME: 'TASKER_ROLE_NAME',
  /** Name of the tasker (its name prefix): the `tasker` dimension of every metric. */
  TASKER_NAME: 'TASKER_NAME',
  /** CloudWatch namespace of the handler's metrics (Powertools reads it). */
  METRICS_NAMESPACE: 'POWERTOOLS_METRICS_NAMESPACE',
  /** `true` to emit no metrics (Powertools reads it). */
  METRICS_DISABLED: 'POWERTOOLS_METRICS_DISABLED',
  /** Powertools log level (DEBUG, INFO, WARN, ERROR). */
  LOG_LEVEL: 'POWERTOOLS_LOG_LEVEL',
  /** Powertools service name, shown in every log line. */
  SERVICE_NAME: 'POWERTOOLS_SERVICE_NAME',
} as const;

/** Defaults and allowed values of the settings above: `SETTINGS` in settings.ts, the one table. */

/**
 * The handler's CloudWatch metrics (embedded metric format: log lines CloudWatch turns into metrics, no
 * API call). Every metric carries the `service` dimension (the tasker's name); some add one more, each with a small fixed set
 * of values. No SQL text, parameters, statement ids or tokens ever become dimensions.
 */
export const METRICS = {
  DEFAULT_NAMESPACE: 'SfnRedshiftTasker',
  DIMENSIONS: {
    /** Powertools' own `service` dimension, set to the tasker's name (TASKER_NAME). */
    TASKER: 'service',
    /** executeStatement | executeSingletonStatement (start metrics). */
    ACTION: 'action',
    /** FINISHED | FAILED | ABORTED (completions); the closed-token kind or `execution:<status>` (orphans). */
    OUTCOME: 'outcome',
    /** The Data API error name (start errors). */
    ERROR: 'error',
  },
  NAMES: {
    /** Statements started (dimension action). */
    STATEMENTS_STARTED: 'StatementsStarted',
    /** Statements that reached a terminal state and were claimed for completion (dimension outcome). */
    STATEMENTS_COMPLETED: 'StatementsCompleted',
    /** Statements cancelled because their task was closed (dimension outcome = why). */
    ORPHANS_CANCELLED: 'OrphansCancelled',
    /** Milliseconds from the statement's end (its event time) to the task callback being sent. */
    CALLBACK_LATENCY: 'CallbackLatency',
    /** Completions the sweep made because the status-change event did not arrive. */
    SWEEP_REPAIRS: 'SweepRepairs',
    /** Heartbeats the sweep sent and Step Functions accepted. */
    HEARTBEATS_SENT: 'HeartbeatsSent',
    /** Callbacks Step Functions refused because the task was closed (dimension outcome = the error name). */
    CALLBACKS_REFUSED: 'CallbacksRefused',
    /** Statements the Data API refused to start (dimension error). */
    START_ERRORS: 'StartErrors',
    /**
     * Claimed completions whose callback Step Functions (or CloudFormation) has not answered yet, as the sweep
     * left them: in flight or waiting for their retry. Emitted by every sweep, 0 included.
     */
    CALLBACKS_PENDING: 'CallbacksPending',
    /** Seconds since the statement ended of the oldest of those (0 when none): how long a task has waited for its callback. */
    OLDEST_PENDING_CALLBACK_AGE: 'OldestPendingCallbackAge',
    /** Callbacks the sweep's retry delivered (Step Functions accepted them) after an earlier attempt failed. */
    CALLBACKS_RETRIED: 'CallbacksRetried',
    /** Callbacks given up at the maximum age (CALLBACK_MAX_AGE_SECONDS) without an answer from Step Functions. */
    CALLBACKS_ABANDONED: 'CallbacksAbandoned',
  },
} as const;

/** The Step Functions "Execution Status Change" event: the statuses after which an execution's statements are orphans. */
export const EXECUTION_EVENT = {
  SOURCE: 'aws.states',
  DETAIL_TYPE: 'Step Functions Execution Status Change',
  ENDED_STATUSES: ['ABORTED', 'TIMED_OUT', 'FAILED'],
} as const;

/**
 * The tracking table's key schema and indexes.
 *
 * - Partition key `pk` (S): the call's idempotency key (one item per tracked call), or
 *   `singleton#<runningSql>` for the lock that serialises `executeSingletonStatement`.
 * - `byExecution` (GSI): `executionArn` + `startedAt`, so `statementId: LATEST` is one Query (newest first).
 * - `byRunning` (sparse GSI): `runningPartition` + `startedAt`. The attribute is set only while a
 *   statement runs and removed when it completes, so the sweep reads only running items, never the table.
 *   It also projects `runningSql` (a hash of the SQL text and the database, removed when the statement
 *   ends), so `executeSingletonStatement` finds a running statement of the same SQL, whoever started it,
 *   with one Query of the running entries: plain statements pay no extra call and no extra write unit.
 * - `byPendingCallback` (sparse GSI): `pendingCallback` + `nextAttemptAt`. Set by the claim of a completion
 *   (whoever claims it: the start's fast path, an event, the sweep) and removed only once the callback is
 *   answered (accepted, or refused because the task is closed) or given up at the maximum age, so a claimed
 *   callback that was never answered is always found by the sweep: one Query reads the entries due for a
 *   retry, oldest `nextAttemptAt` first (callback-retries.ts).
 * - TTL on `expiresAt` (epoch seconds), set once an item's callback is answered (or it needs none).
 */
export const TABLE = {
  PARTITION_KEY: 'pk',
  EXECUTION_INDEX: { name: 'byExecution', hashKey: 'executionArn', rangeKey: 'startedAt' },
  RUNNING_INDEX: { name: 'byRunning', hashKey: 'runningPartition', rangeKey: 'startedAt' },
  /** The constant value of `runningPartition` on running items. */
  RUNNING_PARTITION_VALUE: 'RUNNING',
  PENDING_CALLBACK_INDEX: { name: 'byPendingCallback', hashKey: 'pendingCallback', rangeKey: 'nextAttemptAt' },
  /** The constant value of `pendingCallback` on items whose callback is claimed and not answered yet. */
  PENDING_CALLBACK_VALUE: 'PENDING',
  /** The SQL text + database hash of a running statement, for the singleton check (projected into `byRunning`). */
  RUNNING_SQL_ATTRIBUTE: 'runningSql',
  TTL_ATTRIBUTE: 'expiresAt',
} as const;

/**
 * The tracking table's whole definition (keys, indexes, projections), the one source the construct, the
 * tests' table helper and `local/dynamodb` all build the table from, so the three cannot drift.
 *
 * The indexes project only `statementId` beyond the keys (INCLUDE), `byRunning` also `runningSql` and
 * `byPendingCallback` also `completedAt`: what `LATEST`, the sweep and the singleton check read. An index entry is then about 250 bytes
 * (1 WRU)
 * whatever the task token's length, and the completion's update changes no key and no projected attribute
 * of `byExecution`, so it writes nothing there (DynamoDB writes a GSI only when the item's index keys or
 * projected attributes change).
 */
export const TABLE_DEFINITION = {
  BILLING_MODE: 'PAY_PER_REQUEST',
  /** The non-key attribute every index carries. */
  STATEMENT_ID_ATTRIBUTE: 'statementId',
  /** Every key attribute of the table and its indexes; all are strings. */
  KEY_ATTRIBUTES: [
    TABLE.PARTITION_KEY,
    TABLE.EXECUTION_INDEX.hashKey,
    TABLE.RUNNING_INDEX.hashKey,
    TABLE.EXECUTION_INDEX.rangeKey,
    TABLE.PENDING_CALLBACK_INDEX.hashKey,
    TABLE.PENDING_CALLBACK_INDEX.rangeKey,
  ],
  GLOBAL_SECONDARY_INDEXES: [
    { ...TABLE.EXECUTION_INDEX, projectionType: 'INCLUDE', nonKeyAttributes: ['statementId'] },
    { ...TABLE.RUNNING_INDEX, projectionType: 'INCLUDE', nonKeyAttributes: ['statementId', TABLE.RUNNING_SQL_ATTRIBUTE] },
    // `completedAt` (when the statement's end was first claimed) gives the sweep the age of a pending callback without a read.
    { ...TABLE.PENDING_CALLBACK_INDEX, projectionType: 'INCLUDE', nonKeyAttributes: ['statementId', 'completedAt'] },
  ],
} as const;

/** The Redshift Data API status-change event, as EventBridge delivers it. */
export const STATUS_EVENT = {
  SOURCE: 'aws.redshift-data',
  DETAIL_TYPE: 'Redshift Data Statement Status Change',
  /** Terminal states a status-change event reports. */
  STATES: ['FINISHED', 'FAILED', 'ABORTED'],
} as const;

/** A terminal statement state (`STATUS_EVENT.STATES`): the one definition the handler and the local kit derive from. */
export type TerminalStatementState = (typeof STATUS_EVENT.STATES)[number];

/** An EventBridge event's `time`: ISO 8601 to the second, as EventBridge writes it (2020-10-01T21:14:26Z). */
export const eventBridgeTime = (at: Date): string => at.toISOString().replace(/\.\d{3}Z$/, 'Z');

/** Error names the handler throws (Step Functions sees them as the `Error` a `Retry`/`Catch` matches). */
export const ERRORS = {
  INVALID_INPUT: 'InvalidInput',
  CONCURRENT_EXECUTION: 'ConcurrentExecution',
  PREVIOUS_EXECUTION_NOT_FOUND: 'PreviousExecutionNotFound',
  /** Callback error for a failed statement (and, by default, an aborted one). */
  FAILED: 'FAILED',
  ABORTED: 'ABORTED',
  /** Retryable start failures: throttling, ActiveStatementsExceededException. */
  RETRYABLE_START: 'RedshiftDataRetryable',
  /** Non-retryable start failures: validation, missing resources, permissions. */
  START_FAILED: 'RedshiftDataError',
  /**
   * The statement's Data API session is busy (a statement runs in it) or a session limit was reached
   * (ActiveSessionsExceededException, ActiveWaitingRequestsExceededException): retryable.
   */
  SESSION_BUSY: 'RedshiftSessionBusy',
  /** `sessionId: LATEST` and the execution's newest statement ran in no session. */
  SESSION_NOT_FOUND: 'RedshiftSessionNotFound',
  /** SQL resource (aws_lambda_invocation): the statement FAILED or was ABORTED; the message carries the Redshift error. */
  SQL_STATEMENT_FAILED: 'SqlStatementFailed',
  /** SQL resource: the statement outlived the Lambda's remaining time; it was cancelled (best effort). */
  STATEMENT_EXCEEDED_LAMBDA_TIMEOUT: 'StatementExceededLambdaTimeout',
} as const;

/**
 * SQL as Terraform resources: an `aws_lambda_invocation` with `lifecycle_scope = "CRUD"` invokes the tasker,
 * and the AWS provider adds `{ "<KEY>": { "action": "create"|"update"|"delete", "prev_input": {...}|null } }`
 * to the input. The construct pins `terraform_key` to KEY so the handler's router recognises the event.
 */
export const TERRAFORM_LIFECYCLE = {
  KEY: 'tf',
  SCOPE: 'CRUD',
  ACTIONS: ['create', 'update', 'delete'],
} as const;

/** Statement limits and the Step Functions (and CloudFormation) callback limits the handler truncates to. */
export const LIMITS = {
  STATEMENT_NAME_MAX: 500,
  SEND_TASK_FAILURE_ERROR_MAX: 256,
  SEND_TASK_FAILURE_CAUSE_MAX: 32_768,
  SEND_TASK_SUCCESS_OUTPUT_MAX_BYTES: 262_144,
  TASK_TOKEN_MAX: 2_048,
  /** CloudFormation refuses a custom resource response body larger than this. */
  CLOUDFORMATION_RESPONSE_MAX_BYTES: 4_096,
  /** The Data API's longest `WaitTimeSeconds`. */
  WAIT_TIME_SECONDS_MAX: 30,
  /** The Data API's longest `SessionKeepAliveSeconds` (24 h). */
  SESSION_KEEP_ALIVE_SECONDS_MAX: 86_400,
} as const;
