/**
 * Props of {@link SfnRedshiftTasker}. Types only: `resolve-tasker-config.ts` checks them, and maps the
 * deprecated flat names into the grouped options (`function`, `logging`, `role`, `callbackPath`).
 */
import type { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import type { Construct, IConstruct } from 'constructs';
import type { AwsEnvironment } from './aws-environment';
import type { TaskerCode } from './tasker-code';

/** Name and ARN of a resource the tasker uses, whether it created it or was given it. */
export interface TaskerResourceRef {
  readonly name: string;
  readonly arn: string;
}

/** What a tasker reusing another's callback path tells it (`admitReusingTasker`). */
export interface ReusingTasker {
  /** The reusing tasker's region, partition and account. */
  readonly env: AwsEnvironment;
  readonly namePrefix: string;
  /** Unique id of the role that starts the reusing tasker's statements. */
  readonly roleUniqueId: string;
  readonly stateMachineArns?: readonly string[];
  /** The reusing tasker's log groups, which the shared key must admit. */
  readonly logGroupNames: readonly string[];
}

/** Whose callback path a tasker uses: its own, another tasker's (same stack), or one named by table and key (another stack). */
export type CallbackPathKind = 'own' | 'tasker' | 'external';

/**
 * A tasker whose callback path (event rule, queues, sweep), tracking table and key another tasker can reuse
 * (`callbackPath`). Every `SfnRedshiftTasker` is one; the props name this interface, not the class, so the
 * props do not depend on the construct.
 */
export interface CallbackPathOwner extends IConstruct {
  readonly statementNamePrefix: string;
  readonly trackingTable: TaskerResourceRef;
  readonly encryptionKey: { readonly arn: string };
  /** Whose callback path it uses: only a tasker with its own (`'own'`) can share it. */
  readonly config: { readonly callbackPath: { readonly kind: CallbackPathKind } };
  /** Admits `reuser` (called by the reusing tasker's constructor); returns the policy granted to this tasker's role, made in `scope`. */
  admitReusingTasker(scope: Construct, reuser: ReusingTasker): IamRolePolicy;
}

/** A provisioned cluster, reached with temporary credentials for `dbUser` or with a Secrets Manager secret. */
export interface ClusterTarget {
  /** Identifier of the provisioned cluster. */
  readonly clusterIdentifier: string;
  /** Database the statements run in. */
  readonly database: string;
  /** Database user for `redshift:GetClusterCredentials`. Give exactly one of `dbUser` and `secretArn`. */
  readonly dbUser?: string;
  /** ARN of a Secrets Manager secret with the database credentials. Give exactly one of `dbUser` and `secretArn`. */
  readonly secretArn?: string;
}

/** A Redshift Serverless workgroup, reached with `redshift-serverless:GetCredentials` (IAM identity) or with a secret. */
export interface WorkgroupTarget {
  /** Name of the Serverless workgroup. */
  readonly workgroupName: string;
  /** Database the statements run in. */
  readonly database: string;
  /**
   * ARN of a Secrets Manager secret with the database credentials.
   * @default - the function's IAM identity (`redshift-serverless:GetCredentials`)
   */
  readonly secretArn?: string;
  /**
   * ARN of the workgroup (`arn:<partition>:redshift-serverless:<region>:<account>:workgroup/<uuid>`).
   * IAM authorises the Data API and `GetCredentials` on this ARN, which holds the workgroup's id,
   * not its name; give it to scope the function's permissions to this one workgroup.
   * @default - every workgroup in the stack's account and region (`workgroup/*`)
   */
  readonly workgroupArn?: string;
}

/**
 * A target whose kind and credentials Terraform decides at plan time, as the Terraform module does from
 * its inputs. `clusterIdentifier` and `workgroupName` are both given as `orNull(reference)` (see
 * `plan-time.ts`) and exactly one of them is non-null when planning; `dbUser`, `secretArn` and
 * `workgroupArn` are left out or given as `orNull(reference)`, with the same rules as in `ClusterTarget`
 * and `WorkgroupTarget` (Terraform must check them, e.g. in variable `validation` blocks). Switching
 * between cluster and workgroup, or between credentials, then updates the function's environment and
 * the role policy in place.
 */
export interface PlanTimeTarget {
  readonly clusterIdentifier: string;
  readonly workgroupName: string;
  readonly database: string;
  readonly dbUser?: string;
  readonly secretArn?: string;
  readonly workgroupArn?: string;
}

/** Where statements run: a provisioned cluster or a Serverless workgroup (or one Terraform picks at plan time). */
export type RedshiftTarget = ClusterTarget | WorkgroupTarget | PlanTimeTarget;

/** The target shape of the AWS CDK library `cdk-stepfunctions-redshift`, accepted for an easy port. */
export interface LegacyRedshiftTargetProps {
  readonly clusterIdentifier: string;
  readonly dbName: string;
  readonly dbUser: string;
}

/** CloudWatch alarms on the tasker's health (see README "Operating it"). */
export interface TaskerAlarms {
  /**
   * Create the alarms. A Terraform reference decides at plan time (`count`), for modules whose callers
   * switch alarms with a variable.
   * @default true
   */
  readonly enabled?: boolean;
  /**
   * ARN of an SNS topic every alarm notifies when it fires and when it recovers (as `orNull(reference)`
   * it may be null at plan time: no actions). If the topic is encrypted with a customer managed KMS key, that key's policy must let
   * `cloudwatch.amazonaws.com` use it.
   * @default - alarms without actions (visible in the console and through the API)
   */
  readonly topicArn?: string;
  /**
   * Function errors in 5 minutes that fire the errors alarm (one alarm per function). Errors include
   * start refusals a state machine's `Retry` handles (`ConcurrentExecution`, `RedshiftDataRetryable`).
   * @default 5
   */
  readonly functionErrorsThreshold?: number;
  /**
   * Age in seconds of the oldest completion event in the queue that fires the event-age alarm: events are
   * normally read within seconds; an old one means the completer fails or cannot keep up.
   * @default 900
   */
  readonly oldestEventAgeSeconds?: number;
  /**
   * Completions the sweep made in 15 minutes (status-change events that never arrived) that fire the
   * sweep-repairs alarm. Needs `metrics` (the alarm reads the handler's `SweepRepairs` metric).
   * @default 1
   */
  readonly sweepRepairsThreshold?: number;
  /**
   * Age in seconds (since its statement ended) of the oldest task callback still waiting for an answer from
   * Step Functions that fires the pending-callbacks alarm: callbacks are answered within seconds; an old one
   * means Step Functions refuses or cannot be reached, and the sweep keeps retrying it. Needs `metrics` (the
   * alarm reads the handler's `OldestPendingCallbackAge` metric, emitted by every sweep).
   * @default 900
   */
  readonly pendingCallbackAgeSeconds?: number;
}

/** The VPC the functions run in. */
export interface TaskerVpcConfig {
  /** Subnets (private, with routes or VPC endpoints to the AWS services the tasker calls; see README). */
  readonly subnetIds: string[];
  /** Security groups of the functions' network interfaces (outbound HTTPS is all they need). */
  readonly securityGroupIds: string[];
}

/** The callback path of a tasker in another stack, for `callbackPath`: the values that tasker exposes. */
export interface ExternalCallbackPath {
  /**
   * Name of that tasker's tracking table (its `trackingTable.name`).
   * @default - none: required
   */
  readonly tableName: string;
  /**
   * That tasker's statement name prefix (its `statementNamePrefix`), which its event rule matches.
   * @default - none: required
   */
  readonly statementNamePrefix: string;
  /**
   * ARN of the KMS key that encrypts that tasker's table (its `encryptionKey.arn`); not an `orNull` reference.
   * @default - none: required
   */
  readonly encryptionKeyArn: string;
}

/** Instruction set of the functions. */
export type TaskerArchitecture = 'arm64' | 'x86_64';

/** Format of the functions' log lines in CloudWatch Logs. */
export type TaskerLogFormat = 'Text' | 'JSON';

/** Log levels of the handler's structured (Powertools) logs. */
export type TaskerLogLevel = 'DEBUG' | 'INFO' | 'WARN' | 'ERROR';

/** The Lambda function(s): size, limits, platform and network (`function` prop). */
export interface TaskerFunctionOptions {
  /**
   * Memory of the function(s), in MB.
   * @default 256
   */
  readonly memorySize?: number;
  /**
   * Timeout of the function(s), in seconds. The queue's visibility timeout is six times this.
   * @default 60
   */
  readonly timeout?: number;
  /**
   * Reserved concurrency of the function(s). With a callback path it also caps the queue's event
   * source mapping (`maximum_concurrency`), so polling never runs into throttles that would count as
   * receives; it must then be at least 2, the lowest cap SQS mappings accept.
   * @default - unreserved
   */
  readonly reservedConcurrency?: number;
  /**
   * Instruction set of the functions. The handler is plain JavaScript and runs on both; arm64 costs
   * about 20% less per GB-second.
   * @default 'arm64'
   */
  readonly architecture?: TaskerArchitecture;
  /**
   * X-Ray active tracing on the functions; adds `xray:PutTraceSegments` and `xray:PutTelemetryRecords`
   * to the role.
   * @default false
   */
  readonly tracing?: boolean;
  /**
   * Run the functions in these subnets with these security groups. Adds the network-interface
   * permissions Lambda needs (`ec2:CreateNetworkInterface`, ...) to the role. The subnets need a route
   * (NAT) or VPC endpoints to the Redshift Data API, DynamoDB, SQS, Step Functions, KMS and CloudWatch
   * Logs (and Secrets Manager with a secret, X-Ray with `tracing`).
   * @default - no VPC
   */
  readonly vpcConfig?: TaskerVpcConfig;
}

/** The functions' logs (`logging` prop). */
export interface TaskerLoggingOptions {
  /**
   * Log level of the handler.
   * @default 'INFO'
   */
  readonly level?: TaskerLogLevel;
  /**
   * Format of the functions' log lines. `JSON` also makes Lambda drop lines below `level`
   * (its application log level) and write its own START/END/REPORT lines as JSON.
   * @default 'Text'
   */
  readonly format?: TaskerLogFormat;
  /**
   * Retention of the functions' log groups, in days (a value CloudWatch Logs accepts).
   * @default 30
   */
  readonly retentionDays?: number;
}

/** The IAM role both functions run with (`role` prop). */
export interface TaskerRoleOptions {
  /**
   * ARN of a permissions boundary (a managed policy) for the role.
   * @default - none
   */
  readonly permissionsBoundary?: string;
  /**
   * IAM path of the role (`/` or `/<segments>/`).
   * @default '/'
   */
  readonly path?: string;
}

export interface SfnRedshiftTaskerProps {
  /**
   * Where statements run. Give this or `redshiftTargetProps`, not both.
   * @default - none: one of `redshiftTarget` and `redshiftTargetProps` is required
   */
  readonly redshiftTarget?: RedshiftTarget;

  /**
   * The original library's target shape (`{ clusterIdentifier, dbName, dbUser }`), same as
   * `redshiftTarget: { clusterIdentifier, database: dbName, dbUser }`.
   * @default - none
   */
  readonly redshiftTargetProps?: LegacyRedshiftTargetProps;

  /**
   * Another tasker (in the same stack) whose callback path, tracking table and KMS key this tasker
   * reuses: this tasker then creates no rule, queues, sweep, table or key, takes that tasker's table,
   * statement name prefix and key, and grants that tasker's role DescribeStatement and
   * GetStatementResult on the statements this tasker's role starts (its completer needs them for a
   * FAILED statement's error text and for the sweep) and the task callbacks of this tasker's state
   * machines. Implies `createCallbackInfra: false`; do not give `existingTableName`,
   * `statementNamePrefix` or `encryptionKey` with it. The other tasker must have its own callback path.
   * Its key's policy admits this tasker's log groups when that tasker created the key; if it was given
   * its own `encryptionKey`, that key's policy must admit them (`kms:EncryptionContext:aws:logs:arn`).
   * @default - none: this tasker has its own callback path, or (with `createCallbackInfra: false`) the props say which
   * @deprecated Use `callbackPath: <that tasker>` (same resources)
   */
  readonly callbackTasker?: CallbackPathOwner;

  /**
   * Whose callback path (event rule, queues, sweep), tracking table and KMS key this tasker reuses;
   * this tasker then creates none of them. Either another tasker in the same stack (as the deprecated
   * `callbackTasker`: that tasker's role is granted what completing this tasker's statements needs, and
   * its created key admits this tasker's log groups), or `{ tableName, statementNamePrefix, encryptionKeyArn }`
   * of a tasker in another stack (as the deprecated `createCallbackInfra: false` with `existingTableName`,
   * `statementNamePrefix` and `encryptionKey`: grant that tasker's role what `createCallbackInfra`
   * describes yourself). Do not combine it with those deprecated props.
   * @default - none: this tasker creates its own callback path, table and key
   */
  readonly callbackPath?: CallbackPathOwner | ExternalCallbackPath;

  /**
   * The Lambda function(s): memory, timeout, reserved concurrency, architecture, tracing and VPC.
   * Each option replaces a deprecated flat prop (`lambdaMemorySize`, `lambdaTimeout`, ...); give one spelling.
   * @default - see each option
   */
  readonly function?: TaskerFunctionOptions;

  /**
   * The functions' logs: level, format and retention (replacing `logLevel`, `logFormat`, `logRetentionDays`).
   * @default - see each option
   */
  readonly logging?: TaskerLoggingOptions;

  /**
   * The role: permissions boundary and IAM path (replacing `permissionsBoundary`, `rolePath`).
   * @default - see each option
   */
  readonly role?: TaskerRoleOptions;

  /**
   * Create the callback path: the EventBridge rule, the SQS queue (and dead-letter queue) and the
   * event source mapping that feeds completion events to the function. Prefer `callbackTasker` for a
   * second tasker in the same stack. `false` without it (the other tasker lives in another stack)
   * needs `existingTableName`, `statementNamePrefix` and `encryptionKey` of that tasker (the key
   * encrypts its table). Then also grant that tasker's role `redshift-data:DescribeStatement` and
   * `GetStatementResult` on this role's statements (condition `redshift-data:statement-owner-iam-userid`
   * StringLike `<this role's unique id>:*`) and `states:SendTaskSuccess`/`SendTaskFailure` on this
   * tasker's state machines: without the describe grant, FAILED callbacks carry "error text
   * unavailable" instead of the database's message, and the sweep cannot check this tasker's statements.
   * @default true
   * @deprecated Use `callbackPath` (another tasker, or `{ tableName, statementNamePrefix, encryptionKeyArn }`) instead of `false`
   */
  readonly createCallbackInfra?: boolean;

  /**
   * Deploy a dead-letter queue behind the completion-event queue.
   * @default true
   */
  readonly deployDeadLetterQueue?: boolean;

  /**
   * Receives of one completion event before it moves to the dead-letter queue.
   * @default 15
   */
  readonly maxReceiveCount?: number;

  /**
   * ARN of an existing KMS key that encrypts the table, queues, log groups and environment variables.
   * Its key policy must let CloudWatch Logs use it for the functions' log groups and (with a callback
   * path) `events.amazonaws.com` for the status rule; the role gets use of it through its own policy.
   * Given as `orNull(reference)` (see `plan-time.ts`), Terraform decides at plan time: the construct's key
   * and alias get `count = 1` only while the reference is null, and everything else uses
   * `coalesce(reference, <that key's ARN>)`, so giving a key later removes only the created key and alias.
   * To reuse another tasker's key, give `callbackPath` instead.
   * @default - a key created by the construct, with rotation on (with `callbackPath`: that tasker's key)
   */
  readonly encryptionKeyArn?: string;

  /**
   * Same as `encryptionKeyArn`; with `createCallbackInfra: false` (without `callbackTasker`), the key
   * of the reused table.
   * @default - a key created by the construct (with `callbackPath`: that tasker's key)
   * @deprecated Use `encryptionKeyArn` for this tasker's own key, `callbackPath` to reuse another tasker's
   */
  readonly encryptionKey?: string;

  /**
   * Name of an existing tracking table (same key schema and indexes as the construct creates,
   * see `TABLE` in the contract), for example another tasker's.
   * @default - a table created by the construct
   * @deprecated Use `callbackPath: { tableName, statementNamePrefix, encryptionKeyArn }`
   */
  readonly existingTableName?: string;

  /**
   * Seconds a finished tracking item is kept before its TTL expires it.
   * @default 86400 (one day, as the original library)
   */
  readonly itemTtlSeconds?: number;

  /**
   * Seconds after its statement started that the sweep stops retrying a task callback Step Functions has
   * not answered (an outage, access denied). A callback refused because the task is closed (TaskTimedOut,
   * TaskDoesNotExist) ends its retries at once; one given up here is recorded on the tracking item
   * (`MAX_AGE_REACHED`), logged as an error and counted (`CallbacksAbandoned`). See docs/operating.md.
   * @default 31536000 (one year, the longest a Standard workflow task can live)
   */
  readonly callbackMaxAgeSeconds?: number;

  /**
   * Call DescribeStatement before each success callback, adding `hasResultSet`, the exact duration and
   * the result row count to the callback output (one more AWS call per statement).
   * @default false (rows come from the status-change event)
   */
  readonly describeOnSuccess?: boolean;

  /**
   * The fast path: seconds the start asks the Data API to wait for the statement (`WaitTimeSeconds`,
   * 0 to 30). A statement done within it is completed by the start invocation itself, through the same
   * exactly-once claim as the status-change event (which then arrives as a duplicate and sends nothing),
   * saving the event path's delivery delay; a statement still running falls back to the event path.
   * The wait costs Lambda time (at most this many seconds per statement) and is kept within the
   * function timeout (a value given must be below `lambdaTimeout`). `0` turns the fast path off.
   * See README "Fast path".
   * @default 1
   */
  readonly fastPathSeconds?: number;

  /**
   * Same as `logging: { level }`.
   * @default 'INFO'
   * @deprecated Use `logging.level`
   */
  readonly logLevel?: TaskerLogLevel;

  /**
   * Same as `logging: { retentionDays }`.
   * @default 30
   * @deprecated Use `logging.retentionDays`
   */
  readonly logRetentionDays?: number;

  /**
   * Same as `function: { memorySize }`.
   * @default 256
   * @deprecated Use `function.memorySize`
   */
  readonly lambdaMemorySize?: number;

  /**
   * Same as `function: { timeout }`.
   * @default 60
   * @deprecated Use `function.timeout`
   */
  readonly lambdaTimeout?: number;

  /**
   * Same as `function: { reservedConcurrency }` (with a callback path, at least 2).
   * @default - unreserved
   * @deprecated Use `function.reservedConcurrency`
   */
  readonly reservedConcurrency?: number;

  /**
   * Deploy a second function that handles completion events (and the sweep), so the starter
   * function is only invoked by Step Functions and other callers. Both functions share one role:
   * the Data API lets only the role that started a statement describe it.
   * @default false
   */
  readonly separateCompleter?: boolean;

  /**
   * Prefix of every resource name (function, table, queues, rules, role, key alias, log groups).
   * 1 to 40 letters, digits, hyphens and underscores, starting with a letter and not with `aws`.
   * @default - the construct id
   */
  readonly namePrefix?: string;

  /**
   * Prefix of the Data API statement names this tasker starts; the event rule matches it, so other
   * Data API traffic never reaches the queue. With `createCallbackInfra: false`, give the prefix of
   * the tasker whose callback path is reused. To reuse another tasker's prefix, give `callbackPath`
   * instead (this prop's reuse role is deprecated; choosing this tasker's own prefix is not). Rules match by
   * prefix, so when one tasker's prefix begins another's (`sfnrs-etl-`, `sfnrs-etl-nightly-`) the first also
   * receives the second's events; synth warns about such a pair within one app.
   * @default - `sfnrs-<namePrefix>-`
   */
  readonly statementNamePrefix?: string;

  /**
   * Error name sent to Step Functions when a statement is ABORTED (cancelled).
   * `FAILED` keeps the original library's behaviour, which existing `Catch` blocks rely on.
   * @default 'FAILED'
   */
  readonly abortedErrorName?: 'FAILED' | 'ABORTED';

  /**
   * How often the sweep looks for statements whose completion event was lost
   * (an EventBridge schedule expression).
   * @default 'rate(5 minutes)'
   */
  readonly sweepSchedule?: string;

  /**
   * Seconds a statement may run without a completion event before the sweep asks about it.
   * @default 300
   */
  readonly sweepGraceSeconds?: number;

  /**
   * Completion events per function invocation (event source mapping batch size;
   * above 10 the mapping waits up to one second to fill a batch).
   * @default 10
   */
  readonly batchSize?: number;

  /**
   * ARNs of the state machines the function may send task callbacks to.
   * @default - every state machine in the stack's account and region
   */
  readonly stateMachineArns?: string[];

  /**
   * The deployment package of the function(s): `TaskerCode.fromZipFile(path, hash)` or
   * `TaskerCode.fromAsset(asset)`. It must hold this package's handler.
   * @default - the handler zip shipped in this package (`dist/tasker-handler.zip`), as a cdktf asset
   */
  readonly code?: TaskerCode;

  /**
   * Tags added to every taggable resource.
   * @default - none
   */
  readonly tags?: Record<string, string>;

  /**
   * Send SendTaskHeartbeat from the sweep for every tracked task whose statement still runs, so a
   * task's `HeartbeatSeconds` means "the tasker stopped looking after this statement" (pick it as at
   * least two sweep intervals; see README). Adds `states:SendTaskHeartbeat` to the role.
   * @default true
   */
  readonly sendHeartbeats?: boolean;

  /**
   * Cancel a statement whose task is closed (a heartbeat answered `TaskTimedOut`, `TaskDoesNotExist` or
   * `InvalidToken`, or with `cancelOnExecutionEnd` its execution ended), once, recording why on the
   * tracking item (`orphanReason`). `false` leaves such statements running until they end.
   * @default true
   */
  readonly cancelOrphanedStatements?: boolean;

  /**
   * An EventBridge rule on the Step Functions "Execution Status Change" events (ABORTED, TIMED_OUT,
   * FAILED) of `stateMachineArns` that cancels the ended execution's running statements at once,
   * instead of at the next sweep. Needs `stateMachineArns` and `cancelOrphanedStatements`. A Terraform
   * reference decides at plan time (`count` on the rule, its target and permission); Terraform must then
   * check those two needs (the module's `cancel_on_execution_end` input does).
   * @default false
   */
  readonly cancelOnExecutionEnd?: boolean;

  /**
   * Write the handler's CloudWatch metrics (embedded metric format, no API calls): statements started
   * and completed, orphans cancelled, callback latency, sweep repairs, heartbeats, refused callbacks and
   * start errors. Each metric and dimension value is a CloudWatch custom metric (billed per month).
   * @default true
   */
  readonly metrics?: boolean;

  /**
   * CloudWatch namespace of the handler's metrics.
   * @default 'SfnRedshiftTasker'
   */
  readonly metricsNamespace?: string;

  /**
   * CloudWatch alarms: dead-letter queue depth, function errors and throttles, age of the oldest
   * completion event, sweep repairs and pending callbacks (with `metrics`); each notifies `topicArn` when given.
   * @default - no alarms
   */
  readonly alarms?: TaskerAlarms;

  /**
   * Same as `function: { vpcConfig }`.
   * @default - no VPC
   * @deprecated Use `function.vpcConfig`
   */
  readonly vpcConfig?: TaskerVpcConfig;

  /**
   * Same as `role: { permissionsBoundary }`.
   * @default - none
   * @deprecated Use `role.permissionsBoundary`
   */
  readonly permissionsBoundary?: string;

  /**
   * Same as `role: { path }`.
   * @default '/'
   * @deprecated Use `role.path`
   */
  readonly rolePath?: string;

  /**
   * Same as `function: { tracing }`.
   * @default false
   * @deprecated Use `function.tracing`
   */
  readonly tracing?: boolean;

  /**
   * Same as `function: { architecture }`.
   * @default 'arm64'
   * @deprecated Use `function.architecture`
   */
  readonly architecture?: TaskerArchitecture;

  /**
   * Same as `logging: { format }`.
   * @default 'Text'
   * @deprecated Use `logging.format`
   */
  readonly logFormat?: TaskerLogFormat;
}
