/**
 * `SfnRedshiftTasker`: runs Amazon Redshift SQL from AWS Step Functions as if it were synchronous.
 *
 * A `waitForTaskToken` task invokes the tasker function, which tracks the call in DynamoDB and starts
 * the statement through the Redshift Data API (`WithEvent: true`). The statement's status-change event
 * goes through an EventBridge rule to an SQS queue; the function (or a separate completer) reads it and
 * answers the task token. A scheduled sweep catches statements whose event never arrived.
 */
import type { CloudwatchEventRule } from '@cdktf/provider-aws/lib/cloudwatch-event-rule';
import type { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group';
import type { CloudwatchMetricAlarm } from '@cdktf/provider-aws/lib/cloudwatch-metric-alarm';
import { DataAwsPartition } from '@cdktf/provider-aws/lib/data-aws-partition';
import { DataAwsRegion } from '@cdktf/provider-aws/lib/data-aws-region';
import type { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import type { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { LambdaEventSourceMapping } from '@cdktf/provider-aws/lib/lambda-event-source-mapping';
import type { LambdaFunction } from '@cdktf/provider-aws/lib/lambda-function';
import type { SqsQueue } from '@cdktf/provider-aws/lib/sqs-queue';
import { AssetType, Fn, Op, TerraformAsset, TerraformLocal, Token } from 'cdktf';
import type { Construct } from 'constructs';
import type { AwsEnvironment } from './aws-environment';
import { handlerEnvironment } from './handler-environment';
import { createTaskerAlarms } from './private/alarms';
import { keyInUse } from './private/encryption-key';
import { createExecutionEndRule } from './private/execution-end-rule';
import { type HandlerBundle, locateHandlerBundle } from './handler-asset';
import { taskerNames, type TaskerNames } from './private/naming';
import { addBlockWhen } from './private/optional-block';
import { arnOf } from './private/policy-document';
import { warnOfOverlappingRules, type RuleOwner } from './private/prefix-overlap';
import { createStatusRoute } from './private/status-route';
import { createSweepRule } from './private/sweep-rule';
import { createTaskerFunction } from './private/tasker-function';
import { createTaskerRole, createTaskerRolePolicy, grantCallbackReader } from './private/tasker-role';
import { trackingTableFor } from './private/tracking-table';
import { resolveTaskerConfig } from './resolve-tasker-config';
import { TaskerCode } from './tasker-code';
import { SfnRedshiftTaskerBase } from './tasker-base';
import type { ResolvedCallbackPath, ResolvedTaskerConfig } from './tasker-config';
import type { CallbackPathOwner, ReusingTasker, SfnRedshiftTaskerProps, TaskerResourceRef } from './tasker-props';

export { TASKER_RUNTIME } from './tasker-code';
export { STATUS_RULE_RETRY_POLICY } from './event-pattern';

/** SQS requires a batching window when a batch may hold more than 10 messages. */
const LARGE_BATCH_WINDOW_SECONDS = 1;
/** The lowest `maximum_concurrency` an SQS event source mapping accepts. */
export const MIN_QUEUE_CONCURRENCY = 2;

type Tags = Record<string, string> | undefined;

export class SfnRedshiftTasker extends SfnRedshiftTaskerBase implements CallbackPathOwner {
  /** The function Step Functions invokes (`Parameters.FunctionName` of the task state). */
  public readonly lambdaFunction: LambdaFunction;
  /** The function that handles completion events and the sweep: `lambdaFunction` unless `separateCompleter`. */
  public readonly completerFunction: LambdaFunction;
  /** The role both functions run with. */
  public readonly role: IamRole;
  /** The tracking table (created, an existing one named in the props, or the one of the reused callback path). */
  public readonly trackingTable: TaskerResourceRef;
  /** The KMS key that encrypts the table, queues, log groups and environment variables. */
  public readonly encryptionKey: { readonly arn: string };
  /** The queue of completion events; undefined when the tasker reuses another's callback path. */
  public readonly queue?: SqsQueue;
  /** The queue's dead-letter queue; undefined with a reused callback path or `deployDeadLetterQueue: false`. */
  public readonly deadLetterQueue?: SqsQueue;
  /** The rule routing this tasker's statement status changes to `queue`; undefined with a reused callback path. */
  public readonly eventRule?: CloudwatchEventRule;
  /** The schedule that triggers the sweep; undefined with a reused callback path. */
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
    const bundle = config.code === undefined ? locateHandlerBundle() : undefined;
    super(scope, id);
    this.config = config;
    this.statementNamePrefix = config.statementNamePrefix;
    const path = config.callbackPath;
    const names = taskerNames(config.namePrefix);
    const tags = Object.keys(config.tags).length > 0 ? { ...config.tags } : undefined;
    const functionNames = config.separateCompleter ? [names.function, names.completerFunction] : [names.function];
    const logGroupNames = functionNames.map((name) => names.logGroup(name));

    this.role = createTaskerRole(this, config, names, tags);
    const env = this.awsEnvironment();
    this.keyLogGroupNames.push(...logGroupNames);
    this.encryptionKey = { arn: this.keyInUse(names, env, tags) };
    this.trackingTable = trackingTableFor(this, path, { name: names.table, env, keyArn: this.encryptionKey.arn, tags });
    if (path.kind === 'tasker') {
      const { namePrefix, stateMachineArns } = config;
      path.owner.admitReusingTasker(this, { env, namePrefix, roleUniqueId: this.role.uniqueId, stateMachineArns, logGroupNames });
    }
    const route = path.kind === 'own' ? createStatusRoute(this, { names, config, keyArn: this.encryptionKey.arn, tags }) : undefined;
    this.deadLetterQueue = route?.deadLetterQueue;
    this.queue = route?.queue;
    this.eventRule = route?.eventRule;
    this.rolePolicy = createTaskerRolePolicy(this, this.role, config, {
      env,
      tableArn: this.trackingTable.arn,
      keyArn: this.encryptionKey.arn,
      queueArn: this.queue?.arn,
      logGroupNames,
    });
    const rolePolicy = this.rolePolicy;

    const code = config.code ?? this.bundledCode(bundle);
    const functionBase = {
      config,
      role: this.role,
      code,
      keyArn: this.encryptionKey.arn,
      logGroupName: names.logGroup,
      // The role's name as given (known at plan time, unlike its ARN's account): the fast path builds its principal from it.
      environment: (functionName: string) =>
        handlerEnvironment(config, { tableName: this.trackingTable.name, functionName, roleName: names.role }),
      tags,
      dependsOn: [rolePolicy],
    };
    const starter = createTaskerFunction(this, 'Function', names.function, functionBase);
    const completer = config.separateCompleter
      ? createTaskerFunction(this, 'CompleterFunction', names.completerFunction, functionBase)
      : starter;
    this.lambdaFunction = starter.fn;
    this.completerFunction = completer.fn;
    this.logGroups = completer === starter ? [starter.logGroup] : [starter.logGroup, completer.logGroup];

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
      this.sweepRule = createSweepRule(this, {
        name: names.sweepRule,
        schedule: config.sweepSchedule,
        completer: this.completerFunction,
        tags,
      });
    }
    this.executionEndRule = this.createExecutionEndRule(names, tags);
    this.alarms = this.createAlarms(names, tags);
    if (this.eventRule !== undefined) {
      // Each tasker checks the ones built before it, so every overlapping pair is reported once, on the later one.
      warnOfOverlappingRules(this, ruleOwner(this), otherRuleOwners(this));
    }
  }

  /** The key ARN this tasker encrypts with: the given one, another tasker's, or a key it creates (encryption-key.ts). */
  private keyInUse(names: TaskerNames, env: AwsEnvironment, tags: Tags): string {
    const { config } = this;
    const path = config.callbackPath;
    // The status rule's ARN from its name (the rule is created later and does not depend on the key).
    const statusRuleArn = path.kind === 'own' ? arnOf(env, 'events', `rule/${names.eventRule}`) : undefined;
    const keyInput = {
      namePrefix: config.namePrefix,
      alias: names.keyAlias,
      env,
      statusRuleArn,
      logGroupNames: this.keyLogGroupNames,
      tags,
    };
    return keyInUse(this, givenKeyArn(path), keyInput);
  }

  /** The rule cancelling an ended execution's statements, when `cancelOnExecutionEnd` may be on. */
  private createExecutionEndRule(names: TaskerNames, tags: Tags): CloudwatchEventRule | undefined {
    const { config } = this;
    // Truthy for `true` and for a reference (then `count` decides at plan time).
    if (!config.cancelOnExecutionEnd) return undefined;
    return createExecutionEndRule(this, {
      enabled: config.cancelOnExecutionEnd,
      ruleName: names.executionEndRule,
      stateMachineArns: config.stateMachineArns as readonly string[],
      fn: this.completerFunction,
      tags,
    });
  }

  /** The shipped handler bundle as the function's code (located before the construct joined the tree). */
  private bundledCode(bundle: HandlerBundle | undefined): TaskerCode {
    if (bundle === undefined) throw new Error('the handler bundle is located whenever no code is given');
    return TaskerCode.fromAsset(new TerraformAsset(this, 'HandlerBundle', { path: bundle.zipPath, type: AssetType.FILE }), bundle.sha256);
  }

  /**
   * Region and partition from data sources that need no API call; the account id from the role's ARN
   * (`aws_caller_identity` would call STS at plan time). A local keeps the ARNs in policies readable.
   * The region is `aws_region`'s `id`: aws 6 deprecates `name`, and `region` exists only from aws 6.0.
   */
  private awsEnvironment(): AwsEnvironment {
    const region = new DataAwsRegion(this, 'Region');
    const partition = new DataAwsPartition(this, 'Partition');
    const accountId = new TerraformLocal(this, 'AccountId', Fn.element(Fn.split(':', this.role.arn), 4));
    return { partition: partition.partition, region: region.id, accountId: accountId.asString };
  }

  private createAlarms(names: TaskerNames, tags: Tags): CloudwatchMetricAlarm[] {
    const { config } = this;
    if (!config.alarms) return [];
    return createTaskerAlarms(this, {
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
    });
  }

  /**
   * Lets a tasker reuse this tasker's callback path (called by that tasker's constructor, given this one
   * as `callbackPath`): this tasker's created key admits its log groups, and this tasker's role (which
   * completes its statements) gets, in `scope`, a policy to read them and answer its state machines.
   */
  public admitReusingTasker(scope: Construct, reuser: ReusingTasker): IamRolePolicy {
    this.keyLogGroupNames.push(...reuser.logGroupNames);
    return grantCallbackReader(scope, this, reuser);
  }
}

/** The KMS key the props give: this tasker's own (maybe none), or the one of the reused callback path. */
function givenKeyArn(path: ResolvedCallbackPath): string | undefined {
  return path.kind === 'tasker' ? path.owner.encryptionKey.arn : path.encryptionKeyArn;
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

const ruleOwner = (tasker: SfnRedshiftTasker): RuleOwner => ({ path: tasker.node.path, statementNamePrefix: tasker.statementNamePrefix });

/** The other taskers of the app that own an event rule. */
function otherRuleOwners(self: SfnRedshiftTasker): RuleOwner[] {
  return self.node.root.node
    .findAll()
    .filter((c): c is SfnRedshiftTasker => c instanceof SfnRedshiftTasker && c !== self && c.eventRule !== undefined)
    .map(ruleOwner);
}
