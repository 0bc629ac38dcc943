/**
 * `SfnRedshiftTasker`: runs Amazon Redshift SQL from AWS Step Functions as if it were synchronous.
 *
 * A `waitForTaskToken` task invokes the tasker function, which tracks the call in DynamoDB and starts
 * the statement through the Redshift Data API (`WithEvent: true`). The statement's status-change event
 * goes through an EventBridge rule to an SQS queue; the function (or a separate completer) reads it and
 * answers the task token. A scheduled sweep catches statements whose event never arrived.
 */
import { CloudwatchEventRule } from '@cdktf/provider-aws/lib/cloudwatch-event-rule';
import { CloudwatchEventTarget } from '@cdktf/provider-aws/lib/cloudwatch-event-target';
import { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group';
import { DataAwsPartition } from '@cdktf/provider-aws/lib/data-aws-partition';
import { DataAwsRegion } from '@cdktf/provider-aws/lib/data-aws-region';
import { DynamodbTable } from '@cdktf/provider-aws/lib/dynamodb-table';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { KmsAlias } from '@cdktf/provider-aws/lib/kms-alias';
import { KmsKey } from '@cdktf/provider-aws/lib/kms-key';
import { LambdaEventSourceMapping } from '@cdktf/provider-aws/lib/lambda-event-source-mapping';
import { LambdaFunction } from '@cdktf/provider-aws/lib/lambda-function';
import { SqsQueue } from '@cdktf/provider-aws/lib/sqs-queue';
import { SqsQueuePolicy } from '@cdktf/provider-aws/lib/sqs-queue-policy';
import type { CloudwatchMetricAlarm } from '@cdktf/provider-aws/lib/cloudwatch-metric-alarm';
import { AssetType, Fn, Lazy, Op, TerraformAsset, TerraformLocal, Token } from 'cdktf';
import { Construct } from 'constructs';
import { TABLE, TABLE_DEFINITION } from '../functions/shared/contract';
import { statementStatusEventPattern } from './event-pattern';
import { createTaskerAlarms } from './private/alarms';
import { createExecutionEndRule } from './private/execution-end-rule';
import { handlerEnvironment } from './private/handler-environment';
import { locateHandlerBundle } from './private/handler-asset';
import { addBlockWhen } from './private/optional-block';
import { ruleInvokesFunction } from './private/rule-invokes-function';
import { countedAttribute, countWhenNull } from './private/plan-time-choice';
import { mayBeNull } from './plan-time';
import { callbackReaderPolicy, lambdaAssumeRolePolicy, taskerRolePolicy } from './private/iam-policies';
import { arnOf, AwsEnvironment } from './private/policy-document';
import { deadLetterQueuePolicy, eventQueuePolicy, keyPolicy } from './private/resource-policies';
import { taskerNames, TaskerNames } from './private/naming';
import { terraformJson } from './private/terraform-json';
import { isExternalCallbackPath, resolveTaskerConfig, ResolvedTaskerConfig } from './private/validate-props';
import * as sfn from './sfn';
import { SqlResource, type SqlResourceOptions } from './sql-resource';
import { TaskerCode } from './tasker-code';
import type { CallbackPathOwner, ReusingTasker, SfnRedshiftTaskerProps, TaskerResourceRef, TaskerVpcConfig } from './tasker-props';

/**
 * Handler and runtime. No NODE_OPTIONS: the zip carries no source map (traces keep function names;
 * decode positions offline with the map shipped beside the zip, README "Handler bundle").
 */
export const TASKER_RUNTIME = { handler: 'index.handler', runtime: 'nodejs22.x' } as const;
/** Messages stay in the dead-letter queue for 14 days, the SQS maximum, to leave time to look at them. */
const DEAD_LETTER_RETENTION_SECONDS = 14 * 86_400;
/** SQS requires a batching window when a batch may hold more than 10 messages. */
const LARGE_BATCH_WINDOW_SECONDS = 1;
/** The lowest `maximum_concurrency` an SQS event source mapping accepts. */
export const MIN_QUEUE_CONCURRENCY = 2;
/** Retry policy of the status rule's target: EventBridge's defaults (24 hours, 185 attempts), made explicit. */
export const STATUS_RULE_RETRY_POLICY = { maximumEventAgeInSeconds: 86_400, maximumRetryAttempts: 185 } as const;

export class SfnRedshiftTasker extends Construct implements CallbackPathOwner {
  /** The function Step Functions invokes (`Parameters.FunctionName` of the task state). */
  public readonly lambdaFunction: LambdaFunction;
  /** The function that handles completion events and the sweep: `lambdaFunction` unless `separateCompleter`. */
  public readonly completerFunction: LambdaFunction;
  /** The role both functions run with. */
  public readonly role: IamRole;
  /** The tracking table (created, the one named by `existingTableName`, or `callbackTasker`'s). */
  public readonly trackingTable: TaskerResourceRef;
  /** The KMS key that encrypts the table, queues, log groups and environment variables. */
  public readonly encryptionKey: { readonly arn: string };
  /** The queue of completion events; undefined with `createCallbackInfra: false`. */
  public readonly queue?: SqsQueue;
  /** The queue's dead-letter queue; undefined with `createCallbackInfra: false` or `deployDeadLetterQueue: false`. */
  public readonly deadLetterQueue?: SqsQueue;
  /** The rule routing this tasker's statement status changes to `queue`; undefined with `createCallbackInfra: false`. */
  public readonly eventRule?: CloudwatchEventRule;
  /** The schedule that triggers the sweep; undefined with `createCallbackInfra: false`. */
  public readonly sweepRule?: CloudwatchEventRule;
  /** The rule that cancels the statements of ended executions at once; undefined without `cancelOnExecutionEnd`. */
  public readonly executionEndRule?: CloudwatchEventRule;
  /** The CloudWatch alarms (`alarms` prop); empty without it. */
  public readonly alarms: CloudwatchMetricAlarm[];
  /** The log groups of the function(s), starter first. */
  public readonly logGroups: CloudwatchLogGroup[];
  /** Prefix of the Data API statement names the function starts (the event rule matches it). */
  public readonly statementNamePrefix: string;
  /** The settings in effect, defaults applied. */
  public readonly config: ResolvedTaskerConfig;
  /**
   * The role's permission policy. Anything that invokes the function to run SQL (SQL resources, a
   * `terraform apply`-time invocation) should depend on it, so it runs only while the function may run SQL
   * and, on destroy, before the permissions go.
   */
  public readonly rolePolicy: IamRolePolicy;
  /** Log groups CloudWatch Logs may encrypt with the created key: this tasker's, then those of taskers reusing it. */
  private readonly keyLogGroupNames: string[] = [];

  constructor(scope: Construct, id: string, props: SfnRedshiftTaskerProps) {
    // Validate before anything joins the construct tree, so bad props leave no trace in the stack.
    const config = resolveTaskerConfig(id, props);
    const bundle = props.code === undefined ? locateHandlerBundle() : undefined;
    super(scope, id);
    this.config = config;
    this.statementNamePrefix = config.statementNamePrefix;

    const names = taskerNames(config.namePrefix);
    const tags = Object.keys(config.tags).length > 0 ? { ...config.tags } : undefined;
    const functionNames = config.separateCompleter ? [names.function, names.completerFunction] : [names.function];
    const logGroupNames = functionNames.map((name) => names.logGroup(name));

    this.role = new IamRole(this, 'Role', {
      name: names.role,
      description: `Runs the ${config.namePrefix} Step Functions Redshift tasker`,
      assumeRolePolicy: terraformJson(lambdaAssumeRolePolicy()),
      path: config.rolePath,
      permissionsBoundary: config.permissionsBoundary,
      tags,
    });
    const env = this.awsEnvironment();

    this.keyLogGroupNames.push(...logGroupNames);
    this.encryptionKey = { arn: this.keyInUse(names, env, tags) };

    const shared = props.callbackPath !== undefined && !isExternalCallbackPath(props.callbackPath) ? props.callbackPath : props.callbackTasker;
    const table = config.existingTableName === undefined ? this.createTable(names, tags) : undefined;
    this.trackingTable = table
      ? { name: table.name, arn: table.arn }
      : shared
        ? { ...shared.trackingTable }
        : {
            name: config.existingTableName as string,
            arn: arnOf(env, 'dynamodb', `table/${config.existingTableName as string}`),
          };
    shared?.admitReusingTasker(this, {
      env,
      namePrefix: config.namePrefix,
      roleUniqueId: this.role.uniqueId,
      stateMachineArns: config.stateMachineArns,
      logGroupNames,
    });

    if (config.createCallbackInfra) {
      this.deadLetterQueue = config.deployDeadLetterQueue ? this.createDeadLetterQueue(names, tags) : undefined;
      this.queue = this.createQueue(names, tags);
      this.eventRule = this.createStatusRule(names, this.queue, tags);
    }

    this.rolePolicy = new IamRolePolicy(this, 'RolePolicy', {
      name: `${config.namePrefix}-tasker`,
      role: this.role.id,
      // `terraformJson`: `stateMachineArns` may be a list reference, which only `jsonencode` can hold.
      policy: terraformJson(
        taskerRolePolicy({
          env,
          target: config.target,
          tableArn: this.trackingTable.arn,
          keyArn: this.encryptionKey.arn,
          queueArn: this.queue?.arn,
          stateMachineArns: config.stateMachineArns,
          logGroupNames,
          statementOwner: config.separateCompleter ? { kind: 'role', roleUniqueId: this.role.uniqueId } : { kind: 'session' },
          heartbeats: config.sendHeartbeats,
          vpc: inVpc(config.vpcConfig),
          tracing: config.tracing,
          holdStatements: (statements) => new TerraformLocal(this, 'RolePolicyStatements', statements).asList,
        }),
      ),
    });
    const rolePolicy = this.rolePolicy;

    const code =
      props.code ?? TaskerCode.fromAsset(new TerraformAsset(this, 'HandlerBundle', { path: bundle!.zipPath, type: AssetType.FILE }), bundle!.sha256);
    this.logGroups = [];
    const makeFunction = (constructId: string, functionName: string): LambdaFunction => {
      const logGroup = new CloudwatchLogGroup(this, `${constructId}LogGroup`, {
        name: names.logGroup(functionName),
        retentionInDays: config.logRetentionDays,
        kmsKeyId: this.encryptionKey.arn,
        tags,
      });
      this.logGroups.push(logGroup);
      const fn = new LambdaFunction(this, constructId, {
        functionName,
        description: `Step Functions Redshift tasker (${config.namePrefix})`,
        role: this.role.arn,
        handler: TASKER_RUNTIME.handler,
        runtime: TASKER_RUNTIME.runtime,
        filename: code.filename,
        sourceCodeHash: code.sourceCodeHash,
        memorySize: config.memorySize,
        timeout: config.timeout,
        reservedConcurrentExecutions: config.reservedConcurrency,
        kmsKeyArn: this.encryptionKey.arn,
        environment: { variables: this.environmentVariables(functionName) },
        architectures: [config.architecture],
        tracingConfig: tracingFor(config.tracing),
        // Naming the group makes Terraform create it (with retention and the key) before Lambda could.
        loggingConfig: { logGroup: logGroup.name, ...logFormatFor(config.logFormat, config.logLevel) },
        tags,
        dependsOn: [rolePolicy],
      });
      placeInVpc(fn, config.vpcConfig);
      return fn;
    };
    this.lambdaFunction = makeFunction('Function', names.function);
    this.completerFunction = config.separateCompleter
      ? makeFunction('CompleterFunction', names.completerFunction)
      : this.lambdaFunction;

    if (this.queue !== undefined) {
      const mapping = new LambdaEventSourceMapping(this, 'QueueEventSource', {
        eventSourceArn: this.queue.arn,
        functionName: this.completerFunction.arn,
        batchSize: config.batchSize,
        maximumBatchingWindowInSeconds: batchingWindowFor(config.batchSize),
        functionResponseTypes: ['ReportBatchItemFailures'],
        tags,
        dependsOn: [rolePolicy],
      });
      capQueueScaling(mapping, config.reservedConcurrency);
      this.sweepRule = this.createSweep(names, tags);
    }
    // Truthy for `true` and for a reference (then `count` decides at plan time).
    if (config.cancelOnExecutionEnd) {
      this.executionEndRule = createExecutionEndRule(this, {
        enabled: config.cancelOnExecutionEnd,
        ruleName: names.executionEndRule,
        stateMachineArns: config.stateMachineArns as readonly string[],
        fn: this.completerFunction,
        tags,
      });
    }
    this.alarms = config.alarms
      ? createTaskerAlarms(this, {
          namePrefix: config.namePrefix,
          settings: config.alarms,
          functions: [
            { id: 'Function', name: names.function, fn: this.lambdaFunction },
            ...(config.separateCompleter ? [{ id: 'CompleterFunction', name: names.completerFunction, fn: this.completerFunction }] : []),
          ],
          queue: this.queue,
          deadLetterQueue: this.deadLetterQueue,
          metricsNamespace: config.metricsNamespace,
          metrics: config.metrics,
          tags,
        })
      : [];
  }

  /**
   * Region and partition from data sources that need no API call; the account id from the role's ARN
   * (`aws_caller_identity` would call STS at plan time). A local keeps the ARNs in policies readable.
   */
  private awsEnvironment(): AwsEnvironment {
    const region = new DataAwsRegion(this, 'Region');
    const partition = new DataAwsPartition(this, 'Partition');
    const accountId = new TerraformLocal(this, 'AccountId', Fn.element(Fn.split(':', this.role.arn), 4));
    return { partition: partition.partition, region: region.name, accountId: accountId.asString };
  }

  /**
   * Lets a tasker reuse this tasker's callback path (called by that tasker's constructor, given this one
   * as `callbackPath`): this tasker's created key admits its log groups, and this tasker's role (which
   * completes its statements) gets, in `scope`, a policy to read them and answer its state machines.
   */
  public admitReusingTasker(scope: Construct, reuser: ReusingTasker): IamRolePolicy {
    this.keyLogGroupNames.push(...reuser.logGroupNames);
    return new IamRolePolicy(scope, 'CallbackTaskerPolicy', {
      name: `${reuser.namePrefix}-statements-completed-by-${this.config.namePrefix}`,
      role: this.role.id,
      policy: terraformJson(
        callbackReaderPolicy({
          env: reuser.env,
          starterRoleUniqueId: reuser.roleUniqueId,
          stateMachineArns: reuser.stateMachineArns,
          // This tasker's sweep looks after the reusing tasker's statements too.
          heartbeats: this.config.sendHeartbeats,
          cancelOrphans: this.config.cancelOrphanedStatements,
        }),
      ),
    });
  }

  /**
   * The ARN of the key everything is encrypted with: the one given, or a key this construct creates.
   * Given as an `orNull` reference, Terraform decides: the key and alias exist (`count`) only while it is
   * null, and the ARN in use is `coalesce(given, created)`.
   */
  private keyInUse(names: TaskerNames, env: AwsEnvironment, tags: Record<string, string> | undefined): string {
    const given = this.config.encryptionKeyArn;
    if (given !== undefined && !mayBeNull(given)) return given;
    const key = this.createKey(names, env, tags, countWhenNull(given));
    if (given === undefined) return key.arn;
    return Fn.coalesce([given, countedAttribute(key, 'arn')]);
  }

  private createKey(names: TaskerNames, env: AwsEnvironment, tags: Record<string, string> | undefined, count: number | undefined): KmsKey {
    // The rule's ARN from its name (the rule is created later and does not depend on the key).
    const statusRuleArn = this.config.createCallbackInfra ? arnOf(env, 'events', `rule/${names.eventRule}`) : undefined;
    const key = new KmsKey(this, 'Key', {
      count,
      description: `Encrypts the ${this.config.namePrefix} Step Functions Redshift tasker's table, queues, logs and environment`,
      enableKeyRotation: true,
      // Lazy: a tasker reusing this one's callback path adds its log groups after this point.
      policy: Lazy.stringValue({
        produce: () => terraformJson(keyPolicy({ env, logGroupNames: [...this.keyLogGroupNames], statusRuleArn })),
      }),
      tags,
    });
    const keyId = count === undefined ? key.keyId : countedAttribute(key, 'key_id');
    new KmsAlias(this, 'KeyAlias', { count, name: names.keyAlias, targetKeyId: keyId });
    return key;
  }

  private createTable(names: TaskerNames, tags: Record<string, string> | undefined): DynamodbTable {
    // Keys, indexes and projections come from the contract, as the handler's tests and local runs do.
    return new DynamodbTable(this, 'TrackingTable', {
      name: names.table,
      billingMode: TABLE_DEFINITION.BILLING_MODE,
      hashKey: TABLE.PARTITION_KEY,
      attribute: TABLE_DEFINITION.KEY_ATTRIBUTES.map((name) => ({ name, type: 'S' })),
      globalSecondaryIndex: TABLE_DEFINITION.GLOBAL_SECONDARY_INDEXES.map((index) => ({
        name: index.name,
        hashKey: index.hashKey,
        rangeKey: index.rangeKey,
        projectionType: index.projectionType,
        nonKeyAttributes: [...index.nonKeyAttributes],
      })),
      ttl: { attributeName: TABLE.TTL_ATTRIBUTE, enabled: true },
      serverSideEncryption: { enabled: true, kmsKeyArn: this.encryptionKey.arn },
      pointInTimeRecovery: { enabled: true },
      tags,
    });
  }

  private createDeadLetterQueue(names: TaskerNames, tags: Record<string, string> | undefined): SqsQueue {
    const dlq = new SqsQueue(this, 'DeadLetterQueue', {
      name: names.deadLetterQueue,
      kmsMasterKeyId: this.encryptionKey.arn,
      messageRetentionSeconds: DEAD_LETTER_RETENTION_SECONDS,
      tags,
    });
    return dlq;
  }

  private createQueue(names: TaskerNames, tags: Record<string, string> | undefined): SqsQueue {
    return new SqsQueue(this, 'Queue', {
      name: names.queue,
      kmsMasterKeyId: this.encryptionKey.arn,
      // Six times the function timeout, as Lambda advises for SQS sources, so a message is not
      // redelivered while a slow batch is still being handled.
      visibilityTimeoutSeconds: Token.isUnresolved(this.config.timeout) ? Op.mul(6, this.config.timeout) : 6 * this.config.timeout,
      redrivePolicy: this.deadLetterQueue
        ? terraformJson({ deadLetterTargetArn: this.deadLetterQueue.arn, maxReceiveCount: this.config.maxReceiveCount })
        : undefined,
      tags,
    });
  }

  private createStatusRule(names: TaskerNames, queue: SqsQueue, tags: Record<string, string> | undefined): CloudwatchEventRule {
    const rule = new CloudwatchEventRule(this, 'StatusRule', {
      name: names.eventRule,
      description: `Redshift Data API status changes of statements named ${this.config.statementNamePrefix}*`,
      eventPattern: terraformJson(statementStatusEventPattern(this.config.statementNamePrefix)),
      tags,
    });
    const dlq = this.deadLetterQueue;
    new CloudwatchEventTarget(this, 'StatusRuleTarget', {
      rule: rule.name,
      targetId: 'statement-events-queue',
      arn: queue.arn,
      // EventBridge's own defaults, made explicit: an event it cannot deliver to the queue (queue policy,
      // key or throttling trouble) is retried for a day, then goes to the dead-letter queue, not lost.
      retryPolicy: STATUS_RULE_RETRY_POLICY,
      deadLetterConfig: dlq ? { arn: dlq.arn } : undefined,
    });
    new SqsQueuePolicy(this, 'QueuePolicy', { queueUrl: queue.url, policy: terraformJson(eventQueuePolicy(queue.arn, rule.arn)) });
    if (dlq !== undefined) {
      new SqsQueuePolicy(this, 'DeadLetterQueuePolicy', {
        queueUrl: dlq.url,
        policy: terraformJson(deadLetterQueuePolicy(dlq.arn, rule.arn)),
      });
    }
    return rule;
  }

  /** A schedule invoking the completer with a `Scheduled Event`, which the handler treats as "run the sweep". */
  private createSweep(names: TaskerNames, tags: Record<string, string> | undefined): CloudwatchEventRule {
    const rule = new CloudwatchEventRule(this, 'SweepRule', {
      name: names.sweepRule,
      description: 'Looks for statements of this tasker whose completion event was lost',
      scheduleExpression: this.config.sweepSchedule,
      tags,
    });
    ruleInvokesFunction(this, {
      ids: { target: 'SweepRuleTarget', permission: 'SweepInvokePermission' },
      rule,
      fn: this.completerFunction,
      targetId: 'sweep',
      statementId: 'AllowSweepSchedule',
    });
    return rule;
  }

  /**
   * A `waitForTaskToken` task state that runs SQL on this tasker's target and completes when the
   * statement ends (see `sfn.sqlTask`). `catchFailed` also catches `ABORTED` when this tasker sends it.
   */
  public sqlTask(name: string, options: sfn.SqlTaskOptions): sfn.NamedState<sfn.TaskState> {
    const { abortedErrorName } = this.config;
    // A Terraform reference cannot decide the ASL at synth time; the caller then says it in `options`.
    const known = Token.isUnresolved(abortedErrorName) ? undefined : abortedErrorName;
    return sfn.sqlTask(this.lambdaFunction.arn, name, { abortedErrorName: known, ...options });
  }

  /** A task state that cancels a statement (by default the execution's LATEST) (see `sfn.cancelTask`). */
  public cancelTask(name: string, options?: sfn.StatementTaskOptions): sfn.NamedState<sfn.TaskState> {
    return sfn.cancelTask(this.lambdaFunction.arn, name, options);
  }

  /** A task state that describes a statement (by default the execution's LATEST) (see `sfn.describeTask`). */
  public describeTask(name: string, options?: sfn.StatementTaskOptions): sfn.NamedState<sfn.TaskState> {
    return sfn.describeTask(this.lambdaFunction.arn, name, options);
  }

  /** A task state that reads a statement's result set, one page per call (see `sfn.resultTask`). */
  public resultTask(name: string, options?: sfn.ResultTaskOptions): sfn.NamedState<sfn.TaskState> {
    return sfn.resultTask(this.lambdaFunction.arn, name, options);
  }

  /**
   * A Standard state machine whose role may invoke exactly this tasker's function
   * (see `sfn.TaskerStateMachine`).
   */
  public stateMachine(
    id: string,
    definition: sfn.StateMachineDefinition,
    props: Omit<sfn.TaskerStateMachineProps, 'taskerFunctionArn' | 'definition'> = {},
  ): sfn.TaskerStateMachine {
    return new sfn.TaskerStateMachine(this, id, { ...props, taskerFunctionArn: this.lambdaFunction.arn, definition });
  }

  /**
   * SQL run at `terraform apply` and `destroy` through this tasker (an `aws_lambda_invocation` with
   * lifecycle scope CRUD; see README "SQL as Terraform resources"). The SQL must finish within the
   * function timeout. Runs only once the function's permissions exist, and before they are removed.
   */
  public sqlResource(id: string, options: SqlResourceOptions): SqlResource {
    return new SqlResource(this, id, {
      ...options,
      functionName: this.lambdaFunction.functionName,
      dependsOn: [this.rolePolicy, ...(options.dependsOn ?? [])],
    });
  }

  /** The contract's environment variables for one function. */
  private environmentVariables(functionName: string): Record<string, string> {
    return handlerEnvironment(this.config, { tableName: this.trackingTable.name, functionName });
  }
}

/** Whether the functions run in a VPC; with referenced subnet ids, Terraform decides (an empty list means none). */
function inVpc(vpcConfig: TaskerVpcConfig | undefined): boolean {
  if (vpcConfig === undefined) return false;
  if (Token.isUnresolved(vpcConfig.subnetIds)) return Token.asAny(Op.gte(Fn.lengthOf(vpcConfig.subnetIds), 1)) as unknown as boolean;
  return true;
}

/**
 * The functions' VPC settings. Referenced subnet ids (a module input, empty for no VPC) make it a dynamic
 * block present only with subnets: an empty `vpc_config` is no setting, so it is not written.
 */
function placeInVpc(fn: LambdaFunction, vpcConfig: TaskerVpcConfig | undefined): void {
  if (vpcConfig === undefined) return;
  const { subnetIds, securityGroupIds } = vpcConfig;
  if (!Token.isUnresolved(subnetIds)) {
    fn.putVpcConfig({ subnetIds, securityGroupIds });
    return;
  }
  addBlockWhen(fn, 'vpc_config', Op.gte(Fn.lengthOf(subnetIds), 1), { subnet_ids: subnetIds, security_group_ids: securityGroupIds });
}

/** Active tracing when on; a reference chooses between Active and PassThrough (Lambda's default) at plan time. */
function tracingFor(tracing: boolean): { mode: string } | undefined {
  if (Token.isUnresolved(tracing)) return { mode: Fn.conditional(tracing, 'Active', 'PassThrough') };
  return tracing ? { mode: 'Active' } : undefined;
}

/** The log format; with JSON, Lambda's application log level (from logLevel) drops lower lines before they are stored. */
function logFormatFor(logFormat: string, logLevel: string): { logFormat: string; applicationLogLevel?: string } {
  if (Token.isUnresolved(logFormat)) {
    return { logFormat, applicationLogLevel: Fn.conditional(Op.eq(logFormat, 'JSON'), logLevel, Token.nullValue()) };
  }
  return logFormat === 'JSON' ? { logFormat, applicationLogLevel: logLevel } : { logFormat };
}

/**
 * With reserved concurrency, the mapping polls with at most that many concurrent invocations: beyond it,
 * Lambda throttles, and each throttled batch counts as a receive, pushing events to the dead-letter queue.
 * Without it, no `scaling_config` at all: AWS reports none, so a block holding null would plan as a
 * change after every apply. A reference (a module input that may be null) makes it a dynamic block.
 */
function capQueueScaling(mapping: LambdaEventSourceMapping, reservedConcurrency: number | undefined): void {
  if (reservedConcurrency === undefined) return;
  if (Token.isUnresolved(reservedConcurrency)) {
    // `coalesce` keeps `max` away from null, whichever branch Terraform looks at.
    const capped = Fn.max([MIN_QUEUE_CONCURRENCY, Fn.coalesce([reservedConcurrency, MIN_QUEUE_CONCURRENCY])]);
    addBlockWhen(mapping, 'scaling_config', Op.neq(reservedConcurrency, Token.nullValue()), { maximum_concurrency: capped });
    return;
  }
  mapping.putScalingConfig({ maximumConcurrency: Math.max(MIN_QUEUE_CONCURRENCY, reservedConcurrency) });
}

/** The batching window SQS requires for batches above 10 messages; decided by Terraform when the size is a reference. */
function batchingWindowFor(batchSize: number): number | undefined {
  if (Token.isUnresolved(batchSize)) {
    return Token.asNumber(Fn.conditional(Op.gt(batchSize, 10), LARGE_BATCH_WINDOW_SECONDS, Token.nullValue()));
  }
  return batchSize > 10 ? LARGE_BATCH_WINDOW_SECONDS : undefined;
}
