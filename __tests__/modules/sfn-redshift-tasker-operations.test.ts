/**
 * Operating the tasker: heartbeats and orphan cancel, metrics, alarms, and the platform knobs (VPC,
 * permissions boundary, role path, tracing, architecture, log format), each with its IAM consequence.
 */
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { Testing, TerraformStack, TerraformVariable } from 'cdktf';
import { ENV, METRICS } from '../../functions/shared/contract';
import { orNull } from '../../modules/plan-time';
import { SfnRedshiftTasker } from '../../modules/sfn-redshift-tasker';
import type { SfnRedshiftTaskerProps } from '../../modules/tasker-props';
import { VPC_NETWORK_INTERFACE_ACTIONS, XRAY_WRITE_ACTIONS } from '../../modules/private/iam-policies';
import {
  CLUSTER_TARGET,
  onlyResource,
  parsePolicy,
  resourcesOf,
  resourceWhere,
  statementBySid,
  synthTasker,
  type SynthResult,
} from './synth-helpers';

const MACHINE = 'arn:aws:states:eu-west-1:123456789012:stateMachine:etl';
const TOPIC = 'arn:aws:sns:eu-west-1:123456789012:data-platform-alarms';
const BOUNDARY = 'arn:aws:iam::123456789012:policy/platform-boundary';
const VPC = { subnetIds: ['subnet-0a', 'subnet-0b'], securityGroupIds: ['sg-0c'] };

const rolePolicy = (result: SynthResult) => parsePolicy(resourceWhere(result, 'aws_iam_role_policy', 'name', 'etl-tasker').policy);
const sids = (result: SynthResult) => rolePolicy(result).Statement.map((s) => s.Sid);
const env = (result: SynthResult) => onlyResource(result, 'aws_lambda_function').environment.variables as Record<string, string>;
const alarmsByName = (result: SynthResult) =>
  Object.fromEntries(Object.values(resourcesOf(result, 'aws_cloudwatch_metric_alarm')).map((alarm) => [alarm.alarm_name as string, alarm]));

describe('defaults', () => {
  const result = synthTasker({ redshiftTarget: CLUSTER_TARGET });
  const fn = onlyResource(result, 'aws_lambda_function');

  test('arm64, no VPC, no tracing, Text logs; heartbeats, orphan cancel and metrics on in the environment', () => {
    expect(fn.architectures).toEqual(['arm64']);
    expect(fn.vpc_config).toBeUndefined();
    expect(fn.tracing_config).toBeUndefined();
    expect(fn.logging_config).toEqual({ log_format: 'Text', log_group: expect.any(String) });
    expect(env(result)).toMatchObject({
      [ENV.SEND_HEARTBEATS]: 'true',
      [ENV.CANCEL_ORPHANED_STATEMENTS]: 'true',
      [ENV.TASKER_NAME]: 'etl',
      [ENV.METRICS_NAMESPACE]: METRICS.DEFAULT_NAMESPACE,
    });
    expect(env(result)[ENV.METRICS_DISABLED]).toBeUndefined();
  });

  test('the role may send heartbeats (and nothing for VPC or X-Ray); no alarms, no execution rule; plain role', () => {
    expect(statementBySid(rolePolicy(result), 'AnswerTaskTokens').Action).toEqual([
      'states:SendTaskSuccess',
      'states:SendTaskFailure',
      'states:SendTaskHeartbeat',
    ]);
    expect(sids(result)).not.toContain('ManageVpcNetworkInterfaces');
    expect(sids(result)).not.toContain('WriteTraces');
    expect(resourcesOf(result, 'aws_cloudwatch_metric_alarm')).toEqual({});
    expect(result.tasker.alarms).toEqual([]);
    expect(result.tasker.executionEndRule).toBeUndefined();
    const role = onlyResource(result, 'aws_iam_role');
    expect(role.path).toBeUndefined();
    expect(role.permissions_boundary).toBeUndefined();
  });
});

describe('heartbeats, orphans and metrics switched', () => {
  test('sendHeartbeats: false drops SendTaskHeartbeat from the role and tells the handler', () => {
    const result = synthTasker({ redshiftTarget: CLUSTER_TARGET, sendHeartbeats: false, cancelOrphanedStatements: false });
    expect(statementBySid(rolePolicy(result), 'AnswerTaskTokens').Action).toEqual(['states:SendTaskSuccess', 'states:SendTaskFailure']);
    expect(env(result)).toMatchObject({ [ENV.SEND_HEARTBEATS]: 'false', [ENV.CANCEL_ORPHANED_STATEMENTS]: 'false' });
  });

  test('metrics: false disables them in the handler; metricsNamespace sets the namespace', () => {
    expect(env(synthTasker({ redshiftTarget: CLUSTER_TARGET, metrics: false }))[ENV.METRICS_DISABLED]).toBe('true');
    expect(env(synthTasker({ redshiftTarget: CLUSTER_TARGET, metricsNamespace: 'DataPlatform/Tasker' }))[ENV.METRICS_NAMESPACE]).toBe(
      'DataPlatform/Tasker',
    );
  });

  test('cancelOnExecutionEnd: a rule on the ended executions of stateMachineArns, targeting the completer', () => {
    const result = synthTasker({
      redshiftTarget: CLUSTER_TARGET,
      stateMachineArns: [MACHINE],
      cancelOnExecutionEnd: true,
      separateCompleter: true,
    });
    const rule = resourceWhere(result, 'aws_cloudwatch_event_rule', 'name', 'etl-execution-ended');
    expect(JSON.parse(rule.event_pattern)).toEqual({
      source: ['aws.states'],
      'detail-type': ['Step Functions Execution Status Change'],
      detail: { status: ['ABORTED', 'TIMED_OUT', 'FAILED'], stateMachineArn: [MACHINE] },
    });
    const completer = Object.entries(resourcesOf(result, 'aws_lambda_function')).find(([, f]) => f.function_name === 'etl-completer')![0];
    const target = resourceWhere(result, 'aws_cloudwatch_event_target', 'target_id', 'cancel-statements');
    expect(target.arn).toBe(`\${aws_lambda_function.${completer}.arn}`);
    const permission = resourceWhere(result, 'aws_lambda_permission', 'statement_id', 'AllowExecutionEndRule');
    expect(permission).toMatchObject({
      principal: 'events.amazonaws.com',
      function_name: `\${aws_lambda_function.${completer}.function_name}`,
    });
    expect(permission.source_arn).toMatch(/aws_cloudwatch_event_rule\..*ExecutionEndRule.*\.arn/);
  });
});

describe('alarms', () => {
  test('dead letters, errors and throttles per function, event age, sweep repairs and pending callbacks, each notifying the topic', () => {
    const result = synthTasker({ redshiftTarget: CLUSTER_TARGET, separateCompleter: true, alarms: { topicArn: TOPIC } });
    const alarms = alarmsByName(result);
    expect(Object.keys(alarms).sort()).toEqual([
      'etl-completer-errors',
      'etl-completer-throttles',
      'etl-dead-letters',
      'etl-event-age',
      'etl-pending-callbacks',
      'etl-sweep-repairs',
      'etl-tasker-errors',
      'etl-tasker-throttles',
    ]);
    for (const alarm of Object.values(alarms)) {
      expect(alarm).toMatchObject({
        alarm_actions: [TOPIC],
        ok_actions: [TOPIC],
        treat_missing_data: 'notBreaching',
        evaluation_periods: 1,
      });
    }
    expect(alarms['etl-dead-letters']).toMatchObject({
      namespace: 'AWS/SQS',
      metric_name: 'ApproximateNumberOfMessagesVisible',
      threshold: 0,
      comparison_operator: 'GreaterThanThreshold',
      dimensions: { QueueName: expect.stringMatching(/^\$\{aws_sqs_queue\..*DeadLetterQueue.*\.name\}$/) },
    });
    expect(alarms['etl-tasker-errors']).toMatchObject({
      namespace: 'AWS/Lambda',
      metric_name: 'Errors',
      threshold: 5,
      period: 300,
      statistic: 'Sum',
    });
    expect(alarms['etl-completer-throttles']).toMatchObject({ metric_name: 'Throttles', threshold: 1 });
    expect(alarms['etl-event-age']).toMatchObject({ metric_name: 'ApproximateAgeOfOldestMessage', threshold: 900, statistic: 'Maximum' });
    expect(alarms['etl-sweep-repairs']).toMatchObject({
      namespace: METRICS.DEFAULT_NAMESPACE,
      metric_name: METRICS.NAMES.SWEEP_REPAIRS,
      dimensions: { [METRICS.DIMENSIONS.TASKER]: 'etl' },
      period: 900,
      threshold: 1,
    });
    // The age of the oldest callback Step Functions has not answered, as every sweep reports it.
    expect(alarms['etl-pending-callbacks']).toMatchObject({
      namespace: METRICS.DEFAULT_NAMESPACE,
      metric_name: METRICS.NAMES.OLDEST_PENDING_CALLBACK_AGE,
      dimensions: { [METRICS.DIMENSIONS.TASKER]: 'etl' },
      statistic: 'Maximum',
      period: 900,
      threshold: 900,
      comparison_operator: 'GreaterThanOrEqualToThreshold',
    });
  });

  test(
    'thresholds and namespace follow the props; no topic, no actions; no metrics, no sweep-repairs or pending-callbacks alarm; no ' +
      'DLQ, no DLQ alarm',
    () => {
      const custom = alarmsByName(
        synthTasker({
          redshiftTarget: CLUSTER_TARGET,
          metricsNamespace: 'Team/Tasker',
          alarms: { functionErrorsThreshold: 2, oldestEventAgeSeconds: 120, sweepRepairsThreshold: 3, pendingCallbackAgeSeconds: 600 },
        }),
      );
      expect(custom['etl-pending-callbacks']).toMatchObject({ threshold: 600, namespace: 'Team/Tasker' });
      expect(custom['etl-tasker-errors'].threshold).toBe(2);
      expect(custom['etl-event-age'].threshold).toBe(120);
      expect(custom['etl-sweep-repairs']).toMatchObject({ threshold: 3, namespace: 'Team/Tasker' });
      expect(custom['etl-tasker-errors'].alarm_actions).toBeUndefined();

      const bare = alarmsByName(synthTasker({ redshiftTarget: CLUSTER_TARGET, metrics: false, deployDeadLetterQueue: false, alarms: {} }));
      expect(Object.keys(bare).sort()).toEqual(['etl-event-age', 'etl-tasker-errors', 'etl-tasker-throttles']);
    },
  );
});

describe('platform knobs', () => {
  const result = synthTasker({
    redshiftTarget: CLUSTER_TARGET,
    separateCompleter: true,
    vpcConfig: VPC,
    permissionsBoundary: BOUNDARY,
    rolePath: '/data-platform/',
    tracing: true,
    architecture: 'x86_64',
    logFormat: 'JSON',
    logLevel: 'WARN',
  });
  const functions = Object.values(resourcesOf(result, 'aws_lambda_function'));

  test('every function: VPC, active tracing, the architecture, JSON logs at the application level of logLevel', () => {
    expect(functions).toHaveLength(2);
    for (const fn of functions) {
      expect(fn.vpc_config).toEqual({ subnet_ids: VPC.subnetIds, security_group_ids: VPC.securityGroupIds });
      expect(fn.tracing_config).toEqual({ mode: 'Active' });
      expect(fn.architectures).toEqual(['x86_64']);
      expect(fn.logging_config).toEqual({ log_format: 'JSON', log_group: expect.any(String), application_log_level: 'WARN' });
    }
  });

  test('the role: boundary and path; ENI and X-Ray permissions (their only resource is *); functions wait for the policy', () => {
    expect(onlyResource(result, 'aws_iam_role')).toMatchObject({ path: '/data-platform/', permissions_boundary: BOUNDARY });
    const doc = rolePolicy(result);
    expect(statementBySid(doc, 'ManageVpcNetworkInterfaces')).toEqual({
      Sid: 'ManageVpcNetworkInterfaces',
      Effect: 'Allow',
      Action: [...VPC_NETWORK_INTERFACE_ACTIONS],
      Resource: '*',
    });
    expect(statementBySid(doc, 'WriteTraces')).toEqual({
      Sid: 'WriteTraces',
      Effect: 'Allow',
      Action: [...XRAY_WRITE_ACTIONS],
      Resource: '*',
    });
    for (const fn of functions) expect(fn.depends_on).toEqual([expect.stringMatching(/^aws_iam_role_policy\./)]);
  });
});

describe('bad operational props are refused with named errors and add nothing', () => {
  const cases: [Partial<SfnRedshiftTaskerProps>, string][] = [
    [{ cancelOnExecutionEnd: true }, 'cancelOnExecutionEnd needs stateMachineArns'],
    [
      { cancelOnExecutionEnd: true, stateMachineArns: [MACHINE], cancelOrphanedStatements: false },
      'cannot be used with cancelOrphanedStatements: false',
    ],
    [{ rolePath: 'data' }, "rolePath 'data' must be '/'"],
    [{ permissionsBoundary: 'platform-boundary' }, 'is not an ARN of an IAM managed policy'],
    [{ vpcConfig: { subnetIds: [], securityGroupIds: ['sg-1'] } }, 'vpcConfig.subnetIds must list at least one id'],
    [{ architecture: 'x86' as never }, "architecture 'x86' must be one of arm64, x86_64"],
    [{ logFormat: 'XML' as never }, "logFormat 'XML' must be one of Text, JSON"],
    [{ alarms: { topicArn: 'my-topic' } }, 'is not an ARN of an SNS topic'],
    [{ alarms: { functionErrorsThreshold: 0 } }, 'alarms.functionErrorsThreshold must be an integer from 1 to 1000000 (got 0)'],
    [{ metricsNamespace: 'AWS/Lambda' }, 'must be 1 to 255 letters'],
  ];
  test.each(cases)('%j', (extra, message) => {
    const stack = new TerraformStack(Testing.app(), 'bad');
    expect(() => new SfnRedshiftTasker(stack, 'etl', { redshiftTarget: CLUSTER_TARGET, ...extra })).toThrow(message);
    expect(stack.node.children).toHaveLength(0);
  });

  test('cancelOnExecutionEnd as a reference: Terraform decides at plan time (count on the rule, its target and permission)', () => {
    const stack = new TerraformStack(Testing.app(), 'refs');
    const flag = new TerraformVariable(stack, 'flag', { type: 'bool' }).booleanValue as unknown as boolean;
    new SfnRedshiftTasker(stack, 'etl', { redshiftTarget: CLUSTER_TARGET, stateMachineArns: [MACHINE], cancelOnExecutionEnd: flag });
    const result = { json: JSON.parse(Testing.synth(stack)) } as SynthResult;
    const [ruleId, rule] = Object.entries(resourcesOf(result, 'aws_cloudwatch_event_rule')).find(
      ([, r]) => r.name === 'etl-execution-ended',
    )!;
    expect(rule.count).toBe('${var.flag ? 1 : 0}');
    const target = resourceWhere(result, 'aws_cloudwatch_event_target', 'target_id', 'cancel-statements');
    const permission = resourceWhere(result, 'aws_lambda_permission', 'statement_id', 'AllowExecutionEndRule');
    expect([target.count, permission.count]).toEqual([rule.count, rule.count]);
    // Through the rule's instances: null (and nothing created) while the count is 0.
    expect(target.rule).toBe(`\${one(aws_cloudwatch_event_rule.${ruleId}[*].name)}`);
    expect(permission.source_arn).toBe(`\${one(aws_cloudwatch_event_rule.${ruleId}[*].arn)}`);
    // Without stateMachineArns there is no pattern to build, reference or not.
    const other = new TerraformStack(Testing.app(), 'no-arns');
    const otherFlag = new TerraformVariable(other, 'flag', { type: 'bool' }).booleanValue as unknown as boolean;
    expect(() => new SfnRedshiftTasker(other, 'etl', { redshiftTarget: CLUSTER_TARGET, cancelOnExecutionEnd: otherFlag })).toThrow(
      'cancelOnExecutionEnd needs stateMachineArns',
    );
  });
});

/** A provider that lets `terraform plan` run without AWS (dummy keys, no STS or metadata calls). */
function offlineProvider(stack: TerraformStack): void {
  new AwsProvider(stack, 'aws', {
    region: 'eu-west-1',
    accessKey: 'offline-test',
    secretKey: 'offline-test',
    skipCredentialsValidation: true,
    skipRequestingAccountId: true,
    skipMetadataApiCheck: 'true',
  });
}

describe('knobs from Terraform variables (as a module passes them): decided at plan time', () => {
  const stack = new TerraformStack(Testing.app(), 'variables');
  offlineProvider(stack);
  const variable = (name: string, type: string, defaultValue: unknown) => {
    const declared = new TerraformVariable(stack, name, { type, ...(defaultValue === null ? {} : { default: defaultValue }) });
    // cdktf cannot render a null default itself.
    if (defaultValue === null) declared.addOverride('default', null);
    return declared;
  };
  const flag = (name: string, value: boolean) => variable(name, 'bool', value).booleanValue as unknown as boolean;
  const text = (name: string, value: string | null) => variable(name, 'string', value).stringValue;
  new SfnRedshiftTasker(stack, 'etl', {
    redshiftTarget: CLUSTER_TARGET,
    sendHeartbeats: flag('send_heartbeats', true),
    cancelOrphanedStatements: flag('cancel_orphaned_statements', true),
    metrics: flag('metrics', true),
    metricsNamespace: text('metrics_namespace', 'SfnRedshiftTasker'),
    tracing: flag('tracing', true),
    vpcConfig: {
      subnetIds: variable('subnet_ids', 'list(string)', ['subnet-0a']).listValue,
      securityGroupIds: variable('security_group_ids', 'list(string)', ['sg-0c']).listValue,
    },
    permissionsBoundary: text('permissions_boundary', BOUNDARY),
    rolePath: text('role_path', null),
    architecture: text('architecture', 'arm64') as 'arm64',
    logFormat: text('log_format', 'JSON') as 'JSON',
    alarms: { enabled: flag('alarms_enabled', true), topicArn: orNull(text('alarm_topic_arn', null)) },
  });
  const json = JSON.parse(Testing.synth(stack));
  const fn = Object.values(json.resource.aws_lambda_function)[0] as Record<string, any>;

  test('the policy adds SendTaskHeartbeat, the ENI and the X-Ray statements by plan-time conditions', () => {
    const policy = (Object.values(json.resource.aws_iam_role_policy)[0] as Record<string, string>).policy;
    expect(policy).toContain('(length(var.subnet_ids) >= 1) ? [{"Sid" = "ManageVpcNetworkInterfaces"');
    expect(policy).toContain('var.tracing ? [{"Sid" = "WriteTraces"');
    // The always-present statements sit in a local (string templates stay out of the built-in function).
    expect(policy).toMatch(/"Statement" = concat\(local\.etl_RolePolicyStatements_[0-9A-F]{8}, /);
    const local = Object.entries(json.locals).find(([name]) => name.startsWith('etl_RolePolicyStatements'))![1] as Array<
      Record<string, any>
    >;
    expect(local.map((statement) => statement.Sid)).toContain('ReadOwnStatements');
    expect(local.find((statement) => statement.Sid === 'AnswerTaskTokens')!.Action).toBe(
      '${concat(["states:SendTaskSuccess", "states:SendTaskFailure"], var.send_heartbeats ? ["states:SendTaskHeartbeat"] : [])}',
    );
    expect(JSON.stringify(local)).toContain('"$${aws:userid}"');
  });

  test('the function: tracing mode, log format and level, VPC lists, metrics switch by expression', () => {
    expect(fn.tracing_config).toEqual({ mode: '${var.tracing ? "Active" : "PassThrough"}' });
    expect(fn.logging_config.application_log_level).toBe('${(var.log_format == "JSON") ? "INFO" : null}');
    // A dynamic block: no vpc_config at all while the subnet list is empty.
    expect(fn.vpc_config).toBeUndefined();
    expect(fn.dynamic.vpc_config).toEqual({
      for_each: '${(length(var.subnet_ids) >= 1) ? [true] : []}',
      content: { subnet_ids: '${var.subnet_ids}', security_group_ids: '${var.security_group_ids}' },
    });
    expect(fn.architectures).toEqual(['${var.architecture}']);
    expect(fn.environment.variables[ENV.METRICS_DISABLED]).toBe('${var.metrics ? "false" : "true"}');
    expect(fn.environment.variables[ENV.SEND_HEARTBEATS]).toBe('${tostring(var.send_heartbeats)}');
  });

  test('alarms exist by count; the sweep-repairs and pending-callbacks alarms also need metrics; a null topic means no actions', () => {
    const alarms = Object.values(json.resource.aws_cloudwatch_metric_alarm) as Array<Record<string, any>>;
    expect(alarms).toHaveLength(6);
    const fromMetrics = alarms.filter((alarm) => ['etl-sweep-repairs', 'etl-pending-callbacks'].includes(alarm.alarm_name));
    expect(fromMetrics).toHaveLength(2);
    for (const alarm of fromMetrics) expect(alarm.count).toBe('${(var.alarms_enabled && var.metrics) ? 1 : 0}');
    for (const alarm of alarms.filter((a) => !fromMetrics.includes(a))) expect(alarm.count).toBe('${var.alarms_enabled ? 1 : 0}');
    const sweepRepairs = fromMetrics[0];
    expect(sweepRepairs.alarm_actions).toBe('${(var.alarm_topic_arn == null) ? [] : [var.alarm_topic_arn]}');
  });

  test('terraform validate and an offline plan pass', () => {
    const synthesized = Testing.fullSynth(stack);
    expect(synthesized).toBeValidTerraform();
    expect(synthesized).toPlanSuccessfully();
  });
});

test('terraform validate and an offline plan pass with every knob, alarm and the execution rule on', () => {
  const stack = new TerraformStack(Testing.app(), 'everything');
  offlineProvider(stack);
  new SfnRedshiftTasker(stack, 'etl', {
    redshiftTarget: CLUSTER_TARGET,
    separateCompleter: true,
    stateMachineArns: [MACHINE],
    cancelOnExecutionEnd: true,
    metricsNamespace: 'Team/Tasker',
    alarms: { topicArn: TOPIC },
    vpcConfig: VPC,
    permissionsBoundary: BOUNDARY,
    rolePath: '/data-platform/',
    tracing: true,
    logFormat: 'JSON',
    logLevel: 'DEBUG',
  });
  const synthesized = Testing.fullSynth(stack);
  expect(synthesized).toBeValidTerraform();
  expect(synthesized).toPlanSuccessfully();
});
