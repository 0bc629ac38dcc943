/**
 * Checks and resolves the operational props (heartbeats and orphans, metrics, alarms) and the platform
 * knobs (VPC, permissions boundary, role path, tracing, architecture, log format). Part of
 * `resolveTaskerConfig`: problems go to its list, thrown together before anything is created.
 */
import { Token } from 'cdktf';
import { METRICS } from '../../functions/shared/contract';
import { settingValue } from './setting-value';
import type { ResolvedAlarms, ResolvedOperations } from '../tasker-config';
import type { SfnRedshiftTaskerProps, TaskerArchitecture, TaskerLogFormat } from '../tasker-props';
import type { GroupedOptions } from './legacy-props';

const ROLE_PATH_PATTERN = /^\/([\x21-\x7e]+\/)?$/;
const NAMESPACE_PATTERN = /^[A-Za-z0-9._/#:-]{1,255}$/;

const isToken = (value: unknown): boolean => Token.isUnresolved(value);

export function resolveOperations(props: SfnRedshiftTaskerProps, options: GroupedOptions, problems: string[]): ResolvedOperations {
  const cancelOrphanedStatements = settingValue('cancelOrphanedStatements', props.cancelOrphanedStatements, problems);
  // A reference is decided at plan time (`count`); it still needs stateMachineArns to build the rule's pattern from.
  const cancelOnExecutionEnd = settingValue('cancelOnExecutionEnd', props.cancelOnExecutionEnd, problems);
  if (cancelOnExecutionEnd && props.stateMachineArns === undefined) {
    problems.push('cancelOnExecutionEnd needs stateMachineArns (the rule matches the executions of those state machines)');
  }
  if (cancelOnExecutionEnd && !isToken(cancelOnExecutionEnd) && !isToken(cancelOrphanedStatements) && !cancelOrphanedStatements) {
    problems.push('cancelOnExecutionEnd cancels orphaned statements; it cannot be used with cancelOrphanedStatements: false');
  }
  const metricsNamespace = props.metricsNamespace ?? METRICS.DEFAULT_NAMESPACE;
  if (!isToken(metricsNamespace) && (!NAMESPACE_PATTERN.test(metricsNamespace) || metricsNamespace.startsWith('AWS/'))) {
    problems.push(`metricsNamespace '${metricsNamespace}' must be 1 to 255 letters, digits or . _ / # : - and not start with 'AWS/'`);
  }

  const sendHeartbeats = settingValue('sendHeartbeats', props.sendHeartbeats, problems);

  let alarms: ResolvedAlarms | undefined;
  if (props.alarms !== undefined) {
    const given = props.alarms;
    alarms = {
      enabled: given.enabled ?? true,
      topicArn: given.topicArn,
      functionErrorsThreshold: settingValue('alarms.functionErrorsThreshold', given.functionErrorsThreshold, problems),
      oldestEventAgeSeconds: settingValue('alarms.oldestEventAgeSeconds', given.oldestEventAgeSeconds, problems),
      sweepRepairsThreshold: settingValue('alarms.sweepRepairsThreshold', given.sweepRepairsThreshold, problems),
      pendingCallbackAgeSeconds: settingValue('alarms.pendingCallbackAgeSeconds', given.pendingCallbackAgeSeconds, problems),
    };
    if (
      alarms.topicArn !== undefined &&
      !isToken(alarms.topicArn) &&
      !/^arn:[a-z-]+:sns:[a-z0-9-]+:\d{12}:[A-Za-z0-9_.-]+$/.test(alarms.topicArn)
    ) {
      problems.push(`alarms.topicArn '${alarms.topicArn}' is not an ARN of an SNS topic`);
    }
  }

  const { vpcConfig, tracing } = options.function;
  const { permissionsBoundary, path: rolePath } = options.role;
  if (vpcConfig !== undefined) {
    for (const name of ['subnetIds', 'securityGroupIds'] as const) {
      const list = vpcConfig[name];
      if (!isToken(list) && (!Array.isArray(list) || list.length === 0)) problems.push(`vpcConfig.${name} must list at least one id`);
    }
  }
  if (
    permissionsBoundary !== undefined &&
    !isToken(permissionsBoundary) &&
    !/^arn:[a-z-]+:iam::(\d{12}|aws):policy\/.+/.test(permissionsBoundary)
  ) {
    problems.push(`permissionsBoundary '${permissionsBoundary}' is not an ARN of an IAM managed policy`);
  }
  if (rolePath !== undefined && !isToken(rolePath) && (rolePath.length > 512 || !ROLE_PATH_PATTERN.test(rolePath))) {
    problems.push(`rolePath '${rolePath}' must be '/' or start and end with '/' (at most 512 printable characters)`);
  }
  const architecture = settingValue('architecture', options.function.architecture, problems) as TaskerArchitecture;
  const logFormat = settingValue('logFormat', options.logging.format, problems) as TaskerLogFormat;

  return {
    sendHeartbeats,
    cancelOrphanedStatements,
    cancelOnExecutionEnd,
    metrics: props.metrics ?? true,
    metricsNamespace,
    alarms,
    vpcConfig,
    permissionsBoundary,
    rolePath,
    tracing: tracing ?? false,
    architecture,
    logFormat,
  };
}
