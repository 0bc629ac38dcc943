import { Testing } from 'cdktf';
import { ENV } from '../../functions/shared/contract';
import { ClusterExampleStack } from '../../examples/cluster-stack';
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

  test('matches the snapshot (handler hashes normalised)', () => {
    const stack = new ClusterExampleStack(Testing.app(), 'cluster-example');
    expect(normaliseHandlerHashes(Testing.synth(stack))).toMatchSnapshot();
  });
});
