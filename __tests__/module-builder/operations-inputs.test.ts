/**
 * The module's operational inputs (heartbeats, orphans, metrics, alarms, VPC, boundary, role path, tracing,
 * architecture, log format), run by Terraform offline: bad values fail with the validation messages, and a
 * call with all of them on plans the alarms, the function settings and the role as the construct would.
 */
import { join } from 'node:path';
import { OPERATIONS_MODULE_INPUTS } from '../../module-builder/operations-inputs';
import { MODULE_INPUTS } from '../../module-builder/module-inputs';
import { showPlan } from './support/offline-state';
import { buildModuleIn, describeIfTerraform, flatten, initRootModule, scratchDir, terraform } from './support/terraform-module-fixture';

const TOPIC = 'arn:aws:sns:eu-west-1:123456789012:platform-alarms';
const BOUNDARY = 'arn:aws:iam::123456789012:policy/platform-boundary';
const MACHINE = 'arn:aws:states:eu-west-1:123456789012:stateMachine:nightly-elt';

it('every operational input is a module input with a default (existing callers need no change)', () => {
  for (const input of OPERATIONS_MODULE_INPUTS) {
    expect(MODULE_INPUTS).toContain(input);
    expect(Object.hasOwn(input, 'default')).toBe(true);
  }
});

describeIfTerraform('operational module inputs (offline)', () => {
  const root = scratchDir('module-operations');
  beforeAll(() => {
    buildModuleIn(root);
  });

  const call = (name: string, extra: string): string => `module "${name}" {
  source             = "../terraform-module"
  name_prefix        = "${name.replace(/_/g, '-')}"
  database           = "dev"
  cluster_identifier = "analytics"
  db_user            = "etl_user"
${extra}}
`;
  const rootWith = (name: string, blocks: string): string => initRootModule(join(root, name), blocks);

  it('bad values fail plan with the validation messages', () => {
    const dir = rootWith(
      'invalid',
      [
        call('bad_arch', '  architecture = "x86"\n'),
        call('bad_format', '  log_format = "XML"\n'),
        call('bad_topic', '  alarm_topic_arn = "alarms"\n'),
        call('bad_threshold', '  alarm_function_errors_threshold = 0\n'),
        call('bad_boundary', '  permissions_boundary = "boundary"\n'),
        call('bad_path', '  role_path = "team"\n'),
        call('bad_namespace', '  metrics_namespace = "AWS/Lambda"\n'),
      ].join('\n'),
    );
    const run = terraform(dir, ['plan', '-input=false', '-no-color']);
    expect(run.status).not.toBe(0);
    const text = flatten(run.output);
    for (const message of [
      'architecture must be one of arm64, x86_64.',
      'log_format must be one of Text, JSON.',
      'alarm_topic_arn must be null or an SNS topic ARN.',
      'alarm_function_errors_threshold must be a whole number from 1 to 1000000.',
      'permissions_boundary must be null or an IAM managed policy ARN.',
      'role_path must be null, / or start and end with / .',
      'metrics_namespace must be 1 to 255 letters',
    ]) {
      expect(text).toContain(message);
    }
    expect(text.match(/Invalid value for variable/g)).toHaveLength(7);
  });

  it('inputs that contradict each other fail plan with the cross-input messages', () => {
    // Checks that read another input run after the single-input ones, so these cases have a root of their own.
    const dir = rootWith(
      'contradictions',
      [
        call('half_vpc', '  vpc_subnet_ids = ["subnet-0a"]\n'),
        call('cancel_without_machines', '  cancel_on_execution_end = true\n'),
        call(
          'cancel_without_orphans',
          `  cancel_on_execution_end    = true\n  cancel_orphaned_statements = false\n  state_machine_arns         = ["${MACHINE}"]\n`,
        ),
      ].join('\n'),
    );
    const run = terraform(dir, ['plan', '-input=false', '-no-color']);
    expect(run.status).not.toBe(0);
    const text = flatten(run.output);
    expect(text).toContain('vpc_subnet_ids and vpc_security_group_ids must both be empty (no VPC) or both be given.');
    expect(text).toContain('cancel_on_execution_end needs state_machine_arns: the rule matches the executions of those state machines.');
    expect(text).toContain(
      'cancel_on_execution_end cancels orphaned statements: it cannot be used with cancel_orphaned_statements = false.',
    );
  });

  it('defaults: heartbeats on, arm64, no alarms, no VPC; everything on: alarms, VPC, tracing, JSON logs, boundary and path', () => {
    const dir = rootWith(
      'plans',
      call('defaults', '') +
        '\n' +
        call(
          'all_on',
          `  alarms                 = true
  alarm_topic_arn        = "${TOPIC}"
  vpc_subnet_ids         = ["subnet-0a", "subnet-0b"]
  vpc_security_group_ids = ["sg-0c"]
  permissions_boundary   = "${BOUNDARY}"
  role_path              = "/data-platform/"
  tracing                = true
  architecture           = "x86_64"
  log_format             = "JSON"
  log_level              = "WARN"
  metrics_namespace      = "Team/Tasker"
  send_heartbeats        = false
  describe_on_success    = true
  alarm_function_errors_threshold = 2
  alarm_oldest_event_age_seconds  = 600
  alarm_sweep_repairs_threshold   = 3
  alarm_pending_callback_age_seconds = 1800
  cancel_on_execution_end         = true
  reserved_concurrency            = 1
  state_machine_arns              = ["${MACHINE}"]
`,
        ),
    );
    const run = terraform(dir, ['plan', '-input=false', '-no-color', '-out=tfplan']);
    expect(run.status).toBe(0);
    const changes = showPlan(dir, 'tfplan').resource_changes ?? [];
    const planned = (module: string, type: string) =>
      changes.filter((c: any) => c.address.startsWith(`module.${module}.`) && c.type === type).map((c: any) => c.change.after);

    const [fnDefaults] = planned('defaults', 'aws_lambda_function');
    expect(fnDefaults.architectures).toEqual(['arm64']);
    expect(fnDefaults.tracing_config).toEqual([{ mode: 'PassThrough' }]);
    // No block holding nulls: AWS reports none, so one would plan as a change after every apply.
    expect(fnDefaults.vpc_config).toEqual([]);
    expect(planned('defaults', 'aws_lambda_event_source_mapping')[0].scaling_config).toEqual([]);
    expect(fnDefaults.environment[0].variables).toMatchObject({
      SEND_HEARTBEATS: 'true',
      CANCEL_ORPHANED_STATEMENTS: 'true',
      POWERTOOLS_METRICS_DISABLED: 'false',
    });
    expect(planned('defaults', 'aws_cloudwatch_metric_alarm')).toEqual([]);
    expect(
      planned('defaults', 'aws_cloudwatch_event_rule')
        .map((rule: any) => rule.name)
        .sort(),
    ).toEqual(['defaults-statement-status', 'defaults-sweep']);
    // The role policy holds ARNs known only after apply: its plan-time statements are covered by the construct's synth tests.

    const [fn] = planned('all_on', 'aws_lambda_function');
    expect(fn.architectures).toEqual(['x86_64']);
    expect(fn.tracing_config).toEqual([{ mode: 'Active' }]);
    expect(fn.vpc_config[0]).toMatchObject({ subnet_ids: ['subnet-0a', 'subnet-0b'], security_group_ids: ['sg-0c'] });
    // Reserved concurrency 1 caps the queue's pollers at 2, the lowest maximum_concurrency SQS accepts.
    expect(planned('all_on', 'aws_lambda_event_source_mapping')[0].scaling_config).toEqual([{ maximum_concurrency: 2 }]);
    expect(fn.logging_config[0]).toMatchObject({ log_format: 'JSON', application_log_level: 'WARN' });
    expect(fn.environment[0].variables).toMatchObject({
      SEND_HEARTBEATS: 'false',
      POWERTOOLS_METRICS_NAMESPACE: 'Team/Tasker',
      DESCRIBE_ON_SUCCESS: 'true',
    });
    expect(fnDefaults.environment[0].variables).toMatchObject({ DESCRIBE_ON_SUCCESS: 'false' });
    const [role] = planned('all_on', 'aws_iam_role');
    expect(role).toMatchObject({ path: '/data-platform/', permissions_boundary: BOUNDARY });
    // cancel_on_execution_end: the rule on the ended executions of state_machine_arns, its target and permission.
    const executionEnded = planned('all_on', 'aws_cloudwatch_event_rule').find((rule: any) => rule.name === 'all-on-execution-ended');
    expect(JSON.parse(executionEnded.event_pattern).detail).toEqual({
      status: ['ABORTED', 'TIMED_OUT', 'FAILED'],
      stateMachineArn: [MACHINE],
    });
    expect(planned('all_on', 'aws_cloudwatch_event_target').map((target: any) => target.target_id)).toContain('cancel-statements');
    expect(planned('all_on', 'aws_lambda_permission').map((permission: any) => permission.statement_id)).toContain('AllowExecutionEndRule');
    const alarms = planned('all_on', 'aws_cloudwatch_metric_alarm');
    expect(alarms.map((a: any) => a.alarm_name).sort()).toEqual([
      'all-on-dead-letters',
      'all-on-event-age',
      'all-on-pending-callbacks',
      'all-on-sweep-repairs',
      'all-on-tasker-errors',
      'all-on-tasker-throttles',
    ]);
    for (const alarm of alarms) expect(alarm.alarm_actions).toEqual([TOPIC]);
    expect(alarms.find((a: any) => a.alarm_name === 'all-on-sweep-repairs').namespace).toBe('Team/Tasker');
    // Thresholds from the alarm_* inputs (the alarms compare with >=, so the threshold is the value given).
    const threshold = (name: string) => alarms.find((a: any) => a.alarm_name === name).threshold;
    expect([
      threshold('all-on-tasker-errors'),
      threshold('all-on-event-age'),
      threshold('all-on-sweep-repairs'),
      threshold('all-on-pending-callbacks'),
    ]).toEqual([2, 600, 3, 1800]);
  });
});
