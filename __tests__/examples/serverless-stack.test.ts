import { Testing } from 'cdktf';
import { ENV } from '../../functions/shared/contract';
import { ServerlessExampleStack } from '../../examples/serverless-stack';

describe('ServerlessExampleStack', () => {
  const json = JSON.parse(Testing.synth(new ServerlessExampleStack(Testing.app(), 'serverless-example')));

  test('region variable, provider without credentials, relative local backend', () => {
    expect(json.variable.aws_region.default).toBe('eu-west-1');
    expect(json.provider.aws[0].region).toBe('${var.aws_region}');
    expect(json.provider.aws[0].access_key).toBeUndefined();
    expect(json.terraform.backend).toEqual({ local: { path: 'terraform.serverless-example.tfstate' } });
  });

  test('a workgroup tasker with a separate completer', () => {
    const functions = Object.values(json.resource.aws_lambda_function) as Array<Record<string, any>>;
    expect(functions.map((f) => f.function_name).sort()).toEqual(['serverless-example-completer', 'serverless-example-tasker']);
    for (const fn of functions) {
      expect(fn.environment.variables).toMatchObject({ [ENV.WORKGROUP_NAME]: 'analytics-workgroup', [ENV.DATABASE]: 'dev' });
      expect(fn.environment.variables[ENV.CLUSTER_IDENTIFIER]).toBeUndefined();
    }
  });

  test('outputs the starter function (the one state machines invoke)', () => {
    const [id] = Object.entries(json.resource.aws_lambda_function).find(
      ([, f]) => (f as Record<string, string>).function_name === 'serverless-example-tasker',
    ) as [string, unknown];
    expect(json.output.tasker_function_arn.value).toBe(`\${aws_lambda_function.${id}.arn}`);
    expect(json.output.statement_name_prefix.value).toBe('sfnrs-serverless-example-');
  });
});
