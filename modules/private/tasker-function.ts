/**
 * One tasker function and its log group: the starter, or the separate completer. Both run the same
 * handler with the same role, key and settings; only the name (and so the log group) differs.
 */
import { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group';
import type { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { LambdaFunction } from '@cdktf/provider-aws/lib/lambda-function';
import type { ITerraformDependable } from 'cdktf';
import type { Construct } from 'constructs';
import type { ResolvedTaskerConfig } from '../tasker-config';
import { TASKER_RUNTIME, type TaskerCode } from '../tasker-code';
import { logFormatFor, placeInVpc, tracingFor } from './function-options';

/** What every tasker function of one construct shares. */
export interface TaskerFunctionBase {
  readonly config: ResolvedTaskerConfig;
  readonly role: IamRole;
  readonly code: TaskerCode;
  readonly keyArn: string;
  /** The log group name of a function. */
  readonly logGroupName: (functionName: string) => string;
  /** The contract's environment variables of a function. */
  readonly environment: (functionName: string) => Record<string, string>;
  readonly tags?: Record<string, string>;
  /** The role policy: the function exists only once it may do its work. */
  readonly dependsOn: ITerraformDependable[];
}

/** A function `functionName` with construct id `constructId`, and its log group (`<constructId>LogGroup`). */
export function createTaskerFunction(
  scope: Construct,
  constructId: string,
  functionName: string,
  base: TaskerFunctionBase,
): { fn: LambdaFunction; logGroup: CloudwatchLogGroup } {
  const { config, tags } = base;
  const logGroup = new CloudwatchLogGroup(scope, `${constructId}LogGroup`, {
    name: base.logGroupName(functionName),
    retentionInDays: config.logRetentionDays,
    kmsKeyId: base.keyArn,
    tags,
  });
  const fn = new LambdaFunction(scope, constructId, {
    functionName,
    description: `Step Functions Redshift tasker (${config.namePrefix})`,
    role: base.role.arn,
    handler: TASKER_RUNTIME.handler,
    runtime: TASKER_RUNTIME.runtime,
    filename: base.code.filename,
    sourceCodeHash: base.code.sourceCodeHash,
    memorySize: config.memorySize,
    timeout: config.timeout,
    reservedConcurrentExecutions: config.reservedConcurrency,
    kmsKeyArn: base.keyArn,
    environment: { variables: base.environment(functionName) },
    architectures: [config.architecture],
    tracingConfig: tracingFor(config.tracing),
    // Naming the group makes Terraform create it (with retention and the key) before Lambda could.
    loggingConfig: { logGroup: logGroup.name, ...logFormatFor(config.logFormat, config.logLevel) },
    tags,
    dependsOn: base.dependsOn,
  });
  placeInVpc(fn, config.vpcConfig);
  return { fn, logGroup };
}
