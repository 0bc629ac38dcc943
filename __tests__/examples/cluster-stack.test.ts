import { Testing } from 'cdktf';
import { ENV } from '../../functions/shared/contract';
import { CLUSTER_STATE_MACHINE_PREFIX, ClusterExampleStack } from '../../examples/cluster-stack';
import { EXAMPLE_STATE_MACHINES } from '../../examples/state-machines';
import { normaliseHandlerHashes } from './example-helpers';

function synthCluster(): Record<string, any> {
  const stack = new ClusterExampleStack(Testing.app(), 'cluster-example');
  return JSON.parse(Testing.synth(stack));
}

describe('ClusterExampleStack', () => {
  const json = synthCluster();

  test('AWS provider with the region from a variable (default eu-west-1), no credentials', () => {
    expect(json.variable.aws_region).toEqual({ type: 'string', default: 'eu-west-1', description: 'AWS region to deploy the tasker to' });
    expect(json.provider.aws).toEqual([
      { region: '${var.aws_region}', default_tags: [{ tags: { project: 'sfn-redshift-tasker-example' } }] },
    ]);
  });

  test('a relative local backend path, the same on every machine', () => {
    expect(json.terraform.backend).toEqual({ local: { path: 'terraform.cluster-example.tfstate' } });
  });

  test('outputs the function ARN and name, the table name and the statement prefix', () => {
    const fn = Object.keys(json.resource.aws_lambda_function)[0];
    const table = Object.keys(json.resource.aws_dynamodb_table)[0];
    expect(Object.keys(json.output).sort()).toEqual([
      'example_state_machine_arns',
      'statement_name_prefix',
      'tasker_function_arn',
      'tasker_function_name',
      'tracking_table_name',
    ]);
    expect(json.output.tasker_function_arn.value).toBe(`\${aws_lambda_function.${fn}.arn}`);
    expect(json.output.tasker_function_name.value).toBe(`\${aws_lambda_function.${fn}.function_name}`);
    expect(json.output.tracking_table_name.value).toBe(`\${aws_dynamodb_table.${table}.name}`);
    expect(json.output.statement_name_prefix.value).toBe('sfnrs-cluster-example-');
  });

  test('the tasker targets the provisioned cluster with a db user', () => {
    const fn = Object.values(json.resource.aws_lambda_function)[0] as Record<string, any>;
    expect(fn.function_name).toBe('cluster-example-tasker');
    expect(fn.environment.variables).toMatchObject({
      [ENV.CLUSTER_IDENTIFIER]: 'analytics-cluster',
      [ENV.DATABASE]: 'dev',
      [ENV.DB_USER]: 'sfn_tasker',
    });
  });

  test("turns heartbeats, orphan cancel, metrics and alarms on; every alarm notifies the stack's topic", () => {
    const fn = Object.values(json.resource.aws_lambda_function)[0] as Record<string, any>;
    expect(fn.environment.variables).toMatchObject({
      [ENV.SEND_HEARTBEATS]: 'true',
      [ENV.CANCEL_ORPHANED_STATEMENTS]: 'true',
      [ENV.METRICS_NAMESPACE]: 'SfnRedshiftTasker',
    });
    expect(fn.environment.variables[ENV.METRICS_DISABLED]).toBeUndefined();
    const topicId = Object.keys(json.resource.aws_sns_topic)[0];
    const alarms = Object.values(json.resource.aws_cloudwatch_metric_alarm) as Array<Record<string, any>>;
    expect(alarms.map((alarm) => alarm.alarm_name).sort()).toEqual([
      'cluster-example-dead-letters',
      'cluster-example-event-age',
      'cluster-example-pending-callbacks',
      'cluster-example-sweep-repairs',
      'cluster-example-tasker-errors',
      'cluster-example-tasker-throttles',
    ]);
    for (const alarm of alarms) expect(alarm.alarm_actions).toEqual([`\${aws_sns_topic.${topicId}.arn}`]);
  });

  test('holds the 10 example state machines, named after their ids, Standard, tagged like the tasker', () => {
    const machines = Object.values(json.resource.aws_sfn_state_machine) as Array<Record<string, any>>;
    expect(EXAMPLE_STATE_MACHINES).toHaveLength(10);
    expect(machines).toHaveLength(EXAMPLE_STATE_MACHINES.length);
    expect(machines.map((machine) => machine.name).sort()).toEqual(
      EXAMPLE_STATE_MACHINES.map((example) => `cluster-example-${example.id}`).sort(),
    );
    expect(CLUSTER_STATE_MACHINE_PREFIX).toBe('cluster-example-');
    for (const machine of machines) {
      expect({ name: machine.name, type: machine.type, tags: machine.tags }).toEqual({
        name: machine.name,
        type: 'STANDARD',
        tags: { example: 'cluster' },
      });
    }
  });

  test('turns the fast path on (README "Fast path")', () => {
    const fn = Object.values(json.resource.aws_lambda_function)[0] as Record<string, any>;
    expect(fn.environment.variables.FAST_PATH_SECONDS).toBe('2');
  });

  test("each state machine's definition invokes only this stack's tasker function", () => {
    const fnArn = `\${aws_lambda_function.${Object.keys(json.resource.aws_lambda_function)[0]}.arn}`;
    const functionNames = (value: unknown): string[] => {
      if (Array.isArray(value)) return value.flatMap(functionNames);
      if (value === null || typeof value !== 'object') return [];
      return Object.entries(value).flatMap(([key, item]) => (key === 'FunctionName' ? [item as string] : functionNames(item)));
    };
    for (const machine of Object.values(json.resource.aws_sfn_state_machine) as Array<Record<string, any>>) {
      const names = functionNames(JSON.parse(machine.definition));
      expect({ machine: machine.name, invoked: [...new Set(names)] }).toEqual({ machine: machine.name, invoked: [fnArn] });
    }
  });

  test('each state machine has its own role, allowed exactly lambda:InvokeFunction on the tasker function', () => {
    const fnArn = `\${aws_lambda_function.${Object.keys(json.resource.aws_lambda_function)[0]}.arn}`;
    const roles = json.resource.aws_iam_role as Record<string, Record<string, any>>;
    const policies = Object.values(json.resource.aws_iam_role_policy) as Array<Record<string, any>>;
    const machines = Object.values(json.resource.aws_sfn_state_machine) as Array<Record<string, any>>;
    const roleIds = machines.map((machine) => /^\$\{aws_iam_role\.(.+)\.arn\}$/.exec(machine.role_arn)?.[1] as string);
    expect(new Set(roleIds).size).toBe(machines.length);
    for (const [i, roleId] of roleIds.entries()) {
      expect(roles[roleId].name).toBe(`${machines[i].name}-role`);
      // JSON once Terraform has filled in the account (an HCL expression with its own quotes until then).
      expect(roles[roleId].assume_role_policy).toContain('"Principal":{"Service":"states.amazonaws.com"},"Action":"sts:AssumeRole"');
      expect(roles[roleId].assume_role_policy).toContain(`"aws:SourceAccount":"\${element(split(":", ${fnArn.slice(2, -1)}), 4)}"`);
      const own = policies.filter((policy) => policy.role === `\${aws_iam_role.${roleId}.id}`);
      expect(own).toHaveLength(1);
      expect(JSON.parse(own[0].policy).Statement).toEqual([
        { Sid: 'InvokeTasker', Effect: 'Allow', Action: 'lambda:InvokeFunction', Resource: [fnArn, `${fnArn}:*`] },
      ]);
    }
    // The tasker's own role, plus one per state machine: nothing else.
    expect(Object.keys(roles)).toHaveLength(machines.length + 1);
  });

  test('outputs the state machine ARNs as one map, by example id', () => {
    const byName = Object.fromEntries(
      Object.entries(json.resource.aws_sfn_state_machine as Record<string, Record<string, any>>).map(([id, m]) => [m.name, id]),
    );
    const expected = Object.fromEntries(
      EXAMPLE_STATE_MACHINES.map((example) => [example.id, `\${aws_sfn_state_machine.${byName[`cluster-example-${example.id}`]}.arn}`]),
    );
    expect(json.output.example_state_machine_arns.value).toEqual(expected);
  });

  test('matches the snapshot (handler hashes normalised)', () => {
    const stack = new ClusterExampleStack(Testing.app(), 'cluster-example');
    expect(normaliseHandlerHashes(Testing.synth(stack))).toMatchSnapshot();
  });
});
