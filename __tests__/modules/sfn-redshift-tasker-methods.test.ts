// The tasker's Step Functions authoring methods: thin wrappers that bind `modules/sfn` to this tasker.
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { App, TerraformOutput, TerraformStack, Testing } from 'cdktf';
import { SfnRedshiftTasker } from '../../modules/sfn-redshift-tasker';
import { definition } from '../../modules/sfn';
import { CLUSTER_TARGET } from './synth-helpers';

function taskerIn(props: Partial<ConstructorParameters<typeof SfnRedshiftTasker>[2]> = {}) {
  const app = new App({ stackTraces: false });
  const stack = new TerraformStack(app, 'stack');
  new AwsProvider(stack, 'aws', { region: 'eu-west-1' });
  const tasker = new SfnRedshiftTasker(stack, 'etl', { redshiftTarget: CLUSTER_TARGET, ...props });
  return { stack, tasker };
}

/** What a value becomes in Terraform: each `.arn` read is a new token, so compare the synthesized text. */
function synthesized(stack: TerraformStack, value: unknown): string {
  const id = `probe${stack.node.children.length}`;
  new TerraformOutput(stack, id, { value });
  const json = JSON.parse(Testing.synth(stack)) as { output: Record<string, { value: string }> };
  return json.output[id].value;
}

function functionArnReference(tasker: SfnRedshiftTasker): string {
  return `\${aws_lambda_function.${tasker.lambdaFunction.friendlyUniqueId}.arn}`;
}

describe('SfnRedshiftTasker state methods', () => {
  test('sqlTask points the waitForTaskToken state at this tasker and catches FAILED by default', () => {
    const { stack, tasker } = taskerIn();
    const { name, state } = tasker.sqlTask('Load', { sql: 'CALL load()', catchFailed: 'Failed' });
    expect(name).toBe('Load');
    expect(state.Resource).toBe('arn:aws:states:::lambda:invoke.waitForTaskToken');
    expect(synthesized(stack, (state.Parameters as Record<string, unknown>).FunctionName)).toBe(functionArnReference(tasker));
    expect(state.Catch?.find((c) => c.Next === 'Failed')?.ErrorEquals).toEqual(['FAILED']);
  });

  test("sqlTask's catchFailed also catches ABORTED when the tasker sends it", () => {
    const { tasker } = taskerIn({ abortedErrorName: 'ABORTED' });
    const { state } = tasker.sqlTask('Load', { sql: 'CALL load()', catchFailed: 'Failed' });
    expect(state.Catch?.find((c) => c.Next === 'Failed')?.ErrorEquals).toEqual(['FAILED', 'ABORTED']);
  });

  test('cancelTask, describeTask and resultTask address the LATEST statement through this function', () => {
    const { stack, tasker } = taskerIn();
    for (const { state } of [tasker.cancelTask('Cancel'), tasker.describeTask('Describe'), tasker.resultTask('Result')]) {
      const parameters = state.Parameters as Record<string, unknown>;
      expect(synthesized(stack, parameters.FunctionName)).toBe(functionArnReference(tasker));
      expect((parameters.Payload as Record<string, unknown>).statementId).toBe('LATEST');
    }
  });

  test('stateMachine creates a Standard state machine allowed to invoke only this function', () => {
    const { stack, tasker } = taskerIn();
    tasker.stateMachine('Nightly', definition({ states: [tasker.sqlTask('Load', { sql: 'CALL load()' })] }), {
      name: 'nightly',
    });
    const json = JSON.parse(Testing.synth(stack)) as { resource: Record<string, Record<string, Record<string, unknown>>> };
    const machines = Object.values(json.resource.aws_sfn_state_machine);
    expect(machines).toHaveLength(1);
    expect(machines[0]).toMatchObject({ name: 'nightly', type: 'STANDARD' });
    const functionArn = functionArnReference(tasker);
    const policies = Object.values(json.resource.aws_iam_role_policy).map((p) => String(p.policy));
    const invokePolicy = policies.find((p) => p.includes('lambda:InvokeFunction'));
    expect(invokePolicy).toBeDefined();
    expect(invokePolicy).toContain(functionArn);
  });
});

describe('SfnRedshiftTasker.sqlResource', () => {
  test('invokes this function with lifecycle scope CRUD, after the role policy exists', () => {
    const { stack, tasker } = taskerIn();
    tasker.sqlResource('Schema', { create: 'CREATE SCHEMA s', destroy: 'DROP SCHEMA s' });
    const json = JSON.parse(Testing.synth(stack)) as { resource: Record<string, Record<string, Record<string, unknown>>> };
    const invocations = Object.values(json.resource.aws_lambda_invocation);
    expect(invocations).toHaveLength(1);
    const [invocation] = invocations;
    expect(invocation).toMatchObject({ lifecycle_scope: 'CRUD', terraform_key: 'tf' });
    expect(invocation.function_name).toBe(`\${aws_lambda_function.${tasker.lambdaFunction.friendlyUniqueId}.function_name}`);
    expect(JSON.parse(String(invocation.input))).toEqual({ create: 'CREATE SCHEMA s', destroy: 'DROP SCHEMA s' });
    const policyIds = Object.keys(json.resource.aws_iam_role_policy);
    expect(invocation.depends_on).toEqual(policyIds.map((id) => `aws_iam_role_policy.${id}`));
  });
});
