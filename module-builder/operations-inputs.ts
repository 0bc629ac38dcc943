/**
 * The module inputs of issue 13's operational settings and platform knobs, and how they become construct
 * props. Kept apart from the core inputs so any module layout can add both with one spread each: the
 * construct accepts every one of them as a Terraform reference (it decides them at plan time).
 */
import type { TerraformVariable } from 'cdktf';
import { METRICS } from '../functions/shared/contract';
import { orNull } from '../modules/plan-time';
import type { SfnRedshiftTaskerProps, TaskerArchitecture, TaskerLogFormat } from '../modules/tasker-props';
import { settingInput } from './input-rules';
import type { ModuleInput } from './module-input';

export const OPERATIONS_MODULE_INPUTS: readonly ModuleInput[] = [
  settingInput(
    'sendHeartbeats',
    'The sweep sends SendTaskHeartbeat for every task whose statement still runs, so HeartbeatSeconds means "the tasker stopped looking ' +
      'after the statement" (give it at least two sweep intervals). Adds states:SendTaskHeartbeat to the role.',
  ),
  settingInput(
    'cancelOrphanedStatements',
    'Cancel, once, a statement whose task is closed (TaskTimedOut, TaskDoesNotExist, InvalidToken); the tracking item records why.',
  ),
  {
    ...settingInput(
      'cancelOnExecutionEnd',
      'An EventBridge rule on the ended executions (ABORTED, TIMED_OUT, FAILED) of state_machine_arns cancels their running statements ' +
        'at once, instead of at the next sweep. Needs state_machine_arns and cancel_orphaned_statements.',
    ),
    validation: [
      {
        condition: '!var.cancel_on_execution_end || var.state_machine_arns != null',
        errorMessage: 'cancel_on_execution_end needs state_machine_arns: the rule matches the executions of those state machines.',
      },
      {
        condition: '!var.cancel_on_execution_end || var.cancel_orphaned_statements',
        errorMessage: 'cancel_on_execution_end cancels orphaned statements: it cannot be used with cancel_orphaned_statements = false.',
      },
    ],
  },
  {
    name: 'metrics',
    type: 'bool',
    description: 'The handler writes CloudWatch metrics in the embedded metric format (no API calls; each metric is a custom metric).',
    default: true,
  },
  {
    name: 'metrics_namespace',
    type: 'string',
    description: "CloudWatch namespace of the handler's metrics.",
    default: METRICS.DEFAULT_NAMESPACE,
    validation: [
      {
        condition: 'can(regex("^[A-Za-z0-9._/#:-]{1,255}$", var.metrics_namespace)) && !startswith(var.metrics_namespace, "AWS/")',
        errorMessage: 'metrics_namespace must be 1 to 255 letters, digits or . _ / # : - and not start with AWS/.',
      },
    ],
  },
  {
    name: 'alarms',
    type: 'bool',
    description:
      'CloudWatch alarms: dead-letter queue depth, function errors and throttles, age of the oldest completion event, sweep repairs and ' +
      'pending callbacks (with metrics); thresholds in the alarm_* inputs.',
    default: false,
  },
  {
    name: 'alarm_topic_arn',
    type: 'string',
    description: 'SNS topic every alarm notifies on alarm and on recovery. null: alarms without actions.',
    default: null,
    validation: [
      {
        condition:
          'var.alarm_topic_arn == null || can(regex("^arn:[a-z-]+:sns:[a-z0-9-]+:[0-9]{12}:[A-Za-z0-9_.-]+$", var.alarm_topic_arn))',
        errorMessage: 'alarm_topic_arn must be null or an SNS topic ARN.',
      },
    ],
  },
  settingInput('alarms.functionErrorsThreshold', 'Function errors in 5 minutes that fire the errors alarm (one alarm per function).'),
  settingInput(
    'alarms.oldestEventAgeSeconds',
    'Age in seconds of the oldest completion event in the queue that fires the event-age alarm.',
  ),
  settingInput(
    'alarms.sweepRepairsThreshold',
    'Completions the sweep made in 15 minutes (status-change events that never arrived) that fire the sweep-repairs alarm (needs metrics).',
  ),
  settingInput(
    'alarms.pendingCallbackAgeSeconds',
    'Age in seconds (since its statement ended) of the oldest task callback still unanswered by Step Functions that fires the ' +
      'pending-callbacks alarm (needs metrics).',
  ),
  {
    name: 'vpc_subnet_ids',
    type: 'list(string)',
    description:
      'Subnets the functions run in (empty: no VPC). They need routes or VPC endpoints to the Redshift Data API, DynamoDB, SQS, Step ' +
      'Functions, KMS and CloudWatch Logs (and Secrets Manager, X-Ray when used). Adds the network-interface permissions to the role.',
    default: [],
    // On this input, which a VPC call always sets (Terraform checks a variable left at its default less eagerly).
    validation: [
      {
        condition: '(length(var.vpc_subnet_ids) == 0) == (length(var.vpc_security_group_ids) == 0)',
        errorMessage: 'vpc_subnet_ids and vpc_security_group_ids must both be empty (no VPC) or both be given.',
      },
    ],
  },
  {
    name: 'vpc_security_group_ids',
    type: 'list(string)',
    description: "Security groups of the functions' network interfaces; required with vpc_subnet_ids.",
    default: [],
  },
  {
    name: 'permissions_boundary',
    type: 'string',
    description: "ARN of a managed policy set as the role's permissions boundary. null: none.",
    default: null,
    validation: [
      {
        condition:
          'var.permissions_boundary == null || can(regex("^arn:[a-z-]+:iam::([0-9]{12}|aws):policy/.+$", var.permissions_boundary))',
        errorMessage: 'permissions_boundary must be null or an IAM managed policy ARN.',
      },
    ],
  },
  {
    name: 'role_path',
    type: 'string',
    description: 'IAM path of the role. null: /.',
    default: null,
    validation: [
      {
        condition: 'var.role_path == null || can(regex("^/([!-~]+/)?$", var.role_path))',
        errorMessage: 'role_path must be null, / or start and end with / .',
      },
    ],
  },
  {
    name: 'tracing',
    type: 'bool',
    description: 'X-Ray active tracing on the functions; adds xray:PutTraceSegments and PutTelemetryRecords to the role.',
    default: false,
  },
  settingInput(
    'architecture',
    'Instruction set of the functions: arm64 (about 20% cheaper per GB-second; the handler is plain JavaScript) or x86_64.',
  ),
  settingInput(
    'logFormat',
    "Text or JSON. JSON also writes Lambda's own lines as JSON and drops lines below log_level before they are stored.",
  ),
];

/** The construct props these inputs set, from the variables that carry them. */
export function operationsPropsFrom(input: (name: string) => TerraformVariable): Partial<SfnRedshiftTaskerProps> {
  const flag = (name: string): boolean => input(name).booleanValue as unknown as boolean;
  return {
    sendHeartbeats: flag('send_heartbeats'),
    cancelOrphanedStatements: flag('cancel_orphaned_statements'),
    cancelOnExecutionEnd: flag('cancel_on_execution_end'),
    metrics: flag('metrics'),
    metricsNamespace: input('metrics_namespace').stringValue,
    alarms: {
      enabled: flag('alarms'),
      topicArn: orNull(input('alarm_topic_arn').stringValue),
      functionErrorsThreshold: input('alarm_function_errors_threshold').numberValue,
      oldestEventAgeSeconds: input('alarm_oldest_event_age_seconds').numberValue,
      sweepRepairsThreshold: input('alarm_sweep_repairs_threshold').numberValue,
      pendingCallbackAgeSeconds: input('alarm_pending_callback_age_seconds').numberValue,
    },
    vpcConfig: { subnetIds: input('vpc_subnet_ids').listValue, securityGroupIds: input('vpc_security_group_ids').listValue },
    permissionsBoundary: input('permissions_boundary').stringValue,
    rolePath: input('role_path').stringValue,
    tracing: flag('tracing'),
    architecture: input('architecture').stringValue as TaskerArchitecture,
    logFormat: input('log_format').stringValue as TaskerLogFormat,
  };
}
